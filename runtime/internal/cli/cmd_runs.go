package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/pflag"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

var runsCommand = &command{
	name:     "runs",
	nargs:    0,
	listing:  true,
	summary:  "List the runs of this pipeline, newest first.",
	examples: []example{{cmd: "runs"}, {cmd: "runs --limit 5 --json"}},
	flags: func(fs *pflag.FlagSet, c *cli, st *cmdState) error {
		fs.IntVar(&st.limit, "limit", 20, "show at most `N` runs (0: all)")
		return nil
	},
	run: func(ctx context.Context, c *cli, st *cmdState, args []string) error {
		s, err := c.readStore(ctx)
		if err != nil {
			return err
		}
		defer s.Close()
		runs, err := s.Meta.Runs(ctx, c.p.Name, st.limit)
		if err != nil {
			return err
		}
		views := make([]runView, len(runs))
		for i, r := range runs {
			views[i] = newRunView(r)
			steps, err := s.Meta.StepRuns(ctx, r.ID)
			if err != nil {
				return err
			}
			views[i].Metrics = runMetrics(steps)
		}
		if c.json {
			return c.printJSON(views)
		}
		if len(runs) == 0 {
			fmt.Fprintf(c.stdout, "no runs of %s yet\n", c.p.Name)
			return nil
		}
		cols := metricColumns(c.p, views)
		tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprint(tw, "RUN\tSTATUS\tSTARTED\tDURATION")
		for _, col := range cols {
			fmt.Fprintf(tw, "\t%s", strings.ToUpper(col.Title))
		}
		fmt.Fprintln(tw, "\tPARAMS")
		for _, v := range views {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s", v.ID, v.Status, v.StartedAt.Local().Format("2006-01-02 15:04:05"), dash(v.Duration))
			for _, col := range cols {
				text := "-"
				if m, ok := v.Metrics[col.Key]; ok {
					text = formatMetric(m)
				}
				fmt.Fprintf(tw, "\t%s", text)
			}
			fmt.Fprintf(tw, "\t%s\n", compactParams(v.Params))
		}
		return tw.Flush()
	},
}

// runView is a run as listings show it.
type runView struct {
	ID          string          `json:"id"`
	Pipeline    string          `json:"pipeline"`
	Status      string          `json:"status"`
	StartedAt   time.Time       `json:"started_at"`
	EndedAt     time.Time       `json:"ended_at,omitzero"`
	Duration    string          `json:"duration,omitempty"`
	Params      json.RawMessage `json:"params"`
	ResumedFrom string          `json:"resumed_from,omitempty"`
	// Orchestrator says where a run of another orchestrator than the
	// local scheduler lives (temporal://HOST:PORT/NAMESPACE).
	Orchestrator string `json:"orchestrator,omitempty"`
	Error        string `json:"error,omitempty"`
	// Metrics are the run's metrics by STEP.NAME; runs fills them in.
	Metrics map[string]float64 `json:"metrics,omitempty"`
}

func newRunView(r meta.Run) runView {
	v := runView{ID: r.ID, Pipeline: r.Pipeline, Status: r.Status, StartedAt: r.StartedAt, EndedAt: r.EndedAt,
		Params: json.RawMessage(r.Params), ResumedFrom: r.ResumedFrom, Orchestrator: r.Orchestrator, Error: r.Error}
	if !r.EndedAt.IsZero() {
		v.Duration = engine.FormatDuration(r.EndedAt.Sub(r.StartedAt))
	}
	return v
}

// compactParams writes a run's params (a JSON object) as name=value pairs
// in the object's order: strings bare when that reads unambiguously,
// everything else as compact JSON.
func compactParams(raw json.RawMessage) string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return string(raw)
	}
	var pairs []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return string(raw)
		}
		name, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return string(raw)
		}
		pairs = append(pairs, name+"="+compactValue(v))
	}
	return dash(strings.Join(pairs, " "))
}

func compactValue(v json.RawMessage) string {
	var s string
	if err := json.Unmarshal(v, &s); err == nil {
		if s != "" && !strings.ContainsAny(s, " \t\n\"'=,") {
			return s
		}
		return engine.ParamText(string(v))
	}
	var b bytes.Buffer
	if err := json.Compact(&b, v); err != nil {
		return string(v)
	}
	return engine.ParamText(b.String())
}
