package main

import (
	"fmt"
	"path"
	"path/filepath"

	"github.com/aymanbagabas/go-udiff"
)

const checkExamples = `  # In CI: fail when the generated package is stale
  zengen check churn.ipynb -o internal/churn

  # Pass the flags generate was given, so that check regenerates the same tree
  zengen check churn.ipynb -o /tmp/churn --module example.com/churn
`

func runCheck(args []string, env *environment) int {
	fs, o, ok, status := parseGenerateFlags(env, "check", "NOTEBOOK… [-o DIR] [generate flags]", checkExamples, args)
	if !ok {
		return status
	}
	if upToDate(fs.Args(), o) {
		return exitOK
	}
	trees, ok := renderReporting(env, fs.Args(), o)
	if !ok {
		return exitFindings
	}
	differences := 0
	for _, r := range trees {
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
