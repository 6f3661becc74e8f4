package analysis

import (
	"go/types"
	"slices"

	"github.com/zengen-dev/zengen/gen/ir"
	"github.com/zengen-dev/zengen/parser"
)

// userCodec is a codec the notebook declares for one type: a package-level
// function marked //zen:codec that takes nothing and returns a
// zen.Codec[T]. Every port of type T is stored with it.
type userCodec struct {
	fn  *item
	typ types.Type // T
}

// findUserCodecs collects the //zen:codec functions. A //zen:codec that
// documents anything else, or a function of another shape, is an error, as
// is a second codec for the same type.
func (a *analysis) findUserCodecs() {
	documents := map[*parser.Directive]*item{}
	for _, it := range a.items {
		if it.keyword != "func" || it.docLine == 0 {
			continue
		}
		for i := range it.cell.Directives {
			d := &it.cell.Directives[i]
			if d.Name == "codec" && !d.FromTag && d.Line >= it.docLine && d.Line < it.tokenLine {
				documents[d] = it
			}
		}
	}
	for _, c := range a.nb.Cells {
		for i := range c.Directives {
			d := &c.Directives[i]
			if d.Name != "codec" {
				continue
			}
			it := documents[d]
			if it == nil || it.method {
				a.errs.Add(d.Pos, "//zen:codec belongs in the doc comment of a function that returns a zen.Codec[T]").Hint =
					"for example: //zen:codec above func pointCodec() zen.Codec[Point] { return pointCSV{} }"
				continue
			}
			t, ok := a.codecResult(it)
			if !ok {
				a.errs.Add(d.Pos, "//zen:codec function %s must take no arguments and return a zen.Codec[T] of %s", it.name, ir.RuntimePath)
				continue
			}
			if ir.BuiltinCodec(it.name) {
				a.errs.Add(d.Pos, "//zen:codec function %s is named like a built-in codec; name it after its format", it.name)
				continue
			}
			if prev := a.userCodecFor(t); prev != nil {
				a.errs.Add(d.Pos, "a second //zen:codec for %s: %s already stores it", types.TypeString(t, a.shortQualifier), prev.fn.name)
				continue
			}
			a.userCodecs = append(a.userCodecs, &userCodec{fn: it, typ: t})
		}
	}
}

// codecResult returns T when the function of it has the shape func() zen.Codec[T].
func (a *analysis) codecResult(it *item) (types.Type, bool) {
	fn, ok := a.chk.pkg.Scope().Lookup(it.name).(*types.Func)
	if !ok {
		return nil, false
	}
	sig := fn.Signature()
	if sig.Params().Len() != 0 || sig.Results().Len() != 1 || sig.TypeParams().Len() != 0 {
		return nil, false
	}
	named, ok := types.Unalias(sig.Results().At(0).Type()).(*types.Named)
	if !ok || named.Obj().Pkg() == nil || named.Obj().Pkg().Path() != ir.RuntimePath || named.Obj().Name() != "Codec" || named.TypeArgs().Len() != 1 {
		return nil, false
	}
	return named.TypeArgs().At(0), true
}

// userCodecFor returns the notebook's codec for exactly t, if any.
func (a *analysis) userCodecFor(t types.Type) *userCodec {
	for _, c := range a.userCodecs {
		if types.Identical(c.typ, t) {
			return c
		}
	}
	return nil
}

// userCodecItems returns the //zen:codec functions that store the ports of
// a step, so that its code hash covers them: a changed codec stores other
// bytes.
func (a *analysis) userCodecItems(s *ir.Step) []*item {
	var items []*item
	for _, p := range append(slices.Clone(s.Inputs), s.Outputs...) {
		for _, c := range a.userCodecs {
			if c.fn.name == p.Codec && !slices.Contains(items, c.fn) {
				items = append(items, c.fn)
			}
		}
	}
	return items
}
