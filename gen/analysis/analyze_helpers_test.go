package analysis

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zengen-dev/zengen/gen/ir"
	"github.com/zengen-dev/zengen/parser"
)

// cell describes one notebook cell for tests. Sources starting with "md:"
// are markdown cells.
type cell struct {
	src    string
	tags   []string
	stdout string // recorded stream output; the cell counts as executed
	// stderr and kernelError are a recorded stderr stream and the evalue
	// of a recorded error output.
	stderr, kernelError string
	// noCount records stdout with a null execution_count, as tools that
	// clear counts but keep outputs leave a cell.
	noCount bool
}

// notebook builds a .ipynb in memory and reads it with the real parser, so
// that directives, magics and %% lines are exactly what Analyze will see.
func notebook(t testing.TB, kernel string, cells ...cell) *parser.Notebook {
	t.Helper()
	type output struct {
		OutputType string   `json:"output_type"`
		Name       string   `json:"name"`
		Text       []string `json:"text,omitempty"`
		Ename      string   `json:"ename,omitempty"`
		Evalue     string   `json:"evalue,omitempty"`
		Traceback  []string `json:"traceback,omitempty"`
	}
	type jcell struct {
		CellType       string         `json:"cell_type"`
		Metadata       map[string]any `json:"metadata"`
		Source         string         `json:"source"`
		Outputs        []output       `json:"outputs,omitempty"`
		ExecutionCount *int           `json:"execution_count,omitempty"`
	}
	var jcells []jcell
	for i, c := range cells {
		jc := jcell{CellType: "code", Metadata: map[string]any{}, Source: c.src}
		if md, ok := strings.CutPrefix(c.src, "md:"); ok {
			jc.CellType, jc.Source = "markdown", md
		}
		if len(c.tags) > 0 {
			jc.Metadata["tags"] = c.tags
		}
		if c.stdout != "" {
			n := i + 1
			if !c.noCount {
				jc.ExecutionCount = &n
			}
			jc.Outputs = []output{{OutputType: "stream", Name: "stdout", Text: []string{c.stdout}}}
		}
		if c.stderr != "" {
			jc.Outputs = append(jc.Outputs, output{OutputType: "stream", Name: "stderr", Text: []string{c.stderr}})
		}
		if c.kernelError != "" {
			jc.Outputs = append(jc.Outputs, output{OutputType: "error", Ename: "ERROR", Evalue: c.kernelError, Traceback: []string{c.kernelError}})
		}
		jcells = append(jcells, jc)
	}
	doc := map[string]any{
		"nbformat": 4, "nbformat_minor": 5,
		"metadata": map[string]any{"kernelspec": map[string]any{"name": kernel, "language": "go"}},
		"cells":    jcells,
	}
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	nb, err := parser.ReadIPYNB("nb.ipynb", data)
	if err != nil {
		t.Fatalf("parser: %v", err)
	}
	return nb
}

func code(src string) cell { return cell{src: src} }

// analyze runs Analyze with a scratch module, failing on errors.
func analyze(t testing.TB, nb *parser.Notebook, cfg Config) *ir.Pipeline {
	t.Helper()
	if cfg.Dir == "" {
		cfg.Dir = t.TempDir()
	}
	p, err := Analyze(nb, cfg)
	if err != nil {
		t.Fatalf("Analyze:\n%v", err)
	}
	return p
}

func stepNamed(t testing.TB, p *ir.Pipeline, name string) *ir.Step {
	t.Helper()
	for _, s := range p.Steps {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no step %s in %v", name, stepNames(p))
	return nil
}

func stepNames(p *ir.Pipeline) []string {
	var names []string
	for _, s := range p.Steps {
		names = append(names, s.Name)
	}
	return names
}

// portSummary renders ports as "name type codec [from]" for comparisons.
func portSummary(ports []*ir.Port) []string {
	var out []string
	for _, p := range ports {
		s := p.Name + " " + p.Type + " " + p.Codec
		if p.Var != p.Name {
			s += " var=" + p.Var
		}
		if p.From != "" {
			s += " from=" + p.From
		}
		if p.Metric {
			s += " metric"
		}
		out = append(out, s)
	}
	return out
}

func bodyText(s *ir.Step) string {
	var parts []string
	for _, c := range s.Body {
		parts = append(parts, c.Code)
	}
	return strings.Join(parts, "\n")
}

// analyzeError analyses a notebook that must fail and compares the whole
// error text, positions and hints included.
func analyzeError(t *testing.T, kernel string, cells []cell, want string) {
	t.Helper()
	_, err := Analyze(notebook(t, kernel, cells...), Config{Dir: t.TempDir()})
	if err == nil {
		t.Fatal("no error")
	}
	if diff := cmp.Diff(want, err.Error()); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
}
