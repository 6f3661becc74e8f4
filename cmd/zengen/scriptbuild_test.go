package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// scratchScript is a percent script of REPL code, as a scratch file in a
// module is written: not a Go file the go command can compile.
const scratchScript = `// %%
import "fmt"

// %% tags=["step:hello"]
fmt.Println("hello")
`

// TestScriptThatBreaksTheBuildWarns is a percent script dropped into a
// module's package folder without //go:build ignore: generate succeeds but
// warns with the fix, the module's go build fails as the warning says, and
// with the line added the warning goes and the build passes. Where go build
// does not look (testdata) there is nothing to say.
func TestScriptThatBreaksTheBuildWarns(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go build in a scratch module; skipped with -short")
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "go.mod"), "module example.com/lab\n\ngo 1.26\n")
	writeFile(t, filepath.Join(dir, "lab.go"), "package lab\n")
	script := filepath.Join(dir, "scratch.go")
	writeFile(t, script, scratchScript)

	status, _, stderr := runZengen(t, "generate", script, "-o", filepath.Join(dir, "hello"))
	want := script + ": warning: this script is in package lab's folder and has no //go:build ignore line; go build ./... will compile it: add //go:build ignore as its first line\n"
	if status != exitOK || stderr != want {
		t.Fatalf("generate of a script in a package folder: exit %d, stderr\n%s\nwant exit 0 and\n%s", status, stderr, want)
	}
	if out, status := goIn(t, dir, "build", "."); status == 0 {
		t.Fatalf("go build of the folder with the script passed, so the warning is wrong:\n%s", out)
	}

	writeFile(t, script, "//go:build ignore\n\n"+scratchScript)
	if status, _, stderr := runZengen(t, "generate", script, "-o", filepath.Join(dir, "hello")); status != exitOK || stderr != "" {
		t.Errorf("generate after the fix: exit %d, stderr %q; want exit 0 and no warning", status, stderr)
	}
	userGo(t, dir, "build", ".")

	kept := filepath.Join(dir, "testdata", "scratch.go")
	writeFile(t, kept, scratchScript)
	if status, _, stderr := runZengen(t, "generate", kept, "-o", filepath.Join(dir, "kept")); status != exitOK || strings.Contains(stderr, "warning") {
		t.Errorf("generate of a script under testdata: exit %d, stderr %q; want no warning", status, stderr)
	}
}
