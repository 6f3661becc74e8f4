package analysis

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/types"
	"slices"
	"strings"

	"github.com/zengen-dev/zengen/gen/ir"
)

// hashTypes sets the TypeHash of every port: what the runtime records with
// each stored output, so that cat and the dashboard decode an artifact
// with the binary's type only when that type wrote it. An input is
// decoded with its producer's type, so it has the producer's hash.
func (a *analysis) hashTypes(declOf map[types.Object]*item) {
	for _, sb := range a.allSteps() {
		for _, p := range sb.step.Outputs {
			if t := a.portTypes[p]; t != nil {
				p.TypeHash = a.typeHash(p, t, declOf)
			}
		}
	}
	byName := map[string]*ir.Step{}
	for _, sb := range a.allSteps() {
		byName[sb.step.Name] = sb.step
	}
	for _, sb := range a.allSteps() {
		for _, in := range sb.step.Inputs {
			if from := byName[in.From]; from != nil {
				if out := ir.OutputNamed(from, in.Name); out != nil {
					in.TypeHash = out.TypeHash
				}
			}
		}
	}
}

// typeHash hashes what decides the bytes of p's artifacts: its codec, its
// type's full name, and for the notebook's types it names their
// declarations with every method and what those reach, as a step's code
// hash reaches them (MarshalBinary, a user codec's Encode, the types of
// fields); a user codec's function too. A type from a module counts by the
// module's version, a standard one by its name. A change anywhere there
// may store other bytes or read the same bytes otherwise.
func (a *analysis) typeHash(p *ir.Port, t types.Type, declOf map[types.Object]*item) string {
	var roots []*item
	add := func(it *item) {
		if it != nil && !slices.Contains(roots, it) {
			roots = append(roots, it)
		}
	}
	modules := map[string]string{}
	a.typeDecls(t, declOf, add, modules, map[types.Type]bool{})
	if p.CodecFunc {
		for _, c := range a.userCodecs {
			if c.fn.name == p.Codec {
				add(c.fn)
			}
		}
	}
	var texts []string
	for _, r := range roots {
		texts = append(texts, a.normalised(r))
	}
	reached, used, _ := a.reach(roots, declOf, nil)
	for _, r := range reached {
		texts = append(texts, r.text)
	}
	for path, version := range used {
		modules[path] = version
	}
	// zengen's own module is left out: its codecs version their layouts
	// and read every older one, so an upgrade changes no artifact's
	// meaning, and every user codec names it.
	for path := range modules {
		if path == ir.RuntimePath || strings.HasPrefix(ir.RuntimePath, path+"/") {
			delete(modules, path)
		}
	}
	slices.Sort(texts)
	texts = slices.Compact(texts)
	h := sha256.New()
	fmt.Fprintf(h, "zengen type v1\ncodec %s\ntype %s\n", p.Codec, types.TypeString(t, a.fullQualifier))
	for _, path := range sortedKeys(modules) {
		fmt.Fprintf(h, "module %s %s\n", path, modules[path])
	}
	for _, text := range texts {
		fmt.Fprintf(h, "decl %d\n%s\n", len(text), text)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// fullQualifier names a package by its path, the notebook's by nothing:
// its path is the generated package's, which a rename of the output
// folder changes while the type stays the same.
func (a *analysis) fullQualifier(p *types.Package) string {
	if p == a.chk.pkg {
		return ""
	}
	return p.Path()
}

// typeDecls walks t and adds the declarations of the notebook's named
// types in it, with their methods, and records the modules of the others.
// The fields of a notebook type are reached from its declaration.
func (a *analysis) typeDecls(t types.Type, declOf map[types.Object]*item, add func(*item), modules map[string]string, seen map[types.Type]bool) {
	if t == nil || seen[t] {
		return
	}
	seen[t] = true
	walk := func(t types.Type) { a.typeDecls(t, declOf, add, modules, seen) }
	switch t := t.(type) {
	case *types.Alias:
		if t.Obj().Pkg() == a.chk.pkg {
			add(declOf[t.Obj()])
		}
		walk(types.Unalias(t))
	case *types.Named:
		obj := t.Obj()
		switch {
		case obj.Pkg() == a.chk.pkg:
			origin := t.Origin()
			add(declOf[origin.Obj()])
			for i := 0; i < origin.NumMethods(); i++ {
				add(declOf[origin.Method(i)])
			}
		case obj.Pkg() != nil:
			a.addModule(modules, obj.Pkg().Path())
		}
		if args := t.TypeArgs(); args != nil {
			for i := 0; i < args.Len(); i++ {
				walk(args.At(i))
			}
		}
	case *types.Pointer:
		walk(t.Elem())
	case *types.Slice:
		walk(t.Elem())
	case *types.Array:
		walk(t.Elem())
	case *types.Chan:
		walk(t.Elem())
	case *types.Map:
		walk(t.Key())
		walk(t.Elem())
	case *types.Struct:
		for i := 0; i < t.NumFields(); i++ {
			walk(t.Field(i).Type())
		}
	case *types.Signature:
		walk(t.Params())
		walk(t.Results())
	case *types.Tuple:
		for i := 0; i < t.Len(); i++ {
			walk(t.At(i).Type())
		}
	}
}
