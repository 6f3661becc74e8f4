package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"

	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

var diffCommand = &command{
	name:     "diff",
	args:     "RUN RUN",
	nargs:    2,
	listing:  true,
	summary:  "Compare two runs: params, step statuses, metrics and artifact digests.",
	examples: []example{{cmd: "diff 20261125T1830 latest"}, {cmd: "diff 20261125T1830 latest --json"}},
	run: func(ctx context.Context, c *cli, st *cmdState, args []string) error {
		s, err := c.readStore(ctx)
		if err != nil {
			return err
		}
		defer s.Close()
		var runs [2]meta.Run
		var steps [2][]meta.StepRun
		for i := range 2 {
			if runs[i], err = s.Meta.ResolveRun(ctx, c.p.Name, args[i]); err != nil {
				return err
			}
			if steps[i], err = s.Meta.StepRuns(ctx, runs[i].ID); err != nil {
				return err
			}
		}
		d := diffRuns(runs[0], runs[1], steps[0], steps[1])
		if c.json {
			return c.printJSON(d)
		}
		fmt.Fprintf(c.stdout, "run %s → %s\n", d.A, d.B)
		if d.Status != nil {
			fmt.Fprintf(c.stdout, "status: %s → %s\n", d.Status.A, d.Status.B)
		}
		for _, sec := range []struct {
			title string
			rows  []DiffRow
		}{{"params", d.Params}, {"steps", d.Steps}, {"metrics", d.Metrics}, {"artifacts", d.Artifacts}} {
			if len(sec.rows) == 0 {
				continue
			}
			fmt.Fprintf(c.stdout, "%s:\n", sec.title)
			for _, r := range sec.rows {
				fmt.Fprintf(c.stdout, "  %s: %s → %s\n", r.Name, dash(r.A), dash(r.B))
			}
		}
		if d.Status == nil && len(d.Params)+len(d.Steps)+len(d.Metrics)+len(d.Artifacts) == 0 {
			fmt.Fprintln(c.stdout, "no differences")
		}
		return nil
	},
}

// RunDiff is what differs between runs A and B; equal entries are left out
// and a missing side is "".
type RunDiff struct {
	A         string    `json:"a"`
	B         string    `json:"b"`
	Status    *DiffRow  `json:"status,omitempty"`
	Params    []DiffRow `json:"params"`
	Steps     []DiffRow `json:"steps"`
	Metrics   []DiffRow `json:"metrics"`
	Artifacts []DiffRow `json:"artifacts"`
}

type DiffRow struct {
	Name string `json:"name"`
	A    string `json:"a"`
	B    string `json:"b"`
}

func diffRuns(a, b meta.Run, as, bs []meta.StepRun) RunDiff {
	d := RunDiff{A: a.ID, B: b.ID, Params: []DiffRow{}, Steps: []DiffRow{}, Metrics: []DiffRow{}, Artifacts: []DiffRow{}}
	if a.Status != b.Status {
		d.Status = &DiffRow{Name: "status", A: a.Status, B: b.Status}
	}
	d.Params = diffMaps(paramStrings(a.Params), paramStrings(b.Params))
	flat := func(steps []meta.StepRun) (status, metrics, artifacts map[string]string) {
		status, metrics, artifacts = map[string]string{}, map[string]string{}, map[string]string{}
		for _, sr := range steps {
			status[sr.Step] = sr.Status
			for _, m := range sr.Metrics {
				metrics[sr.Step+"."+m.Name] = strconv.FormatFloat(m.Value, 'g', -1, 64)
			}
			for _, o := range sr.Outputs {
				artifacts[sr.Step+"."+o.Name] = o.Digest
			}
		}
		return
	}
	sa, ma, aa := flat(as)
	sb, mb, ab := flat(bs)
	d.Steps, d.Metrics, d.Artifacts = diffMaps(sa, sb), diffMaps(ma, mb), diffMaps(aa, ab)
	return d
}

// paramStrings flattens a recorded params object into name → JSON text.
func paramStrings(obj string) map[string]string {
	var raw map[string]json.RawMessage
	json.Unmarshal([]byte(obj), &raw)
	out := map[string]string{}
	for k, v := range raw {
		out[k] = string(v)
	}
	return out
}

func diffMaps(a, b map[string]string) []DiffRow {
	rows := []DiffRow{}
	for k, va := range a {
		if vb, ok := b[k]; !ok || va != vb {
			rows = append(rows, DiffRow{Name: k, A: va, B: b[k]})
		}
	}
	for k, vb := range b {
		if _, ok := a[k]; !ok {
			rows = append(rows, DiffRow{Name: k, B: vb})
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Name < rows[j].Name })
	return rows
}
