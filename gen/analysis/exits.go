package analysis

import (
	"go/ast"
	goparser "go/parser"
	"go/token"
	"strings"

	"github.com/zengen-dev/zengen/parser"
)

// cellExits refuses a top-level return or defer where the step function
// would not end where the kernel ended the cell. A REPL kernel runs each
// cell as its own function, as GoNB runs each cell's main: a top-level
// return ends that cell only and a top-level defer runs when that cell
// ends. In a step function both act on the whole step instead, so they are
// faithful only in the step's last cell with statements, and only when the
// step passes nothing on: a bare return cannot hand on the outputs (the
// step would not compile), and a deferred change to an output would come
// after the return had copied it. Lowering the cell into a function of its
// own would hide its declarations from the later cells, so it is refused
// with the way out instead.
func (a *analysis) cellExits() {
	where := "at the top level of a cell"
	if a.nb.Dialect == parser.DialectGoNB {
		where = "in a cell's main"
	}
	for _, sb := range a.cellSteps {
		if len(sb.items) == 0 {
			continue
		}
		last := sb.items[len(sb.items)-1].cell
		outputs := len(sb.step.Outputs) > 0
		for _, it := range sb.items {
			if it.kind != itemStmt || (it.cell == last && !outputs) {
				continue
			}
			for _, exit := range topLevelExits(it) {
				pos := a.itemPos(it, exit.rel)
				if it.cell != last {
					a.errs.Add(pos, "a %s %s acts on that cell alone in the kernel, but step %s runs the cells after it in the same function: %s",
						exit.keyword, where, sb.step.Name, exit.effect).Hint =
						"end the step with this cell: put a heading or a //zen:step NAME marker before the next code cell"
					continue
				}
				a.errs.Add(pos, "a %s %s cannot end step %s, which passes %s on to later steps", exit.keyword, where, sb.step.Name, portNames(sb)).Hint =
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
