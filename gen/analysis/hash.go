package analysis

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/ast"
	"go/constant"
	"go/scanner"
	"go/token"
	"go/types"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/zengen-dev/zengen/gen/ir"
)

// hashSteps computes each step's code hash: its normalised body, every
// package-level declaration it reaches (transitively, including the methods
// of reached types) and the step's signature. Comments, blank lines and
// spacing do not count. What the code depends on outside itself becomes
// components of the runtime's cache key of its own, so that explain can
// name it: the modules it imports with the notebook's requirements
// (Step.Modules) and the environment variables it reads by name (Step.Env).
func (a *analysis) hashSteps() {
	declOf := a.declIndex()
	for _, sb := range a.allSteps() {
		roots := a.stepRoots(sb)
		roots = append(roots, a.userCodecItems(sb.step)...)
		// own hashes everything h does but the declarations reached.
		h, own := sha256.New(), sha256.New()
		both := io.MultiWriter(h, own)
		fmt.Fprintf(both, "zengen step v2\n%s\n", sb.step.Kind)
		for _, it := range roots {
			code := a.normalised(it)
			fmt.Fprintf(both, "%d\n%s\n", len(code), code)
		}
		for _, c := range sb.cells {
			if a.gonbInits != nil && len(a.gonbInits.byCell[c]) > 0 {
				fmt.Fprintf(both, "gonb init cell %d: %s\n", c.Number, initNames(a.gonbInits.byCell[c]))
			}
		}
		// The GoNB init functions the step calls before its cells are
		// declarations it reaches.
		inits := a.gonbInitsOf(sb)
		reached, modules, env := a.reach(append(slices.Clone(roots), inits...), declOf, sb)
		for i := len(inits) - 1; i >= 0; i-- {
			reached = append([]reachedDecl{{inits[i], a.normalised(inits[i])}}, reached...)
		}
		for _, r := range reached {
			fmt.Fprintf(h, "decl %d\n%s\n", len(r.text), r.text)
		}
		sb.step.Modules, sb.step.Env = a.withRequirements(modules), env
		for _, p := range sb.step.Inputs {
			fmt.Fprintf(both, "in %s %s %s\n", p.Name, p.Type, p.Codec)
		}
		for _, p := range sb.step.Outputs {
			fmt.Fprintf(both, "out %s %s %s %v\n", p.Name, p.Type, p.Codec, p.Metric)
		}
		fmt.Fprintf(both, "params %s\n", strings.Join(sb.step.Params, ","))
		if c := sb.step.Call; c != nil {
			for _, arg := range c.Args {
				fmt.Fprintf(both, "arg %s|%s|%s\n", arg.Input, arg.Param, arg.Literal)
			}
		}
		sb.step.CodeHash = hex.EncodeToString(h.Sum(nil))
		sb.step.CodeParts = a.codeParts(sb, own.Sum(nil), reached)
	}
	a.hashTypes(declOf)
}

// declIndex maps every package-level object and method to the declaration
// that declares it.
func (a *analysis) declIndex() map[types.Object]*item {
	var decls []*item
	for _, it := range a.packageDecls() {
		if it.node != nil {
			decls = append(decls, it)
		}
	}
	return a.declOwners(decls)
}

// stepRoots are the items of a step's own code: a cell step's
// statements, or a function step's declaration and the prints of its
// result after the call.
func (a *analysis) stepRoots(sb *stepBuild) []*item {
	if sb.fn != nil {
		return append([]*item{sb.fn}, sb.prints...)
	}
	return slices.Clone(sb.items)
}

// reachedDecl is a package-level declaration a step reaches, with its
// normalised text.
type reachedDecl struct {
	it   *item
	text string
}

// partDigestLen is how many hex digits of a part's SHA-256 are kept: the
// parts only say which piece changed; CodeHash, in full, decides.
const partDigestLen = 16

// codeParts lists the pieces of a step's code hash when it reaches any
// declaration: its own code, then the declarations by position.
func (a *analysis) codeParts(sb *stepBuild, own []byte, reached []reachedDecl) []ir.CodePart {
	if len(reached) == 0 {
		return nil
	}
	where := sb.step.Pos
	if sb.fn != nil { // a function step's own code is its declaration
		where = a.nb.Pos(sb.fn.cell, sb.fn.tokenLine, 0)
	}
	parts := []ir.CodePart{{Pos: a.cellOf(where), Digest: hex.EncodeToString(own)[:partDigestLen]}}
	for _, r := range reached {
		name := strings.Join(r.it.keys, ", ")
		if name == "" {
			name = r.it.keyword + " (…)"
		}
		sum := sha256.Sum256([]byte(r.text))
		parts = append(parts, ir.CodePart{Name: name, Pos: a.cellOf(a.nb.Pos(r.it.cell, r.it.tokenLine, 0)),
			Digest: hex.EncodeToString(sum[:])[:partDigestLen]})
	}
	slices.SortStableFunc(parts[1:], func(x, y ir.CodePart) int {
		switch {
		case x.Pos.Less(y.Pos):
			return -1
		case y.Pos.Less(x.Pos):
			return 1
		}
		return strings.Compare(x.Name, y.Name)
	})
	return parts
}

// cellOf is the position of p's cell: in a notebook the cell alone, in a
// script the line (scripts have no cells to name).
func (a *analysis) cellOf(p ir.Pos) ir.Pos {
	p.Col = 0
	if p.Cell > 0 {
		p.Line = 0
	}
	return p
}

func isMethod(obj types.Object) bool {
	f, ok := obj.(*types.Func)
	return ok && f.Signature().Recv() != nil
}

// normalised is an item's code as its tokens (codeTokens), read from the
// check file the item's syntax tree was parsed from, so that it holds the
// renames of redeclared names as the tree does. Printing the tree instead
// cost seconds for a cell of megabytes; scanning is linear and cheap.
func (a *analysis) normalised(it *item) string {
	if it.node == nil {
		return "text\n" + it.text
	}
	n := it.node.(ast.Node)
	return codeTokens(a.chk.src[a.offset(n.Pos()):a.offset(n.End())])
}

// codeTokens writes Go source as the sequence of its tokens, one a line:
// the token, and for names and literals the length and text of its
// spelling. Comments and layout are no tokens, and a semicolon is the same
// token whether written or implied by a line break. A comma or semicolon
// just before ")", "}" or the end is left out: it only ends a list or a
// block that ends on the next line (go/parser accepts it there and builds the same
// tree without it), or else it is an empty statement, which does nothing.
// So equal token lines are the same code, and code that differs in more
// than comments and layout gives other lines; a statement re-broken across
// lines keeps its hash.
func codeTokens(src string) string {
	var s scanner.Scanner
	s.Init(token.NewFileSet().AddFile("", -1, len(src)), []byte(src), nil, 0)
	var b strings.Builder
	b.Grow(2 * len(src))
	pending := token.ILLEGAL // a comma or semicolon not yet written
	for {
		_, tok, lit := s.Scan()
		if pending != token.ILLEGAL && tok != token.RPAREN && tok != token.RBRACE {
			b.WriteString(pending.String() + "\n")
		}
		pending = token.ILLEGAL
		switch {
		case tok == token.EOF:
			return b.String()
		case tok == token.COMMA || tok == token.SEMICOLON:
			pending = tok
		case tok.IsLiteral():
			// Written by hand, not by fmt: a data cell has a million.
			b.WriteString(tok.String())
			b.WriteByte(' ')
			b.WriteString(strconv.Itoa(len(lit)))
			b.WriteByte(' ')
			b.WriteString(lit)
			b.WriteByte('\n')
		default:
			b.WriteString(tok.String() + "\n")
		}
	}
}

// reach walks from roots through package-level declarations and returns
// their normalised texts (sorted), the modules they import (path →
// version) and the environment variables they read by a constant name
// (sorted). It also adds the parameters and flags reached this way to the
// step, when sb is set.
func (a *analysis) reach(roots []*item, declOf map[types.Object]*item, sb *stepBuild) (reached []reachedDecl, modules map[string]string, env []string) {
	visited := map[*item]bool{}
	modules = map[string]string{}
	vars := map[string]bool{}
	queue := append([]*item(nil), roots...)
	for _, r := range roots {
		visited[r] = true
	}
	add := func(it *item) {
		if it != nil && !visited[it] {
			visited[it] = true
			queue = append(queue, it)
			reached = append(reached, reachedDecl{it, a.normalised(it)})
		}
	}
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		if it.node == nil {
			continue
		}
		ast.Inspect(it.node.(ast.Node), func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				if name, ok := a.envRead(call); ok {
					vars[name] = true
				}
				return true
			}
			id, ok := n.(*ast.Ident)
			if !ok {
				return true
			}
			obj := a.chk.info.Uses[id]
			switch obj := obj.(type) {
			case nil:
				return true
			case *types.PkgName:
				a.addModule(modules, obj.Imported().Path())
				return true
			case *types.TypeName:
				if named, ok := types.Unalias(obj.Type()).(*types.Named); ok && obj.Pkg() == a.chk.pkg {
					for i := 0; i < named.NumMethods(); i++ {
						add(declOf[named.Method(i)])
					}
				}
			}
			if sb != nil {
				a.readFlag(sb, obj)
				if p := a.df.params[obj]; p != nil && sb.fn == nil && !visited[nil] {
					sb.step.Params = appendUnique(sb.step.Params, p.Name)
				}
			}
			add(declOf[obj])
			return true
		})
	}
	sort.Slice(reached, func(i, j int) bool { return reached[i].text < reached[j].text })
	return reached, modules, sortedKeys(vars)
}

// addModule records the module of the package at path, with its version,
// unless the package is standard.
func (a *analysis) addModule(modules map[string]string, path string) {
	if isStd(path) {
		return
	}
	if p := a.chk.loaded[path]; p != nil && p.Module != nil {
		modules[p.Module.Path] = p.Module.Version
	} else {
		modules[path] = "(no module)"
	}
}

// envFuncs are the functions that read one environment variable, named by
// their first argument.
var envFuncs = map[string]bool{"os.Getenv": true, "os.LookupEnv": true, "syscall.Getenv": true}

// envRead returns the variable a call reads when it is one of envFuncs
// with a constant name: a literal, or a constant that holds one.
func (a *analysis) envRead(call *ast.CallExpr) (string, bool) {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || len(call.Args) != 1 {
		return "", false
	}
	fn, ok := a.chk.info.Uses[sel.Sel].(*types.Func)
	if !ok || fn.Pkg() == nil || !envFuncs[fn.Pkg().Path()+"."+fn.Name()] {
		return "", false
	}
	tv, ok := a.chk.info.Types[call.Args[0]]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(tv.Value), true
}

// withRequirements adds the notebook's requirements to the modules a step
// imports, as "path@version" sorted by path: a required module may change
// what the code that is imported compiles to, so every step's key holds
// them. A version analysis resolved wins over the one written in the
// notebook, which may be "latest".
func (a *analysis) withRequirements(modules map[string]string) []string {
	all := map[string]string{}
	for _, r := range a.p.Requirements {
		all[r.Path] = r.Version
	}
	for path, version := range modules {
		all[path] = version
	}
	var out []string
	for _, path := range sortedKeys(all) {
		out = append(out, path+"@"+all[path])
	}
	return out
}
