package main

import (
	"database/sql"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/zengen-dev/zengen/internal/gomodtest"
	"github.com/zengen-dev/zengen/internal/proctest"
)

// TestCatRefusesAChangedType runs a notebook whose step stores a struct,
// renames a field of the struct, regenerates and rebuilds into the same
// store and runs again. The new binary shows the new run's value, but
// refuses the first run's: decoded by the renamed type, its bytes gave
// X's value to Z, and cat printed {"Z": 1, "Y": 2}, a value the notebook
// never computed. --raw still writes the stored bytes; a record from
// before type hashes is decoded with a note that it could not be checked.
func TestCatRefusesAChangedType(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated pipeline twice; skipped with -short")
	}
	module := gomodtest.Module(t, "example.com/typechange")
	notebook := filepath.Join(t.TempDir(), "points.ipynb")
	out := filepath.Join(module, "points")
	bin := filepath.Join(t.TempDir(), "points")
	home := t.TempDir()
	build := func(cells ...string) {
		t.Helper()
		writeFile(t, notebook, ipynb(t, cells))
		if status, _, stderr := runZengen(t, "generate", notebook, "-o", out); status != exitOK {
			t.Fatalf("generate: exit %d\n%s", status, stderr)
		}
		if output, err := goCommand(t, module, "build", "-o", bin, "./points/cmd/points"); err != nil {
			t.Fatalf("go build: %v\n%s", err, output)
		}
		if output, err := runBinary(t, bin, "run", "--home", home); err != nil {
			t.Fatalf("run: %v\n%s", err, output)
		}
	}
	latestRun := func() string {
		t.Helper()
		output, err := runBinary(t, bin, "runs", "--json", "--home", home)
		var runs []struct{ ID string }
		if err != nil || json.Unmarshal([]byte(output), &runs) != nil || len(runs) == 0 {
			t.Fatalf("runs --json: %v\n%s", err, output)
		}
		return runs[0].ID
	}
	// cat runs the binary's cat and returns its stdout, stderr and exit
	// status.
	cat := func(args ...string) (string, string, int) {
		t.Helper()
		cmd := proctest.Command(t, bin, append(append([]string{"cat"}, args...), "--home", home)...)
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		status := 0
		if ee, ok := err.(*exec.ExitError); ok {
			status = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return stdout.String(), stderr.String(), status
	}

	build("type Point struct {\n\tX, Y int\n}", "//zen:step make\n//zen:output p\np := Point{X: 1, Y: 2}")
	first := latestRun()
	if stdout, stderr, status := cat(first, "make.p"); status != 0 || !strings.Contains(stdout, `"X": 1`) || stderr != "" {
		t.Fatalf("cat of a run of today's type: exit %d\n%s\n%s", status, stdout, stderr)
	}
	build("type Point struct {\n\tZ, Y int\n}", "//zen:step make\n//zen:output p\np := Point{Z: 5, Y: 2}")
	second := latestRun()
	if second == first {
		t.Fatal("the second build did not run anew")
	}

	stdout, stderr, status := cat(second, "make.p")
	if status != 0 || !strings.Contains(stdout, `"Z": 5`) || stderr != "" {
		t.Errorf("cat of the new run: exit %d\n%s\n%s", status, stdout, stderr)
	}
	stdout, stderr, status = cat(first, "make.p")
	t.Logf("cat %s make.p: exit %d\nstdout: %s\nstderr: %s", first, status, stdout, stderr)
	for _, want := range []string{"make.p of run " + first, "Point that has changed since that run", "--raw --output FILE", "binary built from that run's code"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("cat of the first run does not say %q:\n%s", want, stderr)
		}
	}
	if status != 1 || stdout != "" {
		t.Errorf("cat of the first run: exit %d, printed %q; want exit 1 and nothing printed", status, stdout)
	}
	if _, _, status := cat(first, "make.p", "--output", filepath.Join(t.TempDir(), "p.txt")); status != 1 {
		t.Errorf("cat --output of the first run decoded it: exit %d", status)
	}
	raw := filepath.Join(t.TempDir(), "p.bin")
	if _, stderr, status := cat(first, "make.p", "--raw", "--output", raw); status != 0 {
		t.Errorf("cat --raw of the first run: exit %d\n%s", status, stderr)
	} else if b, err := os.ReadFile(raw); err != nil || len(b) == 0 {
		t.Errorf("cat --raw wrote %d bytes (%v)", len(b), err)
	}

	// A store written before type hashes holds '' for every output.
	db, err := sql.Open("sqlite", filepath.Join(home, "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE step_outputs SET type_hash = ''`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	stdout, stderr, status = cat(second, "make.p")
	if status != 0 || !strings.Contains(stdout, `"Z": 5`) || !strings.Contains(stderr, "could not be checked") {
		t.Errorf("cat of a record without a type hash: exit %d\nstdout: %s\nstderr: %s\nwant the value and a note that the type could not be checked", status, stdout, stderr)
	}
}
