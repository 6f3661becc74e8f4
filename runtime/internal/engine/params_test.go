package engine

import (
	"encoding/json"
	"testing"
)

// TestParamText puts back what json.Marshal escapes for HTML, and only
// that: an escaped backslash before "u003c" is the user's text.
func TestParamText(t *testing.T) {
	for _, s := range []string{`<img src=x onerror="a()">`, `A & B`, `\u003c stays`, "line\u2028sep", `tab	"q"`} {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		got := ParamText(string(b))
		var back string
		if err := json.Unmarshal([]byte(got), &back); err != nil || back != s {
			t.Errorf("ParamText(%s) = %s, which reads back as %q (%v)", b, got, back, err)
		}
		if len(got) > len(b) {
			t.Errorf("ParamText(%s) = %s grew", b, got)
		}
	}
	if got, want := ParamText(`{"t":"\u003cb\u003e \u0026"}`), `{"t":"<b> &"}`; got != want {
		t.Errorf("ParamText = %s, want %s", got, want)
	}
}
