package engine

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// TestCompareRunsLinesUpRuns compares three runs: a param and a metric
// that differ are marked, equal ones are not, NaN equals NaN, and each
// step's changes against the first run are worded as explain words them.
func TestCompareRunsLinesUpRuns(t *testing.T) {
	comp := func(code, input, lr string) string {
		return Components{Code: code, Inputs: []NamedPart{{"xs", input}}, Params: []NamedPart{{"lr", lr}}, GoVersion: "go1.26.0"}.encode()
	}
	runs := []meta.Run{
		{ID: "a", Params: `{"lr":0.1,"seed":1}`},
		{ID: "b", Params: `{"lr":0.2,"seed":1}`},
		{ID: "c", Params: `{"lr":0.1,"seed":1,"extra":"<x>"}`},
	}
	steps := [][]meta.StepRun{
		{{Step: "load", Status: "succeeded", Components: comp("c1", "", "")},
			{Step: "train", Status: "succeeded", CodeHash: "t1", Components: comp("t1", "sha256:aaaaaaaaaaaaaaaa", "0.1"), Metrics: []meta.Metric{{Name: "loss", Value: 0.5}, {Name: "nan", Value: math.NaN()}}}},
		{{Step: "load", Status: "cached", Components: comp("c1", "", "")},
			{Step: "train", Status: "succeeded", Components: comp("t1", "sha256:aaaaaaaaaaaaaaaa", "0.2"), Metrics: []meta.Metric{{Name: "loss", Value: 0.4}, {Name: "nan", Value: math.NaN()}}}},
		{{Step: "load", Status: "succeeded", Components: comp("c2", "", "")},
			{Step: "train", Status: "failed", CodeHash: "t1", Metrics: []meta.Metric{{Name: "nan", Value: math.NaN()}}}},
	}
	got := CompareRuns(runs, steps)
	wantParams := []ValueRow{
		{Name: "extra", Values: []string{"", "", `"<x>"`}, Differs: true},
		{Name: "lr", Values: []string{"0.1", "0.2", "0.1"}, Differs: true},
		{Name: "seed", Values: []string{"1", "1", "1"}},
	}
	if diff := cmp.Diff(wantParams, got.Params); diff != "" {
		t.Errorf("params (-want +got):\n%s", diff)
	}
	if len(got.Metrics) != 2 || got.Metrics[0].Name != "train.loss" || !got.Metrics[0].Differs ||
		got.Metrics[1].Name != "train.nan" || got.Metrics[1].Differs || got.Metrics[0].Has[2] {
		t.Errorf("metrics %+v", got.Metrics)
	}
	wantSteps := []StepRow{
		{Step: "load", Statuses: []string{"succeeded", "cached", "succeeded"},
			Changes: [][]string{nil, nil, {"code changed: c1 → c2"}}, Differs: true},
		{Step: "train", Statuses: []string{"succeeded", "succeeded", "failed"},
			Changes: [][]string{nil, {"param lr changed: 0.1 → 0.2"}, nil}, Differs: true},
	}
	if diff := cmp.Diff(wantSteps, got.Steps); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
}

// A record without key parts is compared by code hash and input digests.
func TestStepChangesWithoutKeyParts(t *testing.T) {
	base := meta.StepRun{CodeHash: "h1", Inputs: []meta.Artifact{{Name: "xs", Digest: "sha256:1111111111111111"}}}
	sr := meta.StepRun{CodeHash: "h2", Inputs: []meta.Artifact{{Name: "xs", Digest: "sha256:2222222222222222"}}}
	want := []string{"code changed: h1 → h2", "input xs changed: sha256:111111111111 → sha256:222222222222"}
	if diff := cmp.Diff(want, StepChanges(base, sr)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
