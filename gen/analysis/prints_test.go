package analysis

import (
	"strings"
	"testing"

	"github.com/zengen-dev/zengen/gen/emit"
)

// TestPrintRouting checks, step by step, which prints analysis routes to
// the step and which make it run alone, and that the rewritten code builds.
func TestPrintRouting(t *testing.T) {
	p := analyze(t, notebook(t, "gophernotes",
		code("import (\n\t\"encoding/json\"\n\t\"fmt\"\n\t\"log\"\n\t\"os\"\n\t\"sort\"\n)"),
		code("func show[T any](x T) { fmt.Println(x) }\n\nfunc less(i, j int) bool { fmt.Println(i, j); return i < j }\n\nfunc logTo() { log.SetOutput(os.Stdout) }"),
		code("//zen:step generic\nshow[int](1)\nshow(\"two\")"),
		code("//zen:step writers\nfmt.Fprintln(os.Stderr, \"to stderr\")\njson.NewEncoder(os.Stdout).Encode(1)"),
		code("//zen:step value\nxs := []int{2, 1}\nsort.Slice(xs, less)"),
		code("//zen:step pointer\nx := 1\nprintln(&x)"),
		code("//zen:step raw\nos.Stdout.WriteString(\"raw\\n\")"),
		code("//zen:step logged\nlogTo()\nlog.Println(\"to stdout now\")"),
	), Config{})
	alone := map[string]string{
		"generic": "",
		"writers": "",
		"value":   "fmt.Println at nb.ipynb:cell 2:3:28",
		"pointer": "println at nb.ipynb:cell 6:3:1",
		"raw":     "os.Stdout at nb.ipynb:cell 7:2:1",
		"logged":  "os.Stdout at nb.ipynb:cell 2:5:30",
	}
	for step, want := range alone {
		if got := stepNamed(t, p, step).Alone; got != want {
			t.Errorf("%s.Alone = %q, want %q", step, got, want)
		}
	}
	for step, want := range map[string]string{
		"generic": "show[int](zg_ctx, 1)\nshow(zg_ctx, \"two\")",
		// The cell's last expression: gophernotes showed its error result.
		"writers": "fmt.Fprintln(zg_stderr(zg_ctx), \"to stderr\")\nzg_showValues(zg_out)(json.NewEncoder(zg_out).Encode(1))",
	} {
		if got := bodyText(stepNamed(t, p, step)); got != want {
			t.Errorf("step %s:\n%s\nwant:\n%s", step, got, want)
		}
	}
	var decls []string
	for _, c := range p.Decls {
		decls = append(decls, c.Code)
	}
	if all := strings.Join(decls, "\n"); !strings.Contains(all, "func show[T any](zg_ctx zg_context, x T) { fmt.Fprintln(zg_stdout(zg_ctx), x) }") ||
		!strings.Contains(all, "func less(i, j int) bool { fmt.Println(i, j); return i < j }") {
		t.Errorf("declarations:\n%s", all)
	}
	if testing.Short() {
		return
	}
	dir := emitModule(t, p, emit.Options{})
	if out, err := goCommand(t, dir, "vet", "./..."); err != nil {
		t.Fatalf("go vet: %v\n%s", err, out)
	}
}
