// Package engine runs a pipeline: it plans the steps of a run, schedules
// them over the DAG, computes their cache keys (keyinputs.go, cache.go),
// reuses what the store already holds, captures what steps print and
// supervises the run's process (supervise*.go).
//
// The scheduler decides; what it decided reaches the world as typed events
// (events.go) handed to observers: the metadata recorder (journal.go), the
// terminal (terminal.go) and whatever else watches a run. The stack's
// seams are interfaces here and in package artifact — MetadataStore,
// Orchestrator, artifact.Store — chosen in one place (backends.go) and
// held to the conformance suites in runtime/internal/seamtest.
//
// It owns the run's decisions and records. It knows nothing about the
// generated binary's command line (flags, verbs, help), codecs (it moves
// encoded bytes only) or notebooks.
package engine
