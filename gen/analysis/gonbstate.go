package analysis

import (
	"go/ast"
	"go/token"
	"go/types"
	"sort"

	"github.com/zengen-dev/zengen/parser"
)

// GoNB cells share no state.
//
// GoNB runs every cell as a fresh program, so a package-level variable
// starts each cell as its declaration sets it: a change a cell makes is
// gone in the next cell. The pipeline's steps share one process (and a
// cached step does not run at all), so a later cell would see the change.
// A cell whose code (or a function it calls) assigns to a package-level
// variable, its field or element, increments it, takes its address or
// calls a pointer method on it, while a later cell reads that variable, is
// refused at the change. A change through a pointer the variable holds
// (`rng.Intn(6)` on `var rng = rand.New(…)`) is not seen.

// gonbCarriedState reports changes of package-level variables that a later
// cell would see. It reports false when there is one.
func (a *analysis) gonbCarriedState() bool {
	if a.nb.Dialect != parser.DialectGoNB {
		return true
	}
	info := a.chk.info
	scope := a.chk.pkg.Scope()
	pkgVar := func(obj types.Object) *types.Var {
		if v, ok := obj.(*types.Var); ok && v.Parent() == scope {
			return v
		}
		return nil
	}
	// root is the package-level variable an expression changes, if any.
	root := func(e ast.Expr) *types.Var {
		for {
			switch x := e.(type) {
			case *ast.ParenExpr:
				e = x.X
			case *ast.SelectorExpr:
				if info.Selections[x] == nil {
					return nil // a qualified identifier: another package's
				}
				e = x.X
			case *ast.IndexExpr:
				e = x.X
			case *ast.StarExpr:
				e = x.X
			case *ast.Ident:
				return pkgVar(info.Uses[x])
			default:
				return nil
			}
		}
	}
	var cells []*parser.Cell
	stmts := map[*parser.Cell][]*item{}
	for _, it := range a.items {
		if it.kind == itemStmt {
			if stmts[it.cell] == nil {
				cells = append(cells, it.cell)
			}
			stmts[it.cell] = append(stmts[it.cell], it)
		}
	}
	if len(cells) < 2 {
		return true
	}
	var decls []*item
	for _, it := range a.packageDecls() {
		if it.node != nil {
			decls = append(decls, it)
		}
	}
	owners := a.declOwners(decls)
	type change struct {
		v    *types.Var
		node ast.Node
	}
	changes := make([][]change, len(cells))
	reads := make([]map[*types.Var]bool, len(cells))
	for i, c := range cells {
		reads[i] = map[*types.Var]bool{}
		seen := map[token.Pos]bool{}
		changed := func(e ast.Expr, at ast.Node) {
			if v := root(e); v != nil && !seen[at.Pos()] {
				seen[at.Pos()] = true
				changes[i] = append(changes[i], change{v, at})
			}
		}
		for _, it := range a.reachedItems(stmts[c], owners) {
			if it.node == nil {
				continue
			}
			if _, isFunc := it.node.(*ast.FuncDecl); !isFunc && it.kind != itemStmt {
				continue // an initialiser runs once, as it ran in every cell
			}
			ast.Inspect(it.node.(ast.Node), func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.Ident:
					if v := pkgVar(info.Uses[n]); v != nil {
						reads[i][v] = true
					}
				case *ast.AssignStmt:
					if n.Tok != token.DEFINE {
						for _, l := range n.Lhs {
							changed(l, l)
						}
					}
				case *ast.IncDecStmt:
					changed(n.X, n)
				case *ast.UnaryExpr:
					if n.Op == token.AND {
						changed(n.X, n)
					}
				case *ast.SelectorExpr:
					if sel := info.Selections[n]; sel != nil && sel.Kind() == types.MethodVal {
						if sig, ok := sel.Obj().Type().(*types.Signature); ok && sig.Recv() != nil {
							_, ptrRecv := types.Unalias(sig.Recv().Type()).(*types.Pointer)
							_, ptrValue := types.Unalias(sel.Recv()).Underlying().(*types.Pointer)
							if ptrRecv && !ptrValue {
								changed(n.X, n)
							}
						}
					}
				}
				return true
			})
		}
		sort.Slice(changes[i], func(x, y int) bool { return changes[i][x].node.Pos() < changes[i][y].node.Pos() })
	}
	ok := true
	reported := map[token.Pos]bool{}
	for i, cs := range changes {
		for _, ch := range cs {
			for j := i + 1; j < len(cells) && !reported[ch.node.Pos()]; j++ {
				if reads[j][ch.v] {
					reported[ch.node.Pos()] = true
					ok = false
					a.errs.Add(a.posOf(ch.node.Pos()), "cell %d changes %s, which cell %d reads: GoNB ran each cell as a fresh program, so cell %d saw %s as its declaration sets it, while the pipeline's steps share one process", a.cellNumber(cells[i]), ch.v.Name(), a.cellNumber(cells[j]), a.cellNumber(cells[j]), ch.v.Name()).Hint =
						"give the cell that reads " + ch.v.Name() + " its own value (set it there), or keep the change inside one cell"
					break
				}
			}
		}
	}
	return ok
}
