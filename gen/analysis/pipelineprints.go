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
	info := a.chk.info
	pr := &ir.Print{Func: name, Pos: a.itemPos(it, 0)}
	for _, arg := range call.Args {
		if id, ok := arg.(*ast.Ident); ok {
			obj := info.Uses[id]
			if r, ok := bound[obj]; ok {
				switch {
				case r.step == last:
					pr.Args = append(pr.Args, &ir.Arg{Result: r.port.Name})
					continue
				case r.step != last && inputFrom(last.step, r):
					pr.Args = append(pr.Args, &ir.Arg{Input: r.port.Name})
					continue
				}
				a.errs.Add(a.posOf(id.Pos()), "this print follows the call of step %s, which does not read %s (returned by %s)", last.step.Name, id.Name, r.step.step.Name).Hint =
					"a print in a pipeline cell runs in the step called just above it; move it below the call of " + r.step.step.Func
				continue
			}
			if p := a.df.params[obj]; p != nil {
				pr.Args = append(pr.Args, &ir.Arg{Param: p.Name})
				last.step.Params = appendUnique(last.step.Params, p.Name)
				continue
			}
		}
		if tv := info.Types[arg]; tv.Value != nil {
			pr.Args = append(pr.Args, &ir.Arg{Literal: a.source(arg)})
			continue
		}
		a.errs.Add(a.posOf(arg.Pos()), "a print in a pipeline cell shows step results, parameters and constants, not %s", a.source(arg)).Hint =
			"print it in the step's function instead"
	}
	last.step.Call.Prints = append(last.step.Call.Prints, pr)
	last.prints = append(last.prints, it)
	return true
}

// inputFrom reports whether step reads the result r as an input.
func inputFrom(step *ir.Step, r pipelineResult) bool {
	in := ir.InputNamed(step, r.port.Name)
	return in != nil && in.From == r.step.step.Name
}
