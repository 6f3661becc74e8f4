package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/zengen-dev/zengen/gen/analysis"
	"github.com/zengen-dev/zengen/gen/emit"
	"github.com/zengen-dev/zengen/gen/header"
	"github.com/zengen-dev/zengen/gen/ir"
	"github.com/zengen-dev/zengen/parser"
)

// generateOptions are the flags that decide what generate writes. check
// takes the same ones, so that it regenerates exactly what generate did.
type generateOptions struct {
	out              string
	pkg              string
	module           string
	runtimeReplace   string
	split            string
	noLineDirectives bool
	noTests          bool
	teamStack        bool
	temporal         bool
	// several is set when one command names more than one notebook: each
	// then goes to its own folder, named after its pipeline, under -o.
	several bool
}

// rendered is everything generate would write for one notebook.
type rendered struct {
	notebook string // as headers spell it
	source   string // the path that reaches it from the working directory
	pipeline *ir.Pipeline
	dir      string            // output directory, as the user will see it
	files    map[string][]byte // slash-separated path relative to dir → content
	// staleModule, set only by an offline render, says why go.mod and
	// go.sum on disk are out of date when tidy could not render them.
	staleModule string
}

// render is the one result behind generate and check (inspect stops after
// its analysis): it reads, parses, analyses and emits every notebook in
// memory; only a standalone module's go mod tidy runs on a scratch copy.
// Problems in the notebooks come back all at once as positioned errors;
// anything else (an unreadable file, no enclosing module) as a plain error.
func render(jobs []job) ([]*rendered, parser.ErrorList, error) {
	var (
		out      []*rendered
		problems parser.ErrorList
		failures []error
	)
	for _, j := range jobs {
		// The pipeline's name, which may name its folder, is known only
		// after analysis; a folder named after the file sits in the same
		// module, which is all analysis needs to know.
		p, errs, err := analyze(j, outputDir(j.path, fileStem(j.path), j.o))
		problems = append(problems, errs...)
		if err != nil {
			failures = append(failures, err)
		}
		if p == nil {
			continue
		}
		r := &rendered{notebook: j.notebook, source: j.path, pipeline: p, dir: outputDir(j.path, p.Name, j.o)}
		if err := emitFiles(r, j); err != nil {
			errs, err := positioned(err)
			problems = append(problems, errs...)
			if err != nil {
				failures = append(failures, err)
			}
			continue
		}
		out = append(out, r)
	}
	problems.Sort()
	if err := errors.Join(failures...); err != nil || len(problems) > 0 {
		return nil, problems, err
	}
	if err := distinctDirs(out); err != nil {
		return nil, nil, err
	}
	return out, nil, nil
}

// analyze reads and analyses one notebook. dir is where its package will
// live, which decides the module its imports resolve in.
func analyze(j job, dir string) (*ir.Pipeline, parser.ErrorList, error) {
	o := j.o
	data, err := os.ReadFile(j.path)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read notebook: %w", err)
	}
	notebook, err := parser.Read(j.notebook, data)
	if err != nil {
		errs, err := positioned(err)
		return nil, errs, err
	}
	if err := takePairedOutputs(notebook, j.path); err != nil {
		return nil, nil, err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, nil, err
	}
	cfg := analysis.Config{Dir: abs, Module: o.module, Split: ir.Split(o.split), Package: o.pkg, Temporal: o.temporal}
	if o.runtimeReplace != "" {
		if cfg.RuntimeReplace, err = filepath.Abs(o.runtimeReplace); err != nil {
			return nil, nil, err
		}
	}
	p, err := analysis.Analyze(notebook, cfg)
	if err != nil {
		errs, err := positioned(err)
		return nil, errs, err
	}
	return p, nil, nil
}

// takePairedOutputs gives a percent script the outputs of the notebook
// jupytext pairs it with, for the parity test (parser.TakeOutputs matches
// the cells). A paired file that is not a notebook is ignored, as is a
// script without one: the test then only runs the pipeline. source is the
// path that reaches the script from the working directory.
func takePairedOutputs(script *parser.Notebook, source string) error {
	path := parser.PairedPath(source)
	if script.Format != parser.FormatPercent || path == "" {
		return nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cannot read the notebook paired with %s: %w", script.Path, err)
	}
	if paired, err := parser.ReadIPYNB(path, data); err == nil {
		parser.TakeOutputs(script, paired)
	}
	return nil
}

// positioned sorts an error from parse or analysis into problems in the
// notebook (positioned) and failures of zengen's surroundings (plain).
func positioned(err error) (parser.ErrorList, error) {
	var list parser.ErrorList
	if errors.As(err, &list) {
		return list, nil
	}
	var one *parser.Error
	if errors.As(err, &one) {
		return parser.ErrorList{one}, nil
	}
	return nil, err
}

// outputDir is where the package for notebook nb, whose pipeline is called
// name, goes: -o itself for a single notebook, otherwise a folder named
// after the pipeline under -o or, without -o, beside the notebook.
func outputDir(nb, name string, o generateOptions) string {
	if o.out != "" && !o.several {
		return filepath.Clean(o.out)
	}
	base := o.out
	if base == "" {
		base = filepath.Dir(nb)
	}
	return filepath.Join(base, name)
}

// fileStem is the notebook's file name without its extensions
// ("churn.ipynb" → "churn", "scratch.zen.go" → "scratch").
func fileStem(nb string) string {
	base := filepath.Base(nb)
	if i := strings.IndexByte(base, '.'); i > 0 {
		return base[:i]
	}
	return base
}

// emitFiles renders r's files in memory. Problems in the notebook that only
// emission finds come back positioned, like those of analysis.
func emitFiles(r *rendered, j job) error {
	o := j.o
	opts := emit.Options{
		Module:           o.module,
		NoLineDirectives: o.noLineDirectives,
		NoTests:          o.noTests,
		TeamStack:        o.teamStack,
		Temporal:         o.temporal,
		Command:          commandLine(j, r.dir),
	}
	if o.module != "" {
		opts.ImportPath = o.module
	} else {
		root, modulePath, err := enclosingModule(r.dir)
		if errors.Is(err, errNoModule) {
			return fmt.Errorf("%s: no go.mod encloses the output folder %s; pass --module PATH to generate a standalone module", r.notebook, r.dir)
		}
		if err != nil {
			return err
		}
		if opts.ImportPath, err = importPathOf(root, modulePath, r.dir); err != nil {
			return err
		}
	}
	var replaceTarget string
	if o.runtimeReplace != "" {
		rp, err := replacePath(r.dir, o.runtimeReplace)
		if err != nil {
			return err
		}
		if replaceTarget, err = filepath.Abs(o.runtimeReplace); err != nil {
			return err
		}
		opts.RuntimeReplace = rp
	}
	files, err := emit.Emit(r.pipeline, opts)
	if err != nil {
		if errs, _ := positioned(err); errs != nil {
			return err
		}
		return fmt.Errorf("%s: %w", r.notebook, err)
	}
	for name := range files {
		// The map comes from zengen itself, but it decides what is written
		// on the user's disk: a path escaping the folder would be a bug.
		if !filepath.IsLocal(filepath.FromSlash(name)) {
			return fmt.Errorf("%s: generated file name %q leaves the output folder", r.notebook, name)
		}
	}
	r.files = files
	if o.module != "" {
		// go mod tidy is slow and may need the network: refuse first
		// what the tree would be refused for anyway, a go.mod or README.md
		// of the user's in the folder among them.
		if _, err := compare(r); err != nil {
			return err
		}
		return tidyOrReuse(r, j, opts.RuntimeReplace, filepath.ToSlash(replaceTarget))
	}
	inputs, err := inputsDigest(j)
	if err != nil {
		return err
	}
	addRecord(r, inputs)
	return nil
}

// upToDate reports whether the record that generate left in the output
// folder shows, without rendering, that the tree is what rendering would
// write. A false answer means only that rendering must decide.
func upToDate(jobs []job) bool {
	if len(jobs) != 1 {
		return false
	}
	ok, err := recordHolds(jobs[0])
	return err == nil && ok
}

// commandLine holds the zengen arguments recorded in generated headers
// (header.Command adds "zengen"): the complete command that generates j's
// notebook into dir (the folder as the user sees it) alone, every flag that
// changes what is generated included, as typed in the folder it ran in.
// Paths are relative to that folder, never absolute, so the line holds no
// path of one machine and recorded.go can reproduce it from anywhere.
func commandLine(j job, dir string) string {
	o := j.o
	args := []string{"generate", j.notebook, "-o", j.rel(dir)}
	if o.pkg != "" {
		args = append(args, "--package", o.pkg)
	}
	if o.module != "" {
		args = append(args, "--module", o.module)
	}
	if o.runtimeReplace != "" {
		args = append(args, "--runtime-replace", j.rel(o.runtimeReplace))
	}
	if o.split != "" && ir.Split(o.split) != ir.SplitAuto {
		args = append(args, "--split", o.split)
	}
	if o.noLineDirectives {
		args = append(args, "--no-line-directives")
	}
	if o.noTests {
		args = append(args, "--no-tests")
	}
	if o.teamStack {
		args = append(args, "--stack")
	}
	if o.temporal {
		args = append(args, "--temporal")
	}
	return header.JoinArgs(args)
}

// distinctDirs rejects two notebooks generating into one folder, where the
// second would silently replace the first.
func distinctDirs(trees []*rendered) error {
	seen := map[string]string{}
	for _, r := range trees {
		abs, err := filepath.Abs(r.dir)
		if err != nil {
			return err
		}
		if other, ok := seen[abs]; ok {
			return fmt.Errorf("%s and %s both generate into %s; give one a //zen:pipeline name or generate them separately", other, r.notebook, r.dir)
		}
		seen[abs] = r.notebook
	}
	return nil
}
