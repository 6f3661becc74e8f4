package main

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/pflag"
	"golang.org/x/mod/module"

	"github.com/zengen-dev/zengen/gen/ir"
	"github.com/zengen-dev/zengen/parser"
)

const generateExamples = `  # One notebook into a package folder of the enclosing module
  zengen generate churn.ipynb -o internal/churn

  # A standalone module that builds on its own (runs go mod tidy)
  zengen generate churn.ipynb -o /tmp/churn --module example.com/churn

  # Several notebooks: each goes to DIR/<pipeline>/
  zengen generate notebooks/*.ipynb -o pipelines

  # From a go:generate line beside the notebook
  //go:generate go tool zengen generate churn.ipynb -o churn

  # Again, as recorded in the tree generated from churn.ipynb before
  zengen generate churn.ipynb
`

// parseGenerateFlags is the command line of generate and of the verbs that
// regenerate as it does (check, watch): it declares the flags that decide
// the generated tree on a flag set for verb, parses args and reports
// inconsistent flags as usage errors. When ok is false the verb stops with
// status.
func parseGenerateFlags(env *environment, verb, synopsis, examples string, args []string) (fs *pflag.FlagSet, o generateOptions, ok bool, status int) {
	fs = flagSet(verb, synopsis, examples)
	declareGenerateFlags(fs, &o)
	if ok, status := parseFlags(fs, env, args); !ok {
		return fs, o, false, status
	}
	if ok, status := checkChoice(env, fs, "split", o.split, ir.SplitChoices()...); !ok {
		return fs, o, false, status
	}
	// The path becomes go.mod's module line and the import path of the
	// generated command.
	if o.module != "" {
		if err := module.CheckImportPath(o.module); err != nil {
			return fs, o, false, usageError(env, fs, "--module %q is not a module path", o.module)
		}
	}
	if fs.NArg() == 0 {
		return fs, o, false, usageError(env, fs, "no notebook given")
	}
	o.several = fs.NArg() > 1
	return fs, o, true, exitOK
}

// plan is the jobs of a parsed generate or check command line, the
// recorded commands of trees generated before applied (see recorded.go).
// When ok is false the verb stops with status.
func plan(env *environment, fs *pflag.FlagSet, o generateOptions) (jobs []job, ok bool, status int) {
	jobs, err := planJobs(fs, o)
	if err != nil {
		fmt.Fprintf(env.stderr, "zengen: %v\n", err)
		return nil, false, exitFindings
	}
	for _, j := range jobs {
		if j.o.runtimeReplace != "" && j.o.module == "" {
			return nil, false, usageError(env, fs, "--runtime-replace needs --module: it goes into the generated go.mod")
		}
	}
	return jobs, true, exitOK
}

// declareGenerateFlags declares the flags that decide the generated tree
// into o: on the command line, and to read back a recorded command.
func declareGenerateFlags(fs *pflag.FlagSet, o *generateOptions) {
	fs.StringVarP(&o.out, "output", "o", "", "output `DIR`; with several notebooks each goes to DIR/<pipeline>/ (default: a folder named after the pipeline beside the notebook)")
	fs.StringVar(&o.pkg, "package", "", "Go package `NAME` of the generated code (default: the pipeline name)")
	fs.StringVar(&o.module, "module", "", "make the output a standalone module with this `PATH` (writes go.mod, README.md, .gitignore and runs go mod tidy)")
	fs.StringVar(&o.runtimeReplace, "runtime-replace", "", "with --module, replace the zengen module by the checkout in `DIR`")
	fs.StringVar(&o.split, "split", string(ir.SplitAuto), "how to find steps without markers: `auto`, markers, headings or cells")
	fs.BoolVar(&o.noLineDirectives, "no-line-directives", false, "omit the //line directives that map generated code back to notebook cells")
	fs.BoolVar(&o.noTests, "no-tests", false, "omit the generated parity test")
	fs.BoolVar(&o.teamStack, "stack", false, "link the team stores into the generated command (--store s3://…, --db postgres://…)")
	fs.BoolVar(&o.temporal, "temporal", false, "link the Temporal orchestrator into the generated command (run --orchestrator temporal, worker, schedule)")
}

func runGenerate(args []string, env *environment) int {
	fs, o, ok, status := parseGenerateFlags(env, "generate", "NOTEBOOK… [-o DIR] [--package NAME] [--module PATH] [--runtime-replace DIR] [--split MODE] [--no-line-directives] [--no-tests] [--stack] [--temporal]", generateExamples, args)
	if !ok {
		return status
	}
	for _, nb := range fs.Args() {
		if w := scriptBuildWarning(nb); w != "" {
			fmt.Fprintln(env.stderr, w)
		}
	}
	jobs, ok, status := plan(env, fs, o)
	if !ok {
		return status
	}
	if upToDate(jobs) {
		fmt.Fprintf(env.stdout, "%s → %s (up to date)\n", jobs[0].path, filepath.ToSlash(filepath.Clean(jobs[0].o.out)))
		return exitOK
	}
	trees, ok := renderReporting(env, jobs)
	if !ok {
		return exitFindings
	}
	// Everything is rendered before anything is written, so that a problem
	// in any notebook leaves every output folder as it was.
	plans := make([][]change, len(trees))
	for i, r := range trees {
		changes, err := compare(r)
		if err != nil {
			fmt.Fprintf(env.stderr, "zengen: %v\n", err)
			return exitFindings
		}
		plans[i] = withoutLoneRestamp(changes)
	}
	if err := commit(plans); err != nil {
		fmt.Fprintf(env.stderr, "zengen: %v\n", err)
		return exitFindings
	}
	for i, r := range trees {
		if len(plans[i]) > 0 {
			// Said when the package is written, not again by every
			// generate that finds it up to date.
			fmt.Fprint(env.stderr, ir.NotesText(r.pipeline.Notes, ""))
		}
		fmt.Fprintf(env.stdout, "%s → %s (%s)\n", r.source, filepath.ToSlash(r.dir), summarize(plans[i]))
		if note := firstBuildNote(r, plans[i]); note != "" {
			fmt.Fprintln(env.stdout, note)
		}
	}
	return exitOK
}

// withoutLoneRestamp drops a change that only renews the record when
// nothing else in the tree changes: a go.sum or zengen update alone must not
// rewrite a file whose code stays the same, or `go generate ./... && git
// diff --exit-code` would fail in CI for it. The stale record only costs the
// next check its shortcut.
func withoutLoneRestamp(changes []change) []change {
	if len(changes) == 1 && changes[0].kind == restamped {
		return nil
	}
	return changes
}

// renderReporting renders the notebooks and prints every problem; ok is
// false when there was any.
func renderReporting(env *environment, jobs []job) ([]*rendered, bool) {
	trees, problems, err := render(jobs)
	printProblems(env, problems)
	if err != nil {
		fmt.Fprintf(env.stderr, "zengen: %v\n", err)
	}
	return trees, err == nil && len(problems) == 0
}

// printProblems prints positioned problems the way the Go compiler does:
// one per line, "file:cell N:line:col: message", a hint indented below.
func printProblems(env *environment, problems parser.ErrorList) {
	for _, e := range problems {
		fmt.Fprintln(env.stderr, e.Error())
	}
}

// summarize says what writing changes did, for generate's one-line report.
func summarize(changes []change) string {
	var written, removed int
	for _, c := range changes {
		if c.kind == orphaned {
			removed++
		} else {
			written++
		}
	}
	switch {
	case written == 0 && removed == 0:
		return "up to date"
	case removed == 0:
		return plural(written, "file") + " written"
	default:
		return fmt.Sprintf("%s written, %s removed", plural(written, "file"), plural(removed, "orphaned file"))
	}
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
