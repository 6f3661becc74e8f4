// Package temporalbench holds the yardsticks that zengen's Temporal
// orchestrator is measured against (issue 13: a 100-step chain and a
// 50-wide fan-out, ns/step): bare Temporal workflows whose activities do
// nothing (bare.go, which runtime/temporal's BenchmarkTemporalRun runs
// beside zengen's on one dev server), and benchmarks of them alone and of
// the same shapes on zengen's local orchestrator.
//
//	go test ./internal/temporalbench -run XXX -bench . -benchtime 5x
//
// The Temporal benchmarks start a dev server of their own with the CLI
// that .ci/run installs and skip without it (see internal/servertest).
//
// Measured here (2 shared cores, load 15–27): on servertest's dev server
// a chain step costs 42–51 ms and a fan-out step 40–44 ms, because the
// dev server's four task queue partitions now and then leave an activity
// task waiting exactly 2 s before a poller takes it (ActivityTaskScheduled
// to ActivityTaskStarted in the history). With
// matching.numTaskqueueReadPartitions=1 and
// matching.numTaskqueueWritePartitions=1 as well the stalls are gone:
// 10–16 ms per chain step, 8.5–12 ms per fan-out step. The local
// orchestrator: 0.66–0.99 ms per chain step, 0.63–1.6 ms per fan-out step.
// Run a comparison with -p 1 (or one package): go test runs packages'
// benchmarks at once by default, and each then measures the other's load.
package temporalbench
