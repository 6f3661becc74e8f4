package main

import (
	"fmt"

	"github.com/zengen-dev/zengen/gen/ir"
)

const inspectExamples = `  # What steps, inputs, outputs and params zengen finds
  zengen inspect churn.ipynb

  # The IR as JSON, or the DAG for Graphviz or a markdown page
  zengen inspect churn.ipynb --format json
  zengen inspect churn.ipynb --format dot | dot -Tsvg > churn.svg
  zengen inspect churn.ipynb --format mermaid
`

func runInspect(args []string, env *environment) int {
	var (
		format string
		split  string
	)
	fs := flagSet("inspect", "NOTEBOOK [--format text|json|dot|mermaid] [--split MODE]", inspectExamples)
	fs.StringVar(&format, "format", "text", "output `FORMAT`: text, json, dot or mermaid")
	fs.StringVar(&split, "split", string(ir.SplitAuto), "how to find steps without markers: `auto`, markers, headings or cells")
	if ok, status := parseFlags(fs, env, args); !ok {
		return status
	}
	if ok, status := checkChoice(env, fs, "format", format, "text", "json", "dot", "mermaid"); !ok {
		return status
	}
	if ok, status := checkChoice(env, fs, "split", split, ir.SplitChoices()...); !ok {
		return status
	}
	if fs.NArg() != 1 {
		return usageError(env, fs, "inspect takes exactly one notebook, got %d", fs.NArg())
	}
	nb := fs.Arg(0)
	o := generateOptions{split: split}
	p, problems, err := analyze(plainJob(nb, o), outputDir(nb, fileStem(nb), o))
	printProblems(env, problems)
	if err != nil {
		fmt.Fprintf(env.stderr, "zengen: %v\n", err)
	}
	if p == nil {
		return exitFindings
	}
	out, err := ir.Inspect(p, format)
	if err != nil {
		fmt.Fprintf(env.stderr, "zengen: %v\n", err)
		return exitFindings
	}
	env.stdout.Write(out)
	if len(out) > 0 && out[len(out)-1] != '\n' {
		// A shell prompt must not start on the last line of the output.
		env.stdout.Write([]byte("\n"))
	}
	return exitOK
}
