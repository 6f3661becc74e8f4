package analysis

import (
	goparser "go/parser"
	"go/token"
)

// Control clauses: where the header of an if, for or switch ends.
//
// A header holds semicolons of its own (`for i := 0; i < n; i++ {`), so the
// chunker must not end an item at them, and it must find the brace that
// opens the body. Brackets alone cannot tell: a composite literal or a
// function literal in the header opens a brace at the header's own depth
// (`if xs := []int{1, 2}; len(xs) > 0 {`, `if f := func() bool {…}; f() {`).
// go/parser decides what a `{` means from the text before it alone, so the
// same question put to go/parser on the header so far gets the kernel's
// answer.

// opensBody reports whether the `{` that follows header (the text from the
// if, for or switch keyword up to that brace) opens the statement's body
// rather than a literal inside the header.
func opensBody(header string) bool {
	if parsesAsStatement(header + "{}") {
		return true
	}
	// Not a body: either a literal opens here, which a complete statement
	// can follow, or the header is broken, which the syntax check reports
	// at its place, so the brace is taken as the body as before.
	for _, rest := range []string{"{} {}", "{}; true {}", "{}; {}", "{};; {}"} {
		if parsesAsStatement(header + rest) {
			return false
		}
	}
	return true
}

// parsesAsStatement reports whether stmt is one valid statement list of a
// function body.
func parsesAsStatement(stmt string) bool {
	_, err := goparser.ParseFile(token.NewFileSet(), "", "package p\nfunc _() {\n"+stmt+"\n}", goparser.SkipObjectResolution)
	return err == nil
}
