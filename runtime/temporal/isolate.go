package temporal

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/zengen-dev/zengen/runtime/internal/cli"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// A step that reads or changes the notebook's package-level variables
// (pipeline.Step.State) runs on a worker in a process of its own: the
// worker's binary again, with the worker's arguments and isolateEnv set,
// which runs the one step it reads from stdin against the same store and
// writes its isolatedResult to file descriptor 3. The notebook ran the
// step's code from the variables' declarations, as a fresh process does;
// the worker, which has run the steps of other runs, would not.

// isolateEnv, set, makes the worker command run one step and exit.
const isolateEnv = "ZEN_WORKER_ISOLATED_STEP"

// isolatedStep is what the step's process reads: the step, and how many
// workers were lost running it before, which the step's activity knows
// and the RemoteStep its workflow sent does not carry.
type isolatedStep struct {
	Step engine.RemoteStep
	Lost int
}

// isolatedResult is what the step's process answers.
type isolatedResult struct {
	Record meta.StepRun
	// Error is why the step could not be run or recorded; Final says
	// that running it again cannot help.
	Error string `json:",omitempty"`
	Final bool   `json:",omitempty"`
}

// runIsolated runs rs in a new process of this binary. The process ends
// with this one (Linux), and is interrupted, then killed, when ctx ends.
func runIsolated(ctx context.Context, rs engine.RemoteStep) (meta.StepRun, error) {
	exe, err := os.Executable()
	if err != nil {
		return meta.StepRun{}, err
	}
	in, err := json.Marshal(isolatedStep{Step: rs, Lost: rs.Lost})
	if err != nil {
		return meta.StepRun{}, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return meta.StepRun{}, err
	}
	defer r.Close()
	cmd := exec.CommandContext(ctx, exe, os.Args[1:]...)
	cmd.Env = append(os.Environ(), isolateEnv+"=1")
	cmd.Stdin = bytes.NewReader(in)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.ExtraFiles = []*os.File{w}
	cmd.Cancel = func() error {
		if errors.Is(context.Cause(ctx), engine.ErrSuperseded) {
			// The step went to another process: this one must not record
			// its end, as it would at an interrupt.
			return cmd.Process.Kill()
		}
		return cmd.Process.Signal(os.Interrupt)
	}
	cmd.WaitDelay = 10 * time.Second
	endWithParent(cmd)
	err = cmd.Start()
	w.Close()
	if err != nil {
		return meta.StepRun{}, err
	}
	out, _ := io.ReadAll(r)
	waited := cmd.Wait()
	var res isolatedResult
	if err := json.Unmarshal(out, &res); err != nil {
		return meta.StepRun{}, fmt.Errorf("the process of step %s ended without recording it (%v)", rs.Step, waited)
	}
	switch {
	case res.Error == "":
		return res.Record, nil
	case res.Final:
		return res.Record, temporal.NewNonRetryableApplicationError(res.Error, "zen.params", nil)
	}
	return res.Record, errors.New(res.Error)
}

// serveIsolated is the step's process: it runs the step stdin holds and
// answers on file descriptor 3.
func serveIsolated(ctx context.Context, p *pipeline.Pipeline, st *engine.Store) error {
	answer := os.NewFile(3, "result")
	if answer == nil {
		return fmt.Errorf("%s is set, but there is no file descriptor 3 to answer on", isolateEnv)
	}
	defer answer.Close()
	closeOnExec(answer)
	var req isolatedStep
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		return fmt.Errorf("reading the step to run: %w", err)
	}
	rs := req.Step
	rs.Lost = req.Lost
	var res isolatedResult
	x, err := engine.IndexSteps(p)
	if err != nil {
		res.Error, res.Final = err.Error(), true
	} else if err := cli.SetParams(p, rs.Plan.Params); err != nil {
		// The process runs this one step: its params need no gate.
		res.Error, res.Final = err.Error(), true
	} else {
		// Nor its displays a step to go to but this one.
		x.OneStepAtATime()
		res.Record, err = engine.RunRemoteStep(ctx, x, st, rs)
		if err != nil {
			res.Error = err.Error()
		}
	}
	return json.NewEncoder(answer).Encode(res)
}
