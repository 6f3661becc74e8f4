// Package temporal runs a generated pipeline on Temporal: a run is a
// workflow, a step is an activity, and workers — the generated binary's
// worker command, on any machines that reach the Temporal server and the
// team stack — run the steps. A command links it when its cmd/ package
// imports this package for its side effect, as 'zengen generate
// --temporal' writes:
//
//	import _ "github.com/zengen-dev/zengen/runtime/temporal"
//
// which adds run --orchestrator temporal and the worker command. Commands
// that do not import it stay free of the Temporal SDK.
//
// Only records and digests travel through Temporal: each step reads its
// inputs from and writes its outputs to the shared store, and records
// itself in the shared metadata store, so runs, show, logs, cat, diff and
// explain read these runs as any other.
package temporal

import (
	"github.com/zengen-dev/zengen/runtime/internal/cli"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
)

func init() {
	cli.Register(cli.Extension{
		Orchestrator: "temporal",
		RunFlags:     runFlags,
		Commands:     []cli.Command{workerCommand, scheduleCommand},
	})
	engine.RegisterCanceller(scheme, cancelRun)
}
