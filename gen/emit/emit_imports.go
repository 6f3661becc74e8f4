package emit

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/tools/go/ast/astutil"

	"github.com/zengen-dev/zengen/gen/ir"
)

// importLocalName is the name an import binds in a file: its explicit name,
// else the package's declared name, else the name goimports assumes from
// the path.
func importLocalName(imp *ir.Import) string {
	if imp.Name != "" {
		return imp.Name
	}
	if imp.Package != "" {
		return imp.Package
	}
	return assumedPackageName(imp.Path)
}

// assumedPackageName guesses a package's name from its import path the way
// goimports does: the last element, skipping a major-version suffix,
// without a "go-" prefix, cut at the first character that cannot be in an
// identifier ("yaml.v3" → "yaml", "go-isatty" → "isatty").
func assumedPackageName(importPath string) string {
	base := path.Base(importPath)
	if strings.HasPrefix(base, "v") {
		if _, err := strconv.Atoi(base[1:]); err == nil {
			if dir := path.Dir(importPath); dir != "." {
				base = path.Base(dir)
			}
		}
	}
	base = strings.TrimPrefix(base, "go-")
	if i := strings.IndexFunc(base, func(r rune) bool {
		return r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}); i >= 0 {
		base = base[:i]
	}
	return base
}

// declaredIdent is a name a declaration chunk declares, with its byte
// offset in the chunk.
type declaredIdent struct {
	name string
	off  int
}

// declaredIdents lists the package-level names a declaration chunk
// declares (not methods, which live in their type's scope), with their
// offsets. A chunk that does not parse declares nothing here; the compiler
// reports it at its //line.
func declaredIdents(code string) []declaredIdent {
	const prefix = "package p\n"
	f, err := parser.ParseFile(token.NewFileSet(), "", prefix+code, parser.SkipObjectResolution)
	if err != nil {
		return nil
	}
	var ids []declaredIdent
	add := func(id *ast.Ident) {
		if id.Name != "_" {
			ids = append(ids, declaredIdent{id.Name, int(id.Pos()) - 1 - len(prefix)})
		}
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil && d.Name.Name != "init" {
				add(d.Name)
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch spec := spec.(type) {
				case *ast.TypeSpec:
					add(spec.Name)
				case *ast.ValueSpec:
					for _, n := range spec.Names {
						add(n)
					}
				case *ast.ImportSpec:
					// Imports live in Pipeline.Imports, not in Decls.
				}
			}
		}
	}
	return ids
}

// chunkPos is the notebook position of byte off of c's code.
func chunkPos(c *ir.Chunk, off int) ir.Pos {
	pos := c.Pos
	before := c.Code[:min(max(off, 0), len(c.Code))]
	if nl := strings.Count(before, "\n"); nl > 0 {
		pos.Line += nl
		pos.Col = len(before) - strings.LastIndexByte(before, '\n')
	} else if pos.Col > 0 {
		pos.Col += len(before)
	}
	return pos
}

// addImports adds to src the notebook imports that its code refers to: an
// import is used when a selector's left side is an identifier with its name
// that no declaration in the file resolves. Blank and dot imports, whose use
// cannot be seen that way, go only where keepAll is set. The result is
// gofmt-formatted; changed reports whether an import was added.
func addImports(src []byte, imports []boundImport, keepAll bool) (out []byte, changed bool, err error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ParseComments)
	if err != nil {
		return nil, false, fmt.Errorf("generated code does not parse: %w", err)
	}
	used := make(map[string]bool)
	// bare are the identifiers no declaration in the file resolves, other
	// than selectors: a dot import with known names is used by one of them.
	bare, sels := make(map[string]bool), make(map[*ast.Ident]bool)
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			sels[sel.Sel] = true
			if id, ok := sel.X.(*ast.Ident); ok && id.Obj == nil {
				used[id.Name] = true
			}
		}
		return true
	})
	ast.Inspect(f, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Obj == nil && !sels[id] {
			bare[id.Name] = true
		}
		return true
	})
	for _, imp := range imports {
		switch {
		case imp.local == "." && len(imp.Names) > 0:
			if !slices.ContainsFunc(imp.Names, func(n string) bool { return bare[n] }) {
				continue
			}
		case imp.local == "_" || imp.local == ".":
			if !keepAll {
				continue
			}
		case !used[imp.local]:
			continue
		}
		if astutil.AddNamedImport(fset, f, imp.Name, imp.Path) {
			changed = true
		}
	}
	var b bytes.Buffer
	if err := format.Node(&b, fset, f); err != nil {
		return nil, false, err
	}
	return b.Bytes(), changed, nil
}
