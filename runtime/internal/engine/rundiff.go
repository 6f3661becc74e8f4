package engine

import (
	"encoding/json"
	"sort"
	"strconv"

	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

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

// DiffRow is one entry that differs; a missing side is "".
type DiffRow struct {
	Name string `json:"name"`
	A    string `json:"a"`
	B    string `json:"b"`
}

// DiffRuns compares two runs and the records of their steps: what diff
// prints and the dashboard's compare page highlights.
func DiffRuns(a, b meta.Run, as, bs []meta.StepRun) RunDiff {
	d := RunDiff{A: a.ID, B: b.ID, Params: []DiffRow{}, Steps: []DiffRow{}, Metrics: []DiffRow{}, Artifacts: []DiffRow{}}
	if a.Status != b.Status {
		d.Status = &DiffRow{Name: "status", A: a.Status, B: b.Status}
	}
	d.Params = diffMaps(ParamStrings(a.Params), ParamStrings(b.Params))
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

// ParamStrings flattens a recorded params object into name → JSON text,
// as ParamText shows it.
func ParamStrings(obj string) map[string]string {
	var raw map[string]json.RawMessage
	json.Unmarshal([]byte(obj), &raw)
	out := map[string]string{}
	for k, v := range raw {
		out[k] = ParamText(string(v))
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
