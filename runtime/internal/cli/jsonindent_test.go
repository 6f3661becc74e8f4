package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// indentJSON must print what json.Indent prints, whatever the reads.
func TestIndentJSONMatchesJSONIndent(t *testing.T) {
	values := []any{
		map[string]any{"b": []any{1, 2.5, "x,y:z", map[string]any{}, []any{}}, "a": nil, "c": true},
		[]any{}, map[string]any{}, "a \"quoted\" \\ string\n", 1e300, -0.0, false,
		[]any{[]any{[]any{}}}, map[string]any{"k": map[string]any{"n": []any{map[string]any{"x": "{[,:]}"}}}},
	}
	for _, v := range values {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		b = append(b, '\n') // as the JSON codec writes it
		var want bytes.Buffer
		if err := json.Indent(&want, b, "", "  "); err != nil {
			t.Fatal(err)
		}
		wantText := strings.TrimRight(want.String(), " \n") + "\n"
		for name, r := range map[string]io.Reader{
			"whole":       bytes.NewReader(b),
			"byte a read": iotest.OneByteReader(bytes.NewReader(b)),
		} {
			var got bytes.Buffer
			if err := indentJSON(&got, r); err != nil {
				t.Fatalf("%s %s: %v", b, name, err)
			}
			if got.String() != wantText {
				t.Errorf("%s read %s:\n got %q\nwant %q", b, name, got.String(), wantText)
			}
		}
	}
}

func TestIndentJSONRefusesBrokenStructure(t *testing.T) {
	for _, in := range []string{``, `{`, `[}`, `"abc`, `1 2`, `{} {}`, `]`, `1,2`, `"a""b"`} {
		err := indentJSON(io.Discard, strings.NewReader(in))
		if !errors.Is(err, errNotJSON) {
			t.Errorf("%q: err = %v, want errNotJSON", in, err)
		}
	}
}
