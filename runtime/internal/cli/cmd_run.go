package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"reflect"
	goruntime "runtime"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// runFlags are the flags of the run command.
type runFlags struct {
	paramsFile string
	opts       engine.RunOptions
	fields     []paramField
	defaults   reflect.Value // the Params struct before parsing, for --params
	quiet      bool
	// orchestrator is --orchestrator, and openers the registered
	// orchestrators' (nil when the binary links none: see extension.go).
	orchestrator string
	openers      map[string]OpenOrchestrator
}

var runCommand = &command{
	name:    "run",
	args:    "",
	nargs:   0,
	summary: "Run the pipeline: steps in parallel where the DAG allows, cached, tracked in the store.",
	examples: []example{
		{"run", "run every step, reusing cached results"},
		{"run {params}", "set params"},
		{"run --params params.yaml", "params from a JSON or YAML file (flags win)"},
		{"run --only {step}", "run one step on the stored results of its upstream steps"},
		{"run --from {step}", "re-run {step} and everything downstream"},
		{"run --resume latest", "finish an interrupted or failed run"},
		{"run --no-cache --parallel 1", "run everything again, one step at a time"},
		{"run -q", "print only what the steps print and what fails"},
		{"run --json", "the finished run as JSON on stdout, for scripts"},
	},
	flags: defineRunFlags,
	run:   runRun,
}

func defineRunFlags(fs *pflag.FlagSet, c *cli, st *cmdState) error {
	rf := &st.run
	fs.StringVar(&rf.paramsFile, "params", "", "read params from a JSON or YAML `FILE`")
	fs.BoolVar(&rf.opts.NoCache, "no-cache", false, "run every step even when its result is cached")
	fs.StringVar(&rf.opts.Only, "only", "", "run only `STEP`, on inputs stored under the keys this run computes for its upstream steps")
	fs.StringVar(&rf.opts.From, "from", "", "re-run `STEP` and everything downstream, reuse the rest where the cache has its key")
	fs.StringVar(&rf.opts.Resume, "resume", "", "re-run only the steps that did not finish in `RUN`, with its params")
	fs.IntVar(&rf.opts.Parallel, "parallel", goruntime.NumCPU(), "run up to `N` steps at once")
	fs.BoolVar(&rf.opts.KeepGoing, "keep-going", false, "after a failure, finish the steps that do not depend on it")
	fs.BoolVarP(&rf.quiet, "quiet", "q", false, "print only what steps print and what fails")
	fs.BoolVar(&c.json, "json", false, "print the finished run as show --json does; steps' output goes to stderr")
	orchestratorFlags(fs, rf)
	fields, err := paramFields(c.p.Params)
	if err != nil {
		return err
	}
	rf.fields = fields
	if c.p.Params != nil {
		v := reflect.ValueOf(c.p.Params).Elem()
		rf.defaults = reflect.New(v.Type()).Elem()
		rf.defaults.Set(v)
	}
	for _, f := range fields {
		// pflag panics on a flag defined twice; generated code never asks
		// for that (zengen rejects such params), a hand-written Params can.
		if f.name == "help" || fs.Lookup(f.name) != nil {
			return fmt.Errorf("param %s: the run command has a flag --%s of its own", f.name, f.name)
		}
	}
	addParamFlags(fs, fields)
	return nil
}

// ReservedParamNames are the names a param cannot take because the run
// command's own flags (and --help) have them.
func ReservedParamNames() []string {
	fs := pflag.NewFlagSet("run", pflag.ContinueOnError)
	fs.String("home", "", "") // as dispatch defines them
	(&cli{}).addStackFlags(fs)
	defineRunFlags(fs, &cli{p: &pipeline.Pipeline{}}, &cmdState{fs: fs})
	names := []string{"help"}
	fs.VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
	return names
}

func runRun(ctx context.Context, c *cli, st *cmdState, args []string) error {
	rf := &st.run
	rf.opts.Args = st.fs.Args()
	rf.opts.Prog, rf.opts.Flags = c.prog, flagsAgain(st.fs)
	set := 0
	for _, v := range []string{rf.opts.Only, rf.opts.From, rf.opts.Resume} {
		if v != "" {
			set++
		}
	}
	if set > 1 {
		return usagef("--only, --from and --resume exclude each other")
	}
	if rf.opts.Parallel < 1 {
		return usagef("--parallel must be at least 1")
	}
	paramChanged := false
	for _, f := range rf.fields {
		paramChanged = paramChanged || st.fs.Changed(f.name)
	}
	if rf.opts.Resume != "" && (paramChanged || rf.paramsFile != "") {
		return usagef("--resume runs with the params of the resumed run; drop the param flags")
	}
	given := map[string]bool{}
	if rf.paramsFile != "" {
		// Defaults < file < flags: start again from the defaults, apply the
		// file, then parse the flags a second time on top. The flags' text
		// is taken first: their values live in the struct being reset.
		raw := rawArgs(st.fs)
		reflect.ValueOf(c.p.Params).Elem().Set(rf.defaults)
		if err := applyParamsFile(rf.paramsFile, rf.fields, given); err != nil {
			return err
		}
		again := pflag.NewFlagSet("run", pflag.ContinueOnError)
		again.SetOutput(io.Discard)
		defineRunFlags(again, c, &cmdState{fs: again})
		again.StringVar(&c.home, "home", c.home, "")
		c.addStackFlags(again)
		if err := again.Parse(raw); err != nil {
			return usagef("%v", err)
		}
	}
	s, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	orch, err := c.orchestrator(ctx, rf, s)
	if err != nil {
		return err
	}
	if rf.opts.Resume != "" {
		prev, err := s.Meta.ResolveRun(ctx, c.p.Name, rf.opts.Resume)
		if err != nil {
			return err
		}
		rf.opts.Resume = prev.ID
		if err := applyRecordedParams(prev.Params, rf.fields); err != nil {
			return fmt.Errorf("run %s: %w", prev.ID, err)
		}
	}
	for k, v := range c.p.Env {
		if _, ok := os.LookupEnv(k); !ok {
			os.Setenv(k, v)
		}
	}
	if rf.opts.Resume == "" {
		for _, f := range rf.fields {
			given[f.name] = given[f.name] || st.fs.Changed(f.name)
		}
		scopeParams(rf.fields, given)
	}
	params, err := canonicalParams(rf.fields)
	if err != nil {
		return err
	}
	if c.p.Setup != nil {
		c.p.Setup()
	}
	// With --json, stdout holds the run's JSON alone.
	term := &engine.Terminal{Stdout: c.stdout, Stderr: c.stderr, Quiet: rf.quiet || c.json}
	if c.json {
		term.Stdout = c.stderr
	}
	mode := engine.RunningLines
	switch {
	case term.Quiet:
		mode = engine.RunningHidden
	case engine.IsTerminal(c.stderr):
		mode = engine.RunningLive
	}
	stopRunning := term.ShowRunning(mode)
	out, err := orch.Execute(ctx, c.p, rf.opts, params, term)
	stopRunning()
	engine.ReportRunEnd()
	if err != nil {
		return err
	}
	run := out.Run
	if out.Detached {
		// Scripts read the id from stdout; the run goes on without us.
		fmt.Fprintln(c.stdout, run.ID)
		return nil
	}
	if c.json {
		steps, err := s.Meta.StepRuns(ctx, run.ID)
		if err != nil {
			return err
		}
		if err := c.printJSON(newShowView(run, steps)); err != nil {
			return err
		}
	}
	took := engine.FormatDuration(run.EndedAt.Sub(run.StartedAt))
	if run.Status != meta.RunSucceeded {
		why := run.Error
		if out.Hint != "" {
			why = out.Hint
		}
		term.Problem(fmt.Sprintf("run %s %s after %s: %s", run.ID, run.Status, took, why))
		return errReported
	}
	if term.Quiet {
		return nil
	}
	term.Progress(fmt.Sprintf("run %s succeeded in %s", run.ID, took))
	if err := c.summarize(ctx, s, run.ID, c.stderr); err != nil {
		// The run is recorded and succeeded; only its summary is missing.
		fmt.Fprintf(c.stderr, "  (no summary: %v; '%s show %s' shows the run)\n", err, c.prog, run.ID)
	}
	return nil
}

// rawArgs rebuilds the command line of fs for a second parse.
func rawArgs(fs *pflag.FlagSet) []string {
	var out []string
	fs.Visit(func(f *pflag.Flag) {
		if f.Name == "params" {
			return
		}
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			for _, v := range sv.GetSlice() {
				out = append(out, "--"+f.Name+"="+v)
			}
			return
		}
		out = append(out, "--"+f.Name+"="+f.Value.String())
	})
	return append(out, fs.Args()...)
}

// flagsAgain spells the flags of fs that were set, other than those that
// choose the steps, so that a suggested command runs with the same params
// and store.
func flagsAgain(fs *pflag.FlagSet) []string {
	var out []string
	fs.Visit(func(f *pflag.Flag) {
		switch f.Name {
		case "only", "from", "resume", "quiet", "json":
			return
		}
		if f.Value.Type() == "bool" && f.Value.String() == "true" {
			out = append(out, "--"+f.Name)
			return
		}
		v := f.Value.String()
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			v = strings.Join(sv.GetSlice(), ",")
		}
		if v == "" || strings.ContainsAny(v, " \t\"'$`\\") {
			v = strconv.Quote(v)
		}
		out = append(out, "--"+f.Name+"="+v)
	})
	return out
}
