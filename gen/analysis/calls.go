package analysis

import (
	"go/ast"
	"go/types"
)

// What a call may do with the memory it is given.
//
// A call given a slice, map, pointer or a value holding one may change
// what it points to (`shuffle(xs)`, `fill(m)`, `rng.Intn(6)`), and its
// result may share that memory (`ys := xs[:2]` through a function). The
// callee decides: the notebook's own functions are read (funcchanges.go),
// builtins, conversions and the standard functions of stdcalls.go are
// known, and any other call, a package's function or a function value,
// is taken to change everything it is given that holds a reference.

// callEffect is what one call may do with its arguments and receiver.
type callEffect struct {
	// changes are the arguments (and the receiver) whose memory the call
	// may change; the call's result may share it too.
	changes []ast.Expr
	// shares are further arguments whose memory the result may share.
	shares []ast.Expr
}

// callEffect returns what call may do with what it is given.
func (a *analysis) callEffect(call *ast.CallExpr) callEffect {
	info := a.chk.info
	fun := ast.Unparen(call.Fun)
	if tv, ok := info.Types[fun]; ok && tv.IsType() {
		return callEffect{shares: call.Args} // a conversion
	}
	switch f := fun.(type) { // an explicit instantiation, slices.Sort[[]int]
	case *ast.IndexExpr:
		fun = ast.Unparen(f.X)
	case *ast.IndexListExpr:
		fun = ast.Unparen(f.X)
	}
	var fn *types.Func
	var recv ast.Expr // the receiver, when the method may change it
	var recvShared ast.Expr
	switch f := fun.(type) {
	case *ast.Ident:
		switch obj := info.Uses[f].(type) {
		case *types.Builtin:
			return builtinEffect(obj.Name(), call.Args)
		case *types.Func:
			fn = obj
		}
	case *ast.SelectorExpr:
		if sel := info.Selections[f]; sel == nil {
			fn, _ = info.Uses[f.Sel].(*types.Func) // a qualified identifier
		} else if sel.Kind() == types.MethodVal {
			fn = sel.Obj().(*types.Func)
			recvShared = f.X
			if a.receiverMayChange(sel) {
				recv = f.X
			}
		}
	}
	if fn == nil {
		return a.unknownEffect(call.Args, recv) // a function value
	}
	changes, recvChanges, shares, copies, known := a.calleeChanges(fn)
	if !known {
		return a.unknownEffect(call.Args, recv)
	}
	var eff callEffect
	if recv != nil && recvChanges {
		eff.changes = append(eff.changes, recv)
	} else if shares && recvShared != nil {
		eff.shares = append(eff.shares, recvShared)
	}
	for i, arg := range call.Args {
		if !a.mayHoldReferences(arg) {
			continue
		}
		if changes(i) {
			eff.changes = append(eff.changes, arg)
		} else if shares && (!copies || elemsHoldReferences(a.chk.info.TypeOf(arg))) {
			eff.shares = append(eff.shares, arg)
		}
	}
	return eff
}

// builtinEffect is what a builtin does with its arguments: append may
// write past the length of the slice it extends and its result holds the
// values appended; copy, clear, delete and close change their first.
func builtinEffect(name string, args []ast.Expr) callEffect {
	if len(args) == 0 {
		return callEffect{}
	}
	switch name {
	case "append":
		return callEffect{changes: args[:1], shares: args[1:]}
	case "copy", "clear", "delete", "close":
		return callEffect{changes: args[:1]}
	}
	return callEffect{}
}

// unknownEffect is the effect of a call whose code analysis cannot read:
// it may change every argument holding a reference, and its receiver.
func (a *analysis) unknownEffect(args []ast.Expr, recv ast.Expr) callEffect {
	var eff callEffect
	if recv != nil {
		eff.changes = append(eff.changes, recv)
	}
	for _, arg := range args {
		if a.mayHoldReferences(arg) {
			eff.changes = append(eff.changes, arg)
		}
	}
	return eff
}

// mayHoldReferences reports whether e's value can share memory with the
// variable it came from.
func (a *analysis) mayHoldReferences(e ast.Expr) bool {
	t := a.chk.info.TypeOf(e)
	return t != nil && holdsReferences(t)
}

// receiverMayChange reports whether a method's code can change the
// variable its receiver expression names: through the address taken for
// a pointer method of an addressable value, or through a reference the
// receiver holds.
func (a *analysis) receiverMayChange(sel *types.Selection) bool {
	sig, ok := sel.Obj().Type().(*types.Signature)
	if !ok || sig.Recv() == nil {
		return false
	}
	_, ptrRecv := types.Unalias(sig.Recv().Type()).(*types.Pointer)
	_, ptrValue := sel.Recv().Underlying().(*types.Pointer)
	return ptrRecv && !ptrValue || holdsReferences(sel.Recv())
}

// calleeChanges says which arguments a call of fn may change (by index
// into the call's arguments), whether it may change its receiver, whether
// its result may share the memory of the arguments it does not change
// (only through their elements, with copies), and whether fn's effect is
// known at all.
func (a *analysis) calleeChanges(fn *types.Func) (changes func(arg int) bool, recv, shares, copies, known bool) {
	sig := fn.Type().(*types.Signature)
	if fn.Pkg() == a.chk.pkg {
		fc := a.funcChanges(fn)
		if fc == nil {
			return nil, false, false, false, false
		}
		n := len(fc.params)
		return func(i int) bool {
			if sig.Variadic() && i >= n-1 {
				i = n - 1
			}
			return i < n && fc.params[i]
		}, fc.recv, false, false, true
	}
	if sig.Recv() != nil && types.IsInterface(sig.Recv().Type()) {
		// A method called through an interface runs whatever the value's
		// type says; only the conventional String and Error are taken to
		// change nothing, as fmt takes them.
		if (fn.Name() == "String" || fn.Name() == "Error") && sig.Params().Len() == 0 {
			return func(int) bool { return false }, false, false, false, true
		}
		return nil, false, false, false, false
	}
	sc, ok := stdCallOf(fn)
	if !ok {
		return nil, false, false, false, false
	}
	return func(i int) bool {
		for _, c := range sc.changes {
			if c == i {
				return true
			}
		}
		return false
	}, sc.changesRecv, sc.shares, sc.copies, true
}

// elemsHoldReferences reports whether the elements of a slice, array or
// map of type t (or a value of any other type) hold references.
func elemsHoldReferences(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Slice:
		return holdsReferences(u.Elem())
	case *types.Array:
		return holdsReferences(u.Elem())
	case *types.Map:
		return holdsReferences(u.Key()) || holdsReferences(u.Elem())
	}
	return holdsReferences(t)
}
