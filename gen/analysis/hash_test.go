package analysis

import (
	"bytes"
	"go/ast"
	goparser "go/parser"
	"go/printer"
	"go/token"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestCodeTokensTellCodeApart pins the cases where the token form drops
// something: dropping must never make two different programs equal.
func TestCodeTokensTellCodeApart(t *testing.T) {
	same := [][2]string{
		{"f(a, b)", "f(\n\ta,\n\tb,\n)"},
		{"x := []int{1, 2}", "x := []int{\n\t1,\n\t2,\n}"},
		{"func f() { return }", "func f() {\n\treturn\n}"},
		{"var (\n\ta = 1\n\tb = 2\n)", "var (a = 1; b = 2)"},
		{"x := 1 // one", "x /* the x */ := 1"},
	}
	for _, c := range same {
		if a, b := codeTokens(c[0]), codeTokens(c[1]); a != b {
			t.Errorf("%q and %q differ only in layout and comments, but their tokens differ:\n%s\n%s", c[0], c[1], a, b)
		}
	}
	different := [][2]string{
		// The comma makes a generic type of what is an array type without.
		{"type A[P *T,] struct{}", "type A[P *T] struct{}"},
		{"f(a...)", "f(a)"},
		{"f(a)(b)", "f(a, b)"},
		{"x := \"a\" + \"b\"", "x := \"ab\""},
		{"x := 1.0", "x := 1"},
		{"x := 0x10", "x := 16"},
		{"x := `a\nb`", "x := \"a\\nb\""},
		{"a; b", "ab"},
		{"x := y", "x = y"},
	}
	for _, c := range different {
		if codeTokens(c[0]) == codeTokens(c[1]) {
			t.Errorf("%q and %q are different code with the same tokens", c[0], c[1])
		}
	}
}

// TestCodeTokensAgreeWithSyntax checks the token form against the syntax
// tree on real code (the declarations and statements of some standard
// packages): equal tokens must print as the same tree.
func TestCodeTokensAgreeWithSyntax(t *testing.T) {
	printed := map[string]string{} // tokens → tree printed without layout
	seen := 0
	for _, pkg := range []string{"go/ast", "go/parser", "go/printer", "strconv", "text/template/parse"} {
		files, err := filepath.Glob(filepath.Join(runtime.GOROOT(), "src", pkg, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no sources of %s: %v", pkg, err)
		}
		for _, name := range files {
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			fset := token.NewFileSet()
			f, err := goparser.ParseFile(fset, name, src, goparser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n.(type) {
				case ast.Decl, ast.Stmt:
				default:
					return true
				}
				tokens := codeTokens(string(src[fset.Position(n.Pos()).Offset:fset.Position(n.End()).Offset]))
				var b bytes.Buffer
				if err := printer.Fprint(&b, token.NewFileSet(), n); err != nil {
					t.Fatal(err)
				}
				seen++
				if other, ok := printed[tokens]; ok && other != b.String() {
					t.Errorf("%s: same tokens as different code:\n%s\n%s", fset.Position(n.Pos()), other, b.String())
				}
				printed[tokens] = b.String()
				return true
			})
		}
	}
	if seen < 10000 {
		t.Errorf("only %d declarations and statements checked", seen)
	}
}
