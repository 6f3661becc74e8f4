package analysis

import (
	"go/scanner"
	"go/token"
	"regexp"
	"strings"

	"github.com/zengen-dev/zengen/parser"
)

// toolDirective matches the comments that tools other than the compiler act
// on wherever they stand in a package: go generate runs //go:generate
// lines, build constraints drop a file (and go vet rejects them after the
// package clause), and //line rewrites the positions that zengen's own
// //line directives map to the notebook. In a kernel they did nothing.
var toolDirective = regexp.MustCompile(`^(//go:generate\b|//go:build\b|//\s*\+build\b|//line |/\*line )`)

// toolDirectives reports such comments in the code that generation copies,
// and raw strings holding a //go:generate line, which go generate finds
// by reading lines without parsing Go. Compiler directives attached to
// declarations (//go:noinline, //go:embed) are code and stay.
func (a *analysis) toolDirectives() {
	for _, c := range a.nb.Cells {
		if c.Kind != parser.Code || c.WriteFile != nil || a.roles[c] == roleSkip {
			continue
		}
		fset := token.NewFileSet()
		file := fset.AddFile("", -1, len(c.Code))
		var s scanner.Scanner
		s.Init(file, []byte(c.Code), nil, scanner.ScanComments)
		for {
			at, tok, lit := s.Scan()
			if tok == token.EOF {
				break
			}
			// Unadjusted: a //line comment in the cell must not move the
			// position of what follows it.
			p := file.PositionFor(at, false)
			pos := a.nb.Pos(c, p.Line, p.Column)
			switch {
			case tok == token.COMMENT && toolDirective.MatchString(lit):
				word := strings.TrimSpace(toolDirective.FindString(lit))
				a.errs.Add(pos, "%s in a cell %s", word, toolDirectiveEffect(word)).Hint =
					"remove it: the directives of generated code are zengen's own"
			case tok == token.STRING && strings.HasPrefix(lit, "`") && strings.Contains(lit, "\n//go:generate"):
				a.errs.Add(pos, "a line of this raw string starts with //go:generate, which go generate would run from the generated file").Hint =
					"write the string with escapes (\"...\\n//go:generate ...\") instead"
			}
		}
	}
}

// toolDirectiveEffect says what a tool directive would do in the
// generated package.
func toolDirectiveEffect(word string) string {
	switch word {
	case "//go:generate":
		return "would become a command that go generate runs in the generated package"
	case "//line", "/*line":
		return "would move the positions that zengen's //line directives map to the notebook"
	}
	return "would be a misplaced build constraint in the generated package, which go vet rejects"
}
