package main

import (
	"fmt"
	"path"
	"path/filepath"

	"github.com/aymanbagabas/go-udiff"
)

const checkExamples = `  # In CI: fail when the generated package is stale; the generate command
  # recorded in the tree gives the flags
  zengen check churn.ipynb

  # A tree outside the notebook's module: name it, the rest is recorded
  zengen check churn.ipynb -o /tmp/churn

  # Flags given override the recorded ones
  zengen check churn.ipynb --no-tests
`

func runCheck(args []string, env *environment) int {
	fs, o, ok, status := parseGenerateFlags(env, "check", "NOTEBOOK… [-o DIR] [generate flags]", checkExamples, args)
	if !ok {
		return status
	}
	jobs, ok, status := plan(env, fs, o)
	if !ok {
		return status
	}
	for i := range jobs {
		jobs[i].offline = true
	}
	if upToDate(jobs) {
		return exitOK
	}
	trees, ok := renderReporting(env, jobs)
	if !ok {
		return exitFindings
	}
	differences := 0
	for _, r := range trees {
		if r.staleModule != "" {
			differences++
			fmt.Fprintf(env.stdout, "stale: %s and go.sum: %s\n", path.Join(filepath.ToSlash(r.dir), "go.mod"), r.staleModule)
		}
		changes, err := compare(r)
		if err != nil {
			fmt.Fprintf(env.stderr, "zengen: %v\n", err)
			return exitFindings
		}
		for _, c := range changes {
			if c.kind == restamped {
				continue
			}
			differences++
			shown := path.Join(filepath.ToSlash(r.dir), c.path)
			switch c.kind {
			case missing:
				fmt.Fprintf(env.stdout, "missing: %s\n", shown)
			case orphaned:
				fmt.Fprintf(env.stdout, "orphaned: %s (generated from %s, but no longer part of it)\n", shown, r.notebook)
			case stale:
				fmt.Fprint(env.stdout, udiff.Unified(shown, shown+" (regenerated)", string(c.old), string(c.new)))
			}
		}
	}
	if differences > 0 {
		fmt.Fprintf(env.stderr, "zengen: %s out of date; run zengen generate with the same arguments\n", plural(differences, "generated file"))
		return exitFindings
	}
	return exitOK
}
