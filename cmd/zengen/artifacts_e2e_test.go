package main

import (
	"encoding/json"
	"maps"
	"strings"
	"testing"
)

// TestMatricesCrossStepsExactly runs the gonum notebook: a *mat.Dense, and
// a struct of gonum matrices, reach the next step whole, and `cat` and
// `artifacts` show what was stored and with which codec. Encoded through
// encoding/json, a matrix was `{}` and the next step got an empty one.
func TestMatricesCrossStepsExactly(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated pipeline; skipped with -short")
	}
	notebook := caseNotebook(t, "gonum_matrix")
	if status, out, stderr := runZengen(t, "inspect", notebook); status != exitOK || !strings.Contains(out, "out tt TrainTest  [value]") {
		t.Errorf("inspect: exit %d, %s\nwant tt shown with the value codec:\n%s", status, stderr, out)
	}
	status, out, stderr := runZengen(t, "inspect", notebook, "--format", "json")
	var p struct {
		Steps []struct {
			Outputs []struct{ Name, Codec string } `json:"outputs"`
		} `json:"steps"`
	}
	if err := json.Unmarshal([]byte(out), &p); status != exitOK || err != nil {
		t.Fatalf("inspect --format json: exit %d, %v, %s", status, err, stderr)
	}
	codecs := map[string]string{}
	for _, s := range p.Steps {
		for _, o := range s.Outputs {
			codecs[o.Name] = o.Codec
		}
	}
	if want := map[string]string{"x": "value", "tt": "value", "score": "json"}; !maps.Equal(codecs, want) {
		t.Errorf("inspect --format json: codecs %v, want %v", codecs, want)
	}
	bin, _ := generateAndBuild(t, notebook)
	home := t.TempDir()
	if out, err := runBinary(t, bin, "run", "--home", home, "--parallel", "1"); err != nil {
		t.Fatalf("run: %v\n%s", err, out)
	}
	log, err := runBinary(t, bin, "logs", "latest", "fit", "--home", home)
	if err != nil || !strings.Contains(log, "⎣0.25     6⎦") || !strings.Contains(log, "score = 9") {
		t.Errorf("fit did not see the matrices load and split computed: %v\n%s", err, log)
	}
	tt, err := runBinary(t, bin, "cat", "latest", "split.tt", "--home", home)
	if err != nil {
		t.Fatalf("cat split.tt: %v\n%s", err, tt)
	}
	for _, want := range []string{`"XTrain": {`, `"Rows": 3,`, "0.25,", `"Gram": {`, "11.3125,"} {
		if !strings.Contains(tt, want) {
			t.Errorf("cat latest split.tt lacks %q:\n%s", want, tt)
		}
	}
	list, err := runBinary(t, bin, "artifacts", "latest", "--home", home)
	if err != nil {
		t.Fatalf("artifacts: %v\n%s", err, list)
	}
	for _, want := range []string{"load.x     *mat.Dense  value", "split.tt   TrainTest   value", "fit.score  float64     json"} {
		if !strings.Contains(list, want) {
			t.Errorf("artifacts lacks %q:\n%s", want, list)
		}
	}
}

// TestNotebookCodecStoresItsType runs a notebook that declares a
// //zen:codec function: the artifacts of its type are written by it, and
// the store records the codec's name.
func TestNotebookCodecStoresItsType(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated pipeline; skipped with -short")
	}
	bin, _ := generateAndBuild(t, caseNotebook(t, "user_codec"))
	home := t.TempDir()
	if out, err := runBinary(t, bin, "run", "--home", home); err != nil {
		t.Fatalf("run: %v\n%s", err, out)
	}
	list, err := runBinary(t, bin, "artifacts", "latest", "--home", home)
	if err != nil || !strings.Contains(list, "collect.readings  []Reading  readings-csv  23") {
		t.Errorf("artifacts: %v\n%s\nwant collect.readings stored by readings-csv in 23 bytes (north,21.5 and south,-3.25 lines)", err, list)
	}
	shown, err := runBinary(t, bin, "cat", "latest", "collect.readings", "--home", home)
	if err != nil || !strings.Contains(shown, `"Sensor": "south",`) || !strings.Contains(shown, `"Value": -3.25`) {
		t.Errorf("cat latest collect.readings: %v\n%s", err, shown)
	}
}
