package parser

import (
	"slices"
	"strings"
	"testing"
)

// TestProgramArgs splits as GoNB's specialcmd.splitCmd does.
func TestProgramArgs(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"--steps=800  -x 3", []string{"--steps=800", "-x", "3"}},
		{`--who="Wally West" --empty=""`, []string{"--who=Wally West", "--empty="}},
		{`""`, []string{""}},
		{`--text "a\"b\nc"`, []string{"--text", "a\"b\nc"}},
		{`C:\dir\file`, []string{`C:\dir\file`}},
	} {
		if got := programArgs(c.in); !slices.Equal(got, c.want) {
			t.Errorf("programArgs(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// FuzzProgramArgs checks the split against its definition where no
// quote occurs: outside quotes only spaces, tabs and newlines split, and a
// backslash is an ordinary byte.
func FuzzProgramArgs(f *testing.F) {
	f.Add(`--who="Wally" -x=3`)
	f.Add(`-x=3\ \t--y`)
	f.Add(`"\`)
	f.Fuzz(func(t *testing.T, s string) {
		got := programArgs(s)
		if strings.Contains(s, `"`) {
			return
		}
		want := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' })
		if len(want) == 0 {
			want = nil
		}
		if !slices.Equal(got, want) {
			t.Fatalf("programArgs(%q) = %q, want %q", s, got, want)
		}
	})
}
