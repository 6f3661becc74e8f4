package emit

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/scanner"
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
// gofmt-formatted. gofmt's printer is most of emission's cost (a step of
// megabytes, tens of thousands of step files), so the file is printed once:
// the imports are written into jennifer's import block as text before the
// one gofmt pass, which sorts them as it would have sorted them after an
// edit of the syntax tree.
func addImports(src []byte, imports []boundImport, keepAll bool) ([]byte, error) {
	var candidates []boundImport
	var bases map[string]bool
	for _, imp := range imports {
		if imp.local == "." && len(imp.Names) > 0 {
			// Used by a name of its own without a selector: the parse
			// below tells.
			candidates = append(candidates, imp)
			continue
		}
		if imp.local == "_" || imp.local == "." {
			if !keepAll {
				continue
			}
			candidates = append(candidates, imp)
			continue
		}
		if !bytes.Contains(src, []byte(imp.local)) {
			continue
		}
		if bases == nil {
			bases = selectorBases(src)
		}
		if !bases[imp.local] {
			// A selector on the name needs the name and a dot as adjacent
			// tokens; without them the import is unused, without a parse.
			continue
		}
		candidates = append(candidates, imp)
	}
	if len(candidates) == 0 {
		return format.Source(src)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("generated code does not parse: %w", err)
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
	present := make(map[[2]string]bool)
	for _, spec := range f.Imports {
		present[[2]string{importName(spec), importPath(spec)}] = true
	}
	var add []boundImport
	for _, imp := range candidates {
		key := [2]string{imp.Name, imp.Path}
		needed := used[imp.local]
		switch {
		case imp.local == "." && len(imp.Names) > 0:
			needed = slices.ContainsFunc(imp.Names, func(n string) bool { return bare[n] })
		case imp.local == "_" || imp.local == ".":
			needed = true // keepAll, or it would be no candidate
		}
		if needed && !present[key] {
			present[key] = true
			add = append(add, imp)
		}
	}
	if len(add) == 0 {
		return format.Source(src)
	}
	if block, ok := importBlock(fset, f); ok {
		var lines bytes.Buffer
		for _, imp := range add {
			lines.WriteString("\n")
			if imp.Name != "" {
				lines.WriteString(imp.Name + " ")
			}
			lines.WriteString(strconv.Quote(imp.Path))
		}
		return format.Source(slices.Concat(src[:block], lines.Bytes(), src[block:]))
	}
	return editedImports(fset, f, add)
}

// selectorBases lists the identifiers that stand right before a dot in src,
// comments skipped: the names a selector can start with.
func selectorBases(src []byte) map[string]bool {
	var s scanner.Scanner
	s.Init(token.NewFileSet().AddFile("", -1, len(src)), src, nil, 0)
	bases := make(map[string]bool)
	prev, prevLit := token.ILLEGAL, ""
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			return bases
		}
		if tok == token.PERIOD && prev == token.IDENT {
			bases[prevLit] = true
		}
		prev, prevLit = tok, lit
	}
}

// importBlock returns the offset just after the "(" of the file's import
// declaration when it is the only one and is parenthesised, as jennifer
// writes it for two imports or more: specs written there form one group
// with the others, which gofmt sorts.
func importBlock(fset *token.FileSet, f *ast.File) (int, bool) {
	var decl *ast.GenDecl
	for _, d := range f.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
			if decl != nil {
				return 0, false
			}
			decl = gd
		}
	}
	if decl == nil || !decl.Lparen.IsValid() {
		return 0, false
	}
	for _, spec := range decl.Specs {
		if importPath(spec.(*ast.ImportSpec)) == "C" {
			return 0, false
		}
	}
	return fset.Position(decl.Lparen).Offset + 1, true
}

// editedImports adds the imports to the syntax tree and formats it, for the
// files whose imports are not one parenthesised block (one import, or
// none): astutil knows where a new declaration goes there.
func editedImports(fset *token.FileSet, f *ast.File, add []boundImport) ([]byte, error) {
	for _, imp := range add {
		astutil.AddNamedImport(fset, f, imp.Name, imp.Path)
	}
	var b bytes.Buffer
	if err := format.Node(&b, fset, f); err != nil {
		return nil, err
	}
	// Printing the edited syntax tree is not always gofmt's fixed point;
	// a second pass keeps the output stable under gofmt.
	return format.Source(b.Bytes())
}

func importName(spec *ast.ImportSpec) string {
	if spec.Name == nil {
		return ""
	}
	return spec.Name.Name
}

func importPath(spec *ast.ImportSpec) string {
	path, _ := strconv.Unquote(spec.Path.Value)
	return path
}
