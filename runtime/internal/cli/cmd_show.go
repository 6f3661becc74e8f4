package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

var showCommand = &command{
	name:     "show",
	args:     "RUN",
	nargs:    1,
	listing:  true,
	summary:  "Show a run: each step's status, duration, cache use, metrics and error.",
	examples: []example{{cmd: "show latest"}, {cmd: "show 20261125T183000 --json"}},
	run: func(ctx context.Context, c *cli, st *cmdState, args []string) error {
		run, steps, err := c.loadRun(ctx, args[0])
		if err != nil {
			return err
		}
		view := newShowView(run, steps)
		if c.json {
			return c.printJSON(view)
		}
		fmt.Fprintf(c.stdout, "run %s  %s", run.ID, run.Status)
		if view.Run.Duration != "" {
			fmt.Fprintf(c.stdout, "  %s", view.Run.Duration)
		}
		fmt.Fprintf(c.stdout, "\nstarted %s  params %s\n", run.StartedAt.Local().Format(time.DateTime), engine.ParamText(run.Params))
		if run.Orchestrator != "" {
			fmt.Fprintf(c.stdout, "ran on %s\n", run.Orchestrator)
		}
		if run.ResumedFrom != "" {
			fmt.Fprintf(c.stdout, "resumed from %s\n", run.ResumedFrom)
		}
		if run.Error != "" {
			fmt.Fprintf(c.stdout, "error: %s\n", engine.FirstLine(run.Error))
		}
		fmt.Fprintln(c.stdout)
		tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "STEP\tSTATUS\tDURATION\tCACHE\tMETRICS\tERROR")
		for _, v := range view.Steps {
			var ms []string
			for _, m := range v.Metrics {
				ms = append(ms, fmt.Sprintf("%s=%g", m.Name, m.Value))
			}
			errText := engine.FirstLine(v.Error)
			if v.Position != "" && errText != "" {
				errText = v.Position + ": " + errText
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", v.Step, v.Status, dash(v.Duration), dash(v.Cache),
				dash(strings.Join(ms, " ")), errText)
		}
		return tw.Flush()
	},
}

type ShowView struct {
	Run   runView    `json:"run"`
	Steps []stepView `json:"steps"`
}

func newShowView(run meta.Run, steps []meta.StepRun) ShowView {
	view := ShowView{Run: newRunView(run)}
	for _, sr := range steps {
		view.Steps = append(view.Steps, newStepView(sr))
	}
	return view
}

// stepView is a step run as show and diff present it.
type stepView struct {
	Step     string          `json:"step"`
	Status   string          `json:"status"`
	Attempt  int             `json:"attempt,omitempty"`
	Duration string          `json:"duration,omitempty"`
	Cache    string          `json:"cache,omitempty"`  // "hit from RUN", "miss", "off"
	Reused   string          `json:"reused,omitempty"` // why a cached step was reused
	CacheKey string          `json:"cache_key,omitempty"`
	Metrics  []meta.Metric   `json:"metrics,omitempty"`
	Inputs   []meta.Artifact `json:"inputs,omitempty"`
	Outputs  []meta.Artifact `json:"outputs,omitempty"`
	Error    string          `json:"error,omitempty"`
	Position string          `json:"position,omitempty"`
}

func newStepView(sr meta.StepRun) stepView {
	v := stepView{Step: sr.Step, Status: sr.Status, Attempt: sr.Attempt, CacheKey: sr.CacheKey, Metrics: sr.Metrics,
		Inputs: sr.Inputs, Outputs: sr.Outputs, Error: sr.Error, Position: sr.Position}
	if !sr.StartedAt.IsZero() && !sr.EndedAt.IsZero() && sr.Status != meta.StepCached {
		v.Duration = engine.FormatDuration(sr.EndedAt.Sub(sr.StartedAt))
	}
	switch {
	case sr.Status == meta.StepCached:
		v.Cache, v.Reused = "hit from "+sr.CachedFrom, engine.ReuseReason(sr)
	case strings.HasPrefix(sr.CacheNote, "cache disabled"):
		v.Cache = "off"
	case sr.CacheKey != "":
		v.Cache = "miss"
	}
	return v
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
