package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/zengen-dev/zengen/internal/gomodtest"
)

// The name tests check one promise: when generate exits 0, the package it
// wrote builds, vets and its command starts (`run --help`, `run -h` and
// `run` exit 0); when it does not, every error it prints is positioned.
// Building is what costs, so a nameCheck generates many scripts into one
// scratch module, vets it once and starts every pipeline from one driver
// binary, which calls the runtime's Exec as each generated main does.

// nameCheck is a scratch module that collects generated pipelines.
type nameCheck struct {
	t      *testing.T
	module string   // folder of the scratch module
	dirs   []string // folders of generated packages, relative to module
	labels []string // what each package stands for, for messages
	// attempts counts generate calls, which name the folders.
	attempts int
}

const nameCheckModule = "example.com/zgnames"

func newNameCheck(t *testing.T) *nameCheck {
	t.Helper()
	return &nameCheck{t: t, module: gomodtest.Module(t, nameCheckModule)}
}

// positionedIn matches the first line of an error about script.go: the
// file, a line and optionally a column.
func positionedIn(script string) *regexp.Regexp {
	return regexp.MustCompile(`^` + regexp.QuoteMeta(script) + `:\d+(:\d+)?: \S`)
}

// generate writes script as a percent-format notebook and generates it
// into a new package of the module. It returns whether generate exited 0
// and, if not, its errors; an error without a position fails the test.
func (nc *nameCheck) generate(label, script string) (ok bool, errs []string) {
	t := nc.t
	t.Helper()
	nc.attempts++
	dir := fmt.Sprintf("p%d", nc.attempts)
	nbDir := t.TempDir()
	nb := filepath.Join(nbDir, "names.go")
	if err := os.WriteFile(nb, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	status, _, stderr := runZengen(t, "generate", nb, "-o", filepath.Join(nc.module, dir))
	if status == exitOK {
		nc.dirs = append(nc.dirs, dir)
		nc.labels = append(nc.labels, label)
		return true, nil
	}
	// A failed generate may leave files behind; they must not reach vet.
	if err := os.RemoveAll(filepath.Join(nc.module, dir)); err != nil {
		t.Fatal(err)
	}
	if status != exitFindings {
		t.Errorf("%s: generate exit %d, want %d or %d\n%s", label, status, exitOK, exitFindings, stderr)
	}
	re := positionedIn(nb)
	lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
	for i, line := range lines {
		if strings.HasPrefix(line, "\t") {
			continue // a hint
		}
		if !re.MatchString(line) || strings.Contains(line, "panic") || strings.Contains(line, "goroutine ") {
			t.Errorf("%s: generate printed an error without a position (%d lines in all):\n%s", label, len(lines), strings.Join(lines[i:min(i+3, len(lines))], "\n"))
			return false, nil
		}
		errs = append(errs, strings.TrimPrefix(line, nb+":"))
	}
	return false, errs
}

// driverResult is what the driver reports about one command of one
// pipeline.
type driverResult struct {
	Pkg    int    `json:"pkg"`
	Args   string `json:"args"`
	Code   int    `json:"code"`
	Output string `json:"output"`
}

// verify vets every generated package and starts each pipeline.
func (nc *nameCheck) verify() {
	t := nc.t
	t.Helper()
	if len(nc.dirs) == 0 {
		t.Fatal("no package was generated")
	}
	if out, err := goCommand(t, nc.module, "vet", "./..."); err != nil {
		t.Fatalf("go vet ./... of the generated packages (%s): %v\n%s", strings.Join(nc.labels, "; "), err, out)
	}
	var imports, pipelines strings.Builder
	for i, dir := range nc.dirs {
		fmt.Fprintf(&imports, "\tp%d %q\n", i, nameCheckModule+"/"+dir)
		fmt.Fprintf(&pipelines, "\t\tp%d.Pipeline,\n", i)
	}
	writeFile(t, filepath.Join(nc.module, "zgdriver", "main.go"), fmt.Sprintf(driverSource, imports.String(), pipelines.String()))
	out, err := goCommand(t, nc.module, "run", "./zgdriver", t.TempDir())
	if err != nil {
		t.Fatalf("driver: %v\n%s", err, out)
	}
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var r driverResult
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("driver printed %q: %v\n%s", line, err, out)
		}
		seen++
		if r.Code != 0 {
			t.Errorf("%s: %s exits %d:\n%s", nc.labels[r.Pkg], r.Args, r.Code, r.Output)
		}
	}
	if want := 3 * len(nc.dirs); seen != want {
		t.Errorf("driver reported %d commands, want %d:\n%s", seen, want, out)
	}
}

// driverSource runs `run --help`, `run -h` and `run` of every pipeline in
// one process, each run in a store of its own under os.Args[1], and prints
// one JSON line per command. A panic is reported as exit status -1.
const driverSource = `package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	zen "github.com/zengen-dev/zengen/runtime"
%s)

func main() {
	for i, pipeline := range []func() *zen.Pipeline{
%s	} {
		home := filepath.Join(os.Args[1], fmt.Sprint(i))
		for _, args := range [][]string{{"run", "--help"}, {"run", "-h"}, {"run", "--home", home}} {
			code, out := exec(pipeline, args)
			line, _ := json.Marshal(map[string]any{"pkg": i, "args": fmt.Sprint(args[:min(len(args), 2)]), "code": code, "output": out})
			fmt.Println(string(line))
		}
	}
}

func exec(pipeline func() *zen.Pipeline, args []string) (code int, out string) {
	var b bytes.Buffer
	defer func() {
		if r := recover(); r != nil {
			code, out = -1, fmt.Sprintf("%%s\npanic: %%v", b.String(), r)
		}
	}()
	code = zen.Exec(context.Background(), pipeline(), args, &b, &b)
	return code, b.String()
}
`
