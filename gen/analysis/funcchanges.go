package analysis

import (
	"go/ast"
	"go/types"
)

// Which parameters the notebook's functions may change.
//
// `shuffle(xs)` changes xs when shuffle's code writes through its
// parameter, directly, through a copy, by returning it (the caller may
// change the result) or by passing it to a call that may change it. The
// notebook's functions are read to tell, so that a call of one that only
// reads what it is given (`mean(xs)`) changes nothing. A function that
// reaches itself again while being read is taken to change everything.

// funcChange says which of a function's parameters, and whether its
// receiver, a call may change.
type funcChange struct {
	params []bool
	recv   bool
}

// funcChanges returns what the notebook's function fn may change, nil
// when its declaration is not found or while it is being read (a
// recursive call).
func (a *analysis) funcChanges(fn *types.Func) *funcChange {
	if a.funcDecls == nil {
		a.funcDecls = map[*types.Func]*ast.FuncDecl{}
		a.funcChanged = map[*types.Func]*funcChange{}
		for _, d := range a.chk.file.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				if f, ok := a.chk.info.Defs[fd.Name].(*types.Func); ok {
					a.funcDecls[f] = fd
				}
			}
		}
	}
	fn = fn.Origin()
	if fc, ok := a.funcChanged[fn]; ok {
		return fc // nil while being read
	}
	fd := a.funcDecls[fn]
	if fd == nil {
		return nil
	}
	a.funcChanged[fn] = nil
	changed := map[types.Object]bool{}
	a.changedExprs([]ast.Node{fd.Body}, func(e ast.Expr, _ ast.Node, kind changeKind) {
		if kind == changeRebinds {
			return // a parameter given a new value leaves the caller's alone
		}
		if id := rootIdent(e); id != nil {
			changed[a.chk.info.Uses[id]] = true
		}
	})
	fc := &funcChange{}
	for _, field := range fd.Type.Params.List {
		for _, name := range field.Names {
			fc.params = append(fc.params, changed[a.chk.info.Defs[name]])
		}
		if len(field.Names) == 0 {
			fc.params = append(fc.params, false)
		}
	}
	if fd.Recv != nil {
		for _, field := range fd.Recv.List {
			for _, name := range field.Names {
				fc.recv = changed[a.chk.info.Defs[name]]
			}
		}
	}
	a.funcChanged[fn] = fc
	return fc
}
