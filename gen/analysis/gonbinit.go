package analysis

import (
	"go/ast"
	"go/token"
	"strings"

	"github.com/zengen-dev/zengen/parser"
)

// GoNB's program initialisation.
//
// GoNB runs every cell as a fresh program: the package-level variables'
// initialisers and the init functions run again before each cell's main,
// and what they print is part of that cell's output. A `func init_NAME()`
// is an init function too (GoNB renders it as `func init()`), kept under
// its own name so that several can live side by side; a later `func
// init()` or `func init_NAME()` replaces the earlier one, and `%rm
// init_NAME` removes it. A pipeline is one process: its init functions run
// once, before any step. So:
//
//   - init_NAME becomes an init function of the generated package, as in
//     GoNB, rather than a function nothing calls;
//   - what initialisation prints would appear once, in no step, where GoNB
//     printed it in every cell: refused at the print;
//   - a step's cell must have run with the init functions the package has:
//     one declared, replaced or removed after a cell of a step ran, before
//     a later step's cell, is refused at that declaration or removal.

// gonbInitFunc reports whether a declaration is a GoNB init function.
func gonbInitFunc(it *item) bool {
	return it.kind == itemDecl && it.keyword == "func" && !it.method && (it.name == "init" || strings.HasPrefix(it.name, "init_"))
}

// renameGoNBInits makes the init_NAME functions init functions of the
// check file and the generated code.
func (a *analysis) renameGoNBInits(decls []*item) {
	if a.nb.Dialect != parser.DialectGoNB {
		return
	}
	for _, it := range decls {
		if gonbInitFunc(it) && it.name != "init" {
			if off, ok := declaredNameAt(it, it.name); ok {
				it.addSynEdit(edit{off, off + len(it.name), "init"})
			}
		}
	}
}

// gonbInitPrints reports what GoNB's initialisation prints: init functions
// and package-level variables' initialisers, and what they call. Displays
// there are refused for every kernel (displaysOutsideSteps).
func (a *analysis) gonbInitPrints(decls []*item, logRedirected bool) {
	if a.nb.Dialect != parser.DialectGoNB {
		return
	}
	owners := a.declOwners(decls)
	reported := map[token.Pos]bool{}
	for _, it := range decls {
		var where string
		switch d := it.node.(type) {
		case *ast.FuncDecl:
			if !gonbInitFunc(it) {
				continue
			}
			where = "the init function " + it.name
		case *ast.GenDecl:
			if d.Tok != token.VAR {
				continue
			}
			where = "a package-level variable's initialiser"
		default:
			continue
		}
		for _, r := range a.reachedItems([]*item{it}, owners) {
			if r.node == nil {
				continue
			}
			for _, site := range a.printSites(r.node.(ast.Node), logRedirected) {
				if reported[site.node.Pos()] {
					continue
				}
				reported[site.node.Pos()] = true
				in := where
				if r != it {
					in = "code that " + where + " at " + a.shortPos(a.itemPos(it, it.tokenOffset())) + " reaches"
				}
				a.errs.Add(a.posOf(site.node.Pos()), "%s in %s prints before every cell's main: GoNB runs each cell as a fresh program, so this is in every cell's output, while a pipeline initialises once, before any step, where no step records it", site.what, in).Hint =
					"print it from the steps that need it (or a function they call)"
			}
		}
	}
}

// gonbInitChanges refuses an init function declared, replaced or removed
// between two cells that run statements: the pipeline runs one set.
func (a *analysis) gonbInitChanges() bool {
	if a.nb.Dialect != parser.DialectGoNB {
		return true
	}
	// runs are the indexes in nb.Cells of cells with statements.
	var runs []int
	stmtCells := map[*parser.Cell]bool{}
	for _, it := range a.items {
		if it.kind == itemStmt {
			stmtCells[it.cell] = true
		}
	}
	for i, c := range a.nb.Cells {
		if stmtCells[c] {
			runs = append(runs, i)
		}
	}
	if len(runs) < 2 {
		return true
	}
	first, last := runs[0], runs[len(runs)-1]
	order := map[*parser.Cell]int{}
	for i, c := range a.nb.Cells {
		order[c] = i
	}
	ok := true
	for _, it := range a.items {
		// A cell's declarations are in place before its own main runs.
		if i := order[it.cell]; gonbInitFunc(it) && i > first && i <= last {
			ok = false
			a.errs.Add(a.itemPos(it, it.tokenOffset()), "func %s is declared after cell %d ran: GoNB ran the cells before with the init functions of their time and the cells from here on with this one, while a pipeline runs one set of init functions, once, before all steps", it.name, a.cellNumber(a.nb.Cells[first])).Hint =
				"declare the init functions before the first cell that runs code"
		}
	}
	for i, c := range a.nb.Cells {
		if i <= first || i > last || c.Kind != parser.Code || a.roles[c] == roleSkip {
			continue
		}
		for _, m := range c.Magics {
			if !declarationMagic(m) {
				continue
			}
			declared := map[string]bool{} // the init functions above this cell
			for _, it := range a.items {
				if gonbInitFunc(it) && order[it.cell] < i {
					declared[it.name] = true
				}
			}
			names := m.Args
			if m.Name == "reset" {
				names = sortedKeys(declared)
			}
			for _, n := range names {
				if declared[n] {
					ok = false
					a.errs.Add(m.Pos, "`%s` removes init functions after cell %d ran: GoNB ran the cells before with them and the cells from here on without, while a pipeline runs one set of init functions, once, before all steps", strings.TrimSpace(m.Text), a.cellNumber(a.nb.Cells[first])).Hint =
						"remove the init functions before the first cell that runs code, or leave them"
					break
				}
			}
		}
	}
	return ok
}
