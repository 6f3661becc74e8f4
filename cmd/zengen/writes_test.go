package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zengen-dev/zengen/internal/gomodtest"
)

// script is a percent-format notebook made of the given cells.
func script(cells ...string) string {
	return "//go:build ignore\n\n// %%\n" + strings.Join(cells, "\n// %%\n")
}

// twoSteps is a notebook of two cell steps, alpha and zulu, whose files
// sort before and after most others; v changes every step's code.
func twoSteps(v string, more ...string) string {
	return script(append([]string{
		"//zen:step alpha\na := " + v + "\nfmt.Println(a)\n",
		"//zen:step zulu\nfmt.Println(a + " + v + ")\n",
	}, more...)...)
}

// generateTwice generates the notebook text first into out, then the
// notebook text second, and returns the second generate's result.
func generateTwice(t *testing.T, nb, out, first, second string, between func()) (status int, stderr string) {
	t.Helper()
	writeFile(t, nb, first)
	if status, _, stderr := runZengen(t, "generate", nb, "-o", out); status != exitOK {
		t.Fatalf("first generate: exit %d\n%s", status, stderr)
	}
	if between != nil {
		between()
	}
	writeFile(t, nb, second)
	status, _, stderr = runZengen(t, "generate", nb, "-o", out)
	return status, stderr
}

// wantRefused checks that a command failed with a message holding want and
// that the folders in trees are byte for byte what they were.
func wantRefused(t *testing.T, status int, stderr, want string, trees map[string]map[string]string) {
	t.Helper()
	if status != exitFindings || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q", status, stderr, exitFindings, want)
	}
	for dir, before := range trees {
		if diff := diffMaps(before, readTree(t, dir)); diff != "" {
			t.Errorf("%s changed:\n%s", dir, diff)
		}
	}
}

func TestSymlinksDoNotLeadOutOfTheOutputFolder(t *testing.T) {
	module := gomodtest.Module(t, "example.com/links")
	nb := filepath.Join(module, "links.go")
	step := "//zen:step count\nn := 3\nfmt.Println(n)\n"
	for _, tt := range []struct {
		name, link, notebook string
	}{
		{"writefile through a link", "link", script("%%writefile link/x\nescaped\n", step)},
		{"the command folder is a link", "cmd", script(step)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			outside := t.TempDir()
			out := filepath.Join(module, strings.ReplaceAll(tt.name, " ", "_"))
			if err := os.MkdirAll(out, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(outside, filepath.Join(out, tt.link)); err != nil {
				t.Fatal(err)
			}
			writeFile(t, nb, tt.notebook)
			trees := map[string]map[string]string{outside: readTree(t, outside), out: readTree(t, out)}
			for _, verb := range []string{"generate", "check"} {
				status, _, stderr := runZengen(t, verb, nb, "-o", out)
				wantRefused(t, status, stderr, "is a symbolic link to "+outside+", outside the output folder", trees)
			}
		})
	}
}

func TestUserFilesAreNeverOverwritten(t *testing.T) {
	module := gomodtest.Module(t, "example.com/mine")
	nb := filepath.Join(module, "mine.go")
	t.Run("module files", func(t *testing.T) {
		out := filepath.Join(module, "standalone")
		for name, content := range map[string]string{"README.md": "# mine\n", ".gitignore": "*.log\n", "go.mod": "module example.com/mine/standalone\n"} {
			writeFile(t, filepath.Join(out, name), content)
		}
		writeFile(t, nb, twoSteps("1"))
		before := map[string]map[string]string{out: readTree(t, out)}
		for _, verb := range []string{"generate", "check"} {
			status, _, stderr := runZengen(t, verb, nb, "-o", out, "--module", "example.com/standalone", "--runtime-replace", repoRoot)
			wantRefused(t, status, stderr, "holds 3 files that zengen did not generate and never overwrites: .gitignore, README.md, go.mod", before)
		}
	})
	t.Run("a Go file of a generated name", func(t *testing.T) {
		out := filepath.Join(module, "gofile")
		writeFile(t, filepath.Join(out, "decls_zen.go"), "package gofile\n\n// Mine is not generated.\nconst Mine = 1\n")
		writeFile(t, nb, twoSteps("1"))
		before := map[string]map[string]string{out: readTree(t, out)}
		status, _, stderr := runZengen(t, "generate", nb, "-o", out)
		wantRefused(t, status, stderr, "holds 1 file that zengen did not generate and never overwrites: decls_zen.go", before)
	})
	t.Run("a file a writefile cell names", func(t *testing.T) {
		out := filepath.Join(module, "shipped")
		writeFile(t, filepath.Join(out, "data.txt"), "my data\n")
		writeFile(t, nb, twoSteps("1", "%%writefile data.txt\nthe notebook's data\n"))
		before := map[string]map[string]string{out: readTree(t, out)}
		status, _, stderr := runZengen(t, "generate", nb, "-o", out)
		wantRefused(t, status, stderr, "never overwrites: data.txt", before)
	})
	t.Run("zengen's own files are replaced", func(t *testing.T) {
		out := filepath.Join(module, "own")
		status, stderr := generateTwice(t, nb, out,
			twoSteps("1", "%%writefile data.txt\nfirst\n"), twoSteps("2", "%%writefile data.txt\nsecond\n"), nil)
		if status != exitOK {
			t.Fatalf("regenerate: exit %d\n%s", status, stderr)
		}
		if got := readTree(t, out)["data.txt"]; got != "second\n" {
			t.Errorf("data.txt = %q after regenerating, want the notebook's new content", got)
		}
	})
}

func TestTheNotebookIsNeverAnOutput(t *testing.T) {
	module := gomodtest.Module(t, "example.com/self")
	nb := filepath.Join(module, "pipeline_zen.go")
	writeFile(t, nb, twoSteps("1"))
	before := map[string]map[string]string{module: readTree(t, module)}
	status, _, stderr := runZengen(t, "generate", nb, "-o", module)
	wantRefused(t, status, stderr, "would replace the notebook "+nb+" itself", before)
}

func TestANameTooLongChangesNothing(t *testing.T) {
	module := gomodtest.Module(t, "example.com/long")
	nb, out := filepath.Join(module, "long.go"), filepath.Join(module, "long")
	var before map[string]map[string]string
	long := "//zen:step " + strings.Repeat("long", 70) + "\nfmt.Println(a)\n"
	status, stderr := generateTwice(t, nb, out, twoSteps("1"), twoSteps("2", long), func() {
		before = map[string]map[string]string{out: readTree(t, out)}
	})
	wantRefused(t, status, stderr, "is too long: its file step_…_zen.go would be longer than the 255 bytes", before)
}
