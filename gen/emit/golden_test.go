package emit

import (
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zengen-dev/zengen/gen/internal/irtest"
	"github.com/zengen-dev/zengen/gen/ir"
)

// The -update flag rewrites golden files. Other test files of the package
// may define it first; the lookup keeps one definition.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files under testdata/")
	}
}

func updatingGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// checkGolden compares got with the golden file at path. With -update it
// rewrites the file; on a mismatch it writes path+".actual" beside it.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if updatingGolden() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		os.Remove(path + ".actual")
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		os.WriteFile(path+".actual", got, 0o644)
		t.Errorf("%s mismatch (-want +got), actual output in %s.actual:\n%s", path, path, diff)
		return
	}
	os.Remove(path + ".actual")
}

var goldenCases = []struct {
	name     string
	pipeline func() *ir.Pipeline
}{
	{"churn", irtest.Churn},
	{"funcs", irtest.Funcs},
	{"clash", irtest.Clash},
}

func TestInspectGolden(t *testing.T) {
	formats := map[string]string{"text": "txt", "json": "json", "dot": "dot", "mermaid": "mmd"}
	for _, c := range goldenCases {
		for _, format := range []string{"text", "json", "dot", "mermaid"} {
			t.Run(c.name+"/"+format, func(t *testing.T) {
				got, err := ir.Inspect(c.pipeline(), format)
				if err != nil {
					t.Fatal(err)
				}
				checkGolden(t, filepath.Join("testdata", "inspect", c.name+"."+formats[format]), got)
			})
		}
	}
}

func TestInspectUnknownFormat(t *testing.T) {
	if _, err := ir.Inspect(irtest.Churn(), "yaml"); err == nil || !strings.Contains(err.Error(), "unknown inspect format") {
		t.Errorf("Inspect(yaml) error = %v, want an unknown-format error", err)
	}
}

func TestInspectLabels(t *testing.T) {
	p := &ir.Pipeline{Name: "q", Steps: []*ir.Step{{Name: "end", Cells: []int{1}, Pos: ir.Pos{Cell: 1}}, {Name: "b", Cells: []int{2}, Pos: ir.Pos{Cell: 2}}},
		Edges: []*ir.Edge{{From: "end", To: "b", Var: `x"<y>`}}}
	tests := []struct{ format, want string }{
		{"mermaid", `step_end -->|"x#quot;#lt;y#gt;"| step_b`},
		{"dot", `"end" -> "b" [label="x\"<y>"];`},
	}
	for _, tt := range tests {
		got, err := ir.Inspect(p, tt.format)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(got), tt.want) {
			t.Errorf("Inspect(%s) =\n%s\nwant a line %s", tt.format, got, tt.want)
		}
	}
}

// TestEmitGolden keeps the whole emitted tree of each case under
// testdata/emit/CASE, each file with a .golden suffix so that the go
// command and git treat none of them as live files.
func TestEmitGolden(t *testing.T) {
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			p := c.pipeline()
			files, err := Emit(p, Options{
				Module:         "example.com/pipelines/" + p.Name,
				RuntimeReplace: "../zengen",
				Command:        "generate " + p.Notebook + " --module example.com/pipelines/" + p.Name,
			})
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join("testdata", "emit", c.name)
			var emitted []string
			for name, b := range files {
				emitted = append(emitted, name+".golden")
				checkGolden(t, filepath.Join(dir, filepath.FromSlash(name)+".golden"), b)
			}
			var stored []string
			filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() && strings.HasSuffix(path, ".golden") {
					rel, _ := filepath.Rel(dir, path)
					stored = append(stored, filepath.ToSlash(rel))
				}
				return nil
			})
			for _, name := range stored {
				if !slices.Contains(emitted, name) {
					if updatingGolden() {
						os.Remove(filepath.Join(dir, filepath.FromSlash(name)))
						continue
					}
					t.Errorf("%s/%s is no longer emitted (run go test -update)", dir, name)
				}
			}
		})
	}
}
