package emit

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/zengen-dev/zengen/gen/ir"
)

// stepFile is step_<name>_zen.go: the function of one cell step and its
// description to the runtime, so that an edit of the step changes one file.
func (e *emitter) stepFile(s *ir.Step) *jen.File {
	f := e.newFile(e.pkg)
	f.Add(e.stepFunc(s))
	f.Line()
	f.Add(e.describeFunc(s))
	return f
}

// stepFunc is the exported function of a cell step:
//
//	func Train(zg_ctx context.Context, xs []float64, epochs int) float64
//
// taking its inputs and the params it uses, running the cell's statements
// and returning its outputs.
func (e *emitter) stepFunc(s *ir.Step) jen.Code {
	params := []jen.Code{jen.Id("zg_ctx").Qual("context", "Context")}
	for _, in := range s.Inputs {
		params = append(params, jen.Id(in.Var).Id(in.Type))
	}
	for _, name := range s.Params {
		params = append(params, jen.Id(name).Id(e.paramType(name)))
	}
	var results []jen.Code
	for _, out := range s.Outputs {
		results = append(results, jen.Id(out.Type))
	}
	return docComment(stepDoc(s)).
		Func().Id(s.Func).Params(params...).Params(results...).
		Block(e.stepBody(s)...)
}

// stepBody is the statements of a cell step: the output writer when the
// code prints, each chunk behind its //line directive, `_ = x` for locals
// that would otherwise not compile, and the return of the outputs.
func (e *emitter) stepBody(s *ir.Step) []jen.Code {
	var body []jen.Code
	if usesIdent(s.Body, "zg_out") {
		body = append(body, jen.Id("zg_out").Op(":=").Add(e.zen("Stdout")).Call(jen.Id("zg_ctx")))
	}
	for _, c := range s.Body {
		body = append(body, e.bodyChunk(c)...)
	}
	for _, name := range s.Unused {
		body = append(body, jen.Id("_").Op("=").Id(name))
	}
	if len(s.Outputs) > 0 {
		var vars []jen.Code
		for _, out := range s.Outputs {
			vars = append(vars, jen.Id(out.Var))
		}
		body = append(body, jen.Return(vars...))
	}
	return body
}

// chunk is user code behind the //line directive that maps it back to the
// notebook. The code is inserted as written; gofmt reindents it. Leading
// comment lines go before the directive: gofmt moves directives to the end
// of a doc comment, so the directive must already be there to keep its
// place, and it then names the line of the code it precedes.
func (e *emitter) chunk(c *ir.Chunk) []jen.Code {
	comments, code, skipped := splitLeadingComments(strings.TrimRight(c.Code, "\n"))
	var out []jen.Code
	if comments != "" {
		out = append(out, jen.Id(comments))
	}
	if !e.opts.NoLineDirectives && code != "" {
		pos := c.Pos
		pos.Line += skipped
		out = append(out, lineDirective(pos))
	}
	if code != "" {
		out = append(out, jen.Id(code))
	}
	return out
}

// bodyChunk is a statement of a cell step behind its //line directive,
// with the comments before it set apart by a blank line: in one comment
// group with the directive, gofmt would format them as a doc comment,
// with an empty "//" line before the directive.
func (e *emitter) bodyChunk(c *ir.Chunk) []jen.Code {
	out := e.chunk(c)
	if len(out) < 3 {
		return out
	}
	return append([]jen.Code{out[0], jen.Line()}, out[1:]...)
}

// splitLeadingComments splits the leading "//" comment lines (and blank
// lines) of code from the rest, and counts the lines split off.
func splitLeadingComments(code string) (comments, rest string, lines int) {
	all := strings.Split(code, "\n")
	i := 0
	for i < len(all) {
		t := strings.TrimSpace(all[i])
		if t != "" && !strings.HasPrefix(t, "//") {
			break
		}
		i++
	}
	return strings.TrimSpace(strings.Join(all[:i], "\n")), strings.Join(all[i:], "\n"), i
}

// lineDirective is `//line NB:cell N:L` for a notebook position and
// `//line script.go:L` for a script. As its own statement it starts in
// column 1, where the compiler looks for it.
func lineDirective(pos ir.Pos) jen.Code {
	return jen.Comment(ir.LineDirective(pos))
}

// stepDoc is the text of a step function's doc comment: a sentence that
// starts with the function's name, as Go doc comments do, then the markdown
// before the step in the notebook, rewritten in doc comment syntax.
func stepDoc(s *ir.Step) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s is the step %q of the pipeline, from %s.\n", s.Func, s.Name, stepWhere(s))
	if doc := strings.TrimSpace(s.Doc); doc != "" {
		b.WriteString("\n")
		b.WriteString(markdownToDocText(doc))
	}
	return b.String()
}

// stepWhere says where a step starts: "churn.ipynb:cell 4" or "scratch.go:12".
func stepWhere(s *ir.Step) string {
	pos := s.Pos
	pos.Col = 0
	if pos.Cell > 0 {
		pos.Line = 0
	}
	return pos.String()
}

// markdownToDocText rewrites the markdown constructs that Go doc comments
// spell differently: headings become "# Heading" paragraphs, bullet items
// become indented "  - item" lines and fenced code becomes indented code.
// Everything else is kept as text.
func markdownToDocText(md string) string {
	var out []string
	inFence := false
	for _, line := range strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~"):
			inFence = !inFence
			out = append(out, "")
		case inFence:
			out = append(out, "\t"+line)
		case strings.HasPrefix(trimmed, "#"):
			text := strings.TrimSpace(strings.TrimLeft(trimmed, "#"))
			if text != "" {
				out = append(out, "", "# "+text, "")
			}
		case strings.HasPrefix(trimmed, "- ") || strings.HasPrefix(trimmed, "* ") || strings.HasPrefix(trimmed, "+ "):
			out = append(out, "  - "+strings.TrimSpace(trimmed[2:]))
		default:
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// usesIdent reports whether any chunk has the identifier name in its
// code. Its comments do not count: a step whose comment mentions zg_out
// must not get an output writer it never uses.
func usesIdent(chunks []*ir.Chunk, name string) bool {
	for _, c := range chunks {
		if strings.Contains(c.Code, name) && slices.Contains(identifiers(c.Code), name) {
			return true
		}
	}
	return false
}

// paramType is the Go type of the parameter name.
func (e *emitter) paramType(name string) string {
	if prm, ok := e.params[name]; ok {
		return prm.Type
	}
	return "any"
}
