package analysis

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The comments of the parameters cell become the flags' help text, and stay
// out of the code hash like every other comment.
func TestParamDocs(t *testing.T) {
	nb := notebook(t, "gophernotes",
		cell{src: "//zen:params\n// epochs of training.\nvar epochs = 300\nvar (\n\trate = 0.5 // learning rate\n\tseed = 42\n)\nlimit := 3 // not a declaration: no doc"},
		cell{src: "//zen:step train\nx := epochs + seed + limit\n_ = rate * float64(x)"},
	)
	p := analyze(t, nb, Config{})
	got := map[string]string{}
	for _, prm := range p.Params {
		got[prm.Name] = prm.Doc
	}
	want := map[string]string{"epochs": "epochs of training.", "rate": "learning rate", "seed": "", "limit": ""}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("param docs (-want +got):\n%s", diff)
	}
}
