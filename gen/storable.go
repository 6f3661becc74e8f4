package gen

import (
	"fmt"
	"go/types"
)

// typeString writes t as generated code names it: notebook types bare,
// other packages by their name, recorded in the pipeline's imports.
func (a *analysis) typeString(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string {
		if p == a.chk.pkg {
			return ""
		}
		if a.typeImports == nil {
			a.typeImports = map[string]string{}
		}
		a.typeImports[p.Path()] = p.Name()
		return p.Name()
	})
}

// port builds a typed port for a variable crossing between steps, and
// reports types that cannot be named outside their cell or stored.
func (a *analysis) port(name, goName string, t types.Type, pos Pos, sb *stepBuild) *Port {
	p := &Port{Name: name, Var: goName, Type: a.typeString(t), Pos: pos}
	fail := func(reason string) {
		a.errs.Add(pos, "cannot store %s (%s) from %s as an artifact: %s", name, p.Type, a.cellWord(pos), reason).Hint =
			"keep it inside one step or //zen:output a value derived from it"
	}
	if reason := a.unnameable(t, map[types.Type]bool{}); reason != "" {
		fail(reason)
		return p
	}
	if isErrorType(t) {
		p.Codec, p.CodecExpr = "error", "zen.ErrorCodec()"
		return p
	}
	if reason := unstorable(t, map[types.Type]bool{}); reason != "" {
		fail(reason)
		return p
	}
	p.Codec = codecOf(t)
	switch p.Codec {
	case "raw":
		p.CodecExpr = fmt.Sprintf("zen.Raw[%s]()", p.Type)
	case "numeric":
		p.CodecExpr = fmt.Sprintf("zen.Numeric[%s]()", p.Type)
	case "binary":
		p.CodecExpr = fmt.Sprintf("zen.Binary[%s]()", p.Type)
	default:
		p.CodecExpr = fmt.Sprintf("zen.JSON[%s]()", p.Type)
	}
	return p
}

func (a *analysis) cellWord(p Pos) string {
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
// encoding.BinaryMarshaler and BinaryUnmarshaler, or json's Marshaler and
// Unmarshaler.
func hasCodec(t types.Type) bool {
	return implementsPair(t, "MarshalBinary", "UnmarshalBinary") || implementsPair(t, "MarshalJSON", "UnmarshalJSON") ||
		implementsPair(t, "MarshalText", "UnmarshalText")
}

func implementsPair(t types.Type, marshal, unmarshal string) bool {
	if _, isPtr := t.(*types.Pointer); isPtr {
		t = t.(*types.Pointer).Elem()
	}
	ms := types.NewMethodSet(types.NewPointer(t))
	return ms.Lookup(nil, marshal) != nil && ms.Lookup(nil, unmarshal) != nil
}

// unstorable explains why values of t cannot be artifacts, "" if they can.
func unstorable(t types.Type, seen map[types.Type]bool) string {
	if seen[t] {
		return ""
	}
	seen[t] = true
	if named, ok := types.Unalias(t).(*types.Named); ok {
		obj := named.Obj()
		if pkg := obj.Pkg(); pkg != nil {
			switch {
			case pkg.Path() == "sync" || pkg.Path() == "sync/atomic":
				return fmt.Sprintf("it holds a %s.%s, which must not be copied", pkg.Name(), obj.Name())
			case pkg.Path() == "os" && obj.Name() == "File":
				return "it is an open file; store its path or its contents instead"
			}
		}
		if hasCodec(t) {
			return ""
		}
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		if u.Kind() == types.UnsafePointer {
			return "it is an unsafe.Pointer"
		}
	case *types.Chan:
		return "it is a channel"
	case *types.Signature:
		return "it is a function"
	case *types.Interface:
		if !u.Empty() && !isErrorType(t) {
			return "it is an interface, whose dynamic type cannot be restored when loading"
		}
	case *types.Pointer:
		return unstorable(u.Elem(), seen)
	case *types.Slice:
		return unstorable(u.Elem(), seen)
	case *types.Array:
		return unstorable(u.Elem(), seen)
	case *types.Map:
		if r := unstorable(u.Key(), seen); r != "" {
			return r
		}
		return unstorable(u.Elem(), seen)
	case *types.Struct:
		exportedFields := 0
		for i := 0; i < u.NumFields(); i++ {
			f := u.Field(i)
			if !f.Exported() {
				if r := unstorable(f.Type(), map[types.Type]bool{}); r != "" && isSyncReason(f.Type()) {
					return r
				}
				continue
			}
			exportedFields++
			if r := unstorable(f.Type(), seen); r != "" {
				return r
			}
		}
		if exportedFields == 0 && u.NumFields() > 0 {
			return "it has no exported fields"
		}
	}
	return ""
}

// isSyncReason reports whether a field type is a sync value, which makes
// a struct unsafe to store even when the field is unexported.
func isSyncReason(t types.Type) bool {
	if named, ok := types.Unalias(t).(*types.Named); ok && named.Obj().Pkg() != nil {
		p := named.Obj().Pkg().Path()
		return p == "sync" || p == "sync/atomic"
	}
	return false
}

// codecOf chooses the runtime codec for a storable type.
func codecOf(t types.Type) string {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		if u.Kind() == types.String {
			return "raw"
		}
	case *types.Slice:
		if b, ok := u.Elem().Underlying().(*types.Basic); ok {
			switch b.Kind() {
			case types.Byte:
				return "raw"
			case types.Int8, types.Int16, types.Int32, types.Int64, types.Uint16, types.Uint32, types.Uint64,
				types.Float32, types.Float64:
				return "numeric"
			}
		}
	}
	if _, isPtr := t.(*types.Pointer); !isPtr && implementsPair(t, "MarshalBinary", "UnmarshalBinary") {
		return "binary"
	}
	return "json"
}
