package analysis

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zengen-dev/zengen/parser"
)

// TestScriptParams: a marker-less script's knobs before its first heading
// become params; anything else there stays a step.
func TestScriptParams(t *testing.T) {
	const tail = "\n// %% [markdown]\n// # Use\n\n// %%\nprintln(n)\n"
	for _, tc := range []struct {
		name, head string
		params     []string
		steps      []string
	}{
		{"literals and a statement", "// %%\nn := 3\nconst unit = \"ms\"\nvar on = true\nneg := -1.5\n_, _, _ = unit, on, neg\n", nil, []string{"setup", "use"}},
		{"only literals", "// %%\nn := 3\nvar label = (\"a\")\n", []string{"n", "label"}, []string{"use"}},
		{"computed", "// %%\nn := len(\"abc\")\n", nil, []string{"setup", "use"}},
		{"marked", "// %% tags=[\"step:first\"]\nn := 3\n", nil, []string{"first"}},
		{"after the heading", "// %% [markdown]\n// # Knobs\n\n// %%\nn := 3\n", nil, []string{"knobs", "use"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			nb, err := parser.Read("s.go", []byte(tc.head+tail))
			if err != nil {
				t.Fatal(err)
			}
			p := analyze(t, nb, Config{})
			var params []string
			for _, prm := range p.Params {
				params = append(params, prm.Name)
			}
			if diff := cmp.Diff(tc.params, params); diff != "" {
				t.Errorf("params (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.steps, stepNames(p)); diff != "" {
				t.Errorf("steps (-want +got):\n%s", diff)
			}
		})
	}
}
