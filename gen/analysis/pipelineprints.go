package analysis

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/zengen-dev/zengen/gen/ir"
)

// What a pipeline cell may hold beside step calls.
//
// GoNB compiles the pipeline cell as the body of main, so the notebook
// needs `_ = x` for a result it does not pass on ("declared and not used"
// otherwise), and it shows results with `fmt.Println(r2)`. Both are kept
// as the kernel ran them: `_ = x` does nothing, and a print runs in the
// step whose call it follows, right after that call, so that its lines
// come where the notebook recorded them, among the steps' own output.
// A print may show that call's results and inputs, parameters and
// constants; a result of an earlier call is not loaded by that step, so
// it is refused with the way out.

// blankUse reports whether a statement of the pipeline cell is `_ = x`
// (or `_, _ = x, y`): it uses variables and does nothing else.
func blankUse(node any) bool {
	s, ok := node.(*ast.AssignStmt)
	if !ok || s.Tok != token.ASSIGN || len(s.Lhs) != len(s.Rhs) {
		return false
	}
	for i := range s.Lhs {
		lhs, ok := s.Lhs[i].(*ast.Ident)
		if !ok || lhs.Name != "_" {
			return false
		}
		if _, ok := s.Rhs[i].(*ast.Ident); !ok {
			return false
		}
	}
	return true
}

// printCall returns the fmt function a statement calls, "" if it is not
// fmt.Print, fmt.Println or fmt.Printf.
func (a *analysis) printCall(node any) (string, *ast.CallExpr) {
	es, ok := node.(*ast.ExprStmt)
	if !ok {
		return "", nil
	}
	call, ok := es.X.(*ast.CallExpr)
	if !ok || call.Ellipsis.IsValid() {
		return "", nil
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return "", nil
	}
	fn, ok := a.chk.info.Uses[sel.Sel].(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "fmt" {
		return "", nil
	}
	switch fn.Name() {
	case "Print", "Println", "Printf":
		return fn.Name(), call
	}
	return "", nil
}

// pipelinePrint adds a print of the pipeline cell to the call of last, the
// step called just above it, and reports whether it was one.
func (a *analysis) pipelinePrint(it *item, last *stepBuild, bound map[types.Object]pipelineResult) bool {
	name, call := a.printCall(it.node)
	if call == nil {
		return false
	}
	if last == nil {
		a.errs.Add(a.itemPos(it, 0), "a print in a pipeline cell shows results of the step call above it, and there is none").Hint =
			"move the print below the call whose results it shows"
		return true
	}
	pr := &ir.Print{Func: name, Pos: a.itemPos(it, 0)}
	for _, arg := range call.Args {
		if tv := a.chk.info.Types[arg]; tv.Value != nil {
			pr.Args = append(pr.Args, &ir.Arg{Literal: a.source(arg)})
			continue
		}
		if id, ok := arg.(*ast.Ident); ok {
			if v := a.stepValue(id, last, bound); v != nil {
				pr.Args = append(pr.Args, v)
			}
			continue
		}
		if x := a.printExpr(arg, last, bound); x != nil {
			pr.Args = append(pr.Args, &ir.Arg{Expr: x})
		}
	}
	last.step.Call.Prints = append(last.step.Call.Prints, pr)
	last.prints = append(last.prints, it)
	return true
}

// stepValue is what an identifier of a print stands for in the step of
// last: a result of its call, one of its inputs or a parameter. It reports
// the identifier and returns nil otherwise.
func (a *analysis) stepValue(id *ast.Ident, last *stepBuild, bound map[types.Object]pipelineResult) *ir.Arg {
	obj := a.chk.info.Uses[id]
	if r, ok := bound[obj]; ok {
		switch {
		case r.step == last:
			return &ir.Arg{Result: r.port.Name}
		case inputFrom(last.step, r):
			return &ir.Arg{Input: r.port.Name}
		}
		a.errs.Add(a.posOf(id.Pos()), "this print follows the call of step %s, which does not read %s (returned by %s)", last.step.Name, id.Name, r.step.step.Name).Hint =
			"a print in a pipeline cell runs in the step called just above it; move it below the call of " + r.step.step.Func
		return nil
	}
	if p := a.df.params[obj]; p != nil {
		last.step.Params = appendUnique(last.step.Params, p.Name)
		return &ir.Arg{Param: p.Name}
	}
	a.errs.Add(a.posOf(id.Pos()), "a print in a pipeline cell shows step results, parameters and constants, not %s", id.Name).Hint =
		"print it in the step's function instead"
	return nil
}

// printExpr returns an expression of a print over the step's values, or
// reports why it cannot run in the step. It may hold operators, field
// selections, indexing, conversions to predeclared types and the builtins
// len, cap, min and max: nothing that calls the notebook's code (which
// may print, and takes the step's context when it does) or names a
// package (whose import the generated file would lack).
func (a *analysis) printExpr(e ast.Expr, last *stepBuild, bound map[types.Object]pipelineResult) *ir.Expr {
	info := a.chk.info
	x := &ir.Expr{Code: a.source(e)}
	start := a.offset(e.Pos())
	ok := true
	refuse := func(n ast.Node) {
		if ok {
			a.errs.Add(a.posOf(n.Pos()), "a print in a pipeline cell shows step results, parameters, constants and simple expressions of them, not %s", a.source(n)).Hint =
				"print it in the step's function instead"
		}
		ok = false
	}
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		if !ok || n == nil {
			return false
		}
		switch n := n.(type) {
		case *ast.Ident:
			switch obj := info.Uses[n].(type) {
			case *types.Builtin:
				if n.Name != "len" && n.Name != "cap" && n.Name != "min" && n.Name != "max" {
					refuse(n)
				}
			case *types.TypeName:
				if obj.Parent() != types.Universe {
					refuse(n)
				}
			case *types.Const:
				if obj.Parent() != types.Universe && obj.Parent() != a.chk.pkg.Scope() {
					refuse(n)
				}
			case *types.Nil:
			default:
				v := a.stepValue(n, last, bound)
				if v == nil {
					ok = false
					return false
				}
				x.Refs = append(x.Refs, &ir.Ref{Off: a.offset(n.Pos()) - start, Len: len(n.Name), Arg: v})
			}
		case *ast.SelectorExpr:
			if sel := info.Selections[n]; sel == nil || sel.Kind() != types.FieldVal {
				refuse(n)
				return false
			}
			ast.Inspect(n.X, visit) // not Sel: the field's name is no value
			return false
		case *ast.BasicLit, *ast.ParenExpr, *ast.BinaryExpr, *ast.IndexExpr, *ast.SliceExpr, *ast.CallExpr:
		case *ast.UnaryExpr:
			if n.Op == token.ARROW || n.Op == token.AND {
				refuse(n)
			}
		default:
			refuse(n)
		}
		return ok
	}
	ast.Inspect(e, visit)
	if !ok {
		return nil
	}
	return x
}

// inputFrom reports whether step reads the result r as an input.
func inputFrom(step *ir.Step, r pipelineResult) bool {
	in := ir.InputNamed(step, r.port.Name)
	return in != nil && in.From == r.step.step.Name
}
