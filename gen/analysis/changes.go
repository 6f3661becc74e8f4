package analysis

import (
	"go/ast"
	"go/token"
	"go/types"
)

// What code may change.
//
// A step passes a variable on as it left it, so analysis must find every
// way the step's code may change it: an assignment (also to a field,
// element or through a pointer), an increment, taking its address, a
// copy that shares its memory and may be changed through (`p := b`,
// `row := grid[0]`), and a call given the variable or a copy of it (calls.go
// says which calls may change what they are given). One walk finds them
// for the dataflow of cell steps (dataflow.go), the package-level
// variables of GoNB cells and function steps (pkgvars.go) and the
// parameters of the notebook's functions (funcchanges.go).

// changeKind tells a consumer of changedExprs how an expression changes.
type changeKind int

const (
	// changeWrites changes the memory the expression's variable names or
	// shares.
	changeWrites changeKind = iota
	// changeRebinds assigns a new value to the variable itself (`x = …`,
	// `x++`): the variable changes, the memory it held does not.
	changeRebinds
	// changeShares copies the variable's memory (`p := b`): a change
	// through the copy changes the variable.
	changeShares
	// changeCalls gives the variable's memory to a call that may change
	// it.
	changeCalls
)

// changedExprs calls found for every expression that n's code may change,
// with the node that changes it. The expression's root variable
// (rootIdent) is the one changed.
func (a *analysis) changedExprs(n ast.Node, found func(e ast.Expr, at ast.Node, kind changeKind)) {
	info := a.chk.info
	assigned := func(e, at ast.Node) {
		expr := e.(ast.Expr)
		kind := changeWrites
		if _, bare := ast.Unparen(expr).(*ast.Ident); bare {
			kind = changeRebinds
		}
		found(expr, at.(ast.Node), kind)
	}
	shares := func(e ast.Expr, at ast.Node) {
		if t := info.TypeOf(e); t != nil && holdsReferences(t) {
			for _, id := range a.sharedRoots(e) {
				found(id, at, changeShares)
			}
		}
	}
	called := map[ast.Expr]bool{}
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok != token.DEFINE {
				for _, l := range n.Lhs {
					assigned(l, l)
				}
			}
			for _, r := range n.Rhs {
				shares(r, r)
			}
		case *ast.ValueSpec:
			for _, v := range n.Values {
				shares(v, v)
			}
		case *ast.ReturnStmt:
			// A function that returns its parameter's memory lets its
			// caller change the argument through the result.
			for _, r := range n.Results {
				shares(r, r)
			}
		case *ast.SendStmt:
			shares(n.Value, n)
		case *ast.IncDecStmt:
			assigned(n.X, n)
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				found(n.X, n, changeWrites)
			}
		case *ast.RangeStmt:
			if n.Tok == token.ASSIGN {
				if n.Key != nil {
					assigned(n.Key, n.Key)
				}
				if n.Value != nil {
					assigned(n.Value, n.Value)
				}
			}
			if n.Value != nil {
				if t := info.TypeOf(n.Value); t != nil && holdsReferences(t) {
					found(n.X, n, changeWrites)
				}
			}
		case *ast.CallExpr:
			called[ast.Unparen(n.Fun)] = true
			for _, e := range a.callEffect(n).changes {
				for _, id := range a.sharedRoots(e) {
					found(id, n, changeCalls)
				}
			}
		case *ast.SelectorExpr:
			// A method value not called here (`f := c.Inc`) may change its
			// receiver whenever it is called.
			if sel := info.Selections[n]; sel != nil && sel.Kind() == types.MethodVal && !called[n] {
				if a.methodValueChanges(sel) {
					found(n.X, n, changeShares)
				}
			}
		}
		return true
	})
}

// sharedRoots returns the variables whose memory e's value may share: a
// copy of e changes them when changed through.
func (a *analysis) sharedRoots(e ast.Expr) []*ast.Ident {
	info := a.chk.info
	switch x := e.(type) {
	case *ast.Ident:
		return []*ast.Ident{x}
	case *ast.ParenExpr:
		return a.sharedRoots(x.X)
	case *ast.SelectorExpr:
		if info.Selections[x] == nil {
			return nil // another package's variable
		}
		return a.sharedRoots(x.X)
	case *ast.IndexExpr:
		return a.sharedRoots(x.X)
	case *ast.IndexListExpr:
		return a.sharedRoots(x.X)
	case *ast.SliceExpr:
		return a.sharedRoots(x.X)
	case *ast.StarExpr:
		return a.sharedRoots(x.X)
	case *ast.TypeAssertExpr:
		return a.sharedRoots(x.X)
	case *ast.UnaryExpr:
		if x.Op == token.AND {
			return a.sharedRoots(x.X)
		}
	case *ast.CompositeLit:
		var out []*ast.Ident
		for _, el := range x.Elts {
			if kv, ok := el.(*ast.KeyValueExpr); ok {
				el = kv.Value
			}
			if t := info.TypeOf(el); t != nil && holdsReferences(t) {
				out = append(out, a.sharedRoots(el)...)
			}
		}
		return out
	case *ast.CallExpr:
		var out []*ast.Ident
		eff := a.callEffect(x)
		for _, arg := range append(eff.changes, eff.shares...) {
			if t := info.TypeOf(arg); t != nil && holdsReferences(t) {
				out = append(out, a.sharedRoots(arg)...)
			}
		}
		return out
	}
	return nil
}

// methodValueChanges reports whether calling a method value may change
// the variable its receiver names.
func (a *analysis) methodValueChanges(sel *types.Selection) bool {
	if !a.receiverMayChange(sel) {
		return false
	}
	_, recv, _, _, known := a.calleeChanges(sel.Obj().(*types.Func))
	return recv || !known
}
