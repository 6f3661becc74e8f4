package gen

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
)

// functionDataflow reads the //zen:pipeline cell: each statement calls one
// function step, and its arguments are earlier results, parameters or
// constants.
func (a *analysis) functionDataflow() {
	if len(a.funcSteps) == 0 {
		return
	}
	info := a.chk.info
	byFunc := map[types.Object]*stepBuild{}
	for _, sb := range a.funcSteps {
		fd, ok := sb.fn.node.(*ast.FuncDecl)
		if !ok {
			continue
		}
		obj := info.Defs[fd.Name]
		byFunc[obj] = sb
		if !fd.Name.IsExported() {
			if other := a.chk.pkg.Scope().Lookup(sb.step.Func); other != nil {
				a.errs.Add(sb.step.Pos, "function step %s would be exported as %s, which the notebook already declares", fd.Name.Name, sb.step.Func)
			} else {
				a.renameObject(obj, fd.Name, sb.step.Func)
			}
		}
	}
	if a.pipelineCell == nil {
		for _, sb := range a.funcSteps {
			a.errs.Add(sb.step.Pos, "function step %s is never called: no cell is marked //zen:pipeline", sb.step.Name).Hint =
				"add a cell with //zen:pipeline NAME that calls the steps, e.g. data := Load(path)"
		}
		return
	}
	// results maps a variable bound in the pipeline cell to its producer.
	type result struct {
		step *stepBuild
		port *Port
	}
	results := map[types.Object]result{}
	for _, it := range a.cellItems[a.pipelineCell] {
		if it.kind != itemStmt {
			continue
		}
		call, lhs := pipelineCall(it.node)
		var sb *stepBuild
		if call != nil {
			if id, ok := call.Fun.(*ast.Ident); ok {
				sb = byFunc[info.Uses[id]]
			}
		}
		if sb == nil {
			a.errs.Add(a.itemPos(it, 0), "pipeline cells hold only step calls").Hint =
				"write one call of a //zen:step function per line, e.g. model, err := Train(data, lr); move other code into a step"
			continue
		}
		if sb.callItem != nil {
			a.errs.Add(a.itemPos(it, 0), "step %s is called twice (first at %s)", sb.step.Name, a.shortPos(sb.step.Call.Pos))
			continue
		}
		sb.callItem = it
		sig := info.Uses[call.Fun.(*ast.Ident)].Type().(*types.Signature)
		c := &Call{Pos: a.itemPos(it, 0)}
		sb.step.Call = c
		for i, arg := range call.Args {
			paramName := fmt.Sprintf("arg%d", i)
			if i < sig.Params().Len() {
				paramName = sig.Params().At(i).Name()
			}
			if id, ok := arg.(*ast.Ident); ok {
				obj := info.Uses[id]
				if r, ok := results[obj]; ok {
					c.Args = append(c.Args, &Arg{Input: r.port.Name})
					in := *r.port
					in.From, in.Pos, in.Metric = r.step.step.Name, a.posOf(id.Pos()), false
					sb.step.Inputs = append(sb.step.Inputs, &in)
					a.p.Edges = append(a.p.Edges, &Edge{From: r.step.step.Name, To: sb.step.Name, Var: r.port.Name,
						Why: fmt.Sprintf("%s reads %s, returned by %s at %s", sb.step.Name, r.port.Name, r.step.step.Name, a.shortPos(r.port.Pos))})
					continue
				}
				if p := a.df.params[obj]; p != nil {
					c.Args = append(c.Args, &Arg{Param: p.Name})
					sb.step.Params = appendUnique(sb.step.Params, p.Name)
					continue
				}
			}
			if tv := info.Types[arg]; tv.Value != nil {
				c.Args = append(c.Args, &Arg{Literal: a.source(arg)})
				continue
			}
			a.errs.Add(a.posOf(arg.Pos()), "argument %s of %s must be an earlier step's result, a parameter or a constant", paramName, sb.step.Func)
		}
		n := sig.Results().Len()
		if n > 0 && isErrorType(sig.Results().At(n-1).Type()) {
			c.Error = true
		}
		for i, e := range lhs {
			id, _ := e.(*ast.Ident)
			if id == nil {
				a.errs.Add(a.posOf(e.Pos()), "pipeline results must be plain variables")
				continue
			}
			c.Results = append(c.Results, id.Name)
			if id.Name == "_" || i >= n || c.Error && i == n-1 {
				continue
			}
			obj := info.Defs[id]
			if obj == nil {
				obj = info.Uses[id]
			}
			p := a.port(id.Name, id.Name, sig.Results().At(i).Type(), a.posOf(id.Pos()), sb)
			sb.step.Outputs = append(sb.step.Outputs, p)
			results[obj] = result{sb, p}
		}
		if len(lhs) == 0 && n > 0 && !(n == 1 && c.Error) {
			a.errs.Add(c.Pos, "the results of %s are dropped", sb.step.Func).Hint = "bind them, e.g. x := " + sb.step.Func + "(…), or use _"
		}
	}
	for _, sb := range a.funcSteps {
		if sb.callItem == nil {
			a.errs.Add(sb.step.Pos, "function step %s is never called in the //zen:pipeline cell", sb.step.Name)
		}
	}
}

// pipelineCall returns the call of a pipeline-cell statement and the
// variables it binds, or nil if the statement is something else.
func pipelineCall(node any) (*ast.CallExpr, []ast.Expr) {
	switch s := node.(type) {
	case *ast.ExprStmt:
		call, _ := s.X.(*ast.CallExpr)
		return call, nil
	case *ast.AssignStmt:
		if len(s.Rhs) != 1 || s.Tok != token.DEFINE && s.Tok != token.ASSIGN {
			return nil, nil
		}
		call, _ := s.Rhs[0].(*ast.CallExpr)
		return call, s.Lhs
	}
	return nil, nil
}
