package ir

import (
	"fmt"
	"strings"
	"unicode"
)

// Exported returns ident with its first letter upper-cased, the name a
// function step gets in the generated package.
func Exported(ident string) string {
	if ident == "" {
		return ident
	}
	rs := []rune(ident)
	rs[0] = unicode.ToUpper(rs[0])
	return string(rs)
}

// OutputNamed and InputNamed find a step's port by its notebook name, nil
// when it has none.
func OutputNamed(s *Step, name string) *Port {
	for _, p := range s.Outputs {
		if p.Name == name {
			return p
		}
	}
	return nil
}

func InputNamed(s *Step, name string) *Port {
	for _, p := range s.Inputs {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// LineDirective is `//line NB:cell N:L` for a notebook position and
// `//line script.go:L` for a script: the one spelling of the directive,
// used by the check source of analysis and by the generated files.
func LineDirective(pos Pos) string {
	line := pos.Line
	if line < 1 {
		line = 1
	}
	file := pos.File
	if pos.Cell > 0 {
		file = fmt.Sprintf("%s:cell %d", pos.File, pos.Cell)
	}
	return fmt.Sprintf("//line %s:%d", file, line)
}

// GeneratedDecls are the package-level names generated code declares
// besides the functions of cell steps, with what each one is: analysis
// keeps step functions off them, emission refuses declarations of them.
var GeneratedDecls = map[string]string{
	"Params":             "the pipeline's parameters",
	"DefaultParams":      "the pipeline's default parameters",
	"Pipeline":           "the pipeline description",
	"TestPipelineRuns":   "the generated test",
	"TestNotebookParity": "the generated parity test",
}

// PipelinePackage is the Go package of a pipeline: its name without
// underscores ("churn_model" → "churnmodel"), with a "pipeline" suffix
// where that would be main or init, which no importable package can be
// called ("mainpipeline"). A keyword stays, for analysis to refuse at the
// name's source.
func PipelinePackage(pipeline string) string {
	pkg := strings.ReplaceAll(pipeline, "_", "")
	if pkg == "main" || pkg == "init" {
		pkg += "pipeline"
	}
	return pkg
}
