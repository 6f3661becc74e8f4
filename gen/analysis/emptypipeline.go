package analysis

import (
	"fmt"
	"go/types"
	"strings"

	"github.com/zengen-dev/zengen/gen/ir"
	"github.com/zengen-dev/zengen/parser"
)

// refuseEmpty reports a notebook in which no step is found: a package
// that runs nothing is not what the notebook computed, so the error says
// why nothing runs instead. Other problems found by then come first: a
// cell they reject is often the one that would have run.
func (a *analysis) refuseEmpty() {
	if len(a.cellSteps) > 0 || len(a.funcSteps) > 0 || len(a.errs) > 0 {
		return
	}
	var code, skipped, setup, rejected, files, declOnly, empty int
	var main *item
	for _, c := range a.nb.Cells {
		if c.Kind != parser.Code {
			continue
		}
		code++
		switch {
		case a.roles[c] == roleSkip:
			skipped++
		case a.roles[c] == roleSetup:
			setup++
		case a.roles[c] == roleRejected:
			rejected++
		case c.WriteFile != nil:
			files++
		case a.roles[c] == roleCode && len(a.cellItems[c]) > 0:
			declOnly++
		case a.roles[c] == roleCode:
			empty++
		}
	}
	for _, it := range a.items {
		if it.keyword == "func" && it.name == "main" && !it.method && main == nil {
			main = it
		}
	}
	if main != nil && a.nb.Dialect == parser.DialectREPL {
		a.errs.Add(a.nb.Pos(main.cell, main.tokenLine, 1), "the pipeline has no steps: func main is declared but never called, and no cell runs a statement").Hint =
			"the kernel does not run main by itself, so this notebook computed nothing; call main() in a cell below, as you would to run it in the kernel"
		return
	}
	if code == 0 {
		a.errs.Add(ir.Pos{File: a.nb.Path}, "the pipeline has no steps: the notebook has no code cells")
		return
	}
	var parts []string
	add := func(n int, what string) {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, what))
		}
	}
	add(skipped, "skipped")
	add(setup, "with only shell lines and magics")
	add(rejected, "rejected by the kernel")
	add(files, "writing a file (%%writefile)")
	add(declOnly, "with only declarations")
	add(empty, "with no code")
	if a.paramsCell != nil {
		parts = append(parts, "the parameters cell")
	}
	cells := "code cells"
	if code == 1 {
		cells = "code cell"
	}
	e := a.errs.Add(ir.Pos{File: a.nb.Path}, "the pipeline has no steps: no code cell runs a statement (of %d %s: %s)", code, cells, strings.Join(parts, ", "))
	e.Hint = "a step is a cell that runs statements; mark one with //zen:step NAME, or a function with //zen:step in its doc comment and call it from a //zen:pipeline cell"
	if a.nb.Dialect == parser.DialectGoNB {
		e.Hint = "GoNB runs a cell's statements after a %% line or in func main; " + e.Hint
		if m := a.mainNamingFunc(); m != nil {
			e.Hint = fmt.Sprintf("`%s` at %s calls no function: GoNB's %%main is %%%%, whose main runs the statements after it (none here) with %s as its first argument; `%%exec %s` calls it. ",
				strings.TrimSpace(m.Text), a.shortPos(m.Pos), m.Args[0], strings.Join(m.Args, " ")) + e.Hint
		}
	}
}

// mainNamingFunc returns the first %% or %main line whose first argument
// names a function of the notebook, as if it called it; nil if none.
func (a *analysis) mainNamingFunc() *parser.Magic {
	if a.chk == nil || a.chk.pkg == nil {
		return nil
	}
	for _, c := range a.nb.Cells {
		if c.Kind != parser.Code || a.roles[c] == roleSkip {
			continue
		}
		for i, m := range c.Magics {
			if m.Kind == parser.MagicMain && len(m.Args) > 0 {
				if _, ok := a.chk.pkg.Scope().Lookup(m.Args[0]).(*types.Func); ok {
					return &c.Magics[i]
				}
			}
		}
	}
	return nil
}
