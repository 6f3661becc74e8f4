package analysis

import (
	"go/ast"
	"go/types"
)

// Calls that change their first argument in place.
//
// A step that sorts a variable another step defined (`sort.Ints(xs)`)
// changes it as an assignment would: later steps must read the sorted
// value from it. Analysis cannot see what an arbitrary function does to
// the slice, map or pointer it is given; these standard functions and
// builtins are the common ones that change it, and are treated as
// writes of the variable the argument names.

// inPlace lists the standard functions that change their first argument,
// by package path and name.
var inPlace = map[string]map[string]bool{
	"sort":   {"Ints": true, "Strings": true, "Float64s": true, "Slice": true, "SliceStable": true, "Sort": true, "Stable": true},
	"slices": {"Sort": true, "SortFunc": true, "SortStableFunc": true, "Reverse": true},
}

// changedArg returns the argument a call changes in place, or nil.
func (a *analysis) changedArg(call *ast.CallExpr) ast.Expr {
	if len(call.Args) == 0 {
		return nil
	}
	var obj types.Object
	switch f := call.Fun.(type) {
	case *ast.Ident:
		obj = a.chk.info.Uses[f]
	case *ast.SelectorExpr:
		obj = a.chk.info.Uses[f.Sel]
	case *ast.IndexExpr: // an explicit instantiation, slices.Sort[[]int]
		if sel, ok := f.X.(*ast.SelectorExpr); ok {
			obj = a.chk.info.Uses[sel.Sel]
		}
	}
	switch obj := obj.(type) {
	case *types.Builtin:
		if obj.Name() == "copy" || obj.Name() == "clear" {
			return call.Args[0]
		}
	case *types.Func:
		if obj.Pkg() != nil && inPlace[obj.Pkg().Path()][obj.Name()] {
			return call.Args[0]
		}
	}
	return nil
}
