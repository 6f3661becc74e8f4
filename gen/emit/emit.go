package emit

import (
	"bytes"
	"errors"
	"fmt"
	"go/scanner"
	"maps"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/dave/jennifer/jen"

	"github.com/zengen-dev/zengen/gen/header"
	"github.com/zengen-dev/zengen/gen/ir"
	"github.com/zengen-dev/zengen/parser"
)

// Emit turns an analysed pipeline into the files of a Go package: a map from
// slash-separated paths, relative to the output directory, to their bytes.
// The result depends only on p and opts, byte for byte.
func Emit(p *ir.Pipeline, opts Options) (map[string][]byte, error) {
	e, err := newEmitter(p, opts)
	if err != nil {
		return nil, err
	}
	files := make(map[string][]byte)
	goFiles := []goFileSpec{
		{"pipeline_zen.go", e.pipelineFile, notebookCode},
		{"decls_zen.go", e.declsFile, notebookDecls},
	}
	for _, s := range p.Steps {
		if s.Kind != "func" {
			goFiles = append(goFiles, goFileSpec{stepFileName(s), func() *jen.File { return e.stepFile(s) }, notebookCode})
		}
	}
	if len(p.Tests) > 0 {
		goFiles = append(goFiles, goFileSpec{NotebookTestsFile, e.notebookTestsFile, notebookCode})
	}
	goFiles = append(goFiles, goFileSpec{path.Join("cmd", p.Name, "main_zen.go"), e.mainFile, generatedOnly})
	if !opts.NoTests {
		goFiles = append(goFiles, goFileSpec{p.Name + "_zen_test.go", e.testFile, generatedOnly})
	}
	rendered, err := e.renderAll(goFiles)
	if err != nil {
		return nil, err
	}
	for i, gf := range goFiles {
		files[gf.name] = rendered[i]
	}
	if opts.Module != "" {
		module, err := e.moduleFiles()
		if err != nil {
			return nil, err
		}
		for name, b := range module {
			files[name] = b
		}
	}
	if err := checkShipped(p, files).Err(); err != nil {
		return nil, err
	}
	for _, f := range p.Files {
		name, _ := shippedFileName(f.Name)
		files[name] = []byte(f.Content)
	}
	return files, nil
}

// renderAll renders the files on every core: gofmt's parse and print are
// most of emission's cost. Each file is built just before it is rendered,
// so that only a few files' syntax is held at a time, whatever the step
// count. The error returned is that of the first failing file in order.
func (e *emitter) renderAll(goFiles []goFileSpec) ([][]byte, error) {
	out := make([][]byte, len(goFiles))
	errs := make([]error, len(goFiles))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(goFiles)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(goFiles); i = int(next.Add(1) - 1) {
				out[i], errs[i] = e.goFile(goFiles[i].build(), goFiles[i].content)
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, e.invalidGo(goFiles[i].name, err)
		}
	}
	return out, nil
}

// goFileSpec is one generated Go file before rendering.
type goFileSpec struct {
	name    string
	build   func() *jen.File
	content fileContent
}

// fileContent says which notebook imports a generated file gets.
type fileContent int

const (
	// generatedOnly files hold no notebook code and get no notebook
	// import: a selector there such as fmt.Pipeline() names the pipeline
	// package, which may well be called fmt.
	generatedOnly fileContent = iota
	// notebookCode files get the notebook imports their code uses.
	notebookCode
	// notebookDecls, the file of the declarations, also gets the blank
	// and dot imports.
	notebookDecls
)

// stepFileName is the file of a cell step: one per step, so that a step
// removed from the notebook takes its file with it.
func stepFileName(s *ir.Step) string { return "step_" + s.Name + "_zen.go" }

// emitter holds what every builder needs: the pipeline, the options and
// the names chosen for the packages that emission itself imports.
type emitter struct {
	p    *ir.Pipeline
	opts Options
	pkg  string // Go package name of the generated code
	// alias maps the packages emission imports (ir.RuntimePath, "context",
	// "time", ...) to a local name that cannot clash with a notebook name.
	alias  map[string]string
	params map[string]*ir.Param // by Param.Name
	// imports are the notebook's imports with the local name each one binds.
	imports []boundImport
}

// boundImport is a notebook import with the name its package is used by.
type boundImport struct {
	*ir.Import
	local string
}

func newEmitter(p *ir.Pipeline, opts Options) (*emitter, error) {
	if p.Name == "" {
		return nil, fmt.Errorf("emit: the pipeline has no name")
	}
	// The path goes verbatim into headers and //line directives, where a
	// line break would end the comment; the readers refuse such paths.
	if err := parser.CheckPath(p.Notebook); err != nil {
		return nil, err
	}
	// Analysis has checked the package name (see nameSteps).
	e := &emitter{p: p, opts: opts, pkg: p.Package, params: make(map[string]*ir.Param)}
	if e.pkg == "" {
		e.pkg = ir.PipelinePackage(p.Name)
	}
	if e.opts.ImportPath == "" {
		e.opts.ImportPath = opts.Module
	}
	if e.opts.ImportPath == "" {
		return nil, fmt.Errorf("emit: Options.ImportPath is needed for cmd/%s/main_zen.go", p.Name)
	}
	for _, prm := range p.Params {
		e.params[prm.Name] = prm
	}
	for _, imp := range p.Imports {
		e.imports = append(e.imports, boundImport{imp, importLocalName(imp)})
	}
	slices.SortFunc(e.imports, func(a, b boundImport) int { return strings.Compare(a.Path, b.Path) })

	taken, errs := e.notebookNames()
	e.alias = make(map[string]string)
	for _, imp := range []struct{ path, name string }{
		{ir.RuntimePath, "zen"}, {"context", "context"}, {"time", "time"},
		{"testing", "testing"}, {"bytes", "bytes"}, {ZentestPath, "zentest"}, {"io", "io"},
	} {
		name := imp.name
		if path, ok := taken[name]; ok && path != imp.path {
			name = "zg_" + name
		}
		e.alias[imp.path] = name
	}
	errs = append(errs, e.check()...)
	errs = append(errs, checkFileNames(p)...)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return e, nil
}

// notebookNames returns the names of the notebook (its imports, for which
// it maps to the path bound, and with "" its declarations and every other
// identifier its code mentions) and reports declarations and steps that
// clash with the names emission must define.
func (e *emitter) notebookNames() (map[string]string, parser.ErrorList) {
	taken := make(map[string]string)
	for _, imp := range e.imports {
		if imp.local != "_" && imp.local != "." {
			taken[imp.local] = imp.Path
		}
	}
	generated := maps.Clone(ir.GeneratedDecls)
	var errs parser.ErrorList
	for _, s := range e.p.Steps {
		if what, ok := generated[s.Func]; ok {
			errs.Add(s.Pos, "step %s has the function %s, which generated code uses for %s", s.Name, s.Func, what).Hint = "rename the step"
			continue
		}
		if s.Kind != "func" {
			generated[s.Func] = fmt.Sprintf("the function of step %s", s.Name)
		}
	}
	for _, c := range slices.Concat(e.p.Decls, e.p.Tests) {
		for _, id := range declaredIdents(c.Code) {
			name := id.name
			taken[name] = ""
			if what, ok := generated[name]; ok {
				errs.Add(chunkPos(c, id.off), "%s is declared here but generated code uses the name for %s", name, what).Hint = "rename the declaration in the notebook"
			} else if hidesPredeclared(name) {
				errs.Add(chunkPos(c, id.off), "%s is declared here, which hides Go's predeclared %s in the whole generated package", name, name).Hint = "rename the declaration in the notebook"
			}
		}
	}
	// Any identifier of the notebook's code can shadow an import inside a
	// function emission writes into (an input named zen hides the runtime
	// from the step's zg_out := zen.Stdout(zg_ctx)), so each one counts.
	var mentioned []string
	for _, c := range slices.Concat(e.p.Decls, e.p.Tests, stepBodies(e.p)) {
		mentioned = append(mentioned, identifiers(c.Code)...)
	}
	for _, s := range e.p.Steps {
		for _, in := range s.Inputs {
			mentioned = append(mentioned, in.Var)
		}
	}
	for _, prm := range e.p.Params {
		mentioned = append(mentioned, prm.Name)
	}
	for _, name := range mentioned {
		if _, ok := taken[name]; !ok {
			taken[name] = ""
		}
	}
	return taken, errs
}

// header is the comment every generated Go file starts with: the line the go
// command recognises as generated code, then the command that produced it.
func (e *emitter) header() []string {
	h := []string{header.Text(e.p.Notebook)}
	if cmd := header.Command(e.opts.Command); cmd != "" {
		h = append(h, "", cmd)
	}
	return h
}

// newFile starts a jennifer file with the header and the import names
// emission uses.
func (e *emitter) newFile(pkg string) *jen.File {
	f := jen.NewFile(pkg)
	for _, line := range e.header() {
		if line = commentText(line); line == "" {
			f.HeaderComment("//")
		} else {
			f.HeaderComment("// " + line)
		}
	}
	for _, p := range slices.Sorted(maps.Keys(e.alias)) {
		if name := e.alias[p]; name == path.Base(p) {
			f.ImportName(p, name)
		} else {
			f.ImportAlias(p, name)
		}
	}
	return f
}

// goFile renders f and adds the notebook imports that its content needs.
// The source is parsed and printed once (jennifer's own gofmt pass is
// off): for a step of megabytes each pass costs seconds.
func (e *emitter) goFile(f *jen.File, content fileContent) ([]byte, error) {
	f.HeaderComment(GoGenerateConstraint)
	f.NoFormat = true
	var b bytes.Buffer
	if err := f.Render(&b); err != nil {
		return nil, err
	}
	imports := e.imports
	if content == generatedOnly {
		imports = nil
	}
	return formatGo(b.Bytes(), imports, content == notebookDecls)
}

// GoGenerateConstraint is the build constraint every generated Go file
// carries, last in its header. `go generate ./...` lists the files of
// every package before it runs the first directive and then reads each
// listed one for more directives; a step file that zengen removed
// meanwhile (a step renamed or dropped) stopped the whole run with "no
// such file or directory", and only a second run passed (golang/go#36068).
// go generate sets the generate build tag while it lists, so files with
// this constraint are never listed; they hold no directives, and every
// build, vet and test still includes them.
const GoGenerateConstraint = "//go:build !generate"

// zen qualifies a name of the runtime package.
func (e *emitter) zen(name string) *jen.Statement { return jen.Qual(ir.RuntimePath, name) }

// invalidGo reports generated code that does not parse. Checks before
// emission keep notebook text out of the code's syntax, so this is a bug
// in zengen; the error says where in the generated file without printing
// the file, which holds the notebook's code.
func (e *emitter) invalidGo(name string, err error) error {
	where := name
	var list scanner.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		where = fmt.Sprintf("%s:%d:%d", name, list[0].Pos.Line, list[0].Pos.Column)
	}
	var errs parser.ErrorList
	errs.Add(ir.Pos{File: e.p.Notebook}, "zengen generated Go that does not parse (%s): this is a bug in zengen", where).Hint =
		"please report it with the notebook"
	return errs.Err()
}
