package analysis

import (
	"go/ast"
	goparser "go/parser"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/zengen-dev/zengen/gen/ir"
	"github.com/zengen-dev/zengen/parser"
)

// checkPackage is the name of the synthetic package that holds a whole
// notebook for type checking.
const checkPackage = "zgnotebook"

// checked is the notebook type-checked as one synthetic Go file.
type checked struct {
	fset *token.FileSet
	file *ast.File
	src  string
	info *types.Info
	pkg  *types.Package
	// spans maps synthetic offsets back to items, sorted by start.
	spans []*item
	// imports are the notebook's imports (explicit and added), with use.
	imports []*userImport
	loaded  map[string]*packages.Package
	// unused are variables go/types found declared and not used;
	// unusedAt are the positions of their names, which also covers the
	// symbolic variable of a type switch (it has no object of its own).
	unused   map[*types.Var]bool
	unusedAt map[token.Pos]bool
	// topStmts are the top-level statements, in notebook order.
	topStmts []*item
	// shows are what REPL cells show of their expressions (shown.go).
	shows *cellShows
}

// userImport is one import of the notebook.
type userImport struct {
	name, path string
	pos        ir.Pos
	added      bool // missing in the notebook, added as goimports would
	used       bool
	specStart  int // synthetic offset of the spec line
	specEnd    int
}

func (u *userImport) localName() string {
	if u.name != "" {
		return u.name
	}
	return stdName(u.path)
}

// typeCheck builds one synthetic Go file of the whole notebook, loads its
// imports with one go/packages call and type-checks it with go/types. It
// reports false when the notebook has type errors.
func (a *analysis) typeCheck() bool {
	decls := a.packageDecls()
	a.renameGoNBInits(decls)
	imports := a.explicitImports(decls)
	rewriteKernelImports(imports)
	if hasSyntaxErrors(a.errs) {
		return false
	}
	chk := &checked{}
	a.chk = chk
	src := a.syntheticSource(decls, imports)
	fset := token.NewFileSet()
	file, err := goparser.ParseFile(fset, "zen_check.go", src, goparser.SkipObjectResolution)
	if err != nil {
		a.syntaxErrors(err)
		return false
	}
	// Std packages the notebook uses without importing them: loaded with
	// the rest so that adding them costs no second go/packages call.
	candidates := map[string][]string{}
	explicit := map[string]bool{}
	for _, u := range imports {
		explicit[u.localName()] = true
	}
	ast.Inspect(file, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if x, ok := sel.X.(*ast.Ident); ok && !explicit[x.Name] {
				if paths := stdIndex()[x.Name]; len(paths) > 0 {
					candidates[x.Name] = paths
				}
			}
		}
		return true
	})
	kernel := a.kernelCandidates(file, explicit)
	var paths []string
	for _, u := range imports {
		paths = append(paths, u.path)
	}
	for _, k := range kernel {
		paths = append(paths, k.path)
	}
	for _, ps := range candidates {
		paths = append(paths, ps...)
	}
	var ok bool
	if chk.loaded, ok = a.load(paths); !ok {
		// Without the imports every use of them would be one more
		// misleading error.
		return false
	}
	if kept := a.dropBrokenImports(imports, file); len(kept) != len(imports) {
		imports = kept
		src = a.syntheticSource(decls, imports)
		if file, err = goparser.ParseFile(fset, "zen_check.go", src, goparser.SkipObjectResolution); err != nil {
			a.syntaxErrors(err)
			return false
		}
	}
	importsLoaded := true
	for _, u := range imports {
		if p := chk.loaded[u.path]; p != nil && len(p.Errors) > 0 {
			importsLoaded = false
		}
	}
	// An import that did not load is the one error reported (below).
	if a.nb.Dialect == parser.DialectGoNB && importsLoaded {
		gonbSrc, gonbFile, ok := a.gonbResolve(fset, imports)
		if !ok {
			return false
		}
		if gonbFile != nil {
			src, file, decls = gonbSrc, gonbFile, a.packageDecls()
		}
	}
	before := len(a.errs)
	versions := a.versionDecls(decls)
	if len(a.errs) > before {
		// go/types would report each method declared twice again.
		return false
	}
	if len(versions) > 0 {
		// Uses of a redeclared name resolve to its first version in a
		// check of the file as it is; each is then renamed to the version
		// the notebook had declared last where the use stands.
		if src, file, ok = a.resolvedSource(fset, decls, imports, versions); !ok {
			return false
		}
	}
	importFailed := false
	for _, u := range imports {
		if p := chk.loaded[u.path]; p != nil {
			for _, e := range p.Errors {
				problem, hint := importProblem(u.path, e.Msg, a.pinOf(u.path), a.inModule)
				a.errs.Add(u.pos, "%s", problem).Hint = hint
				importFailed = true
			}
		}
	}
	chk.imports = imports

	for round := 0; ; round++ {
		var typeErrs []types.Error
		chk.fset, chk.file, chk.src = fset, file, src
		chk.info = newCheckInfo()
		conf := types.Config{
			Importer: importerOf(chk.loaded),
			Error:    func(err error) { typeErrs = append(typeErrs, err.(types.Error)) },
		}
		hidden := hideData(file)
		chk.pkg, _ = conf.Check(checkPackage, fset, []*ast.File{file}, chk.info)
		if !hidden.restore(chk.info) {
			typeErrs = nil
			chk.info = newCheckInfo()
			chk.pkg, _ = conf.Check(checkPackage, fset, []*ast.File{file}, chk.info)
		}
		added := false
		if round == 0 {
			added = a.addMissingImports(typeErrs, candidates)
			// The kernels' names first: goimports would look for gonbui
			// in the module cache.
			added = a.addKernelImports(typeErrs, kernel) || added
			added = a.addModuleImports(typeErrs) || added
		}
		if added {
			src = a.syntheticSource(decls, chk.imports)
			file, err = goparser.ParseFile(fset, "zen_check.go", src, goparser.SkipObjectResolution)
			if err != nil {
				a.syntaxErrors(err)
				return false
			}
			continue
		}
		if importFailed {
			// As with go build, a package that cannot be loaded is the
			// one error: checking against it would report its absence
			// again at every use.
			return false
		}
		a.attachNodes()
		a.findShows(typeErrs)
		a.reportTypeErrors(typeErrs)
		break
	}
	return !hasSyntaxErrors(a.errs) && len(a.errs) == 0
}

// newCheckInfo is what the analysis reads of a type check.
func newCheckInfo() *types.Info {
	return &types.Info{
		Types:      map[ast.Expr]types.TypeAndValue{},
		Defs:       map[*ast.Ident]types.Object{},
		Uses:       map[*ast.Ident]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
		Implicits:  map[ast.Node]types.Object{},
	}
}

// resolvedSource checks the file with only the later declarations of
// redeclared names renamed, points every use at its version and returns
// the check file with those renames.
func (a *analysis) resolvedSource(fset *token.FileSet, decls []*item, imports []*userImport, versions map[string][]declVersion) (string, *ast.File, bool) {
	chk := a.chk
	if !a.checkUses(fset, a.syntheticSource(decls, imports)) {
		return "", nil, false
	}
	file := chk.file
	if a.resolveVersions(versions) {
		var err error
		chk.src = a.syntheticSource(decls, imports)
		if file, err = goparser.ParseFile(fset, "zen_check.go", chk.src, goparser.SkipObjectResolution); err != nil {
			a.syntaxErrors(err)
			return "", nil, false
		}
	}
	return chk.src, file, true
}

// checkUses parses src as the check file and records only which object
// each name uses, errors ignored: the later full check reports them. It
// reports false, with the syntax errors reported, when src does not parse.
func (a *analysis) checkUses(fset *token.FileSet, src string) bool {
	chk := a.chk
	chk.src = src
	file, err := goparser.ParseFile(fset, "zen_check.go", src, goparser.SkipObjectResolution)
	if err != nil {
		a.syntaxErrors(err)
		return false
	}
	chk.fset, chk.file = fset, file
	chk.info = &types.Info{Uses: map[*ast.Ident]types.Object{}}
	conf := types.Config{Importer: importerOf(chk.loaded), Error: func(error) {}}
	// A literal's elements use no names: whether go/types accepts them
	// is proved in the full check.
	hidden := hideData(file)
	chk.pkg, _ = conf.Check(checkPackage, fset, []*ast.File{file}, chk.info)
	hidden.restore(chk.info)
	return true
}

func hasSyntaxErrors(l parser.ErrorList) bool {
	for _, e := range l {
		if strings.HasPrefix(e.Msg, "syntax error") {
			return true
		}
	}
	return false
}

// packageDecls returns the declarations that reach package level. GoNB
// compiles the declarations memorised when a cell runs with that cell, so
// there the versions of a redeclared name that some cell ran with are kept
// (gonbversions.go), and a method or init declared again replaces the
// earlier one; the REPL kernels keep every version, each from its cell on
// (versions.go). A REPL's func main is a function like any other:
// gophernotes and lgo do not run it by themselves, and a cell that calls
// main() runs it then (the generated package is not package main, so the
// name is free).
func (a *analysis) packageDecls() []*item {
	var decls []*item
	if a.nb.Dialect == parser.DialectREPL {
		for _, it := range a.items {
			if it.kind == itemDecl {
				decls = append(decls, it)
			}
		}
		return decls
	}
	// declaredBy is the latest declaration of each method and init seen
	// so far, walking backwards.
	declaredBy := map[string]*item{}
	for i := len(a.items) - 1; i >= 0; i-- {
		it := a.items[i]
		if it.kind != itemDecl || it.keyword == "func" && it.name == "main" && !it.method {
			continue
		}
		if gonbVersioned(it) {
			if a.gonbKept == nil || a.gonbKept[it] {
				decls = append(decls, it)
			}
			continue
		}
		replaced := false
		for _, k := range it.keys {
			replaced = replaced || declaredBy[k] != nil
			declaredBy[k] = it
		}
		if !replaced {
			decls = append(decls, it)
		}
	}
	slices.Reverse(decls)
	return decls
}

// explicitImports parses the import declarations of the notebook, merging
// duplicates across cells.
func (a *analysis) explicitImports(decls []*item) []*userImport {
	var out []*userImport
	seen := map[string]bool{}
	for _, it := range decls {
		if it.keyword != "import" {
			continue
		}
		const prefix = "package p\n"
		fset := token.NewFileSet()
		f, err := goparser.ParseFile(fset, "", prefix+it.text, goparser.ImportsOnly)
		if err != nil {
			a.errs.Add(a.itemPos(it, 0), "syntax error: %s", firstSyntaxMessage(err))
			continue
		}
		for _, spec := range f.Imports {
			path, _ := strconv.Unquote(spec.Path.Value)
			u := &userImport{path: path, pos: a.itemPos(it, fset.Position(spec.Pos()).Offset-len(prefix))}
			if spec.Name != nil {
				u.name = spec.Name.Name
			}
			key := u.name + " " + u.path
			if seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, u)
		}
	}
	return out
}

func firstSyntaxMessage(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	if i := strings.Index(msg, " (and "); i >= 0 {
		msg = msg[:i]
	}
	return msg
}
