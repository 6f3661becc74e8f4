package emit

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"path"
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

// declaredNames lists the package-level names a declaration chunk declares
// (not methods, which live in their type's scope). A chunk that does not
// parse declares nothing here; the compiler reports it at its //line.
func declaredNames(code string) []string {
	f, err := parser.ParseFile(token.NewFileSet(), "", "package p\n"+code, parser.SkipObjectResolution)
	if err != nil {
		return nil
	}
	var names []string
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil && d.Name.Name != "init" && d.Name.Name != "_" {
				names = append(names, d.Name.Name)
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch spec := spec.(type) {
				case *ast.TypeSpec:
					names = append(names, spec.Name.Name)
				case *ast.ValueSpec:
					for _, n := range spec.Names {
						if n.Name != "_" {
							names = append(names, n.Name)
						}
					}
				case *ast.ImportSpec:
					// Imports live in Pipeline.Imports, not in Decls.
				}
			}
		}
	}
	return names
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
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && id.Obj == nil {
				used[id.Name] = true
			}
		}
		return true
	})
	for _, imp := range imports {
		switch {
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
