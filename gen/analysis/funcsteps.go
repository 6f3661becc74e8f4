package analysis

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/zengen-dev/zengen/gen/ir"
	"github.com/zengen-dev/zengen/parser"
)

// How the //zen:pipeline cell maps onto function steps:
//
//   - Each statement calls one //zen:step function: `data := Load(path)`,
//     `model, loss := Train(data, lr)`, `_ = Top(counts, n)` or the bare
//     call `Top(counts, n)`. Arguments are earlier results, parameters or
//     constants.
//   - A result bound to a variable is stored as an artifact under the
//     variable's name, and later calls that pass the variable read it.
//   - A result bound to _ is dropped, as the notebook asks.
//   - The results of a bare call are stored too, so that `cat` and lineage
//     show what the step computed even though the notebook ignores it: a
//     single result is named after the step (`top`), several are numbered
//     from 0 in order (`top_0`, `top_1`). A trailing error result never
//     becomes an artifact; it fails the step.
//   - `//zen:metric x` anywhere in the cell records the result bound to x
//     (a number) as its step's metric; `//zen:output x` names a result that
//     is stored anyway and only checks that it exists. When several calls
//     bind x (a REPL may redeclare it), the directive means the first one
//     below it, or else the last one above it.

// pipelineResult is one stored result of a call in the pipeline cell.
type pipelineResult struct {
	step *stepBuild
	port *ir.Port
	typ  types.Type
	line int // cell-relative line of the call statement
}

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
	// bound maps a variable bound in the pipeline cell to its producer;
	// byName lists every stored result by name, in cell order, for the
	// //zen:metric and //zen:output directives.
	bound := map[types.Object]pipelineResult{}
	byName := map[string][]pipelineResult{}
	var last *stepBuild // the step called last, whose call a print follows
	for _, it := range a.cellItems[a.pipelineCell] {
		if it.kind != itemStmt {
			continue
		}
		if blankUse(it.node) || a.pipelinePrint(it, last, bound) {
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
			a.errs.Add(a.itemPos(it, 0), "pipeline cells hold only step calls, prints of their results and _ = x").Hint =
				"write one call of a //zen:step function per line, e.g. model, err := Train(data, lr); move other code into a step"
			continue
		}
		if sb.callItem != nil {
			a.errs.Add(a.itemPos(it, 0), "step %s is called twice (first at %s)", sb.step.Name, a.shortPos(sb.step.Call.Pos))
			continue
		}
		sb.callItem, last = it, sb
		sig := info.Uses[call.Fun.(*ast.Ident)].Type().(*types.Signature)
		c := &ir.Call{Pos: a.itemPos(it, 0)}
		sb.step.Call = c
		a.callArgs(sb, call, sig, bound)
		n := sig.Results().Len()
		if n > 0 && isErrorType(sig.Results().At(n-1).Type()) {
			c.Error = true
		}
		stored := func(name string, obj types.Object, t types.Type, pos ir.Pos) {
			p := a.port(name, a.resultVar(sb, name), t, pos, sb)
			sb.step.Outputs = append(sb.step.Outputs, p)
			r := pipelineResult{step: sb, port: p, typ: t, line: it.line}
			byName[name] = append(byName[name], r)
			if obj != nil {
				bound[obj] = r
			}
		}
		if lhs == nil {
			// A bare call: its results are stored under names of its step.
			values := n
			if c.Error {
				values--
			}
			for i := range n {
				if i >= values {
					c.Results = append(c.Results, "_")
					continue
				}
				name := sb.step.Name
				if values > 1 {
					name = fmt.Sprintf("%s_%d", sb.step.Name, i)
				}
				c.Results = append(c.Results, name)
				stored(name, nil, sig.Results().At(i).Type(), c.Pos)
			}
			continue
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
			stored(id.Name, obj, sig.Results().At(i).Type(), a.posOf(id.Pos()))
		}
	}
	for _, sb := range a.funcSteps {
		if sb.callItem == nil {
			a.errs.Add(sb.step.Pos, "function step %s is never called in the //zen:pipeline cell", sb.step.Name)
		}
	}
	a.funcStepSharedState()
	a.funcStepChangedArgs()
	a.pipelineDirectives(byName)
}

// callArgs records what each argument of a step call is: an earlier
// step's result (an input and an edge), a parameter or a constant.
func (a *analysis) callArgs(sb *stepBuild, call *ast.CallExpr, sig *types.Signature, bound map[types.Object]pipelineResult) {
	info := a.chk.info
	c := sb.step.Call
	for i, arg := range call.Args {
		paramName := fmt.Sprintf("arg%d", i)
		if i < sig.Params().Len() {
			paramName = sig.Params().At(i).Name()
		}
		if id, ok := arg.(*ast.Ident); ok {
			obj := info.Uses[id]
			if r, ok := bound[obj]; ok {
				c.Args = append(c.Args, &ir.Arg{Input: r.port.Name})
				// F(x, x) reads one artifact once.
				if ir.InputNamed(sb.step, r.port.Name) != nil {
					continue
				}
				in := *r.port
				in.From, in.Pos, in.Metric = r.step.step.Name, a.posOf(id.Pos()), false
				sb.step.Inputs = append(sb.step.Inputs, &in)
				a.p.Edges = append(a.p.Edges, &ir.Edge{From: r.step.step.Name, To: sb.step.Name, Var: r.port.Name,
					Why: fmt.Sprintf("%s reads %s, returned by %s at %s", sb.step.Name, r.port.Name, r.step.step.Name, a.shortPos(r.port.Pos))})
				continue
			}
			if p := a.df.params[obj]; p != nil {
				c.Args = append(c.Args, &ir.Arg{Param: p.Name})
				sb.step.Params = appendUnique(sb.step.Params, p.Name)
				continue
			}
		}
		if tv := info.Types[arg]; tv.Value != nil {
			c.Args = append(c.Args, &ir.Arg{Literal: a.source(arg)})
			continue
		}
		a.errs.Add(a.posOf(arg.Pos()), "argument %s of %s must be an earlier step's result, a parameter or a constant", paramName, sb.step.Func)
	}
}

// resultVar is the Go identifier of a stored result in the step's Run
// adapter (which prefixes it with zg_out_): the result's name, unless
// another result of the step already uses it.
func (a *analysis) resultVar(sb *stepBuild, name string) string {
	taken := func(v string) bool {
		for _, p := range sb.step.Outputs {
			if p.Var == v {
				return true
			}
		}
		return false
	}
	v := name
	for i := 2; taken(v); i++ {
		v = fmt.Sprintf("%s_%d", name, i)
	}
	return v
}

// pipelineDirectives applies the //zen:metric and //zen:output lines of
// the pipeline cell to the results they name.
func (a *analysis) pipelineDirectives(byName map[string][]pipelineResult) {
	for _, d := range a.pipelineCell.Directives {
		if d.Name != "metric" && d.Name != "output" {
			continue
		}
		for _, name := range d.Args {
			r, ok := resultNear(byName[name], d.Line)
			if !ok {
				a.errs.Add(d.Pos, "//zen:%s %s: no step call in this cell stores a result named %s", d.Name, name, name).Hint =
					"bind the result to a variable of that name, e.g. model, " + name + " := Train(data, lr)"
				continue
			}
			if d.Name == "output" {
				continue // every bound result is stored already
			}
			if r.port.Metric {
				continue
			}
			if b, ok := r.typ.Underlying().(*types.Basic); !ok || b.Info()&types.IsNumeric == 0 {
				a.errs.Add(d.Pos, "metric %s must be a number, not %s", name, r.port.Type)
				continue
			}
			r.port.Metric = true
			r.step.step.Metrics = appendUnique(r.step.step.Metrics, name)
		}
	}
}

// resultNear picks, among the results stored under one name, the first
// whose call is at or below line, or else the last one above it.
func resultNear(results []pipelineResult, line int) (pipelineResult, bool) {
	if len(results) == 0 {
		return pipelineResult{}, false
	}
	for _, r := range results {
		if r.line >= line {
			return r, true
		}
	}
	return results[len(results)-1], true
}

// strayKeepDirectives reports //zen:output and //zen:metric lines that no
// step can honour: in a cell that belongs to no cell step and is not the
// pipeline cell (a cell holding only function steps, the parameters cell),
// they would otherwise be ignored without a word.
func (a *analysis) strayKeepDirectives() {
	for _, c := range a.nb.Cells {
		if c.Kind != parser.Code || a.roles[c] == roleSkip || a.roles[c] == rolePipeline || a.cellStep[c] != nil {
			continue
		}
		for _, d := range c.Directives {
			if d.Name != "metric" && d.Name != "output" {
				continue
			}
			e := a.errs.Add(d.Pos, "//zen:%s %s: cell %d belongs to no step", d.Name, strings.Join(d.Args, " "), a.cellNumber(c))
			e.Hint = "put it in the cell of the step that defines the variable"
			if len(a.funcSteps) > 0 {
				e.Hint = "for a function step, put it in the //zen:pipeline cell, above the call that binds the result"
			}
		}
	}
}

// pipelineCall returns the call of a pipeline-cell statement and the
// variables it binds (nil for a bare call), or a nil call if the statement
// is something else.
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
