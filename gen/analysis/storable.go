package analysis

import (
	"fmt"
	"go/types"

	"github.com/zengen-dev/zengen/gen/ir"
)

// typeString writes t as generated code names it: notebook types bare,
// other packages by their name, recorded in the pipeline's imports.
func (a *analysis) typeString(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string {
		if p == a.chk.pkg {
			return ""
		}
		a.typeImports[p.Path()] = p.Name()
		return p.Name()
	})
}

// port builds a typed port for a variable crossing between steps, and
// reports types that cannot be named outside their cell or stored.
func (a *analysis) port(name, goName string, t types.Type, pos ir.Pos, sb *stepBuild) *ir.Port {
	p := &ir.Port{Name: name, Var: goName, Type: a.typeString(t), Pos: pos}
	a.portTypes[p] = t
	fail := func(reason string) {
		a.errs.Add(pos, "cannot store %s (%s) from %s as an artifact: %s", name, p.Type, a.cellWord(pos), reason).Hint =
			"keep it inside one step or //zen:output a value derived from it"
	}
	if reason := a.unnameable(t, map[types.Type]bool{}); reason != "" {
		fail(reason)
		return p
	}
	if c := a.userCodecFor(t); c != nil {
		p.Codec, p.CodecFunc = c.fn.name, true
		return p
	}
	if isErrorType(t) {
		p.Codec = ir.CodecError
		return p
	}
	if reason := a.unstorable(t, "", rootName(t, name), map[types.Type]bool{}); reason != "" {
		fail(reason)
		return p
	}
	p.Codec = codecOf(t)
	return p
}

func (a *analysis) cellWord(p ir.Pos) string {
	if p.Cell > 0 {
		return fmt.Sprintf("cell %d", p.Cell)
	}
	return fmt.Sprintf("line %d", p.Line)
}

var errorType = types.Universe.Lookup("error").Type()

func isErrorType(t types.Type) bool { return types.Identical(t, errorType) }

// unnameable explains why generated code cannot spell t, "" if it can.
func (a *analysis) unnameable(t types.Type, seen map[types.Type]bool) string {
	if seen[t] {
		return ""
	}
	seen[t] = true
	switch t := t.(type) {
	case *types.Named:
		obj := t.Obj()
		switch {
		case obj.Pkg() == nil:
		case obj.Pkg() == a.chk.pkg:
			if obj.Parent() != a.chk.pkg.Scope() {
				return fmt.Sprintf("its type %s is declared inside a function, so no other step can name it; declare it in a cell of its own", obj.Name())
			}
		case !obj.Exported():
			return fmt.Sprintf("its type %s is unexported in package %s", obj.Name(), obj.Pkg().Path())
		}
		if args := t.TypeArgs(); args != nil {
			for i := 0; i < args.Len(); i++ {
				if r := a.unnameable(args.At(i), seen); r != "" {
					return r
				}
			}
		}
		return ""
	case *types.Alias:
		return a.unnameable(types.Unalias(t), seen)
	case *types.Pointer:
		return a.unnameable(t.Elem(), seen)
	case *types.Slice:
		return a.unnameable(t.Elem(), seen)
	case *types.Array:
		return a.unnameable(t.Elem(), seen)
	case *types.Map:
		if r := a.unnameable(t.Key(), seen); r != "" {
			return r
		}
		return a.unnameable(t.Elem(), seen)
	case *types.Struct:
		for i := 0; i < t.NumFields(); i++ {
			if r := a.unnameable(t.Field(i).Type(), seen); r != "" {
				return r
			}
		}
	}
	return ""
}

// hasCodec reports whether values of t encode themselves: *T implements
// a marshal/unmarshal pair of encoding (binary or text), encoding/gob or
// encoding/json. The runtime's value codec uses the first of these it
// finds, in that order, and trusts it to round-trip.
func hasCodec(t types.Type) bool {
	return implementsPair(t, "MarshalBinary", "UnmarshalBinary") || implementsPair(t, "GobEncode", "GobDecode") ||
		implementsPair(t, "MarshalText", "UnmarshalText") || implementsPair(t, "MarshalJSON", "UnmarshalJSON")
}

func implementsPair(t types.Type, marshal, unmarshal string) bool {
	if _, isPtr := t.(*types.Pointer); isPtr {
		t = t.(*types.Pointer).Elem()
	}
	ms := types.NewMethodSet(types.NewPointer(t))
	return ms.Lookup(nil, marshal) != nil && ms.Lookup(nil, unmarshal) != nil
}

// isTime reports whether t is time.Time, which the value codec stores
// itself, location name included.
func isTime(t types.Type) bool {
	named, ok := types.Unalias(t).(*types.Named)
	return ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == "time" && named.Obj().Name() == "Time"
}

// unstorable explains why values of t cannot be artifacts, "" if they can.
// The runtime's value codec stores every field, unexported ones included,
// so every field must be storable; path names the part of the value that
// is not (e.g. "TrainTest.Rng.src"), and is empty at the top, whose name
// in paths is root.
func (a *analysis) unstorable(t types.Type, path, root string, seen map[types.Type]bool) string {
	if seen[t] {
		return ""
	}
	seen[t] = true
	at := func(reason string) string {
		if path == "" {
			return reason
		}
		return path + ": " + reason
	}
	child := func(suffix string) string {
		if path == "" {
			return root + suffix
		}
		return path + suffix
	}
	if named, ok := types.Unalias(t).(*types.Named); ok {
		obj := named.Obj()
		if pkg := obj.Pkg(); pkg != nil {
			switch {
			case pkg.Path() == "sync" || pkg.Path() == "sync/atomic":
				return at(fmt.Sprintf("it holds a %s.%s, which must not be copied", pkg.Name(), obj.Name()))
			case pkg.Path() == "os" && obj.Name() == "File":
				return at("it is an open file; store its path or its contents instead")
			}
		}
		if _, isPtr := named.Underlying().(*types.Pointer); !isPtr {
			if isTime(t) || hasCodec(t) {
				return ""
			}
		}
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		if u.Kind() == types.UnsafePointer {
			return at("it is an unsafe.Pointer")
		}
	case *types.Chan:
		return at("it is a channel")
	case *types.Signature:
		return at("it is a function")
	case *types.Interface:
		if !u.Empty() && !isErrorType(t) {
			return at(fmt.Sprintf("it is an interface (%s), whose dynamic type cannot be restored when loading", types.TypeString(t, a.shortQualifier)))
		}
	case *types.Pointer:
		return a.unstorable(u.Elem(), path, root, seen)
	case *types.Slice:
		return a.unstorable(u.Elem(), child("[i]"), root, seen)
	case *types.Array:
		return a.unstorable(u.Elem(), child("[i]"), root, seen)
	case *types.Map:
		if r := a.unstorable(u.Key(), child("[key]"), root, seen); r != "" {
			return r
		}
		return a.unstorable(u.Elem(), child("[k]"), root, seen)
	case *types.Struct:
		for i := 0; i < u.NumFields(); i++ {
			f := u.Field(i)
			if r := a.unstorable(f.Type(), child("."+f.Name()), root, seen); r != "" {
				return r
			}
		}
	}
	return ""
}

// rootName names the top of a value in a path: its type's name, without
// the pointer, or the variable's when the type has none.
func rootName(t types.Type, variable string) string {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	if named, ok := types.Unalias(t).(*types.Named); ok {
		return named.Obj().Name()
	}
	return variable
}

// shortQualifier names packages in messages: notebook types bare, others
// by their package name.
func (a *analysis) shortQualifier(p *types.Package) string {
	if p == a.chk.pkg {
		return ""
	}
	return p.Name()
}

// codecOf chooses the runtime codec for a storable type: raw for strings
// and numeric for slices of numbers, which `cat` shows as they are; JSON
// for booleans and numbers, which it holds exactly; the value codec for
// everything else, which keeps what JSON would drop (unexported fields,
// data behind MarshalBinary, NaN, strings that are not UTF-8, nil next to
// empty, time zones). A type with a codec of its own goes through the value
// codec too, which calls it; so does a pointer, which may be nil.
func codecOf(t types.Type) string {
	t = types.Unalias(t)
	if _, isPtr := t.(*types.Pointer); isPtr {
		return ir.CodecValue
	}
	if _, isNamed := t.(*types.Named); isNamed && (isTime(t) || hasCodec(t)) {
		return ir.CodecValue
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Info()&types.IsString != 0:
			return ir.CodecRaw
		case u.Info()&(types.IsBoolean|types.IsInteger|types.IsFloat) != 0:
			return ir.CodecJSON
		}
	case *types.Slice:
		if b, ok := u.Elem().Underlying().(*types.Basic); ok && b.Kind() != types.Uintptr &&
			b.Info()&(types.IsInteger|types.IsFloat) != 0 && b.Info()&types.IsUntyped == 0 {
			return ir.CodecNumeric
		}
	}
	return ir.CodecValue
}
