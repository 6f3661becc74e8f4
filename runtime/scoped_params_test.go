package runtime

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// scopedParams has a pipeline-wide param and one step's own form of it,
// as generated code declares them for a notebook flag.
type scopedParams struct {
	Steps      int `zen:"steps"`
	TrainSteps int `zen:"train.steps"`
	EvalSteps  int `zen:"eval.steps"`
}

// TestScopedParamsFollowThePipelineWideOne checks that STEP.NAME keeps its
// own default until --NAME is given, follows --NAME then, and that
// --STEP.NAME wins over --NAME, from flags and from a --params file.
func TestScopedParamsFollowThePipelineWideOne(t *testing.T) {
	paramsFile := filepath.Join(t.TempDir(), "params.yaml")
	if err := os.WriteFile(paramsFile, []byte("steps: 7\neval.steps: 9\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name        string
		args        []string
		train, eval int
	}{
		{"defaults", nil, 800, 1},
		{"pipeline-wide", []string{"--steps=5"}, 5, 5},
		{"per step wins", []string{"--steps=5", "--train.steps=6"}, 6, 5},
		{"per step alone", []string{"--eval.steps=2"}, 800, 2},
		{"params file", []string{"--params", paramsFile}, 7, 9},
		{"flags over the file", []string{"--params", paramsFile, "--steps=3"}, 3, 9},
	} {
		t.Run(tc.name, func(t *testing.T) {
			params := &scopedParams{Steps: 1, TrainSteps: 800, EvalSteps: 1}
			var train, eval int
			step := func(name string, got *int, value *int) *Step {
				return &Step{Name: name, Params: []string{name + ".steps"}, Run: func(context.Context, *StepContext) error {
					*got = *value
					return nil
				}}
			}
			p := &Pipeline{Name: "scoped", Params: params, Steps: []*Step{
				step("train", &train, &params.TrainSteps), step("eval", &eval, &params.EvalSteps),
			}}
			mustRun(t, p, t.TempDir(), tc.args...)
			if train != tc.train || eval != tc.eval {
				t.Errorf("train ran with %d and eval with %d steps, want %d and %d", train, eval, tc.train, tc.eval)
			}
		})
	}
}
