package gomod

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestEnclosing(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("// a comment\nmodule \"example.com/m\" // quoted\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The directory need not exist: generate writes into it afterwards.
	got, mp, err := Enclosing(filepath.Join(root, "out", "churn"))
	if err != nil || got != root || mp != "example.com/m" {
		t.Errorf("Enclosing = %q, %q, %v; want %q, example.com/m", got, mp, err, root)
	}
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("go 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Enclosing(root); err == nil {
		t.Error("a go.mod without a module line was accepted")
	}
	if r, err := Root(root); err != nil || r != root {
		t.Errorf("Root = %q, %v; want the folder of any go.mod", r, err)
	}
}

func TestModuleLine(t *testing.T) {
	for in, want := range map[string]string{
		"module example.com/a\n":            "example.com/a",
		"module\texample.com/b // note\n":   "example.com/b",
		"modules x\nmodule c\n":             "c",
		"go 1.26\n":                         "",
		"// module example.com/commented\n": "",
	} {
		if got := moduleLine([]byte(in)); got != want {
			t.Errorf("moduleLine(%q) = %q, want %q", in, got, want)
		}
	}
	if _, err := Root("/"); err != nil && !errors.Is(err, ErrNoModule) {
		t.Errorf("Root(/) = %v, want a module or ErrNoModule", err)
	}
}
