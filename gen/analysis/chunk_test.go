package analysis

import (
	"go/ast"
	goparser "go/parser"
	"go/token"
	"strings"
	"testing"

	"github.com/zengen-dev/zengen/parser"
)

// statementSequences are valid function bodies whose headers hold braces
// and semicolons at the header's own depth.
var statementSequences = []string{
	"sum := 0\nfor i := 0; i < 3; i++ { sum += i }\nif v := sum; v > 1 { sum++ }\nswitch x := sum; x {\ncase 1:\n}\nprintln(sum)",
	"n := 0\nif err := walk(\".\", func(p string, err error) error {\n\tif err != nil {\n\t\treturn err\n\t}\n\tn++\n\treturn nil\n}); err != nil {\n\tprintln(err)\n}\nprintln(n)",
	"for i := func() int {\n\tif true {\n\t\treturn 1\n\t}\n\treturn 0\n}(); i < 3; i++ {\n}\nprintln(1)",
	"if xs := []int{1, 2}; len(xs) > 1 {\n\tprintln(xs[0])\n}\nx := 1",
	"if x := struct{ a int }{1}; x.a > 0 {\n}\nprintln()",
	"switch m := map[string]int{\"a\": 1}; len(m) {\ncase 1:\n}\nprintln()",
	"for _, f := range []func() int{func() int { return 1 }} {\n\tprintln(f())\n}\nprintln()",
	"if f := func() bool { return true }; f() {\n} else if g := func() bool { for i := 0; i < 2; i++ {}; return false }; g() {\n} else {\n}\nprintln()",
	"outer:\nfor i := 0; i < 2; i++ {\n\tfor {\n\t\tcontinue outer\n\t}\n}\nselect {\ndefault:\n}",
	"var v any = 1\nswitch t := v.(type) {\ncase int:\n\t_ = t\n}\ngo func() { if a := 1; a > 0 {} }()\ndefer func() {}()",
	"for i := range []int{1, 2} {\n\tprintln(i)\n}\nfor range 3 {\n}",
}

func TestChunkStatementSequences(t *testing.T) {
	for _, body := range statementSequences {
		checkChunks(t, body)
	}
}

// FuzzChunkStatements: any valid sequence of statements is cut into exactly
// its statements, each item holding one statement's text.
func FuzzChunkStatements(f *testing.F) {
	for _, body := range statementSequences {
		f.Add(body)
	}
	f.Fuzz(checkChunks)
}

func checkChunks(t *testing.T, body string) {
	const prefix = "package p\nfunc _() {\n"
	file, err := goparser.ParseFile(token.NewFileSet(), "", prefix+body+"\n}", goparser.SkipObjectResolution)
	if err != nil || len(file.Decls) != 1 {
		return
	}
	fn, ok := file.Decls[0].(*ast.FuncDecl)
	if !ok || fn.Body == nil || int(fn.Body.Rbrace)-1 != len(prefix)+len(body)+1 {
		return // the body closed early: not one sequence of statements
	}
	var want []string
	for _, s := range fn.Body.List {
		if _, empty := s.(*ast.EmptyStmt); empty {
			continue
		}
		// A label on the body's last line labels the empty statement
		// that the closing brace ends.
		end := min(int(s.End())-1-len(prefix), len(body))
		want = append(want, strings.TrimRight(body[int(s.Pos())-1-len(prefix):end], " \t\n"))
	}
	nb := &parser.Notebook{Path: "nb.ipynb", Format: parser.FormatIPYNB, Dialect: parser.DialectREPL}
	cell := &parser.Cell{Number: 1, Kind: parser.Code, Code: body}
	var errs parser.ErrorList
	ch := &chunker{nb: nb, errs: &errs}
	items := ch.split(cell, newLineIndex(body), 0, len(body), true)
	if len(errs) > 0 {
		t.Fatalf("chunking %q: %v", body, errs.Err())
	}
	var got []string
	for _, it := range items {
		got = append(got, it.text)
	}
	if len(got) != len(want) {
		t.Fatalf("chunking %q: %d items %q, want %d statements %q", body, len(got), got, len(want), want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("chunking %q: item %d is %q, want %q", body, i, got[i], want[i])
		}
	}
}
