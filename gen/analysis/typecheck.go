package analysis

import (
	"errors"
	"fmt"
	"go/ast"
	goparser "go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/zengen-dev/zengen/gen/gomod"
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
	imports := a.explicitImports(decls)
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
	var paths []string
	for _, u := range imports {
		paths = append(paths, u.path)
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
				problem, hint := importProblem(u.path, e.Msg)
				a.errs.Add(u.pos, "%s", problem).Hint = hint
				importFailed = true
			}
		}
	}
	chk.imports = imports

	for round := 0; ; round++ {
		var typeErrs []types.Error
		chk.fset, chk.file, chk.src = fset, file, src
		chk.info = &types.Info{
			Types:      map[ast.Expr]types.TypeAndValue{},
			Defs:       map[*ast.Ident]types.Object{},
			Uses:       map[*ast.Ident]types.Object{},
			Selections: map[*ast.SelectorExpr]*types.Selection{},
			Implicits:  map[ast.Node]types.Object{},
		}
		conf := types.Config{
			Importer: importerOf(chk.loaded),
			Error:    func(err error) { typeErrs = append(typeErrs, err.(types.Error)) },
		}
		chk.pkg, _ = conf.Check(checkPackage, fset, []*ast.File{file}, chk.info)
		added := false
		if round == 0 {
			added = a.addMissingImports(typeErrs, candidates)
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
		a.reportTypeErrors(typeErrs)
		break
	}
	return !hasSyntaxErrors(a.errs) && len(a.errs) == 0
}

// resolvedSource checks the file with only the later declarations of
// redeclared names renamed, points every use at its version and returns
// the check file with those renames.
func (a *analysis) resolvedSource(fset *token.FileSet, decls []*item, imports []*userImport, versions map[string][]declVersion) (string, *ast.File, bool) {
	chk := a.chk
	chk.src = a.syntheticSource(decls, imports)
	file, err := goparser.ParseFile(fset, "zen_check.go", chk.src, goparser.SkipObjectResolution)
	if err != nil {
		a.syntaxErrors(err)
		return "", nil, false
	}
	chk.fset, chk.file = fset, file
	chk.info = &types.Info{Uses: map[*ast.Ident]types.Object{}}
	conf := types.Config{Importer: importerOf(chk.loaded), Error: func(error) {}}
	chk.pkg, _ = conf.Check(checkPackage, fset, []*ast.File{file}, chk.info)
	if a.resolveVersions(versions) {
		chk.src = a.syntheticSource(decls, imports)
		if file, err = goparser.ParseFile(fset, "zen_check.go", chk.src, goparser.SkipObjectResolution); err != nil {
			a.syntaxErrors(err)
			return "", nil, false
		}
	}
	return chk.src, file, true
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
// compiles all declarations again for every cell, so there the last
// declaration of a name wins; the REPL kernels keep every version, each
// from its cell on (versions.go).
func (a *analysis) packageDecls() []*item {
	var decls []*item
	if a.nb.Dialect == parser.DialectREPL {
		for _, it := range a.items {
			if it.kind == itemDecl && !(it.keyword == "func" && it.name == "main" && !it.method) {
				decls = append(decls, it)
			}
		}
		return decls
	}
	// declaredBy is the latest declaration of each name seen so far,
	// walking backwards.
	declaredBy := map[string]*item{}
	for i := len(a.items) - 1; i >= 0; i-- {
		it := a.items[i]
		if it.kind != itemDecl {
			continue
		}
		var replacedBy *item
		for _, k := range it.keys {
			if later := declaredBy[k]; later != nil && replacedBy == nil {
				replacedBy = later
			}
		}
		for _, k := range it.keys {
			if replacedBy != nil && declaredBy[k] == nil {
				// A name that disappears with the declaration it shared.
				a.dropped[k] = droppedName{decl: it, by: replacedBy}
			}
			if declaredBy[k] == nil {
				declaredBy[k] = it
			}
		}
		if replacedBy != nil || it.keyword == "func" && it.name == "main" && !it.method {
			continue
		}
		decls = append(decls, it)
	}
	slices.Reverse(decls)
	return decls
}

// droppedName is a name whose declaration a later one replaced although the
// later one does not declare that name: `var a, _, c = f()` then `var c = 1`.
type droppedName struct {
	decl, by *item
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

// itemPos returns the notebook position of byte rel inside it.text.
func (a *analysis) itemPos(it *item, rel int) ir.Pos {
	line, col := a.lines[it.cell].position(it.off + rel)
	return a.nb.Pos(it.cell, line, col)
}

// lineDirective is the //line comment that maps the next line to the
// notebook line where it starts.
func (a *analysis) lineDirective(it *item) string {
	return ir.LineDirective(a.nb.Pos(it.cell, it.line, 0)) + "\n"
}

// syntheticSource writes the check file: imports, the package-level
// declarations, then the statements. In the REPL every top-level statement
// opens a block for everything after it, so that Go's shadowing gives the
// kernel's redeclaration semantics; in GoNB each cell's body of main is its
// own function, since only declarations persist between GoNB cells.
func (a *analysis) syntheticSource(decls []*item, imports []*userImport) string {
	var b strings.Builder
	spans := a.chk.spans[:0]
	b.WriteString("package " + checkPackage + "\n\nimport (\n")
	for _, u := range imports {
		u.specStart = b.Len()
		if u.name != "" {
			b.WriteString(u.name + " ")
		}
		b.WriteString(strconv.Quote(u.path))
		u.specEnd = b.Len()
		b.WriteString("\n")
	}
	b.WriteString(")\n\n")
	write := func(it *item) {
		b.WriteString(a.lineDirective(it))
		it.synStart = b.Len()
		text := it.synText()
		it.synLen = len(text)
		b.WriteString(text)
		b.WriteString("\n")
		spans = append(spans, it)
	}
	for _, it := range decls {
		if it.keyword != "import" {
			write(it)
		}
	}
	var stmts []*item
	for _, it := range a.items {
		if it.kind == itemStmt {
			stmts = append(stmts, it)
		}
	}
	a.chk.topStmts = stmts
	// A block opens only before a statement that redeclares a visible
	// name: nesting at every statement would make each identifier lookup
	// walk thousands of scopes.
	open := 0
	var cell *parser.Cell
	visible := map[string]bool{}
	for _, it := range stmts {
		if a.nb.Dialect == parser.DialectGoNB && it.cell != cell {
			b.WriteString(strings.Repeat("}", open))
			if open > 0 {
				b.WriteString("\n")
			}
			cell = it.cell
			fmt.Fprintf(&b, "func zg_cell_%d() {\n", a.cellNumber(cell))
			open = 1
			clear(visible)
		} else if cell == nil {
			cell = it.cell
			b.WriteString("func zg_repl() {\n")
			open = 1
		}
		for _, name := range it.defines {
			if visible[name] {
				b.WriteString("{\n")
				open++
				break
			}
		}
		for _, name := range it.defines {
			visible[name] = true
		}
		write(it)
	}
	b.WriteString(strings.Repeat("}", open))
	b.WriteString("\n")
	a.chk.spans = spans
	return b.String()
}

// locate maps a synthetic offset to its notebook position; ok is false for
// code analysis wrote itself.
func (a *analysis) locate(off int) (ir.Pos, *item, bool) {
	spans := a.chk.spans
	i := sort.Search(len(spans), func(i int) bool { return spans[i].synStart > off }) - 1
	if i >= 0 && off <= spans[i].synStart+spans[i].synLen {
		it := spans[i]
		return a.itemPos(it, it.textOffset(off-it.synStart)), it, true
	}
	for _, u := range a.chk.imports {
		if off >= u.specStart && off <= u.specEnd {
			return u.pos, nil, true
		}
	}
	return ir.Pos{File: a.nb.Path}, nil, false
}

func (a *analysis) offset(p token.Pos) int { return a.chk.fset.PositionFor(p, false).Offset }

// syntaxErrors reports go/parser errors at their notebook positions.
func (a *analysis) syntaxErrors(err error) {
	var list scanner.ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			pos, _, _ := a.locate(e.Pos.Offset)
			a.errs.Add(pos, "syntax error: %s", e.Msg)
		}
		return
	}
	a.errs.Add(ir.Pos{File: a.nb.Path}, "syntax error: %s", err)
}

// load resolves import paths with one go/packages call in the module that
// encloses cfg.Dir, or in a scratch module holding the notebook's !go get
// requirements. It reports false when the go command failed as a whole.
func (a *analysis) load(paths []string) (map[string]*packages.Package, bool) {
	sort.Strings(paths)
	paths = dedupe(paths)
	loaded := map[string]*packages.Package{}
	if len(paths) == 0 {
		return loaded, true
	}
	dir, env, cleanup, err := a.loadDir()
	if err != nil {
		a.errs.Add(ir.Pos{File: a.nb.Path}, "cannot prepare module to resolve imports: %v", err)
		return loaded, false
	}
	defer cleanup()
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedTypes | packages.NeedImports | packages.NeedModule,
		Dir:  dir,
		Env:  env,
	}
	pkgs, err := packages.Load(cfg, paths...)
	if err != nil {
		a.loadError(err)
		return loaded, false
	}
	for _, p := range pkgs {
		loaded[p.PkgPath] = p
	}
	return loaded, true
}

// loadError reports a failed go command. A requirement the go command could
// not resolve (a version the module proxy does not serve, say) is reported
// at its !go get line, since that is what the user can change; the go
// command names it by its line in the scratch go.mod.
func (a *analysis) loadError(err error) {
	for _, line := range strings.Split(err.Error(), "\n") {
		m := goModLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[1])
		r := a.scratchRequires[n]
		if r == nil {
			continue
		}
		reason := strings.TrimPrefix(m[2], "require "+r.Path+": ")
		a.errs.Add(r.Pos, "cannot use requirement %s@%s: %s", r.Path, r.Version, reason).Hint =
			"check that the module proxy serves this version, or pick another one"
		return
	}
	a.errs.Add(ir.Pos{File: a.nb.Path}, "cannot resolve imports: %v", err)
}

// goModLine matches the go command's complaint about a line of go.mod.
var goModLine = regexp.MustCompile(`go\.mod:(\d+): (.*)$`)

// loadDir finds where go/packages should run.
func (a *analysis) loadDir() (dir string, env []string, cleanup func(), err error) {
	cleanup = func() {}
	if a.cfg.Module == "" {
		start := a.cfg.Dir
		if start == "" {
			start = "."
		}
		if root, err := gomod.Root(start); err == nil {
			return root, nil, cleanup, nil
		}
	}
	tmp, err := os.MkdirTemp("", "zengen-scratch-")
	if err != nil {
		return "", nil, cleanup, err
	}
	var mod strings.Builder
	mod.WriteString("module zengen.scratch/notebook\n\ngo " + ir.GoVersion + "\n")
	a.scratchRequires = map[int]*ir.Requirement{}
	for _, r := range a.p.Requirements {
		if r.Version != "latest" {
			a.scratchRequires[strings.Count(mod.String(), "\n")+1] = r
			fmt.Fprintf(&mod, "require %s %s\n", r.Path, r.Version)
		}
	}
	if err := os.WriteFile(filepath.Join(tmp, "go.mod"), []byte(mod.String()), 0o666); err != nil {
		os.RemoveAll(tmp)
		return "", nil, cleanup, err
	}
	return tmp, append(os.Environ(), "GOFLAGS=-mod=mod"), func() { os.RemoveAll(tmp) }, nil
}

func importerOf(loaded map[string]*packages.Package) types.Importer {
	return importerFunc(func(path string) (*types.Package, error) {
		if p := loaded[path]; p != nil && p.Types != nil && len(p.Errors) == 0 {
			return p.Types, nil
		}
		return nil, fmt.Errorf("package %s not found", path)
	})
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// addMissingImports adds the std import for every undefined X used as
// X.Sel, choosing like goimports: the candidate that exports every selector
// used, the shortest path first (math/rand before crypto/rand).
func (a *analysis) addMissingImports(errs []types.Error, candidates map[string][]string) bool {
	undefined := map[string]bool{}
	for _, e := range errs {
		if name, ok := strings.CutPrefix(e.Msg, "undefined: "); ok {
			undefined[name] = true
		}
	}
	selectors := map[string]map[string]bool{}
	ast.Inspect(a.chk.file, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if x, ok := sel.X.(*ast.Ident); ok && undefined[x.Name] && len(candidates[x.Name]) > 0 {
				if a.chk.info.Uses[x] == nil {
					if selectors[x.Name] == nil {
						selectors[x.Name] = map[string]bool{}
					}
					selectors[x.Name][sel.Sel.Name] = true
				}
			}
		}
		return true
	})
	added := false
	for _, name := range sortedKeys(selectors) {
		paths := append([]string(nil), candidates[name]...)
		sort.Slice(paths, func(i, j int) bool {
			if len(paths[i]) != len(paths[j]) {
				return len(paths[i]) < len(paths[j])
			}
			return paths[i] < paths[j]
		})
		for _, path := range paths {
			p := a.chk.loaded[path]
			if p == nil || p.Types == nil || p.Types.Name() != name {
				continue
			}
			all := true
			for sel := range selectors[name] {
				if obj := p.Types.Scope().Lookup(sel); obj == nil || !obj.Exported() {
					all = false
				}
			}
			if all {
				a.chk.imports = append(a.chk.imports, &userImport{path: path, added: true, pos: ir.Pos{File: a.nb.Path}})
				added = true
				break
			}
		}
	}
	return added
}

// attachNodes links every item to its AST node in the synthetic file.
func (a *analysis) attachNodes() {
	for _, d := range a.chk.file.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
			continue
		}
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && strings.HasPrefix(fd.Name.Name, "zg_") {
			a.attachStmts(fd.Body.List)
			continue
		}
		if _, it, ok := a.locate(a.offset(d.Pos())); ok && it != nil {
			it.node = d
		}
	}
}

func (a *analysis) attachStmts(list []ast.Stmt) {
	for _, s := range list {
		if _, it, ok := a.locate(a.offset(s.Pos())); ok && it != nil {
			it.node = s
			continue
		}
		if blk, ok := s.(*ast.BlockStmt); ok {
			a.attachStmts(blk.List)
		}
	}
}

// reportTypeErrors turns go/types errors into notebook errors, except for
// what notebooks allow: unused variables (they get `_ = x`) and unused
// imports (they are dropped).
func (a *analysis) reportTypeErrors(errs []types.Error) {
	a.chk.unused = map[*types.Var]bool{}
	a.chk.unusedAt = map[token.Pos]bool{}
	defAt := map[token.Pos]*types.Var{}
	for id, obj := range a.chk.info.Defs {
		if v, ok := obj.(*types.Var); ok {
			defAt[id.Pos()] = v
		}
	}
	for _, u := range a.chk.imports {
		u.used = true
	}
	// last is the error a continuation line belongs to, nil when that
	// error was not reported.
	var last *parser.Error
	for _, e := range errs {
		off := a.offset(e.Pos)
		if detail, ok := strings.CutPrefix(e.Msg, "\t"); ok {
			// go/types continues an error on its own line ("\tother
			// declaration of c"); alone it would read as a message.
			if last != nil {
				pos, _, _ := a.locate(off)
				last.Hint = strings.TrimPrefix(last.Hint+"; ", "; ") + detail + " at " + pos.String()
			}
			continue
		}
		last = nil
		switch {
		case strings.HasPrefix(e.Msg, "declared and not used") || strings.HasSuffix(e.Msg, " declared and not used"):
			a.chk.unusedAt[e.Pos] = true
			if v := defAt[e.Pos]; v != nil {
				a.chk.unused[v] = true
			}
			continue
		case strings.Contains(e.Msg, "imported and not used") || strings.Contains(e.Msg, "imported as"):
			for _, u := range a.chk.imports {
				if off >= u.specStart && off <= u.specEnd {
					u.used = false
				}
			}
			continue
		}
		pos, _, _ := a.locate(off)
		msg := e.Msg
		if name, ok := strings.CutPrefix(msg, "undefined: "); ok {
			if d, ok := a.dropped[name]; ok {
				last = a.errs.Add(pos, "%s is undefined here: its declaration in cell %d is replaced by the one of cell %d, which declares %s again", name, a.cellNumber(d.decl.cell), a.cellNumber(d.by.cell), strings.Join(commonKeys(d.decl, d.by), ", "))
				last.Hint = "GoNB drops a whole declaration when one of its names is declared again; declare " + name + " on its own"
				continue
			}
			if cell := a.definedInSkipped(name); cell != 0 {
				last = a.errs.Add(pos, "%s is defined only in skipped cell %d", name, cell)
				last.Hint = "remove the skip marker from that cell or define " + name + " in a step"
				continue
			}
		}
		last = a.errs.Add(pos, "%s", msg)
		if hint := kernelNameHints[strings.TrimPrefix(msg, "undefined: ")]; hint != "" {
			last.Hint = hint
		}
	}
}

// kernelNameHints explain names that a kernel provides to every cell and
// a pipeline does not.
var kernelNameHints = map[string]string{
	"_ctx":    "lgo's _ctx (rich display, cancellation) has no counterpart in a pipeline; print results instead, or move the cell to a skipped one",
	"display": "gophernotes' display package renders in Jupyter only; print results instead, or move the cell to a skipped one",
	"Display": "gophernotes' Display renders in Jupyter only; print results instead, or move the cell to a skipped one",
}

// definedInSkipped returns the number of a skipped cell that defines name,
// 0 if none does.
func (a *analysis) definedInSkipped(name string) int {
	for _, it := range a.skippedItems {
		f, err := goparser.ParseFile(token.NewFileSet(), "", "package p\nfunc _() {\n"+it.text+"\n}", goparser.SkipObjectResolution)
		if it.kind == itemDecl {
			f, err = goparser.ParseFile(token.NewFileSet(), "", "package p\n"+it.text, goparser.SkipObjectResolution)
		}
		if err != nil {
			continue
		}
		found := false
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				if n.Tok == token.DEFINE {
					for _, l := range n.Lhs {
						if id, ok := l.(*ast.Ident); ok && id.Name == name {
							found = true
						}
					}
				}
			case *ast.ValueSpec:
				for _, id := range n.Names {
					found = found || id.Name == name
				}
			case *ast.TypeSpec:
				found = found || n.Name.Name == name
			case *ast.FuncDecl:
				found = found || n.Recv == nil && n.Name.Name == name
			}
			return !found
		})
		if found {
			return a.cellNumber(it.cell)
		}
	}
	return 0
}

// commonKeys returns the names both declarations bind.
func commonKeys(a, b *item) []string {
	var out []string
	for _, k := range a.keys {
		if slices.Contains(b.keys, k) {
			out = append(out, k)
		}
	}
	return out
}
