package emit

import (
	"github.com/dave/jennifer/jen"

	"github.com/zengen-dev/zengen/gen/ir"
)

// showHelpers declares the functions through which cell steps show the
// values of a cell's last expression as the notebook's kernel did (see
// gen/analysis/shown.go), those that some step calls. Each takes the
// step's stdout and returns a function of the values, so that a call with
// several results can be passed whole: zg_showValues(zg_out)(f()).
func (e *emitter) showHelpers(f *jen.File) {
	var chunks []*ir.Chunk
	for _, s := range e.p.Steps {
		chunks = append(chunks, s.Body...)
	}
	w := jen.Id("w").Qual("io", "Writer")
	vals := jen.Id("vals").Op("...").Any()
	helpers := []struct {
		name string
		code jen.Code
	}{
		{"zg_showValues", docComment("zg_showValues shows values as gophernotes shows a cell's result: each\n" +
			"formatted by fmt.Fprint, separated by spaces, and nothing when every\n" +
			"value is nil.").
			Func().Id("zg_showValues").Params(w).Func().Params(jen.Op("...").Any()).Block(
			jen.Return(jen.Func().Params(vals).Block(
				jen.Id("shown").Op(":=").False(),
				jen.For(jen.List(jen.Id("_"), jen.Id("v")).Op(":=").Range().Id("vals")).Block(
					jen.Id("shown").Op("=").Id("shown").Op("||").Id("v").Op("!=").Nil(),
				),
				jen.If(jen.Op("!").Id("shown")).Block(jen.Return()),
				jen.For(jen.List(jen.Id("i"), jen.Id("v")).Op(":=").Range().Id("vals")).Block(
					jen.If(jen.Id("i").Op(">").Lit(0)).Block(jen.Qual("fmt", "Fprint").Call(jen.Id("w"), jen.Lit(" "))),
					jen.Qual("fmt", "Fprint").Call(jen.Id("w"), jen.Id("v")),
				),
				jen.Qual("fmt", "Fprintln").Call(jen.Id("w")),
			)),
		)},
		{"zg_showLines", docComment("zg_showLines shows values as lgo shows a cell's result: each on its\n" +
			"own line, formatted by fmt.Println.").
			Func().Id("zg_showLines").Params(w).Func().Params(jen.Op("...").Any()).Block(
			jen.Return(jen.Func().Params(vals).Block(
				jen.For(jen.List(jen.Id("_"), jen.Id("v")).Op(":=").Range().Id("vals")).Block(
					jen.Qual("fmt", "Fprintln").Call(jen.Id("w"), jen.Id("v")),
				),
			)),
		)},
	}
	for _, h := range helpers {
		if usesIdent(chunks, h.name) {
			f.Add(h.code)
			f.Line()
		}
	}
}
