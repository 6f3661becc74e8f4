package emit

// The Run adapter of a step: what runs between the runtime and the step's
// code — load the inputs with their codecs, call, save the outputs.

import (
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/zengen-dev/zengen/gen/ir"
)

// runAdapter is the Run function of a step: load each input with its
// codec, call the step, record metrics and save each output.
func (e *emitter) runAdapter(s *ir.Step) jen.Code {
	declared := make(map[string]bool)
	body := e.setFlags(s, declared)
	for _, in := range s.Inputs {
		v := inputLocal(in)
		body = append(body,
			jen.List(jen.Id(v), jen.Id("zg_err")).Op(declareOp(declared, v, "zg_err")).
				Add(e.zen("Load")).Call(jen.Id("zg_sc"), jen.Lit(in.Name), e.codecExpr(in)),
			jen.If(jen.Id("zg_err").Op("!=").Nil()).Block(jen.Return(jen.Id("zg_err"))),
		)
	}
	if s.Kind == "func" {
		body = append(body, e.funcCall(s, declared)...)
	} else {
		body = append(body, e.cellCall(s, declared))
	}
	for _, name := range s.Metrics {
		if out := ir.OutputNamed(s, name); out != nil {
			body = append(body, jen.Id("zg_sc").Dot("Metric").Call(jen.Lit(name), jen.Float64().Call(jen.Id(outputLocal(out)))))
		}
	}
	for i, out := range s.Outputs {
		save := e.zen("Save").Call(jen.Id("zg_sc"), jen.Lit(out.Name), e.codecExpr(out), jen.Id(outputLocal(out)))
		if i == len(s.Outputs)-1 {
			body = append(body, jen.Return(save))
		} else {
			body = append(body, jen.If(jen.Id("zg_err").Op(":=").Add(save), jen.Id("zg_err").Op("!=").Nil()).Block(jen.Return(jen.Id("zg_err"))))
		}
	}
	if len(s.Outputs) == 0 {
		body = append(body, jen.Return(jen.Nil()))
	}
	return jen.Func().Params(jen.Id("zg_ctx").Qual("context", "Context"), jen.Id("zg_sc").Op("*").Add(e.zen("StepContext"))).Error().Block(body...)
}

// inputLocal and outputLocal name the adapter's variable for a port. Their
// prefixes keep them apart from the adapter's own zg_ctx, zg_sc, zg_err
// and zg_params whatever the notebook calls its variables (a variable
// named ctx or err passes between steps like any other).
func inputLocal(p *ir.Port) string  { return "zg_in_" + p.Var }
func outputLocal(p *ir.Port) string { return "zg_out_" + p.Var }

// cellCall calls the function of a cell step with its inputs and params.
func (e *emitter) cellCall(s *ir.Step, declared map[string]bool) jen.Code {
	args := []jen.Code{jen.Id("zg_ctx")}
	for _, in := range s.Inputs {
		args = append(args, jen.Id(inputLocal(in)))
	}
	for _, name := range s.Params {
		args = append(args, jen.Id("zg_params").Dot(e.params[name].Field))
	}
	call := jen.Id(s.Func).Call(args...)
	if len(s.Outputs) == 0 {
		return call
	}
	var vars []string
	for _, out := range s.Outputs {
		vars = append(vars, outputLocal(out))
	}
	return jen.List(ids(vars)...).Op(declareOp(declared, vars...)).Add(call)
}

// funcCall calls the user's function of a function step with the arguments
// of its call in the pipeline cell; a trailing error fails the step.
func (e *emitter) funcCall(s *ir.Step, declared map[string]bool) []jen.Code {
	var args []jen.Code
	if s.Call.Context {
		args = append(args, jen.Id("zg_ctx"))
	}
	for _, a := range s.Call.Args {
		switch {
		case a.Input != "":
			args = append(args, jen.Id(inputLocal(ir.InputNamed(s, a.Input))))
		case a.Param != "":
			args = append(args, jen.Id("zg_params").Dot(e.params[a.Param].Field))
		default:
			args = append(args, jen.Id(a.Literal))
		}
	}
	call := jen.Id(s.Func).Call(args...)
	var vars []string
	for i, r := range s.Call.Results {
		switch {
		case s.Call.Error && i == len(s.Call.Results)-1:
			vars = append(vars, "zg_err")
		case r != "_" && ir.OutputNamed(s, r) != nil:
			vars = append(vars, outputLocal(ir.OutputNamed(s, r)))
		default:
			vars = append(vars, "_")
		}
	}
	var stmts []jen.Code
	if len(vars) == 0 {
		stmts = append(stmts, call)
	} else {
		stmts = append(stmts, jen.List(ids(vars)...).Op(declareOp(declared, vars...)).Add(call))
	}
	if s.Call.Error {
		stmts = append(stmts, jen.If(jen.Id("zg_err").Op("!=").Nil()).Block(jen.Return(jen.Id("zg_err"))))
	}
	for _, p := range s.Call.Prints {
		stmts = append(stmts, e.pipelinePrint(s, p))
	}
	return stmts
}

// pipelinePrint is a print of the pipeline cell, run after the step's call
// and written to the step's stdout like the step's own prints.
func (e *emitter) pipelinePrint(s *ir.Step, p *ir.Print) jen.Code {
	args := []jen.Code{e.zen("Stdout").Call(jen.Id("zg_ctx"))}
	for _, a := range p.Args {
		if a.Expr != nil {
			args = append(args, jen.Id(e.printExpr(s, a.Expr)))
			continue
		}
		args = append(args, jen.Id(e.stepValue(s, a)))
	}
	return jen.Qual("fmt", "F"+strings.ToLower(p.Func[:1])+p.Func[1:]).Call(args...)
}

// stepValue is the adapter's Go expression for a print's argument.
func (e *emitter) stepValue(s *ir.Step, a *ir.Arg) string {
	switch {
	case a.Result != "":
		return outputLocal(ir.OutputNamed(s, a.Result))
	case a.Input != "":
		return inputLocal(ir.InputNamed(s, a.Input))
	case a.Param != "":
		return "zg_params." + e.params[a.Param].Field
	}
	return a.Literal
}

// printExpr is the expression's code with each reference replaced by the
// adapter's variable for it.
func (e *emitter) printExpr(s *ir.Step, x *ir.Expr) string {
	var b strings.Builder
	at := 0
	for _, r := range x.Refs {
		b.WriteString(x.Code[at:r.Off])
		b.WriteString(e.stepValue(s, r.Arg))
		at = r.Off + r.Len
	}
	b.WriteString(x.Code[at:])
	return b.String()
}

// codecExpr builds the codec of a port: the runtime's constructor for a
// built-in codec, or a call of the notebook's //zen:codec function.
func (e *emitter) codecExpr(p *ir.Port) jen.Code {
	t := jen.Id(p.Type)
	switch p.Codec {
	case ir.CodecRaw:
		return e.zen("Raw").Types(t).Call()
	case ir.CodecNumeric:
		return e.zen("Numeric").Types(t).Call()
	case ir.CodecBinary:
		return e.zen("Binary").Types(t).Call()
	case ir.CodecJSON:
		return e.zen("JSON").Types(t).Call()
	case ir.CodecValue:
		return e.zen("Value").Types(t).Call()
	case ir.CodecError:
		return e.zen("ErrorCodec").Call()
	}
	return jen.Id(p.Codec).Call()
}

// declareOp is ":=" when one of vars ("_" aside) is new, "=" otherwise, and
// marks them declared.
func declareOp(declared map[string]bool, vars ...string) string {
	op := "="
	for _, v := range vars {
		if v != "_" && !declared[v] {
			declared[v] = true
			op = ":="
		}
	}
	return op
}

func ids(names []string) []jen.Code {
	var codes []jen.Code
	for _, n := range names {
		codes = append(codes, jen.Id(n))
	}
	return codes
}
