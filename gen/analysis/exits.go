package analysis

import (
	"go/ast"
	goparser "go/parser"
	"go/token"
	"strings"

	"github.com/zengen-dev/zengen/parser"
)

// cellExits makes a top-level return or defer act on its cell alone, as
// the kernel did. A REPL kernel runs each cell as its own function, as
// GoNB runs each cell's main: a top-level return ends that cell only and a
// top-level defer runs when that cell ends. In a step function both act on
// the whole step instead, so they are faithful as they stand only in the
// step's last cell with statements, and only when the step passes nothing
// on (a bare return cannot hand on the outputs, and a deferred change to
// an output would come after the return had copied it). Elsewhere the
// cell's statements from the first that holds one run in a function
// literal of their own, called where they stand, so that the return ends
// the cell and the defers run at its end. That hides what those
// statements declare from the cells after them: in a REPL cell a name
// declared at the top level (which later cells see in the kernel), in any
// cell one of the step's outputs, is refused instead. A GoNB cell's
// declarations in main were its own.
func (a *analysis) cellExits() {
	where := "at the top level of a cell"
	if a.nb.Dialect == parser.DialectGoNB {
		where = "in a cell's main"
	}
	a.flow.ownFunc = map[*item]bool{}
	for _, sb := range a.cellSteps {
		if len(sb.items) == 0 {
			continue
		}
		last := sb.items[len(sb.items)-1].cell
		outputs := map[string]bool{}
		for _, p := range sb.step.Outputs {
			outputs[p.Name] = true
		}
		for i := 0; i < len(sb.items); i++ {
			it := sb.items[i]
			if it.kind != itemStmt || (it.cell == last && len(outputs) == 0) {
				continue
			}
			exits := topLevelExits(it)
			if len(exits) == 0 {
				continue
			}
			// The rest of the cell, from this statement on.
			var declares []string
			end := i
			for ; end < len(sb.items) && sb.items[end].cell == it.cell; end++ {
				for _, name := range sb.items[end].defines {
					if a.nb.Dialect != parser.DialectGoNB || outputs[name] {
						declares = append(declares, name)
					}
				}
			}
			if len(declares) == 0 {
				a.flow.ownFunc[it] = true
				i = end - 1
				continue
			}
			for _, exit := range exits {
				pos := a.itemPos(it, exit.rel)
				if it.cell != last {
					a.errs.Add(pos, "a %s %s acts on that cell alone in the kernel, but step %s runs the cells after it in the same function: %s, and the cell declares %s after it, which the cells after it would not see if the rest of the cell ran as a function of its own",
						exit.keyword, where, sb.step.Name, exit.effect, strings.Join(declares, ", ")).Hint =
						"end the step with this cell: put a heading or a //zen:step NAME marker before the next code cell"
					continue
				}
				a.errs.Add(pos, "a %s %s cannot end step %s, which passes %s on to later steps, and the cell declares %s after it, which a function of its own would hide", exit.keyword, where, sb.step.Name, portNames(sb), strings.Join(declares, ", ")).Hint =
					"keep the code after the early exit in an else branch, or move it into a function that the cell calls"
			}
		}
	}
}

// cellExit is a return or defer statement outside any function literal.
type cellExit struct {
	keyword string
	effect  string // what it does to the cells after it in a step
	rel     int    // byte offset in the item's text
}

// topLevelExits finds the return and defer statements of a statement item
// that act on the cell itself: those outside its function literals.
func topLevelExits(it *item) []cellExit {
	const prefix, suffix = "package p\nfunc _() {\n", "\n}"
	f, err := goparser.ParseFile(token.NewFileSet(), "", prefix+it.text+suffix, goparser.SkipObjectResolution)
	if err != nil {
		return nil // syntaxCheck has reported it
	}
	var exits []cellExit
	ast.Inspect(f.Decls[0].(*ast.FuncDecl).Body, func(n ast.Node) bool {
		rel := func() int { return int(n.Pos()) - 1 - len(prefix) }
		switch n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			exits = append(exits, cellExit{keyword: "return", effect: "the return would skip them", rel: rel()})
		case *ast.DeferStmt:
			exits = append(exits, cellExit{keyword: "defer", effect: "the deferred call would run after them", rel: rel()})
		}
		return true
	})
	return exits
}

// portNames lists the names of a step's outputs for a message.
func portNames(sb *stepBuild) string {
	names := make([]string, len(sb.step.Outputs))
	for i, p := range sb.step.Outputs {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}
