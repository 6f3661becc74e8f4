package temporal

import (
	"context"
	"fmt"
	"os"
	goruntime "runtime"

	"github.com/spf13/pflag"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/zengen-dev/zengen/runtime/internal/cli"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// workerFlags are the worker command's flags.
var workerFlags struct {
	conn     connection
	parallel int
}

var workerCommand = cli.Command{
	Name:    "worker",
	Summary: "Run this pipeline's steps for runs submitted with run --orchestrator temporal; start any number, anywhere.",
	NArgs:   0,
	Examples: [][2]string{
		{"worker --temporal temporal.example.com:7233", "take this pipeline's steps from the server"},
		{"worker --parallel 4", "run up to 4 steps at once"},
	},
	Flags: func(fs *pflag.FlagSet) {
		connectionFlags(fs, &workerFlags.conn)
		fs.IntVar(&workerFlags.parallel, "parallel", goruntime.NumCPU(), "run up to `N` steps at once")
	},
	Run: runWorker,
}

// runWorker serves the pipeline's task queue until interrupted: the
// workflow of its runs and the activities of its steps, recording into
// the store the command's flags and environment choose, which every
// worker and submitter of a run must share.
func runWorker(ctx context.Context, env cli.Env, args []string) error {
	wf := workerFlags
	wf.conn = wf.conn.resolved()
	if wf.parallel < 1 {
		return fmt.Errorf("--parallel must be at least 1")
	}
	p := env.Pipeline
	st, err := env.Backends.OpenStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	for k, v := range p.Env {
		if _, ok := os.LookupEnv(k); !ok {
			os.Setenv(k, v)
		}
	}
	if p.Setup != nil {
		p.Setup()
	}
	if os.Getenv(isolateEnv) != "" {
		return serveIsolated(ctx, p, st)
	}
	cl, err := wf.conn.dial()
	if err != nil {
		return err
	}
	defer cl.Close()
	queue := wf.conn.queue(p)
	w := worker.New(cl, queue, worker.Options{MaxConcurrentActivityExecutionSize: wf.parallel})
	// Temporal runs at most --parallel activities of the worker at once,
	// and returns a slot only when its activity returned.
	if wf.parallel > 1 {
		pipeline.ExplainNoDisplaySink(fmt.Sprintf("this worker runs up to %d steps at once, and a display cannot tell "+
			"which of them made it: run the steps that display on a worker started with --parallel 1", wf.parallel))
	}
	register(w, &activities{p: p, st: st, params: newParamsGate(), orchestrator: wf.conn.orchestratorURL(), isolate: runIsolated,
		oneAtATime: wf.parallel == 1})
	where := st.Home
	if st.DB != "" || env.Backends.Store != "" {
		where = "the team stack"
	}
	fmt.Fprintf(env.Stderr, "worker of %s: task queue %s on %s (namespace %s), up to %d steps at once, recording in %s\n",
		p.Name, queue, wf.conn.hostPort, wf.conn.namespace, wf.parallel, where)
	stop := make(chan any)
	go func() {
		<-ctx.Done()
		close(stop)
	}()
	return w.Run(stop)
}

// register has w serve the workflows and activities of a's pipeline.
func register(w worker.Worker, a *activities) {
	w.RegisterWorkflowWithOptions(runWorkflow(a.p), workflow.RegisterOptions{Name: workflowName})
	w.RegisterWorkflowWithOptions(scheduledWorkflow, workflow.RegisterOptions{Name: scheduledWorkflowName})
	w.RegisterActivityWithOptions(a.Step, activity.RegisterOptions{Name: stepActivity})
	w.RegisterActivityWithOptions(a.Close, activity.RegisterOptions{Name: closeActivity})
	w.RegisterActivityWithOptions(a.Submit, activity.RegisterOptions{Name: submitActivity})
}
