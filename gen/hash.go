package gen

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/ast"
	"go/printer"
	"go/token"
	"go/types"
	"sort"
	"strings"
)

// hashSteps computes each step's code hash: its normalised body, every
// package-level declaration it reaches (transitively, including the methods
// of reached types), the versions of the non-std modules that code imports,
// and the step's signature. Comments, blank lines and spacing do not count.
func (a *analysis) hashSteps() {
	declOf := map[types.Object]*item{}
	for _, it := range a.packageDecls() {
		if it.node == nil {
			continue
		}
		ast.Inspect(it.node.(ast.Node), func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				if obj := a.chk.info.Defs[id]; obj != nil && (obj.Parent() == a.chk.pkg.Scope() || isMethod(obj)) {
					declOf[obj] = it
				}
			}
			return true
		})
	}
	for _, sb := range a.allSteps() {
		var roots []*item
		if sb.fn != nil {
			roots = []*item{sb.fn}
		} else {
			roots = sb.items
		}
		h := sha256.New()
		fmt.Fprintf(h, "zengen step v1\n%s\n", sb.step.Kind)
		for _, it := range roots {
			fmt.Fprintf(h, "%s\n", a.normalised(it))
		}
		reached, imports := a.reach(roots, declOf, sb)
		for _, text := range reached {
			fmt.Fprintf(h, "decl\n%s\n", text)
		}
		for _, m := range imports {
			fmt.Fprintf(h, "module %s\n", m)
		}
		for _, p := range sb.step.Inputs {
			fmt.Fprintf(h, "in %s %s %s\n", p.Name, p.Type, p.Codec)
		}
		for _, p := range sb.step.Outputs {
			fmt.Fprintf(h, "out %s %s %s %v\n", p.Name, p.Type, p.Codec, p.Metric)
		}
		fmt.Fprintf(h, "params %s\n", strings.Join(sb.step.Params, ","))
		if c := sb.step.Call; c != nil {
			for _, arg := range c.Args {
				fmt.Fprintf(h, "arg %s|%s|%s\n", arg.Input, arg.Param, arg.Literal)
			}
		}
		sb.step.CodeHash = hex.EncodeToString(h.Sum(nil))
	}
}

func isMethod(obj types.Object) bool {
	f, ok := obj.(*types.Func)
	return ok && f.Signature().Recv() != nil
}

// normalised prints an item's AST without comments and without the
// notebook's layout: printed against an empty file set, go/printer knows no
// line of any node, so it keeps none of the author's line breaks and a
// statement re-broken across lines prints (and hashes) as before.
func (a *analysis) normalised(it *item) string {
	if it.node == nil {
		return it.text
	}
	var buf bytes.Buffer
	if err := printer.Fprint(&buf, token.NewFileSet(), it.node); err != nil {
		return it.text
	}
	var lines []string
	for _, l := range strings.Split(buf.String(), "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, strings.TrimRight(l, " \t"))
		}
	}
	return strings.Join(lines, "\n")
}

// reach walks from roots through package-level declarations and returns
// their normalised texts (sorted) and the module versions they import. It
// also adds the parameters reached this way to the step.
func (a *analysis) reach(roots []*item, declOf map[types.Object]*item, sb *stepBuild) (texts, modules []string) {
	visited := map[*item]bool{}
	mods := map[string]bool{}
	queue := append([]*item(nil), roots...)
	for _, r := range roots {
		visited[r] = true
	}
	add := func(it *item) {
		if it != nil && !visited[it] {
			visited[it] = true
			queue = append(queue, it)
			texts = append(texts, a.normalised(it))
		}
	}
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		if it.node == nil {
			continue
		}
		ast.Inspect(it.node.(ast.Node), func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok {
				return true
			}
			obj := a.chk.info.Uses[id]
			switch obj := obj.(type) {
			case nil:
				return true
			case *types.PkgName:
				path := obj.Imported().Path()
				if !isStd(path) {
					version := "(no module)"
					if p := a.chk.loaded[path]; p != nil && p.Module != nil {
						version = p.Module.Path + "@" + p.Module.Version
					}
					mods[version] = true
				}
				return true
			case *types.TypeName:
				if named, ok := types.Unalias(obj.Type()).(*types.Named); ok && obj.Pkg() == a.chk.pkg {
					for i := 0; i < named.NumMethods(); i++ {
						add(declOf[named.Method(i)])
					}
				}
			}
			if p := a.df.params[obj]; p != nil && sb.fn == nil && !visited[nil] {
				sb.step.Params = appendUnique(sb.step.Params, p.Name)
			}
			add(declOf[obj])
			return true
		})
	}
	sort.Strings(texts)
	return texts, sortedKeys(mods)
}
