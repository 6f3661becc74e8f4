package analysis

import (
	"errors"
	"fmt"
	"go/ast"
	goparser "go/parser"
	"go/scanner"
	"go/token"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/zengen-dev/zengen/gen/ir"
	"github.com/zengen-dev/zengen/parser"
)

// analysis carries one Analyze call through its phases. Each phase's
// results live in their own struct, installed by the phase that builds
// them from the results before it (see phases.go), so the passes of a
// phase reach only what exists by then; a pass that read ahead would find
// a nil phase and fail loudly instead of reading a half-built field.
type analysis struct {
	nb   *parser.Notebook
	cfg  Config
	errs parser.ErrorList
	// p is the IR being built: the phases fill it in, the last one returns it.
	p *ir.Pipeline
	// reservedSeen are the zg_ names already reported.
	reservedSeen map[string]bool
	// typeRejected are the cells, by number, that an earlier pass found
	// the kernel had rejected with the type errors zengen finds in them
	// (typerejected.go), with their notes.
	typeRejected map[int]*ir.Note

	*chunked
	*layout
	*program
	*flow
}

// Analyze finds the steps of a parsed notebook, type-checks its code once
// and infers the typed dataflow between the steps. Problems in the notebook
// come back together as a sorted parser.ErrorList.
func Analyze(nb *parser.Notebook, cfg Config) (*ir.Pipeline, error) {
	rejected := map[int]*ir.Note{}
	for {
		p, a, typeErrs, err := analyzeOnce(nb, cfg, rejected)
		if !typeErrs {
			return p, err
		}
		// Cells the kernel rejected with the type errors found in them
		// never ran: analyse again without them.
		more := a.typeRejectedCells(a.errs)
		if len(more) == 0 {
			return p, err
		}
		for n, note := range more {
			rejected[n] = note
		}
	}
}

// analyzeOnce is one pass of Analyze, with the cells numbered in rejected
// left out as the kernel rejected them. typeErrs reports that the type
// check failed.
func analyzeOnce(nb *parser.Notebook, cfg Config, rejected map[int]*ir.Note) (p *ir.Pipeline, a *analysis, typeErrs bool, err error) {
	a = &analysis{nb: nb, cfg: cfg, p: &ir.Pipeline{Notebook: nb.Path, Dialect: string(nb.Dialect)}, reservedSeen: map[string]bool{}, typeRejected: rejected}
	if nb.Dialect != parser.DialectGoNB && nb.Dialect != parser.DialectREPL {
		a.errs.Add(ir.Pos{File: nb.Path}, "unknown notebook dialect %q", nb.Dialect)
		return nil, a, false, a.errs.Err()
	}
	cells, ok := a.readCells()
	if !ok {
		return nil, a, false, a.errs.Err()
	}
	steps := a.findSteps(cells)
	prog, ok := a.checkProgram(cells, steps)
	if !ok {
		return nil, a, true, a.errs.Err()
	}
	p, err = a.buildIR(a.inferDataflow(prog))
	return p, a, false, err
}

// chunkCells splits every code cell into items and records each cell's
// role. It reports false when a cell has a syntax error: type checking
// broken code would only add noise.
func (a *analysis) chunkCells() bool {
	ok := true
	for _, c := range a.nb.Cells {
		if c.Kind != parser.Code {
			continue
		}
		if c.WriteFile != nil {
			// Its body is not Go; a skip tag still keeps it from shipping.
			if directive(c, "skip") != nil {
				a.roles[c] = roleSkip
			}
			continue
		}
		a.lines[c] = newLineIndex(c.Code)
		switch {
		case directive(c, "skip") != nil:
			a.roles[c] = roleSkip
		case directive(c, "params") != nil:
			a.roles[c] = roleParams
			if a.paramsCell != nil {
				a.errs.Add(directive(c, "params").Pos, "second parameters cell (the first is cell %d)", a.paramsCell.Number)
			}
			a.paramsCell = c
		}
		if a.roles[c] == roleSkip {
			// Exploration code may be broken; its names only explain errors.
			var ignored parser.ErrorList
			ch := &chunker{nb: a.nb, errs: &ignored}
			items := ch.cellItems(c)
			a.cellItems[c] = items
			a.skippedItems = append(a.skippedItems, items...)
			continue
		}
		if a.roles[c] == roleCode && shellCommentCell(a.nb, c) {
			if leftOut, ok := setupCell(a.nb, c, nil); ok {
				a.roles[c] = roleSetup
				a.p.Notes = append(a.p.Notes, a.setupNote(c, leftOut))
				continue
			}
		}
		if note := a.typeRejected[c.Number]; note != nil && a.roles[c] == roleCode {
			a.roles[c] = roleRejected
			a.p.Notes = append(a.p.Notes, note)
			continue
		}
		before := len(a.errs)
		ch := &chunker{nb: a.nb, errs: &a.errs}
		items := ch.cellItems(c)
		if a.roles[c] == roleCode && len(a.errs) == before {
			if leftOut, ok := setupCell(a.nb, c, items); ok {
				a.roles[c] = roleSetup
				if len(leftOut) > 0 {
					a.p.Notes = append(a.p.Notes, a.setupNote(c, leftOut))
				}
				continue
			}
		}
		for _, it := range items {
			a.syntaxCheck(it)
		}
		if len(a.errs) > before && a.roles[c] == roleCode {
			if note, rejected := a.rejectedCell(c, a.errs[before:]); rejected {
				a.errs = a.errs[:before]
				a.roles[c] = roleRejected
				a.p.Notes = append(a.p.Notes, note)
				continue
			}
		}
		if len(a.errs) > before {
			ok = false
		}
		a.cellItems[c] = items
		a.items = append(a.items, items...)
	}
	a.implicitParams()
	return ok
}

// syntaxCheck parses one item on its own, so that a syntax error is
// reported inside its cell and cannot confuse the items after it.
func (a *analysis) syntaxCheck(it *item) {
	prefix, suffix := "package p\nfunc _() {\n", "\n}"
	if it.kind == itemDecl {
		prefix, suffix = "package p\n", ""
	}
	f, err := goparser.ParseFile(token.NewFileSet(), "", prefix+it.text+suffix, goparser.SkipObjectResolution)
	if err == nil && it.kind == itemStmt && len(f.Decls) == 1 {
		if fd, ok := f.Decls[0].(*ast.FuncDecl); ok && len(fd.Body.List) == 1 {
			for _, id := range definedIdents(fd.Body.List[0]) {
				it.defines = append(it.defines, id.Name)
			}
		}
	}
	if err == nil {
		for _, id := range reservedIdents(f) {
			if a.reservedSeen[id.Name] {
				continue // once per name is enough
			}
			a.reservedSeen[id.Name] = true
			rel := int(id.Pos()) - 1 - len(prefix) // a fresh FileSet's first file starts at 1
			a.errs.Add(a.itemPos(it, rel), "%s: names starting with %s are reserved for generated code", id.Name, reservedPrefix).Hint = "rename it"
		}
	}
	e, ok := firstSyntaxError(err)
	if !ok {
		return
	}
	rel := e.Pos.Offset - len(prefix)
	if rel >= len(it.text) && suffix != "" {
		// The error lies in the closing brace of the wrapper, so the item
		// itself ended too early (an unclosed bracket): report what
		// go/parser says about the item's own text, which is where the
		// cell ends.
		_, err := goparser.ParseFile(token.NewFileSet(), "", prefix+it.text, goparser.SkipObjectResolution)
		if own, ok := firstSyntaxError(err); ok {
			e, rel = own, own.Pos.Offset-len(prefix)
		}
	}
	a.errs.Add(a.itemPos(it, min(max(rel, 0), len(it.text))), "syntax error: %s", e.Msg)
}

// firstSyntaxError returns the first error go/parser reported.
func firstSyntaxError(err error) (*scanner.Error, bool) {
	var list scanner.ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		return nil, false
	}
	return list[0], true
}

// nameSteps names the pipeline and its package.
func (a *analysis) nameSteps() {
	name := a.pipelineName
	if name == "" {
		name = fileSlug(a.nb.Path)
	}
	if name == "" {
		name = "pipeline"
	}
	a.p.Name = name
	a.p.Package = a.cfg.Package
	if a.p.Package == "" {
		a.p.Package = ir.PipelinePackage(name)
	} else if why := badPackageName(a.p.Package); why != "" {
		a.errs.Add(ir.Pos{File: a.nb.Path}, "invalid package name %q: %s", a.p.Package, why)
	}
	a.p.Split = a.split
	// A package clause holds an identifier, not a keyword: the name must be
	// refused here, at its source, or the generated files do not parse.
	// An invalid //zen:pipeline name has its own error already.
	if !token.IsIdentifier(a.p.Package) && a.cfg.Package == "" && validStepName(name) {
		switch {
		case a.pipelineName != "":
			a.errs.Add(a.pipelinePos, "the pipeline name %s makes the Go package name %s, which is a Go keyword", name, a.p.Package).Hint =
				"choose another name, or keep this one and give --package NAME"
		default:
			a.errs.Add(ir.Pos{File: a.nb.Path}, "the pipeline is named %s after the file, which makes the Go package name %s, a Go keyword", name, a.p.Package).Hint =
				"name it with //zen:pipeline NAME, or give --package NAME"
		}
	}
}

// magics turns !go get, %env, %goflags and %%writefile into pipeline
// metadata, and rejects shell lines and other magics in cells that run.
func (a *analysis) magics() {
	required := map[string]*ir.Requirement{}
	for _, c := range a.nb.Cells {
		if c.Kind != parser.Code || a.roles[c] == roleSkip {
			continue
		}
		if c.WriteFile != nil {
			a.writeFile(c)
		}
		for _, m := range c.Magics {
			switch m.Kind {
			case parser.MagicGoGet:
				for _, arg := range m.Args {
					if strings.HasPrefix(arg, "-") {
						continue
					}
					path, version, found := strings.Cut(arg, "@")
					if !found {
						// Left for the CLI to resolve against the module
						// proxy: analysis stays offline-friendly.
						version = "latest"
					}
					if problem := ir.RequirementProblem(path, version); problem != "" {
						a.errs.Add(m.Pos, "`%s`: %s", strings.TrimSpace(m.Text), problem).Hint =
							"write it as go get does: !go get example.com/mod@v1.2.3"
						continue
					}
					if r, ok := required[path]; ok {
						r.Version, r.Pos = version, m.Pos
						continue
					}
					r := &ir.Requirement{Path: path, Version: version, Pos: m.Pos}
					required[path] = r
					a.requirements = append(a.requirements, r)
				}
			case parser.MagicEnv:
				if len(m.Args) == 0 {
					continue
				}
				key, value, found := strings.Cut(m.Args[0], "=")
				if !found {
					value = strings.Join(m.Args[1:], " ")
				}
				// The runtime could not set such a variable, and the steps
				// would run without it.
				switch {
				case key == "":
					a.errs.Add(m.Pos, "%%env %s sets no variable: the name is empty", strconv.Quote(m.Args[0]))
					continue
				case strings.ContainsRune(key+value, 0):
					a.errs.Add(m.Pos, "%%env %s: an environment variable cannot hold a NUL byte", strconv.Quote(key))
					continue
				}
				a.p.Env = append(a.p.Env, &ir.EnvVar{Key: key, Value: value, Pos: m.Pos})
			case parser.MagicGoFlags:
				a.p.GoFlags = append([]string(nil), m.Args...)
			case parser.MagicMain, parser.MagicArgs, parser.MagicExec:
				// The flags they pass become params (flags.go).
			case parser.MagicShell, parser.MagicOther:
				if a.roles[c].leftOut() || a.nb.Dialect == parser.DialectGoNB && declarationMagic(m) {
					// Left out, or understood (declmemory.go).
					continue
				}
				where := fmt.Sprintf("cell %d", a.cellNumber(c))
				if sb := a.cellStep[c]; sb != nil {
					where = "step " + sb.step.Name
				}
				what := "shell command"
				if m.Kind == parser.MagicOther {
					what = "magic"
				}
				text := strings.TrimSpace(m.Text)
				a.errs.Add(m.Pos, "%s `%s` in %s: zengen cannot run %s lines in a pipeline", what, text, where, strings.TrimSuffix(what, " command")).Hint =
					"move it to a cell tagged skip or //zen:skip"
			}
		}
	}
	sortBy(a.requirements, func(r *ir.Requirement) string { return r.Path })
	a.p.Requirements = a.requirements
}

// writeFile adds the file of a %%writefile cell to the pipeline, as GoNB
// writes it: variables in the name come from the notebook's %env lines
// above, `-a` appends to the file an earlier cell wrote, and a later cell
// without it replaces that file.
func (a *analysis) writeFile(c *parser.Cell) {
	wf := c.WriteFile
	appending := false
	for _, m := range c.Magics {
		if m.Kind == parser.MagicWriteFile {
			appending = slices.Contains(m.Args, "-a")
		}
	}
	var unset []string
	name := os.Expand(wf.Name, func(key string) string {
		for i := len(a.p.Env) - 1; i >= 0; i-- {
			if a.p.Env[i].Key == key {
				return a.p.Env[i].Value
			}
		}
		unset = append(unset, "$"+key)
		return ""
	})
	if len(unset) > 0 {
		a.errs.Add(wf.Pos, "%%%%writefile %s: %s not set by a %%env line above this cell", wf.Name, strings.Join(unset, ", ")).Hint =
			"zengen ships the file when it generates, so the name must not depend on the environment of a run"
		return
	}
	for _, f := range a.p.Files {
		if f.Name != name {
			continue
		}
		if appending {
			f.Content += wf.Content
		} else {
			f.Content, f.Pos = wf.Content, wf.Pos
		}
		return
	}
	a.p.Files = append(a.p.Files, &ir.File{Name: name, Content: wf.Content, Pos: wf.Pos})
}
