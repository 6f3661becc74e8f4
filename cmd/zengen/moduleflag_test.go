package main

import (
	"strings"
	"testing"
)

// TestModuleFlagMustBeAModulePath: --module becomes go.mod's module line,
// so a value with a line break would add go.mod statements of its own.
func TestModuleFlagMustBeAModulePath(t *testing.T) {
	for _, bad := range []string{"example.com/x\nreplace example.com/y => ../y", "a b", `"quoted"`, "x//comment"} {
		status, stdout, stderr := runZengen(t, "generate", "nb.ipynb", "--module", bad)
		if status != exitUsage || stdout != "" || !strings.Contains(stderr, "is not a module path") {
			t.Errorf("--module %q: exit %d, stdout %q, stderr %q; want a usage error", bad, status, stdout, stderr)
		}
	}
}
