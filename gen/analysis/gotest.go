package analysis

// GoNB's %test cells: GoNB builds such a cell with go test and runs the
// Test, Benchmark, Fuzz and Example functions it declares. Here they go to
// a _test.go file of the generated package, where go test runs them; the
// cell's other declarations stay package-level, as GoNB keeps them for
// later cells.

import (
	"go/ast"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zengen-dev/zengen/parser"
)

// isNotebookTest reports a function that go test runs, declared in a
// GoNB cell with a %test line.
func (a *analysis) isNotebookTest(it *item) bool {
	if a.nb.Dialect != parser.DialectGoNB || it.keyword != "func" || it.method || !isTestCell(it.cell) {
		return false
	}
	fd, ok := it.node.(*ast.FuncDecl)
	return ok && fd.Recv == nil && testFuncName(fd.Name.Name)
}

func isTestCell(c *parser.Cell) bool {
	for _, m := range c.Magics {
		if m.Kind == parser.MagicTest {
			return true
		}
	}
	return false
}

// testFuncName reports a name go test runs a function by: a prefix Test,
// Benchmark, Fuzz or Example, then nothing or a character that is not a
// lower-case letter (go test's isTest).
func testFuncName(name string) bool {
	for _, prefix := range []string{"Test", "Benchmark", "Fuzz", "Example"} {
		rest, ok := strings.CutPrefix(name, prefix)
		if !ok {
			continue
		}
		if rest == "" {
			return true
		}
		r, _ := utf8.DecodeRuneInString(rest)
		return !unicode.IsLower(r)
	}
	return false
}
