package emit

import (
	"bytes"
	"fmt"
	"go/scanner"
	"go/token"
	"strings"
)

// A cell of megabytes is mostly a data table: a composite literal whose
// lines hold nothing but literals and commas. gofmt's printer measures
// every element of a list it prints, which made printing such a table
// most of emission's cost. gofmt prints a line of literals as the literals
// joined by ", " with a trailing comma, indented one step deeper than the
// line of the opening brace; so a table already written that way is set
// aside before formatting, one placeholder element standing for its lines,
// and put back in place of the placeholder, each line at the placeholder's
// indentation. A table written any other way (a comment, a blank line,
// elements after the brace or before the closing one, uneven spaces,
// numbers gofmt would rewrite) is formatted as before.

// minDataBytes is the size from which a table is set aside: below it the
// printer's cost does not matter, and ordinary code keeps the plain path.
var minDataBytes = 64 << 10

// dataPlaceholder is the element that stands for the lines of table i. The
// zg_ prefix is reserved to generated code, so no notebook name is one.
func dataPlaceholder(i int) string { return fmt.Sprintf("zg_dataTable%d", i) }

// setAside is a source with its tables replaced by placeholders.
type setAside struct {
	// tables holds each table's lines, without their indentation.
	tables [][]string
}

// formatGo is addImports with the large tables of src set aside.
func formatGo(src []byte, imports []boundImport, keepAll bool) ([]byte, error) {
	if short, aside := setAsideData(src); aside != nil {
		// Tables hold no names, so the imports are those of the full
		// source; on any surprise the full source is formatted.
		if formatted, err := addImports(short, imports, keepAll); err == nil {
			if full, ok := aside.restore(formatted); ok {
				return full, nil
			}
		}
	}
	return addImports(src, imports, keepAll)
}

// setAsideData returns src with every large table replaced by one
// placeholder line, or src itself and nil when it has none.
func setAsideData(src []byte) ([]byte, *setAside) {
	if len(src) < minDataBytes {
		return src, nil
	}
	t := &tableScanner{src: src, file: token.NewFileSet().AddFile("", -1, len(src))}
	t.s.Init(t.file, src, func(token.Position, string) { t.broken = true }, scanner.ScanComments)
	var out bytes.Buffer
	var aside setAside
	copied := 0 // src[:copied] is in out
	tok := t.next()
	for tok != token.EOF && !t.broken {
		if tok != token.LBRACE {
			tok = t.next()
			continue
		}
		// The token that ends a table or breaks its form is looked at
		// again: it may be the brace of a table inside.
		first, last, lines, ok, end := t.tableAfter(t.off)
		tok = end
		if !ok || last-first < minDataBytes {
			continue
		}
		out.Write(src[copied:first])
		out.WriteString(dataPlaceholder(len(aside.tables)) + ",\n")
		copied = last
		aside.tables = append(aside.tables, lines)
	}
	if t.broken || len(aside.tables) == 0 {
		return src, nil
	}
	out.Write(src[copied:])
	return out.Bytes(), &aside
}

// tableScanner reads the tokens of a source, comments included.
type tableScanner struct {
	s      scanner.Scanner
	src    []byte
	file   *token.File
	broken bool
	// off and lit are those of the token last read.
	off int
	lit string
}

func (t *tableScanner) next() token.Token {
	pos, tok, lit := t.s.Scan()
	t.off, t.lit = t.file.Offset(pos), lit
	return tok
}

// lineEnd is the offset of the newline that ends the line holding off, or
// the source's length.
func (t *tableScanner) lineEnd(off int) int {
	if nl := bytes.IndexByte(t.src[off:], '\n'); nl >= 0 {
		return off + nl
	}
	return len(t.src)
}

// tableAfter reads the tokens after the opening brace at offset open and
// reports whether they form a table in gofmt's form: the brace ends its
// line, every following line up to the closing brace is indentation, then
// literals joined by ", ", then a comma, and the closing brace opens its
// line. The table's lines are src[first:last], newlines included; lines
// are their text without indentation. It returns the last token read:
// the closing brace of a table, or the token that broke the form.
func (t *tableScanner) tableAfter(open int) (first, last int, lines []string, ok bool, tok token.Token) {
	if open+1 >= len(t.src) || t.src[open+1] != '\n' {
		return 0, 0, nil, false, t.next()
	}
	first = open + 2
	lineStart, lineEnd := first, t.lineEnd(first)
	var line strings.Builder
	for {
		tok = t.next()
		sign := ""
		if tok == token.SUB || tok == token.ADD {
			// A signed number: gofmt writes the sign against it.
			sign = tok.String()
			signOff := t.off
			if tok = t.next(); tok != token.INT && tok != token.FLOAT || t.off != signOff+1 {
				return 0, 0, nil, false, tok
			}
		}
		switch tok {
		case token.INT, token.FLOAT, token.STRING, token.CHAR:
			lit := sign + t.lit
			// gofmt rewrites the upper-case letters of a number's prefix
			// and exponent; a literal of several lines is no table line.
			if tok != token.STRING && tok != token.CHAR && strings.ContainsAny(lit, "EPXOB") || strings.Contains(lit, "\n") || t.off >= lineEnd {
				return 0, 0, nil, false, tok
			}
			if line.Len() > 0 {
				line.WriteString(" ")
			}
			line.WriteString(lit)
			if tok = t.next(); tok != token.COMMA {
				return 0, 0, nil, false, tok
			}
			line.WriteString(",")
			if t.off+1 != lineEnd {
				continue
			}
			// The comma ends the line: the line must be its indentation
			// and what was read, spaces exactly as gofmt prints them.
			if strings.TrimLeft(string(t.src[lineStart:lineEnd]), "\t ") != line.String() {
				return 0, 0, nil, false, tok
			}
			lines = append(lines, line.String())
			line.Reset()
			if lineEnd == len(t.src) {
				return 0, 0, nil, false, tok
			}
			lineStart = lineEnd + 1
			lineEnd = t.lineEnd(lineStart)
		case token.RBRACE:
			if line.Len() != 0 || len(lines) == 0 || strings.TrimLeft(string(t.src[lineStart:t.off]), "\t ") != "" {
				return 0, 0, nil, false, tok
			}
			return first, lineStart, lines, true, tok
		default:
			return 0, 0, nil, false, tok
		}
	}
}

// restore puts the tables back into formatted, which gofmt printed from
// the source with placeholders; it reports false when a placeholder is
// not a line of its own exactly once.
func (a *setAside) restore(formatted []byte) ([]byte, bool) {
	size := len(formatted)
	for _, t := range a.tables {
		for _, l := range t {
			size += len(l) + 16
		}
	}
	out := make([]byte, 0, size)
	rest := formatted
	for i, table := range a.tables {
		ph := []byte(dataPlaceholder(i) + ",\n")
		at := bytes.Index(rest, ph)
		if at < 0 || bytes.Contains(rest[at+len(ph):], ph) {
			return nil, false
		}
		lineStart := bytes.LastIndexByte(rest[:at], '\n') + 1
		indent := rest[lineStart:at]
		if len(bytes.Trim(indent, "\t")) != 0 {
			return nil, false
		}
		out = append(out, rest[:lineStart]...)
		for _, l := range table {
			out = append(out, indent...)
			out = append(out, l...)
			out = append(out, '\n')
		}
		rest = rest[at+len(ph):]
	}
	return append(out, rest...), true
}
