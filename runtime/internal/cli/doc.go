// Package cli is the command line of a generated binary: the verbs (run,
// runs, show, logs, artifacts, cat, diff, explain, dag, doctor, recover),
// their flags, the params as flags and --params files, and how records and
// artifacts are shown to people (cmd_*.go, render.go, jsonindent.go).
//
// It owns what the user types and reads. It decides nothing about a run:
// the engine plans, schedules, caches and records. It knows nothing about
// notebooks, and codecs only by their names and stored layouts.
package cli
