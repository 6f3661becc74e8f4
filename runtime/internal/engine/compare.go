package engine

import (
	"fmt"
	"sort"

	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// Comparison lays runs side by side: diff's view of two runs, for any
// number of them, as the dashboard's compare page shows it. Every row has
// one entry per run, in the order of Runs; the first run is the baseline
// that step changes are explained against.
type Comparison struct {
	Runs    []meta.Run
	Params  []ValueRow
	Metrics []MetricRow
	Steps   []StepRow
}

// ValueRow is one param across the runs: its canonical JSON in each, ""
// where a run has none.
type ValueRow struct {
	Name    string
	Values  []string
	Differs bool
}

// MetricRow is one metric ("step.name") across the runs.
type MetricRow struct {
	Name    string
	Values  []float64
	Has     []bool // whether the run recorded it
	Differs bool
}

// StepRow is one step across the runs: its status in each and, for every
// run after the first, what changed in its cache key since the first (as
// explain words it).
type StepRow struct {
	Step     string
	Statuses []string // "" where the run has no record of the step
	Changes  [][]string
	Differs  bool // its code, inputs or params differ in some run
}

// CompareRuns compares runs, given the records of each run's steps.
func CompareRuns(runs []meta.Run, steps [][]meta.StepRun) Comparison {
	c := Comparison{Runs: runs}
	n := len(runs)

	params := make([]map[string]string, n)
	for i, r := range runs {
		params[i] = ParamStrings(r.Params)
	}
	for _, name := range unionKeys(params) {
		row := ValueRow{Name: name, Values: make([]string, n)}
		for i := range runs {
			row.Values[i] = params[i][name]
			row.Differs = row.Differs || row.Values[i] != row.Values[0]
		}
		c.Params = append(c.Params, row)
	}

	metrics := make([]map[string]float64, n)
	records := make([]map[string]meta.StepRun, n)
	var stepOrder []string
	seen := map[string]bool{}
	for i := range runs {
		metrics[i], records[i] = map[string]float64{}, map[string]meta.StepRun{}
		for _, sr := range steps[i] {
			records[i][sr.Step] = sr
			if !seen[sr.Step] {
				seen[sr.Step] = true
				stepOrder = append(stepOrder, sr.Step)
			}
			for _, m := range sr.Metrics {
				metrics[i][sr.Step+"."+m.Name] = m.Value
			}
		}
	}
	for _, name := range unionKeys(metrics) {
		row := MetricRow{Name: name, Values: make([]float64, n), Has: make([]bool, n)}
		for i := range runs {
			row.Values[i], row.Has[i] = metrics[i][name]
			same := row.Has[i] == row.Has[0] && (row.Values[i] == row.Values[0] || row.Values[i] != row.Values[i] && row.Values[0] != row.Values[0])
			row.Differs = row.Differs || !same
		}
		c.Metrics = append(c.Metrics, row)
	}

	for _, step := range stepOrder {
		row := StepRow{Step: step, Statuses: make([]string, n), Changes: make([][]string, n)}
		base, hasBase := records[0][step]
		for i := range runs {
			sr, ok := records[i][step]
			if !ok {
				continue
			}
			row.Statuses[i] = sr.Status
			if i == 0 {
				continue
			}
			if !hasBase {
				row.Changes[i] = []string{"not in the first run"}
			} else {
				row.Changes[i] = StepChanges(base, sr)
			}
			row.Differs = row.Differs || len(row.Changes[i]) > 0
		}
		if !hasBase {
			row.Differs = true
		}
		c.Steps = append(c.Steps, row)
	}
	return c
}

// StepChanges says how a step's record sr differs from base in what
// decides its result: the parts of its cache key, worded as explain words
// them. Records without stored key parts (a step that failed before its
// key was computed) are compared by code hash and input digests.
func StepChanges(base, sr meta.StepRun) []string {
	if base.Components != "" && sr.Components != "" {
		old, errOld := DecodeComponents(base.Components)
		cur, errCur := DecodeComponents(sr.Components)
		if errOld == nil && errCur == nil {
			return cur.Changes(old)
		}
	}
	var out []string
	if base.CodeHash != sr.CodeHash {
		out = append(out, fmt.Sprintf("code changed: %s → %s", Short(base.CodeHash), Short(sr.CodeHash)))
	}
	var cur []NamedPart
	for _, in := range sr.Inputs {
		cur = append(cur, NamedPart{in.Name, in.Digest})
	}
	var prev []NamedPart
	for _, in := range base.Inputs {
		prev = append(prev, NamedPart{in.Name, in.Digest})
	}
	return append(out, diffParts("input", sortParts(prev), sortParts(cur), Short)...)
}

// unionKeys returns the keys of all maps, sorted.
func unionKeys[V any](ms []map[string]V) []string {
	set := map[string]bool{}
	for _, m := range ms {
		for k := range m {
			set[k] = true
		}
	}
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
