package engine

import (
	"os"
	"path/filepath"
	"testing"
)

// TestModuleRootPassesOverOtherModules finds the binary's module above a
// nested module the shell is in, and nothing outside it.
func TestModuleRootPassesOverOtherModules(t *testing.T) {
	root := t.TempDir()
	nested := filepath.Join(root, "tools", "sub")
	if err := os.MkdirAll(nested, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(dir, text string) {
		if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(root, "// the project\nmodule \"example.com/project\"\n\ngo 1.26\n")
	write(nested, "module example.com/tools\n")
	for _, c := range []struct{ dir, module, want string }{
		{nested, "example.com/project", root},
		{nested, "example.com/tools", nested},
		{filepath.Join(root, "tools"), "example.com/project", root},
		{nested, "example.com/elsewhere", ""},
		{nested, "", ""},
	} {
		if got := moduleRoot(c.dir, c.module); got != c.want {
			t.Errorf("moduleRoot(%s, %q) = %q, want %q", c.dir, c.module, got, c.want)
		}
	}
}
