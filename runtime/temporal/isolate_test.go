package temporal

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// TestMain lets this test binary be a step's own process, as a worker's
// binary is: runIsolated starts it again with isolateEnv set, and it
// serves one step of soloPipeline, or of the pipeline $ZEN_TEST_PIPELINE
// names, against the store at $ZEN_HOME.
func TestMain(m *testing.M) {
	if os.Getenv(isolateEnv) != "" {
		ctx := context.Background()
		p := soloPipeline()
		if os.Getenv("ZEN_TEST_PIPELINE") == "dose" {
			p = dosePipeline()
		}
		st, err := engine.OpenStore(ctx, os.Getenv("ZEN_HOME"))
		if err == nil {
			err = serveIsolated(ctx, p, st)
			st.Close()
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func soloPipeline() *pipeline.Pipeline {
	return &pipeline.Pipeline{Name: "solo", Steps: []*pipeline.Step{benchStep("solo", "")}}
}

// A step run in a process of its own after a worker was lost running it
// continues the lost worker's record and counts that attempt, as a step
// run inside the worker does: the process hears how many workers were
// lost, which the step's workflow input does not say.
func TestIsolatedStepContinuesTheLostWorkersRecord(t *testing.T) {
	ctx := t.Context()
	st, home := tempStore(t)
	t.Setenv("ZEN_HOME", home)
	rs, lost := lostStep(t, st, soloPipeline())
	if _, err := runIsolated(ctx, rs); err != nil {
		t.Fatalf("the step run again in its own process: %v", err)
	}
	sr, err := st.Meta.StepRun(ctx, rs.Plan.RunID, "solo")
	if err != nil || sr.Status != meta.StepSucceeded || sr.ID != lost.ID || sr.Attempt != 2 {
		t.Errorf("the step run again in its own process recorded %s, row %d, attempt %d, %v; want succeeded in row %d, attempt 2",
			sr.Status, sr.ID, sr.Attempt, err, lost.ID)
	}
}
