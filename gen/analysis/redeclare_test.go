package analysis

import (
	"strings"
	"testing"

	"github.com/zengen-dev/zengen/gen/emit"
)

// replRedeclarations are REPL notebooks that declare a func, type or
// const again in a later cell; each cell recorded what the kernel printed,
// which the generated parity test compares.
var replRedeclarations = []struct {
	name  string
	cells []cell
}{
	{"a func declared again", []cell{
		code(`import "fmt"`),
		code("func f() int { return 1 }"),
		{src: "//zen:step one\nfmt.Println(f())", stdout: "1\n"},
		code("func f() string { return \"two\" }"),
		{src: "//zen:step two\nfmt.Println(f())", stdout: "two\n"},
	}},
	{"a type and a const declared again; old code keeps its versions", []cell{
		code(`import "fmt"`),
		code("const scale = 10\n\ntype T struct{ A int }\n\nfunc (t T) String() string { return fmt.Sprint(\"T\", t.A*scale) }"),
		code("func describe() string { return fmt.Sprint(T{1}) }"),
		{src: "//zen:step a\nfmt.Println(describe())", stdout: "T10\n"},
		code("const scale = 100\n\ntype T struct{ A, B int }\n\nfunc (t T) String() string { return fmt.Sprint(\"T\", t.A*scale, t.B) }"),
		{src: "//zen:step b\nfmt.Println(T{1, 2}, describe())", stdout: "T100 2 T10\n"},
	}},
}

// TestREPLRedeclarationsRunAsRecorded generates each notebook and runs its
// parity test: a cell uses the declarations as the kernel had them when
// the cell ran, not the notebook's last ones.
func TestREPLRedeclarationsRunAsRecorded(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command on generated modules")
	}
	for _, tc := range replRedeclarations {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := analyze(t, notebook(t, "gophernotes", tc.cells...), Config{})
			dir := emitModule(t, p, emit.Options{})
			if out, err := goCommand(t, dir, "test", "./..."); err != nil {
				t.Fatalf("go test: %v\n%s", err, out)
			}
		})
	}
}

// TestREPLMethodRedeclared checks that a method declared again for the
// same type is refused where it is: a Go type has one method set.
func TestREPLMethodRedeclared(t *testing.T) {
	analyzeError(t, "gophernotes", []cell{
		code(`import "fmt"`),
		code("type T int\n\nfunc (T) m() int { return 1 }"),
		{src: "//zen:step one\nfmt.Println(T(0).m())", stdout: "1\n"},
		code("// m now says two.\nfunc (T) m() int { return 2 }"),
		{src: "//zen:step two\nfmt.Println(T(0).m())", stdout: "2\n"},
	}, "nb.ipynb:cell 4:2:1: method T.m is declared again (first in cell 2): earlier cells ran with the first and later ones with this one, but a Go type has only one method set\n"+
		"\thint: give the new method another name, or declare T again in this cell so that the method belongs to a new type")
}

// TestREPLRedeclarationNames checks the generated names of the versions:
// a later version skips names the notebook already uses.
func TestREPLRedeclarationNames(t *testing.T) {
	p := analyze(t, notebook(t, "gophernotes",
		code(`import "fmt"`),
		code("func f() int { return 1 }\n\nvar f_2 = 0"),
		code("//zen:step one\nfmt.Println(f(), f_2)"),
		code("func f() int { return 2 }"),
		code("//zen:step two\nfmt.Println(f())"),
	), Config{})
	var decls []string
	for _, d := range p.Decls {
		decls = append(decls, strings.TrimSpace(d.Code))
	}
	if got := strings.Join(decls, "\n"); !strings.Contains(got, "func f() int { return 1 }") || !strings.Contains(got, "func f_3() int { return 2 }") {
		t.Errorf("declarations:\n%s", got)
	}
	if got := bodyText(stepNamed(t, p, "two")); !strings.Contains(got, "f_3()") {
		t.Errorf("step two calls the wrong version:\n%s", got)
	}
}
