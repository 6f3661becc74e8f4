package parser

import (
	"bytes"
	"path/filepath"
	"strconv"
	"strings"
)

// Read parses a notebook or a scratch script, chosen by the extension of
// path: .ipynb files are Jupyter notebooks, .go files jupytext scripts
// (percent or light format). path is only used in positions and to pick the reader; the
// bytes come from data. A non-nil error is always an ErrorList.
func Read(path string, data []byte) (*Notebook, error) {
	if err := CheckPath(path); err != nil {
		return nil, err
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".ipynb":
		return ReadIPYNB(path, data)
	case ".go":
		return ReadScript(path, data)
	}
	var errs ErrorList
	errs.Add(Pos{File: path}, "unknown notebook format %q", filepath.Ext(path)).Hint =
		"zengen reads Jupyter notebooks (.ipynb) and jupytext scripts (.go)"
	return nil, errs.Err()
}

// IsStepName reports whether s is a valid step name: [a-z][a-z0-9_]*.
func IsStepName(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// normalizeNewlines turns CRLF and lone CR line endings into "\n", so that
// positions do not depend on the editor that last saved the file.
func normalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// splitLines splits s into lines without their "\n". A final newline does
// not start another line, so "a\n" and "a" both have one line, and "" none.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// fallbackID is the cell id used when the notebook has none (nbformat
// before 4.5, and scripts): the cell's index in the cells list.
func fallbackID(index int) string {
	return strconv.Itoa(index)
}

func isBlank(s string) bool {
	return strings.TrimSpace(s) == ""
}

// utf8BOM is the byte order mark some editors (Notepad, some Windows
// tools) put before UTF-8 text.
var utf8BOM = []byte("\xEF\xBB\xBF")

// withoutBOM drops a leading UTF-8 byte order mark. Positions then count
// from the first character after it, as editors show them.
func withoutBOM(data []byte) []byte {
	return bytes.TrimPrefix(data, utf8BOM)
}
