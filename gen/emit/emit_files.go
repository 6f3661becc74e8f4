package emit

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/dave/jennifer/jen"

	"github.com/zengen-dev/zengen/gen/header"
	"github.com/zengen-dev/zengen/gen/ir"
	"github.com/zengen-dev/zengen/parser"
	"github.com/zengen-dev/zengen/templates"
)

// declsFile is decls_zen.go: the notebook's package-level declarations,
// each behind its //line directive, with the imports they use.
func (e *emitter) declsFile() *jen.File {
	f := e.newFile(e.pkg)
	for _, c := range e.p.Decls {
		for _, code := range e.chunk(c) {
			f.Add(code)
		}
		f.Line()
	}
	e.printHelpers(f)
	e.showHelpers(f)
	flagParseHelper(f, e.allChunks())
	return f
}

// printHelpers declares what the notebook's routed prints call (see
// gen/analysis/prints.go), those that some code uses.
func (e *emitter) printHelpers(f *jen.File) {
	chunks := e.allChunks()
	w := jen.Id("w").Qual("io", "Writer")
	ctx := jen.Id("ctx").Qual("context", "Context")
	helpers := []struct {
		name string
		code jen.Code
	}{
		{"zg_context", jen.Comment("// zg_context is the type of the zg_ctx parameter that zengen adds to the").Line().
			Comment("// notebook's functions that print, so that they print to the calling step.").Line().
			Type().Id("zg_context").Op("=").Qual("context", "Context")},
		{"zg_outside", jen.Comment("// zg_outside is the zg_ctx of calls from code that runs in no step: they").Line().
			Comment("// print to the process's stdout.").Line().
			Var().Id("zg_outside").Id("zg_context").Op("=").Qual("context", "Background").Call()},
		{"zg_stdout", jen.Comment("// zg_stdout is the stdout of the step running under ctx.").Line().Func().Id("zg_stdout").Params(ctx).Qual("io", "Writer").Block(jen.Return(e.zen("Stdout").Call(jen.Id("ctx"))))},
		{"zg_stderr", jen.Comment("// zg_stderr is the stderr of the step running under ctx.").Line().Func().Id("zg_stderr").Params(ctx).Qual("io", "Writer").Block(jen.Return(e.zen("Stderr").Call(jen.Id("ctx"))))},
		{"zg_print", jen.Comment("// zg_print writes args as the builtin print does.").Line().Func().Id("zg_print").Params(w, jen.Id("args").Op("...").Any()).Block(e.zen("Print").Call(jen.Id("w"), jen.Id("args").Op("...")))},
		{"zg_println", jen.Comment("// zg_println writes args as the builtin println does.").Line().Func().Id("zg_println").Params(w, jen.Id("args").Op("...").Any()).Block(e.zen("Println").Call(jen.Id("w"), jen.Id("args").Op("...")))},
	}
	for _, h := range helpers {
		if usesIdent(chunks, h.name) {
			f.Add(h.code)
			f.Line()
		}
	}
}

// allChunks is the notebook's code in the generated package.
func (e *emitter) allChunks() []*ir.Chunk {
	chunks := slices.Clone(e.p.Decls)
	for _, s := range e.p.Steps {
		chunks = append(chunks, s.Body...)
	}
	return chunks
}

// TeamStackPath is the package whose import links the team stores.
const TeamStackPath = ir.RuntimePath + "/teamstack"

// TemporalPath is the package whose import links the Temporal orchestrator.
const TemporalPath = ir.RuntimePath + "/temporal"

// mainFile is cmd/NAME/main_zen.go: one call into the runtime, and with
// TeamStack and Temporal the imports that register the team stores'
// drivers and the Temporal orchestrator.
func (e *emitter) mainFile() *jen.File {
	f := e.newFile("main")
	f.ImportName(e.opts.ImportPath, e.pkg)
	if e.opts.TeamStack {
		f.Anon(TeamStackPath)
	}
	if e.opts.Temporal {
		f.Anon(TemporalPath)
	}
	f.Func().Id("main").Params().Block(
		e.zen("Main").Call(jen.Qual(e.opts.ImportPath, "Pipeline").Call()),
	)
	return f
}

// ZentestPath is the import path of the helpers that generated tests use.
const ZentestPath = ir.RuntimePath + "/zentest"

// testFile is NAME_zen_test.go: the parity test when the notebook recorded
// outputs to compare with, otherwise a test that the pipeline runs.
func (e *emitter) testFile() *jen.File {
	f := e.newFile(e.pkg)
	if want := e.expectations(); len(want) > 0 {
		f.Add(e.parityTestFunc(want))
	} else {
		f.Add(e.runTestFunc())
	}
	return f
}

// runTestFunc is a test that runs the whole pipeline in a fresh store with
// its default parameters and fails unless every step succeeds.
func (e *emitter) runTestFunc() jen.Code {
	return jen.Comment("// TestPipelineRuns runs every step in a fresh store with the default").Line().
		Comment("// parameters and checks that every artifact decodes to what its step").Line().
		Comment("// saved.").Line().
		Func().Id("TestPipelineRuns").Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(
		jen.Qual(ZentestPath, "Run").Call(jen.Id("t"), jen.Id("Pipeline").Call()),
	)
}

// parityTestFunc is a test that runs the pipeline with its default
// parameters and compares each step's printed output with the outputs its
// cells recorded. Steps run one at a time: only then does the runtime
// capture what imported packages print to os.Stdout themselves (see
// gen/analysis/expect.go).
func (e *emitter) parityTestFunc(want []stepExpect) jen.Code {
	elems := make([]jen.Code, 0, len(want))
	for _, w := range want {
		elems = append(elems, e.expectLiteral(w))
	}
	return docComment("TestNotebookParity runs the pipeline with its default parameters,\n"+
		"checks that every artifact decodes to what its step saved and compares\n"+
		"what each step prints with the outputs its cells recorded in\n"+
		e.p.Notebook+".").
		Func().Id("TestNotebookParity").Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(
		jen.Id("zg_result").Op(":=").Qual(ZentestPath, "Run").Call(jen.Id("t"), jen.Id("Pipeline").Call(), jen.Lit("--parallel"), jen.Lit("1")),
		jen.Qual(ZentestPath, "Parity").Call(jen.Id("t"), jen.Id("zg_result"),
			jen.Index().Qual(ZentestPath, "Expect").ValuesFunc(func(g *jen.Group) {
				for _, el := range elems {
					g.Line().Add(el)
				}
				g.Line()
			})),
	)
}

// stepExpect is one recorded cell output with the step it belongs to.
type stepExpect struct {
	step string
	*ir.Expect
}

// expectations lists the recorded outputs the parity test compares, in
// step order, leaving out steps none of whose cells can be compared.
func (e *emitter) expectations() []stepExpect {
	var all []stepExpect
	for _, s := range e.p.Steps {
		checked := false
		for _, x := range s.Expect {
			checked = checked || !x.Skip
		}
		if !checked {
			continue
		}
		for _, x := range s.Expect {
			all = append(all, stepExpect{s.Name, x})
		}
	}
	return all
}

// expectLiteral is one element of the parity test's []zentest.Expect: a
// cell of one step, or a pipeline cell that recorded the output of several
// function steps (Steps, in call order). A skipped cell keeps its place without its text: it only tells the
// comparison that the step prints more than its checked cells.
func (e *emitter) expectLiteral(x stepExpect) jen.Code {
	where := parser.Pos{File: x.Pos.File, Cell: x.Pos.Cell}
	if where.Cell == 0 {
		where.Line = x.Pos.Line
	}
	step := jen.Id("Step").Op(":").Lit(x.step)
	if len(x.Steps) > 0 {
		step = jen.Id("Steps").Op(":").Index().String().ValuesFunc(func(g *jen.Group) {
			for _, s := range x.Steps {
				g.Lit(s)
			}
		})
	}
	fields := []jen.Code{step, jen.Id("Cell").Op(":").Lit(where.String())}
	if x.Skip {
		fields = append(fields, jen.Id("Skip").Op(":").True())
	} else {
		fields = append(fields, jen.Id("Text").Op(":").Add(textLiteral(x.Text)))
	}
	return jen.Values(fields...)
}

// textLiteral writes recorded text as a raw string when it spans several
// lines and a raw string can hold it, so that the generated test reads like
// the notebook's output; otherwise as an interpreted string.
func textLiteral(text string) jen.Code {
	if strings.Count(text, "\n") < 2 || !rawable(text) {
		return jen.Lit(text)
	}
	return jen.Id("`" + text + "`")
}

// rawable reports whether text can be a raw string literal that reads the
// same back: no backquote, no carriage return (which raw strings drop), no
// other control character and valid UTF-8. Nor may a line start like a
// comment: `go generate` reads //go:generate lines without parsing Go, so
// inside a raw string such a line would still be a command it runs.
func rawable(text string) bool {
	if !utf8.ValidString(text) || strings.Contains(text, "\n//") || strings.Contains(text, "\n/*") {
		return false
	}
	for _, r := range text {
		if r == '`' || r == '\uFEFF' || (unicode.IsControl(r) && r != '\n' && r != '\t') {
			return false
		}
	}
	return true
}

// moduleFiles are go.mod, README.md and .gitignore of a standalone module.
func (e *emitter) moduleFiles() (map[string][]byte, error) {
	mermaid, err := ir.Inspect(e.p, "mermaid")
	if err != nil {
		return nil, err
	}
	data := templates.Module{
		Name:           e.p.Name,
		Notebook:       e.p.Notebook,
		Header:         header.Text(e.p.Notebook),
		Command:        header.Command(e.opts.Command),
		Module:         e.opts.Module,
		GoVersion:      ir.GoVersion,
		RuntimePath:    ir.RuntimeModule,
		RuntimeReplace: e.opts.RuntimeReplace,
		Requirements:   []templates.Requirement{{Path: ir.RuntimeModule, Version: ir.RuntimeVersion}},
		Mermaid:        string(mermaid),
	}
	reqs := slices.Clone(e.p.Requirements)
	slices.SortFunc(reqs, func(a, b *ir.Requirement) int { return strings.Compare(a.Path, b.Path) })
	for _, r := range reqs {
		if r.Path != ir.RuntimeModule {
			data.Requirements = append(data.Requirements, templates.Requirement{Path: r.Path, Version: r.Version})
		}
	}
	data.Requirements = slices.CompactFunc(data.Requirements, func(a, b templates.Requirement) bool { return a.Path == b.Path })
	for _, prm := range e.p.Params {
		data.Params = append(data.Params, templates.Param{Flag: prm.Flag, Type: prm.Type, Default: prm.Default, Doc: strings.Join(strings.Fields(prm.Doc), " ")})
	}
	for _, s := range e.p.Steps {
		st := templates.Step{Name: s.Name, Func: s.Func, Where: stepWhere(s), Params: s.Params}
		for _, in := range s.Inputs {
			st.Inputs = append(st.Inputs, templates.Port{Name: in.Name, Type: in.Type, Codec: in.Codec, From: in.From})
		}
		for _, out := range s.Outputs {
			st.Outputs = append(st.Outputs, templates.Port{Name: out.Name, Type: out.Type, Codec: out.Codec, Metric: out.Metric || slices.Contains(s.Metrics, out.Name)})
		}
		data.Steps = append(data.Steps, st)
	}
	files := make(map[string][]byte)
	for _, t := range []struct{ name, template string }{
		{"go.mod", "go.mod.tmpl"}, {"README.md", "README.md.tmpl"}, {".gitignore", "gitignore.tmpl"},
	} {
		b, err := templates.Execute(t.template, data)
		if err != nil {
			return nil, err
		}
		files[t.name] = b
	}
	return files, nil
}

// check reports what in p emission cannot turn into code that compiles,
// at the position of the node concerned.
func (e *emitter) check() parser.ErrorList {
	var errs parser.ErrorList
	for _, r := range e.p.Requirements {
		if problem := ir.RequirementProblem(r.Path, r.Version); problem != "" {
			errs.Add(r.Pos, "a requirement of the generated go.mod: %s", problem)
		}
	}
	for _, s := range e.p.Steps {
		for _, name := range s.Params {
			if _, ok := e.params[name]; !ok {
				errs.Add(s.Pos, "step %s uses the parameter %s, which the parameters cell does not define", s.Name, name)
			}
		}
		for _, name := range s.Metrics {
			if ir.OutputNamed(s, name) == nil {
				errs.Add(s.Pos, "step %s records the metric %s, which is not one of its outputs", s.Name, name)
			}
		}
		if s.Options.Timeout != "" {
			if d, err := time.ParseDuration(s.Options.Timeout); err != nil || d <= 0 {
				errs.Add(s.Pos, "step %s: timeout=%s is not a positive Go duration such as 90s or 5m", s.Name, s.Options.Timeout)
			}
		}
		for _, p := range append(slices.Clone(s.Inputs), s.Outputs...) {
			if !ir.BuiltinCodec(p.Codec) && !p.CodecFunc {
				errs.Add(p.Pos, "%s of step %s has the codec %q, which has no constructor", p.Name, s.Name, p.Codec)
			}
		}
		switch s.Kind {
		case "func":
			if s.Call == nil {
				errs.Add(s.Pos, "function step %s has no call in the pipeline cell", s.Name)
				continue
			}
			for _, a := range s.Call.Args {
				switch {
				case a.Input != "" && ir.InputNamed(s, a.Input) == nil:
					errs.Add(s.Call.Pos, "the call of step %s passes %s, which is not one of its inputs", s.Name, a.Input)
				case a.Param != "" && e.params[a.Param] == nil:
					errs.Add(s.Call.Pos, "the call of step %s passes the parameter %s, which the parameters cell does not define", s.Name, a.Param)
				case a.Input == "" && a.Param == "" && a.Literal == "":
					errs.Add(s.Call.Pos, "the call of step %s has an empty argument", s.Name)
				}
			}
		case "cell", "":
		default:
			errs.Add(s.Pos, "step %s has the unknown kind %q", s.Name, s.Kind)
		}
	}
	return errs
}
