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

// changedExprs calls found for every expression that the code of roots
// may change, with the node that changes it. The expression's root
// variable (rootIdent) is the one changed.
//
// A copy into a variable local to roots (`p := b` in a GoNB cell or a
// function body, `for _, row := range grid`) changes nothing by itself:
// what changes the local's memory changes the variables it copied, so
// such changes are found for them too, once roots are walked.
func (a *analysis) changedExprs(roots []ast.Node, found func(e ast.Expr, at ast.Node, kind changeKind)) {
	info := a.chk.info
	scope := a.chk.pkg.Scope()
	// local is the variable declared inside roots that a bare identifier
	// names, nil for any other: a step variable of the REPL is no local,
	// later steps read it.
	inside := func(p token.Pos) bool {
		for _, r := range roots {
			if p >= r.Pos() && p < r.End() {
				return true
			}
		}
		return false
	}
	local := func(e ast.Expr) types.Object {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			return nil
		}
		obj := info.Defs[id]
		if obj == nil {
			obj = info.Uses[id]
		}
		v, ok := obj.(*types.Var)
		if !ok || v.Parent() == scope || !inside(v.Pos()) {
			return nil
		}
		if a.program != nil && a.df != nil && a.df.vars[v] != nil {
			return nil
		}
		return v
	}
	// copied lists, by local, the identifiers whose memory it may hold.
	copied := map[types.Object][]*ast.Ident{}
	type change struct {
		e    ast.Expr
		at   ast.Node
		kind changeKind
	}
	var changes []change
	report := found
	found = func(e ast.Expr, at ast.Node, kind changeKind) {
		changes = append(changes, change{e, at, kind})
	}
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
	// copies records e's memory as held by target when target is a local,
	// and reports it shared otherwise.
	copies := func(target, e ast.Expr, at ast.Node) {
		if t := info.TypeOf(e); t == nil || !holdsReferences(t) {
			return
		}
		if l := local(target); l != nil {
			copied[l] = append(copied[l], a.sharedRoots(e)...)
			return
		}
		shares(e, at)
	}
	called := map[ast.Expr]bool{}
	visit := func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok != token.DEFINE {
				for _, l := range n.Lhs {
					assigned(l, l)
				}
			}
			for i, r := range n.Rhs {
				if len(n.Lhs) == len(n.Rhs) {
					copies(n.Lhs[i], r, r)
				} else {
					shares(r, r)
				}
			}
		case *ast.ValueSpec:
			for i, v := range n.Values {
				if len(n.Names) == len(n.Values) {
					copies(n.Names[i], v, v)
				} else {
					shares(v, v)
				}
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
					if l := local(n.Value); l != nil {
						copied[l] = append(copied[l], a.sharedRoots(n.X)...)
					} else {
						found(n.X, n, changeWrites)
					}
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
	}
	for _, r := range roots {
		ast.Inspect(r, visit)
	}
	for _, ch := range changes {
		report(ch.e, ch.at, ch.kind)
		id := rootIdent(ch.e)
		if id == nil || ch.kind == changeRebinds {
			continue
		}
		seen := map[types.Object]bool{}
		var through func(obj types.Object)
		through = func(obj types.Object) {
			if obj == nil || seen[obj] {
				return
			}
			seen[obj] = true
			for _, src := range copied[obj] {
				report(src, ch.at, changeShares)
				through(info.Uses[src])
			}
		}
		if l := local(id); l != nil {
			through(l)
		}
	}
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
