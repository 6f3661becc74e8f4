package parser

import (
	"strings"
	"testing"
)

// TestReadRefusesUnprintablePaths: a path that cannot be one line of text
// would break every error position and, in generated code, end the comment
// it is written into.
func TestReadRefusesUnprintablePaths(t *testing.T) {
	nb := []byte(`{"nbformat":4,"nbformat_minor":5,"metadata":{"kernelspec":{"name":"gonb"}},"cells":[]}`)
	for _, tt := range []struct{ path, want string }{
		{"a\n//go:generate touch X\n.ipynb", `"a\n//go:generate touch X\n.ipynb": the notebook path holds a line break`},
		{"a\r.go", `"a\r.go": the notebook path holds a line break`},
		{"a\u2028.ipynb", `"a\u2028.ipynb": the notebook path holds a line break`},
		{"a\x00.ipynb", `"a\x00.ipynb": the notebook path holds the unprintable character U+0000`},
		{"a\x1b[31m.ipynb", `"a\x1b[31m.ipynb": the notebook path holds the unprintable character U+001B`},
		{"a\ufeff.ipynb", `"a\ufeff.ipynb": the notebook path holds the unprintable character U+FEFF`},
		{"a\xff.ipynb", `"a\xff.ipynb": the notebook path is not valid UTF-8`},
	} {
		_, err := Read(tt.path, nb)
		list, ok := err.(ErrorList)
		if !ok || len(list) != 1 || !strings.HasPrefix(list[0].Error(), tt.want) {
			t.Errorf("Read(%q) = %v, want one error starting %q", tt.path, err, tt.want)
			continue
		}
		if strings.ContainsAny(list[0].Error(), "\r\x00\x1b\ufeff\u2028") || strings.Count(list[0].Error(), "\n") != 1 {
			t.Errorf("Read(%q): the error does not print as one line and its hint:\n%s", tt.path, list[0])
		}
	}
	for _, path := range []string{"churn.ipynb", "dir with space/Churn Model (v2).ipynb", "été/a:b.ipynb"} {
		if _, err := Read(path, nb); err != nil {
			t.Errorf("Read(%q): %v", path, err)
		}
	}
}
