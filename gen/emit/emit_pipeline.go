package emit

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"time"

	"github.com/dave/jennifer/jen"

	"github.com/zengen-dev/zengen/gen/ir"
)

// pipelineFile is pipeline_zen.go: the Params struct, its defaults, the
// Pipeline function that describes the DAG to the runtime, the table of
// steps, and the describing functions of function steps (a cell step's is
// in its own file).
func (e *emitter) pipelineFile() *jen.File {
	f := e.newFile(e.pkg)
	for _, line := range shippedHeader(e.p.Files) {
		f.HeaderComment(line)
	}
	f.Add(e.paramsStruct())
	f.Line()
	f.Add(e.defaultParams())
	f.Line()
	f.Add(e.pipelineFunc())
	f.Line()
	f.Add(e.stepTable())
	e.flagHelpers(f)
	for _, s := range e.p.Steps {
		if s.Kind == "func" {
			f.Line()
			f.Add(e.describeFunc(s))
		}
	}
	return f
}

// paramsStruct is the Params type: one field per parameter, tagged with the
// flag name the runtime binds and its help text.
func (e *emitter) paramsStruct() jen.Code {
	var fields []jen.Code
	for _, prm := range e.p.Params {
		tag := map[string]string{"zen": prm.Flag}
		if doc := strings.Join(strings.Fields(prm.Doc), " "); doc != "" {
			tag["help"] = doc
		}
		fields = append(fields, jen.Id(prm.Field).Add(paramTypeCode(prm)).Tag(tag))
	}
	return jen.Comment("// Params are the parameters of the pipeline, with their flags.").Line().
		Type().Id("Params").Struct(fields...)
}

// defaultParams is DefaultParams: the values of the notebook's parameters
// cell.
func (e *emitter) defaultParams() jen.Code {
	var values []jen.Code
	for _, prm := range e.p.Params {
		values = append(values, jen.Id(prm.Field).Op(":").Add(paramDefaultCode(prm)))
	}
	return jen.Comment("// DefaultParams returns the parameters as the notebook sets them.").Line().
		Func().Id("DefaultParams").Params().Id("Params").Block(
		jen.Return(jen.Id("Params").Values(values...)),
	)
}

// pipelineFunc is Pipeline: the runtime's description of the DAG. Its size
// does not grow with the step count: the steps come from zg_steps, a table
// the compiler lays out as static data, so that a pipeline of thousands of
// steps compiles in time and memory linear in its steps (a single function
// holding every step's literal and adapter did not).
func (e *emitter) pipelineFunc() jen.Code {
	fields := []jen.Code{
		jen.Id("Name").Op(":").Lit(e.p.Name),
		jen.Id("Notebook").Op(":").Lit(e.p.Notebook),
	}
	if doc := strings.TrimSpace(e.p.Doc); doc != "" {
		// A string literal only: notebook text stays inert.
		fields = append(fields, jen.Id("Doc").Op(":").Lit(doc))
	}
	fields = append(fields, jen.Id("Params").Op(":").Op("&").Id("zg_params"))
	if len(e.p.Env) > 0 {
		var env []jen.Code
		for _, kv := range sortedEnv(e.p.Env) {
			env = append(env, jen.Lit(kv.Key).Op(":").Lit(kv.Value))
		}
		fields = append(fields, jen.Id("Env").Op(":").Map(jen.String()).String().Values(env...))
	}
	if len(e.p.Files) > 0 {
		var files []jen.Code
		for _, f := range sortedFiles(e.p.Files) {
			sum := sha256.Sum256([]byte(f.Content))
			files = append(files, jen.Lit(f.Name).Op(":").Lit("sha256:"+hex.EncodeToString(sum[:])))
		}
		fields = append(fields, jen.Id("Files").Op(":").Map(jen.String()).String().Values(multiline(files)...))
	}
	if len(e.p.GoFlags) > 0 {
		fields = append(fields, jen.Id("GoFlags").Op(":").Lit(strings.Join(e.p.GoFlags, " ")))
	}
	if setup := e.setupFunc(); setup != nil {
		fields = append(fields, jen.Id("Setup").Op(":").Add(setup))
	}
	fields = append(fields, jen.Id("Steps").Op(":").Make(jen.Index().Op("*").Add(e.zen("Step")), jen.Len(jen.Id("zg_steps"))))
	return jen.Comment("// Pipeline describes the pipeline to the runtime: its steps, their typed").Line().
		Comment("// inputs and outputs, and the parameters they use.").Line().
		Func().Id("Pipeline").Params().Op("*").Add(e.zen("Pipeline")).Block(
		jen.Id("zg_params").Op(":=").Id("DefaultParams").Call(),
		jen.Id("zg_pipeline").Op(":=").Op("&").Add(e.zen("Pipeline")).Values(multiline(fields)...),
		jen.For(jen.List(jen.Id("zg_i"), jen.Id("zg_describe")).Op(":=").Range().Id("zg_steps")).Block(
			jen.Id("zg_pipeline").Dot("Steps").Index(jen.Id("zg_i")).Op("=").Id("zg_describe").Call(jen.Op("&").Id("zg_params")),
		),
		jen.Return(jen.Id("zg_pipeline")),
	)
}

// stepTable is zg_steps: the describing function of every step, in the
// order the runtime lists them.
func (e *emitter) stepTable() jen.Code {
	return jen.Comment("// zg_steps describes the steps in order, each reading the run's parameters.").Line().
		Var().Id("zg_steps").Op("=").Index(jen.Op("...")).Func().Params(jen.Op("*").Id("Params")).Op("*").Add(e.zen("Step")).ValuesFunc(func(g *jen.Group) {
		for _, s := range e.p.Steps {
			g.Line().Id(describeName(s))
		}
		g.Line()
	})
}

// describeName names the function that describes step s to the runtime.
func describeName(s *ir.Step) string { return "zg_describe" + s.Func }

// describeFunc returns the runtime.Step of s. Its Run adapter reads the
// parameters through zg_params, which the runtime fills from flags before
// any step runs.
func (e *emitter) describeFunc(s *ir.Step) jen.Code {
	return jen.Func().Id(describeName(s)).Params(jen.Id("zg_params").Op("*").Id("Params")).Op("*").Add(e.zen("Step")).Block(
		jen.Return(jen.Op("&").Add(e.zen("Step")).Add(e.stepLiteral(s))),
	)
}

// setupFunc copies resolved parameters into the notebook's package-level
// variables (GoNB keeps parameters there); nil when there are none.
func (e *emitter) setupFunc() jen.Code {
	var assigns []jen.Code
	for _, prm := range e.p.Params {
		if prm.Global {
			assigns = append(assigns, jen.Id(prm.Name).Op("=").Id("zg_params").Dot(prm.Field))
		}
	}
	if len(assigns) == 0 {
		return nil
	}
	return jen.Func().Params().Block(assigns...)
}

// stepLiteral is the runtime.Step of s.
func (e *emitter) stepLiteral(s *ir.Step) jen.Code {
	fields := []jen.Code{
		jen.Id("Name").Op(":").Lit(s.Name),
		jen.Id("Func").Op(":").Lit(s.Func),
	}
	if doc := strings.TrimSpace(s.Doc); doc != "" {
		fields = append(fields, jen.Id("Doc").Op(":").Lit(doc))
	}
	fields = append(fields, jen.Id("Pos").Op(":").Lit(stepWhere(s)))
	if s.CodeHash != "" {
		fields = append(fields, jen.Id("CodeHash").Op(":").Lit(s.CodeHash))
	}
	if len(s.CodeParts) > 0 {
		var parts []jen.Code
		for _, p := range s.CodeParts {
			var f []jen.Code
			if p.Name != "" {
				f = append(f, jen.Id("Name").Op(":").Lit(p.Name))
			}
			f = append(f, jen.Id("Pos").Op(":").Lit(p.Pos.String()), jen.Id("Digest").Op(":").Lit(p.Digest))
			parts = append(parts, jen.Values(f...))
		}
		fields = append(fields, jen.Id("CodeParts").Op(":").Index().Add(e.zen("CodePart")).Values(multiline(parts)...))
	}
	if len(s.Inputs) > 0 {
		var ins []jen.Code
		for _, in := range s.Inputs {
			ins = append(ins, e.portLiteral(in, true))
		}
		fields = append(fields, jen.Id("Inputs").Op(":").Index().Add(e.zen("Input")).Values(multiline(ins)...))
	}
	if len(s.Outputs) > 0 {
		var outs []jen.Code
		for _, out := range s.Outputs {
			outs = append(outs, e.portLiteral(out, false))
		}
		fields = append(fields, jen.Id("Outputs").Op(":").Index().Add(e.zen("Output")).Values(multiline(outs)...))
	}
	// The runtime knows params by their flag names (the zen tags of the
	// Params fields), not by the notebook's variable names.
	var flags []string
	for _, name := range append(slices.Clone(s.Params), s.Flags...) {
		flags = append(flags, e.params[name].Flag)
	}
	for _, list := range []struct {
		name  string
		items []string
	}{{"Params", flags}, {"Metrics", s.Metrics}, {"After", s.After}, {"Env", s.Env}, {"Modules", s.Modules}, {"State", s.State}} {
		if len(list.items) > 0 {
			fields = append(fields, jen.Id(list.name).Op(":").Index().String().ValuesFunc(func(g *jen.Group) {
				for _, item := range list.items {
					g.Lit(item)
				}
			}))
		}
	}
	if s.Alone != "" {
		fields = append(fields, jen.Id("Alone").Op(":").Lit(s.Alone))
	}
	if opts := e.optionsLiteral(s.Options); opts != nil {
		fields = append(fields, jen.Id("Options").Op(":").Add(opts))
	}
	fields = append(fields, jen.Id("Run").Op(":").Add(e.runAdapter(s)))
	return jen.Values(multiline(fields)...)
}

// portLiteral is a runtime.Input (input) or runtime.Output. An output
// carries a Show hook built from its codec, so that the binary's `cat` can
// decode it whatever the codec, also one registered by the user, and the
// hash of its type, so that it decodes only what that type stored.
func (e *emitter) portLiteral(p *ir.Port, input bool) jen.Code {
	fields := []jen.Code{
		jen.Id("Name").Op(":").Lit(p.Name),
		jen.Id("Type").Op(":").Lit(p.Type),
		jen.Id("Codec").Op(":").Lit(p.Codec),
	}
	if p.TypeHash != "" {
		fields = append(fields, jen.Id("TypeHash").Op(":").Lit(p.TypeHash))
	}
	if input {
		fields = append(fields, jen.Id("From").Op(":").Lit(p.From))
	} else {
		fields = append(fields, jen.Id("Show").Op(":").Add(e.zen("Shower")).Call(e.codecExpr(p)))
	}
	return jen.Values(fields...)
}

// optionsLiteral is the runtime.Options of a step, nil when all are
// defaults. The timeout was validated by newEmitter.
func (e *emitter) optionsLiteral(o ir.Options) jen.Code {
	var fields []jen.Code
	if o.CacheOff {
		fields = append(fields, jen.Id("NoCache").Op(":").True())
	}
	if o.Retries != 0 {
		fields = append(fields, jen.Id("Retries").Op(":").Lit(o.Retries))
	}
	if o.Timeout != "" {
		d, _ := time.ParseDuration(o.Timeout)
		fields = append(fields, jen.Id("Timeout").Op(":").Add(durationExpr(d)))
	}
	if o.CacheVersion != "" {
		fields = append(fields, jen.Id("CacheVersion").Op(":").Lit(o.CacheVersion))
	}
	if len(fields) == 0 {
		return nil
	}
	return e.zen("Options").Values(fields...)
}

// durationExpr spells d in the largest unit that divides it:
// 90s → 90 * time.Second, 2h → 2 * time.Hour.
func durationExpr(d time.Duration) jen.Code {
	for _, u := range []struct {
		unit time.Duration
		name string
	}{{time.Hour, "Hour"}, {time.Minute, "Minute"}, {time.Second, "Second"},
		{time.Millisecond, "Millisecond"}, {time.Microsecond, "Microsecond"}} {
		if d%u.unit == 0 {
			return jen.Lit(int(d/u.unit)).Op("*").Qual("time", u.name)
		}
	}
	return jen.Qual("time", "Duration").Call(jen.Lit(int(d)))
}

// multiline lays out composite-literal elements one per line.
func multiline(items []jen.Code) []jen.Code {
	var out []jen.Code
	for _, it := range items {
		out = append(out, jen.Line().Add(it))
	}
	return append(out, jen.Line())
}

// sortedFiles orders shipped files by name, for deterministic output.
func sortedFiles(files []*ir.File) []*ir.File {
	out := slices.Clone(files)
	slices.SortFunc(out, func(a, b *ir.File) int { return strings.Compare(a.Name, b.Name) })
	return out
}

func sortedEnv(env []*ir.EnvVar) []*ir.EnvVar {
	last := make(map[string]*ir.EnvVar)
	for _, kv := range env {
		last[kv.Key] = kv // a later %env wins, as in the kernel
	}
	out := make([]*ir.EnvVar, 0, len(last))
	for _, kv := range last {
		out = append(out, kv)
	}
	slices.SortFunc(out, func(a, b *ir.EnvVar) int { return strings.Compare(a.Key, b.Key) })
	return out
}
