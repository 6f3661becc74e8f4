package analysis

// The kernels' display APIs. GoNB's gonbui is a module the notebook
// imports (and the module proxy does not serve it); gophernotes gives
// every notebook a display package and a Display function, lgo a _ctx.
// zengen has its own versions of them with the same names and signatures
// (runtime/display/…): the notebook's calls stay as written, only the
// import path changes, or an import is added where the kernel provided the
// name. A display stores a display artifact of the step that runs alone,
// so every step that reaches one is marked Alone.

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/zengen-dev/zengen/gen/ir"
	"github.com/zengen-dev/zengen/parser"
)

// displayRoot is the folder of zengen's versions of the kernels' APIs.
const displayRoot = ir.RuntimePath + "/display"

// kernelImportPaths maps the kernels' own import paths to zengen's.
var kernelImportPaths = map[string]string{
	"github.com/janpfeifer/gonb/gonbui": displayRoot + "/gonbui",
}

// kernelName is a name a kernel gives every notebook, with the import that
// provides it in a pipeline: name is the import's name ("." for a name
// used bare), path zengen's package.
type kernelName struct {
	dialect parser.Dialect
	name    string // the name the notebook uses
	as      string // the import's name: "" for the package's own, "." for a dot import
	path    string
	bare    bool // used as an identifier (Display), not as X in X.Sel
}

var kernelNames = []kernelName{
	// GoNB's goimports adds gonbui when the notebook's go.mod has it.
	{dialect: parser.DialectGoNB, name: "gonbui", path: displayRoot + "/gonbui"},
	{dialect: parser.DialectREPL, name: "display", path: displayRoot + "/gophernotes"},
	{dialect: parser.DialectREPL, name: "Display", as: ".", path: displayRoot + "/gophernotes/kernel", bare: true},
	{dialect: parser.DialectREPL, name: "_ctx", as: "_ctx", path: displayRoot + "/lgo"},
}

// rewriteKernelImports points the notebook's imports of a kernel's own
// package at zengen's version of it, under the name the notebook used.
func rewriteKernelImports(imports []*userImport) {
	for _, u := range imports {
		if path, ok := kernelImportPaths[u.path]; ok {
			u.path = path
		}
	}
}

// kernelCandidates returns the kernel names that file uses and no
// import binds: X of an X.Sel, or a bare identifier. Only those are
// loaded, since loading zengen's packages needs zengen in the module.
func (a *analysis) kernelCandidates(file *ast.File, explicit map[string]bool) []kernelName {
	selX, bare := map[string]bool{}, map[string]bool{}
	sels := map[*ast.Ident]bool{}
	ast.Inspect(file, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			sels[sel.Sel] = true
			if x, ok := sel.X.(*ast.Ident); ok {
				selX[x.Name] = true
			}
		}
		return true
	})
	ast.Inspect(file, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && !sels[id] {
			bare[id.Name] = true
		}
		return true
	})
	var out []kernelName
	for _, k := range kernelNames {
		if k.dialect != a.nb.Dialect || explicit[k.name] {
			continue
		}
		if k.bare && bare[k.name] || !k.bare && selX[k.name] {
			out = append(out, k)
		}
	}
	return out
}

// addKernelImports adds the import of every kernel name the check found
// undefined, and reports whether it added one.
func (a *analysis) addKernelImports(errs []types.Error, cands []kernelName) bool {
	undefined := map[string]bool{}
	for _, e := range errs {
		if name, ok := strings.CutPrefix(e.Msg, "undefined: "); ok {
			undefined[name] = true
		}
	}
	added := false
	for _, k := range cands {
		if !undefined[k.name] {
			continue
		}
		p := a.chk.loaded[k.path]
		if p == nil || p.Types == nil || len(p.Errors) > 0 {
			continue // reported as undefined, with the kernel's hint
		}
		a.chk.imports = append(a.chk.imports, &userImport{name: k.as, path: k.path, added: true, pos: ir.Pos{File: a.nb.Path}})
		added = true
	}
	return added
}

// displaySites finds the uses of zengen's display functions in node (a
// call, or a function value that may be called later): none of them can be
// routed to a step's writers, so each makes the steps that reach it Alone
// (see markAlone).
func (a *analysis) displaySites(node ast.Node) []printSite {
	var sites []printSite
	ast.Inspect(node, func(n ast.Node) bool {
		var id *ast.Ident
		switch n := n.(type) {
		case *ast.ExprStmt:
			if a.flow.shownLast[n] {
				sites = append(sites, printSite{node: n, what: "the value " + types.ExprString(n.X) + " that ends the cell"})
			}
			return true
		case *ast.SelectorExpr:
			id = n.Sel
		case *ast.Ident:
			id = n
		default:
			return true
		}
		obj := a.chk.info.Uses[id]
		if obj == nil || obj.Pkg() == nil || !displays(obj) {
			return true
		}
		sites = append(sites, printSite{node: n, what: types.ExprString(n.(ast.Expr))})
		return false
	})
	return sites
}

// displays reports whether obj, of one of zengen's display packages,
// displays when called: not gophernotes' constructors of a value to
// display (display.HTML), nor a type or a constant.
func displays(obj types.Object) bool {
	path := obj.Pkg().Path()
	if !strings.HasPrefix(path, displayRoot+"/") {
		return false
	}
	switch obj := obj.(type) {
	case *types.Func:
		return path != displayRoot+"/gophernotes" || obj.Name() == "Show"
	case *types.Var:
		return path == displayRoot+"/lgo" // _ctx.Display
	}
	return false
}

// displaysOutsideSteps reports the displays that code which runs before
// any step reaches, where no step could store them: init functions and the
// initialisers of package-level variables, and what they call.
func (a *analysis) displaysOutsideSteps(decls []*item) {
	var declOf map[types.Object]*item
	for _, it := range decls {
		var where string
		switch d := it.node.(type) {
		case *ast.FuncDecl:
			if d.Recv != nil || d.Name.Name != "init" {
				continue
			}
			where = "an init function"
		case *ast.GenDecl:
			if d.Tok != token.VAR {
				continue
			}
			where = "a package-level variable's initialiser"
		default:
			continue
		}
		if declOf == nil {
			declOf = a.declOwners(decls)
		}
		for _, r := range a.reachedItems([]*item{it}, declOf) {
			if r.node == nil {
				continue
			}
			for _, site := range a.displaySites(r.node.(ast.Node)) {
				msg := fmt.Sprintf("%s in %s runs before any step", site.what, where)
				if r != it {
					msg = fmt.Sprintf("%s runs before any step: %s at %s reaches it", site.what, where, a.itemPos(it, 0))
				}
				e := a.errs.Add(a.posOf(site.node.Pos()), "%s; zengen stores a display only while the step that displays runs", msg)
				e.Hint = "move the display into a step"
			}
		}
	}
}

// gonbuiProvided lists what zengen's gonbui has, for the hint at a call of
// anything else.
const gonbuiProvided = "DisplayHTML, DisplayHtml, DisplayHTMLF, DisplayHtmlf, DisplayMarkdown, DisplayPNG, DisplayPng, DisplaySVG, DisplaySvg and DisplayImage"

// displayHint explains an undefined function of gonbui: zengen's version
// has only the calls that display, which it stores.
func displayHint(msg string) string {
	if name, ok := strings.CutPrefix(msg, "undefined: gonbui."); ok {
		return "zengen stores what a pipeline displays and provides gonbui's " + gonbuiProvided + "; " + name + " needs a live notebook: move it to a cell tagged skip or //zen:skip"
	}
	if name, ok := strings.CutPrefix(msg, "undefined: _ctx."); ok {
		return "zengen provides lgo's _ctx.Display only; " + name + " belongs to the kernel's context of a cell: use the step's own logic, or move it to a cell tagged skip or //zen:skip"
	}
	return ""
}

// showLastDisplays makes a REPL cell that ends with a gophernotes Data
// (display.HTML(s) as its last statement) display it, as gophernotes
// showed a cell's last value: the statement becomes display.Show(…). A
// Data left unused elsewhere was not shown by the kernel either, and is
// not here.
func (a *analysis) showLastDisplays() {
	a.flow.shownLast = map[ast.Node]bool{}
	if a.nb.Dialect != parser.DialectREPL {
		return
	}
	local := ""
	for _, u := range a.chk.imports {
		if u.path == displayRoot+"/gophernotes" {
			local = u.name
			if p := a.chk.loaded[u.path]; local == "" && p != nil && p.Types != nil {
				local = p.Types.Name()
			}
		}
	}
	if local == "" {
		return
	}
	last := map[*parser.Cell]*item{}
	var cells []*parser.Cell
	for _, it := range a.chk.topStmts {
		if last[it.cell] == nil {
			cells = append(cells, it.cell)
		}
		last[it.cell] = it
	}
	for _, c := range cells {
		es, ok := last[c].node.(*ast.ExprStmt)
		if !ok || !isDisplayData(a.chk.info.TypeOf(es.X)) {
			continue
		}
		a.editAt(es.X.Pos(), es.X.Pos(), local+".Show(")
		a.editAt(es.X.End(), es.X.End(), ")")
		a.flow.shownLast[es] = true
	}
}

// isDisplayData reports whether t is the Data of zengen's gophernotes
// display package.
func isDisplayData(t types.Type) bool {
	named, ok := types.Unalias(t).(*types.Named)
	return ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == displayRoot+"/gophernotes" && named.Obj().Name() == "Data"
}
