package parser

import (
	"fmt"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// CheckPath rejects a notebook path that cannot be printed as one line of
// text. The path starts every error position, and generated code repeats it
// in its header and its //line directives, where a line break would end the
// comment and turn the rest of the path into code or a directive. Such a
// path is refused rather than rewritten, because a rewritten path would
// name another file. The error is positioned at the quoted path.
func CheckPath(path string) error {
	what := ""
	switch r, ok := unprintablePathRune(path); {
	case !ok:
		what = "is not valid UTF-8"
	case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
		what = "holds a line break"
	case r >= 0:
		what = fmt.Sprintf("holds the unprintable character %U", r)
	default:
		return nil
	}
	var errs ErrorList
	errs.Add(Pos{File: strconv.Quote(path)}, "the notebook path %s: zengen writes the path into error positions and into the headers and //line directives of generated code, which need one line of printable text", what).Hint =
		"rename the notebook file"
	return errs.Err()
}

// unprintablePathRune returns the first rune of path that a one-line
// position or comment cannot hold, or -1; ok is false for invalid UTF-8.
func unprintablePathRune(path string) (r rune, ok bool) {
	if !utf8.ValidString(path) {
		return 0, false
	}
	for _, r := range path {
		if unicode.IsControl(r) || r == '\uFEFF' || r == '\u2028' || r == '\u2029' {
			return r, true
		}
	}
	return -1, true
}
