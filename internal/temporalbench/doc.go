// Package temporalbench holds benchmarks only: the per-step overhead of a
// bare Temporal workflow whose activities do nothing, on a real dev
// server, beside the same shapes on zengen's local orchestrator — the
// yardsticks that zengen's Temporal orchestrator is measured against
// (issue 13: a 100-step chain and a 50-wide fan-out, ns/step).
//
//	go test ./internal/temporalbench -run XXX -bench . -benchtime 5x
//
// The Temporal benchmarks start a dev server of their own with the CLI
// that .ci/run installs and skip without it (see internal/servertest).
package temporalbench
