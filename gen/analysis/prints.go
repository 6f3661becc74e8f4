package analysis

import (
	"fmt"
	"go/ast"
	"go/types"
	"slices"
	"sort"
)

// Printed output belongs to the step that prints it. The runtime gives each
// running step its own writers (zen.Stdout and zen.Stderr of the step's
// context), and analysis routes every print of the notebook's code to them:
//
//   - in a cell step's body, zg_out (stdout) and zg_stderr(zg_ctx);
//   - in a package-level function that prints, or calls one that does, the
//     writers of a context it takes as a new first parameter, zg_ctx, which
//     every call passes on: the step function's own context, or the
//     caller's zg_ctx. Function steps are such functions; their Run adapter
//     passes the step's context. So a helper called by two steps at once
//     prints each line to the step that called it. Code that has no step
//     context (a method, init) passes zg_outside, which prints to the
//     process's stdout.
//
// fmt.Print*, fmt.Fprint*(os.Stdout|os.Stderr, …) (any os.Stdout or
// os.Stderr passed as an interface argument), the log package's
// Print*/Fatal*/Panic* and the builtins print and println (of basic values)
// are routed. What cannot be routed — a print in a method or a variable's
// initialiser, a call from there of a function that prints, a printing
// function used as a value, os.Stdout used otherwise, log after log.SetOutput, println of a pointer — makes every step
// that reaches it Alone: the runtime runs it with no other step beside it
// and captures the process's stdout for it.

// printSite is one place where code prints.
type printSite struct {
	node ast.Node
	// route applies the edits that send the print to the writers named by
	// the two expressions; nil when the print cannot be routed.
	route func(stdout, stderr string)
	what  string // for messages: "println", "os.Stdout"
}

// printScope is a piece of code that prints, with the writer expressions
// its prints go to (empty when the step's context is not in scope there).
type printScope struct {
	it             *item
	stdout, stderr string
}

// threaded is a package-level function that takes zg_ctx.
type threaded struct {
	it   *item
	decl *ast.FuncDecl
}

// routePrints rewrites the notebook's prints to the running step's writers
// and marks the steps that reach prints it cannot route as Alone.
func (a *analysis) routePrints() {
	info := a.chk.info
	logRedirected := a.logRedirected()

	cellBody := map[*item]bool{}
	for _, sb := range a.cellSteps {
		for _, it := range sb.items {
			cellBody[it] = true
		}
	}
	// Candidates for a zg_ctx parameter: plain functions (not methods or
	// init) that print or call one that does; main is one only in a REPL,
	// where it is an ordinary function (packageDecls).
	funcs := map[types.Object]*threaded{}
	var decls []*item
	for _, it := range a.packageDecls() {
		if it.node == nil {
			continue
		}
		decls = append(decls, it)
		fd, ok := it.node.(*ast.FuncDecl)
		replayed := a.gonbInits != nil && a.gonbInits.funcs[it]
		if !ok || fd.Recv != nil || fd.Body == nil || fd.Name.Name == "init" && !replayed || fd.Name.Name == "_" || a.isNotebookTest(it) {
			continue
		}
		if obj := info.Defs[fd.Name]; obj != nil {
			funcs[obj] = &threaded{it: it, decl: fd}
		}
	}
	a.showLastDisplays()
	sites := map[*item][]printSite{}
	for _, it := range decls {
		sites[it] = append(a.printSites(it.node.(ast.Node), logRedirected), a.displaySites(it.node.(ast.Node))...)
	}
	for it := range cellBody {
		if it.node != nil {
			sites[it] = append(a.printSites(it.node.(ast.Node), logRedirected), a.displaySites(it.node.(ast.Node))...)
		}
	}
	a.displaysOutsideSteps(decls)
	a.gonbInitPrints(decls, logRedirected)
	calls := map[*item][]types.Object{} // the candidates each item calls
	for it := range sites {
		ast.Inspect(it.node.(ast.Node), func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				if id := calledIdent(call.Fun); id != nil && funcs[info.Uses[id]] != nil {
					calls[it] = append(calls[it], info.Uses[id])
				}
			}
			return true
		})
	}
	// needs: the candidates that print or call a candidate that prints.
	needs := map[types.Object]bool{}
	for obj, f := range funcs {
		for _, s := range sites[f.it] {
			if s.route != nil {
				needs[obj] = true
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for obj, f := range funcs {
			if needs[obj] {
				continue
			}
			for _, callee := range calls[f.it] {
				if needs[callee] {
					needs[obj], changed = true, true
					break
				}
			}
		}
	}
	// A function takes zg_ctx only if every use of it is a direct call;
	// one used as a value keeps its signature.
	itemOf := map[*item]types.Object{}
	for obj, f := range funcs {
		itemOf[f.it] = obj
	}
	for obj := range needs {
		for _, id := range a.df.uses[obj] {
			if _, it, _ := a.locate(a.offset(id.Pos())); it == nil || a.callOf(it, id) == nil {
				delete(needs, obj)
				break
			}
		}
	}
	// Rewrite: the parameter, the calls, and the prints in scope of zg_ctx.
	var scopes []printScope
	hasCtx := map[*item]bool{}
	for it := range cellBody {
		scopes = append(scopes, printScope{it: it, stdout: "zg_out", stderr: "zg_stderr(zg_ctx)"})
		hasCtx[it] = true
	}
	for _, it := range decls {
		if needs[itemOf[it]] {
			scopes = append(scopes, printScope{it: it, stdout: "zg_stdout(zg_ctx)", stderr: "zg_stderr(zg_ctx)"})
			hasCtx[it] = true
			fd := funcs[itemOf[it]].decl
			a.editAt(fd.Type.Params.Opening+1, fd.Type.Params.Opening+1, "zg_ctx zg_context"+sepIf(len(fd.Type.Params.List) > 0))
		} else {
			scopes = append(scopes, printScope{it: it})
		}
	}
	for obj := range needs {
		for _, id := range a.df.uses[obj] {
			_, it, _ := a.locate(a.offset(id.Pos()))
			if it.cell == a.pipelineCell {
				continue // not emitted; the Run adapter passes zg_ctx
			}
			call := a.callOf(it, id)
			ctx := "zg_ctx"
			if !hasCtx[it] {
				// Called from outside any step's reach (a method, init, a
				// variable's initialiser): it prints to the process's
				// stdout, as before.
				ctx = "zg_outside"
				sites[it] = append(sites[it], printSite{node: call, what: "a call of " + id.Name})
			}
			a.editAt(call.Lparen+1, call.Lparen+1, ctx+sepIf(len(call.Args) > 0))
		}
	}
	if a.gonbInits != nil {
		for it := range a.gonbInits.funcs {
			a.gonbInits.ctx[it] = needs[itemOf[it]]
		}
	}
	for _, sb := range a.funcSteps {
		if fd, ok := sb.fn.node.(*ast.FuncDecl); ok && needs[info.Defs[fd.Name]] && sb.step.Call != nil {
			sb.step.Call.Context = true
		}
	}
	unroutable := map[*item][]printSite{}
	for _, sc := range scopes {
		for _, s := range sites[sc.it] {
			if s.route == nil || sc.stdout == "" {
				unroutable[sc.it] = append(unroutable[sc.it], s)
				continue
			}
			s.route(sc.stdout, sc.stderr)
		}
	}
	a.markAlone(decls, unroutable)
}

func sepIf(more bool) string {
	if more {
		return ", "
	}
	return ""
}

// markAlone sets Alone on every step whose code reaches a print that
// cannot be routed, naming the first such print.
func (a *analysis) markAlone(decls []*item, unroutable map[*item][]printSite) {
	if len(unroutable) == 0 {
		return
	}
	declOf := a.declOwners(decls)
	for _, sb := range a.allSteps() {
		roots := append(slices.Clone(sb.items), a.gonbInitsOf(sb)...)
		if sb.fn != nil {
			roots = []*item{sb.fn}
		}
		var found []printSite
		for _, it := range a.reachedItems(roots, declOf) {
			found = append(found, unroutable[it]...)
		}
		if len(found) == 0 {
			continue
		}
		sort.Slice(found, func(i, j int) bool { return found[i].node.Pos() < found[j].node.Pos() })
		s := found[0]
		sb.step.Alone = fmt.Sprintf("%s at %s", s.what, a.posOf(s.node.Pos()))
	}
}

// declOwners maps the package-level objects (and methods) that decls
// declare to the declaration that declares them.
func (a *analysis) declOwners(decls []*item) map[types.Object]*item {
	declOf := map[types.Object]*item{}
	for _, it := range decls {
		ast.Inspect(it.node.(ast.Node), func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				if obj := a.chk.info.Defs[id]; obj != nil && (obj.Parent() == a.chk.pkg.Scope() || isMethod(obj)) {
					declOf[obj] = it
				}
			}
			return true
		})
	}
	return declOf
}

// reachedItems returns roots and every package-level declaration they
// reach, with the methods of the types they name.
func (a *analysis) reachedItems(roots []*item, declOf map[types.Object]*item) []*item {
	visited := map[*item]bool{}
	var out []*item
	queue := append([]*item(nil), roots...)
	for _, r := range roots {
		visited[r] = true
	}
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		out = append(out, it)
		if it.node == nil {
			continue
		}
		ast.Inspect(it.node.(ast.Node), func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok {
				return true
			}
			obj := a.chk.info.Uses[id]
			var reached []*item
			if tn, ok := obj.(*types.TypeName); ok && tn.Pkg() == a.chk.pkg {
				if named, ok := types.Unalias(tn.Type()).(*types.Named); ok {
					for i := 0; i < named.NumMethods(); i++ {
						reached = append(reached, declOf[named.Method(i)])
					}
				}
			}
			reached = append(reached, declOf[obj])
			for _, r := range reached {
				if r != nil && !visited[r] {
					visited[r] = true
					queue = append(queue, r)
				}
			}
			return true
		})
	}
	return out
}

// calledIdent is the function identifier of a call's Fun: f, f[T], (f).
func calledIdent(fun ast.Expr) *ast.Ident {
	for {
		switch e := fun.(type) {
		case *ast.Ident:
			return e
		case *ast.ParenExpr:
			fun = e.X
		case *ast.IndexExpr:
			fun = e.X
		case *ast.IndexListExpr:
			fun = e.X
		default:
			return nil
		}
	}
}

// callOf returns the call of which id is the function, or nil.
func (a *analysis) callOf(it *item, id *ast.Ident) *ast.CallExpr {
	var found *ast.CallExpr
	if it.node == nil {
		return nil
	}
	ast.Inspect(it.node.(ast.Node), func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && calledIdent(call.Fun) == id {
			found = call
		}
		return found == nil
	})
	return found
}

// logRedirected reports whether the notebook points the standard logger
// elsewhere: its prints then go where the notebook said, not to the step.
func (a *analysis) logRedirected() bool {
	for id, obj := range a.chk.info.Uses {
		if f, ok := obj.(*types.Func); ok && f.Pkg() != nil && f.Pkg().Path() == "log" && (id.Name == "SetOutput" || id.Name == "Default") {
			if f.Signature().Recv() == nil {
				return true
			}
		}
	}
	return false
}

// fmtPrints maps the fmt functions that print to os.Stdout to the ones
// that take a writer.
var fmtPrints = map[string]string{"Print": "Fprint", "Printf": "Fprintf", "Println": "Fprintln"}

// logPrints are the functions of package log that print with the standard
// logger.
var logPrints = map[string]bool{"Print": true, "Printf": true, "Println": true,
	"Fatal": true, "Fatalf": true, "Fatalln": true, "Panic": true, "Panicf": true, "Panicln": true}

// logStd are the functions of package log that hand out or use the
// standard logger other than by printing.
var logStd = map[string]bool{"Default": true, "Output": true, "Writer": true}

// printSites finds the prints in node.
func (a *analysis) printSites(node ast.Node, logRedirected bool) []printSite {
	info := a.chk.info
	var sites []printSite
	routedStd := map[*ast.SelectorExpr]bool{}
	ast.Inspect(node, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			if pkg, sel := pkgSelector(info, n.Fun); sel != nil {
				switch {
				case pkg == "fmt" && fmtPrints[sel.Sel.Name] != "":
					call := n
					sites = append(sites, printSite{node: n, what: "fmt." + sel.Sel.Name, route: func(stdout, _ string) {
						a.editAt(sel.Sel.Pos(), sel.Sel.End(), fmtPrints[sel.Sel.Name])
						a.editAt(call.Lparen+1, call.Lparen+1, stdout+sepIf(len(call.Args) > 0))
					}})
				case pkg == "log" && logStd[sel.Sel.Name]:
					// The standard logger itself, which prints to the
					// process's stderr.
					sites = append(sites, printSite{node: n, what: "log." + sel.Sel.Name})
				case pkg == "log" && logPrints[sel.Sel.Name]:
					s := printSite{node: n, what: "log." + sel.Sel.Name}
					if !logRedirected {
						x := sel.X.(*ast.Ident).Name
						s.route = func(_, stderr string) {
							a.editAt(sel.Pos(), sel.End(), fmt.Sprintf("%s.New(%s, %s.Prefix(), %s.Flags()).%s", x, stderr, x, x, sel.Sel.Name))
						}
					}
					sites = append(sites, s)
				}
			}
			if id, ok := n.Fun.(*ast.Ident); ok {
				if b, ok := info.Uses[id].(*types.Builtin); ok && (b.Name() == "print" || b.Name() == "println") {
					s := printSite{node: n, what: b.Name()}
					if a.basicArgs(n.Args) {
						call, name := n, b.Name()
						s.route = func(_, stderr string) {
							a.editAt(id.Pos(), id.End(), "zg_"+name)
							a.editAt(call.Lparen+1, call.Lparen+1, stderr+sepIf(len(call.Args) > 0))
						}
					}
					sites = append(sites, s)
				}
			}
			// os.Stdout or os.Stderr passed where an interface is expected
			// (fmt.Fprintln, json.NewEncoder…) can be the step's writer.
			if sig, ok := info.TypeOf(n.Fun).(*types.Signature); ok && !isLogSetOutput(info, n.Fun) {
				for i, arg := range n.Args {
					sel, stream := osStream(info, arg)
					if sel == nil || !types.IsInterface(paramType(sig, i)) {
						continue
					}
					routedStd[sel] = true
					sites = append(sites, printSite{node: sel, what: "os." + sel.Sel.Name, route: func(stdout, stderr string) {
						w := stdout
						if stream == "Stderr" {
							w = stderr
						}
						a.editAt(sel.Pos(), sel.End(), w)
					}})
				}
			}
		case *ast.SelectorExpr:
			if sel, _ := osStream(info, n); sel != nil && !routedStd[sel] {
				sites = append(sites, printSite{node: sel, what: "os." + sel.Sel.Name})
			}
		}
		return true
	})
	return sites
}

// pkgSelector returns the import path and selector of pkg.Name.
func pkgSelector(info *types.Info, e ast.Expr) (string, *ast.SelectorExpr) {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok {
		return "", nil
	}
	x, ok := sel.X.(*ast.Ident)
	if !ok {
		return "", nil
	}
	pkg, ok := info.Uses[x].(*types.PkgName)
	if !ok {
		return "", nil
	}
	return pkg.Imported().Path(), sel
}

// osStream recognises os.Stdout and os.Stderr.
func osStream(info *types.Info, e ast.Expr) (*ast.SelectorExpr, string) {
	path, sel := pkgSelector(info, e)
	if path != "os" || sel.Sel.Name != "Stdout" && sel.Sel.Name != "Stderr" {
		return nil, ""
	}
	return sel, sel.Sel.Name
}

func isLogSetOutput(info *types.Info, fun ast.Expr) bool {
	path, sel := pkgSelector(info, fun)
	return path == "log" && sel.Sel.Name == "SetOutput"
}

// paramType is the type argument i of a call to sig is assigned to.
func paramType(sig *types.Signature, i int) types.Type {
	n := sig.Params().Len()
	switch {
	case sig.Variadic() && i >= n-1:
		if sl, ok := sig.Params().At(n - 1).Type().(*types.Slice); ok {
			return sl.Elem()
		}
		return types.Typ[types.Invalid]
	case i < n:
		return sig.Params().At(i).Type()
	}
	return types.Typ[types.Invalid]
}

// basicArgs reports whether print's arguments all have basic types that
// zen.Print formats exactly as the builtin does.
func (a *analysis) basicArgs(args []ast.Expr) bool {
	for _, arg := range args {
		t := a.chk.info.TypeOf(arg)
		if t == nil {
			return false
		}
		b, ok := t.Underlying().(*types.Basic)
		if !ok || b.Kind() == types.UnsafePointer || b.Kind() == types.UntypedNil || b.Kind() == types.Invalid {
			return false
		}
	}
	return true
}
