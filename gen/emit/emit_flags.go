package emit

// The notebook's flags (flag.Int and friends, see gen/analysis/flags.go):
// a step that reads them sets each to its own param's value before its
// code runs, as GoNB ran each cell with the arguments it passed.

import (
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/zengen-dev/zengen/gen/ir"
)

// paramTypeCode is the Go type of a param's field.
func paramTypeCode(prm *ir.Param) jen.Code {
	if prm.Type == "time.Duration" {
		return jen.Qual("time", "Duration")
	}
	return jen.Id(prm.Type)
}

// paramDefaultCode is the default of a param. A flag's duration is
// "N * time.Unit" or "N" (nanoseconds), which needs the time import.
func paramDefaultCode(prm *ir.Param) jen.Code {
	if prm.NotebookFlag != "" && prm.Type == "time.Duration" {
		n, unit, _ := strings.Cut(prm.Default, " * time.")
		if ns, err := strconv.ParseInt(n, 10, 64); err == nil && unit != "" {
			return jen.Lit(int(ns)).Op("*").Qual("time", unit)
		}
	}
	return jen.Id(prm.Default)
}

// hasFlags reports whether some step sets the notebook's flags.
func (e *emitter) hasFlags() bool {
	for _, s := range e.p.Steps {
		if len(s.Flags) > 0 {
			return true
		}
	}
	return false
}

// flagHelpers declares zg_setFlags in pipeline_zen.go when a step uses it.
func (e *emitter) flagHelpers(f *jen.File) {
	if !e.hasFlags() {
		return
	}
	f.Line()
	f.Comment("// zg_flags is held by the step that has set the notebook's flags, until it")
	f.Comment("// ends: steps that read them run one at a time, each with its own values.")
	f.Var().Id("zg_flags").Qual("sync", "Mutex")
	f.Line()
	f.Comment("// zg_setFlags sets the notebook's flags (name, value pairs) as the step's")
	f.Comment("// cell passed them to GoNB, through the flag package's own parsers, and")
	f.Comment("// returns what releases them.")
	f.Func().Id("zg_setFlags").Params(jen.Id("nameValues").Op("...").Any()).Params(jen.Func().Params(), jen.Error()).Block(
		jen.Id("zg_flags").Dot("Lock").Call(),
		jen.For(jen.Id("i").Op(":=").Lit(0), jen.Id("i").Op("+").Lit(1).Op("<").Len(jen.Id("nameValues")), jen.Id("i").Op("+=").Lit(2)).Block(
			jen.Id("name").Op(":=").Id("nameValues").Index(jen.Id("i")).Assert(jen.String()),
			jen.If(jen.Id("err").Op(":=").Qual("flag", "Set").Call(jen.Id("name"), jen.Qual("fmt", "Sprint").Call(jen.Id("nameValues").Index(jen.Id("i").Op("+").Lit(1)))), jen.Id("err").Op("!=").Nil()).Block(
				jen.Id("zg_flags").Dot("Unlock").Call(),
				jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit("flag %s: %w"), jen.Id("name"), jen.Id("err"))),
			),
		),
		jen.Return(jen.Id("zg_flags").Dot("Unlock"), jen.Nil()),
	)
}

// setFlags are the first statements of the Run adapter of a step that
// reads flags: set them, and release them when the step returns.
func (e *emitter) setFlags(s *ir.Step, declared map[string]bool) []jen.Code {
	if len(s.Flags) == 0 {
		return nil
	}
	var args []jen.Code
	for _, name := range s.Flags {
		prm := e.params[name]
		args = append(args, jen.Lit(prm.NotebookFlag), jen.Id("zg_params").Dot(prm.Field))
	}
	declared["zg_err"] = true
	return []jen.Code{
		jen.List(jen.Id("zg_release"), jen.Id("zg_err")).Op(":=").Id("zg_setFlags").Call(args...),
		jen.If(jen.Id("zg_err").Op("!=").Nil()).Block(jen.Return(jen.Id("zg_err"))),
		jen.Defer().Id("zg_release").Call(),
	}
}

// flagParseHelper declares zg_flagParse, which stands for the notebook's
// flag.Parse calls, when code uses it.
func flagParseHelper(f *jen.File, chunks []*ir.Chunk) {
	if !usesIdent(chunks, "zg_flagParse") {
		return
	}
	f.Comment("// zg_flagParse stands for the notebook's flag.Parse: the process's arguments")
	f.Comment("// are the run command's, and a step's flags are set to its params' values")
	f.Comment("// before it runs (zg_setFlags).")
	f.Func().Id("zg_flagParse").Params().Block()
	f.Line()
}
