package emit

import (
	"go/doc/comment"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dave/jennifer/jen"
)

// Text from the notebook that is not code (markdown, headings, docs, the
// notebook's path) reaches generated Go only as the text of "// " line
// comments, built here. A line that began "//" or "/*" on its own would be
// a directive (//go:generate, //go:build, //line) or a block comment that
// closes into code; behind "// " it is only text.

// commentLines splits text into the lines of a comment, each one safe to
// follow "// ": line breaks split lines, and what a Go source file cannot
// hold (NUL, a byte order mark, invalid UTF-8) or a reader would take for
// a line break or terminal control becomes U+FFFD.
func commentLines(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var lines []string
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r", "\n"), "\n") {
		lines = append(lines, commentText(line))
	}
	return lines
}

// commentText is one line of text made safe for a line comment.
func commentText(line string) string {
	if !needsCleaning(line) {
		return line
	}
	var b strings.Builder
	for i, w := 0, 0; i < len(line); i += w {
		r, size := utf8.DecodeRuneInString(line[i:])
		w = size
		if r == utf8.RuneError && size <= 1 || unsafeInComment(r) {
			r = utf8.RuneError
		}
		b.WriteRune(r)
	}
	return b.String()
}

func needsCleaning(line string) bool {
	if !utf8.ValidString(line) {
		return true
	}
	return strings.IndexFunc(line, unsafeInComment) >= 0
}

// unsafeInComment reports the runes a comment line must not hold: control
// characters other than tab (NUL does not compile, the others break lines
// or drive terminals), the byte order mark (which does not compile past
// the start of a file) and the Unicode line and paragraph separators.
func unsafeInComment(r rune) bool {
	return r != '\t' && unicode.IsControl(r) || r == '\uFEFF' || r == '\u2028' || r == '\u2029'
}

// textComment is text as "// " comment lines, each followed by a newline,
// spelled as gofmt spells doc comments: "//" alone for an empty line and
// "//\t" before a line of code.
func textComment(text string) *jen.Statement {
	c := jen.Null()
	for _, line := range commentLines(text) {
		switch {
		case line == "":
			c.Comment("//").Line()
		case strings.HasPrefix(line, "\t"):
			c.Comment("//" + line).Line()
		default:
			c.Comment("// " + line).Line()
		}
	}
	return c
}

// docComment is text as a Go doc comment. The text is first reformatted
// as gofmt reformats doc comments (a line that starts with spaces is code,
// "# x" a heading, "- x" a list item), because gofmt does so only when the
// comment already abuts its declaration in column 1, which jennifer's
// output does not: without this, a path or markdown line could make the
// generated file change under a second gofmt.
func docComment(text string) *jen.Statement {
	text = strings.Join(commentLines(text), "\n")
	if settled, ok := settleDoc(text); ok {
		return textComment(settled)
	}
	// A pass may turn only some pairs of backquotes or apostrophes into
	// curly quotes, so a long run of them never settles. A zero-width
	// space inside each pair keeps them as written.
	settled, _ := settleDoc(splitQuotePairs(text))
	return textComment(settled)
}

// settleDoc reformats doc comment text until gofmt would leave it as it
// is, for a few passes; ok is false when it did not settle.
func settleDoc(text string) (settled string, ok bool) {
	for range 4 {
		var p comment.Parser
		var pr comment.Printer
		next := strings.TrimRight(string(pr.Comment(p.Parse(text))), "\n")
		if next == text {
			return text, true
		}
		text = next
	}
	return text, false
}

// splitQuotePairs puts a zero-width space between two backquotes or two
// apostrophes in a row, which doc comments would read as a curly quote.
func splitQuotePairs(text string) string {
	var b strings.Builder
	var prev rune
	for _, r := range text {
		if (r == '`' || r == '\'') && r == prev {
			b.WriteRune('\u200B')
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}
