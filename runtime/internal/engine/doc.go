// Package engine runs a pipeline: it plans the steps of a run, schedules
// them over the DAG, computes their cache keys (keyinputs.go, cache.go),
// reuses what the store already holds, captures what steps print, records
// every step in the metadata store through one transaction per turn
// (journal.go) and supervises the run's process (supervise*.go).
//
// It owns the run's decisions and records. It knows nothing about the
// generated binary's command line (flags, verbs, help), codecs (it moves
// encoded bytes only) or notebooks.
package engine
