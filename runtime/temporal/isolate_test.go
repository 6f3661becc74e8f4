package temporal

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

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
		switch os.Getenv("ZEN_TEST_PIPELINE") {
		case "dose":
			p = dosePipeline()
		case "spawn":
			p = spawnPipeline()
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

// spawnPipeline is one step, spawn, that starts a program it does not
// wait for ($ZEN_TEST_SPAWN, its pid written to $ZEN_TEST_SPAWN_PID), as
// a step starting a server or a daemon does.
func spawnPipeline() *pipeline.Pipeline {
	s := benchStep("spawn", "")
	save := s.Run
	s.Run = func(ctx context.Context, sc *pipeline.StepContext) error {
		cmd := exec.Command("sleep", "300")
		if err := cmd.Start(); err != nil {
			return err
		}
		if err := os.WriteFile(os.Getenv("ZEN_TEST_SPAWN_PID"), []byte(strconv.Itoa(cmd.Process.Pid)), 0o644); err != nil {
			return err
		}
		return save(ctx, sc)
	}
	return &pipeline.Pipeline{Name: "spawn", Steps: []*pipeline.Step{s}}
}

// A step's own process answers as it ends, whatever the step started and
// left running: the answer's pipe was inherited by such a program, and
// the worker waited for it to end (a step that started a server held its
// activity, and its run, for as long as the server ran).
func TestIsolatedStepAnswersBesideWhatItStarted(t *testing.T) {
	st, home := tempStore(t)
	t.Setenv("ZEN_HOME", home)
	t.Setenv("ZEN_TEST_PIPELINE", "spawn")
	pidFile := filepath.Join(t.TempDir(), "pid")
	t.Setenv("ZEN_TEST_SPAWN_PID", pidFile)
	t.Cleanup(func() {
		if b, err := os.ReadFile(pidFile); err == nil {
			if pid, err := strconv.Atoi(string(b)); err == nil {
				if proc, err := os.FindProcess(pid); err == nil {
					proc.Kill()
				}
			}
		}
	})
	p := spawnPipeline()
	plan, _, err := engine.SubmitRun(t.Context(), p, st, engine.RunOptions{}, map[string]string{}, "temporal://test/default")
	if err != nil {
		t.Fatal(err)
	}
	g, err := engine.NewRemoteDAG(p, plan)
	if err != nil {
		t.Fatal(err)
	}
	type answer struct {
		sr  meta.StepRun
		err error
	}
	done := make(chan answer, 1)
	go func() {
		sr, err := runIsolated(context.Background(), g.Next())
		done <- answer{sr, err}
	}()
	select {
	case a := <-done:
		if a.err != nil || a.sr.Status != meta.StepSucceeded {
			t.Errorf("the step in its own process: %s, %v; want succeeded", a.sr.Status, a.err)
		}
	case <-time.After(time.Minute):
		t.Fatal("the step's process ended, but the worker still waits for its answer a minute later, held by the program the step started")
	}
}
