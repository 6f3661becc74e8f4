package analysis

import (
	"strconv"
	"strings"
	"testing"
)

// TestShownValueMethods checks which gophernotes results are shown and
// which refused: fmt would call a method of the notebook's own type that
// gomacro hides (directly, inside a slice, or behind an interface while
// the notebook declares such a type), while methods of compiled packages
// (time.Duration's String) are called by both.
func TestShownValueMethods(t *testing.T) {
	decls := code("import (\n\t\"fmt\"\n\t\"time\"\n)\n\ntype celsius float64\n\nfunc (c celsius) String() string { return fmt.Sprint(float64(c), \"°C\") }\n\ntype failure struct{}\n\nfunc (*failure) Error() string { return \"failed\" }")
	tests := []struct {
		name, last string
		refused    string // the reason, "" when the value is shown
	}{
		{"own Stringer", "celsius(21.5)", "its type celsius has a String method"},
		{"slice of own Stringer", "[]celsius{1, 2}", "its type celsius has a String method"},
		{"own error through a pointer", "&failure{}", "its type failure has an Error method"},
		{"interface", "var err error\nerr", "it is an interface, and the notebook's type celsius has a String method"},
		{"compiled Stringer", "time.Second", ""},
		{"plain number", "float64(celsius(2))", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cells := []cell{decls, code(tt.last)}
			if tt.refused == "" {
				p := analyze(t, notebook(t, "gophernotes", cells...), Config{})
				var body strings.Builder
				for _, st := range p.Steps {
					body.WriteString(bodyText(st))
				}
				if !strings.Contains(body.String(), "zg_showValues(zg_out)(") {
					t.Errorf("the value is not shown:\n%s", body.String())
				}
				return
			}
			line := strings.Count(tt.last, "\n") + 1
			analyzeError(t, "gophernotes", cells, "nb.ipynb:cell 2:"+strconv.Itoa(line)+":1: zengen cannot show this value as gophernotes did: "+tt.refused+
				"\n\thint: gophernotes' interpreter formats the value without calling its methods; print what the cell should show, or assign the value to _")
		})
	}
}
