package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/zengen-dev/zengen/internal/gomodtest"
	"github.com/zengen-dev/zengen/internal/proctest"
)

// readmeBlock returns the first ```sh block of the README that holds
// marker, so that a test runs the commands as the README words them.
func readmeBlock(t *testing.T, marker string) string {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join(gomodtest.Root(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile("(?ms)^```sh\n(.*?)^```$").FindAllStringSubmatch(string(readme), -1) {
		if strings.Contains(m[1], marker) {
			return m[1]
		}
	}
	t.Fatalf("README.md has no sh block with %q", marker)
	return ""
}

// TestInstallingFromACheckout runs the README's `go install` from a
// checkout and the installed command.
func TestInstallingFromACheckout(t *testing.T) {
	if testing.Short() {
		t.Skip("builds zengen; skipped with -short")
	}
	const install = "go install ./cmd/zengen"
	if block := readmeBlock(t, install); !strings.Contains(block, "zengen version") {
		t.Errorf("the README's install block does not run the installed command:\n%s", block)
	}
	bin := t.TempDir()
	// GOFLAGS overrides a -buildvcs=false in the machine's go env, so the
	// binary records the checkout's revision as a user's install would.
	env := []string{"GOBIN=" + bin, "GOFLAGS=-buildvcs=true"}
	if out, err := gomodtest.Go(t, gomodtest.Root(t), env, strings.Fields(install)[1:]...); err != nil {
		t.Fatalf("%s: %v\n%s", install, err, out)
	}
	out, err := proctest.Command(t, filepath.Join(bin, "zengen"), "version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "zengen ") {
		t.Errorf("the installed zengen version: %v\n%s", err, out)
	}
	// A checkout's version is "(devel)"; the revision says which code it
	// is. Go stamps a revision only where .git is a directory: a linked
	// worktree's .git is a file (golang/go#58218), and there the command
	// must say that it has no revision rather than print none.
	want := "\nbuilt from a checkout; no revision recorded"
	if fi, err := os.Stat(filepath.Join(gomodtest.Root(t), ".git")); err == nil && fi.IsDir() {
		head, err := proctest.Command(t, "git", "-C", gomodtest.Root(t), "rev-parse", "HEAD").Output()
		if err != nil {
			t.Fatalf("git rev-parse HEAD: %v", err)
		}
		want = "\nbuilt from a checkout at revision " + strings.TrimSpace(string(head))
	}
	if !strings.Contains(string(out), want) {
		t.Errorf("the installed zengen version does not say %q:\n%s", want, out)
	}
}

// TestToolInAModuleBeforeZengenIsPublished runs the README's recipe for
// using zengen in one's own module while `go get -tool …@latest` cannot
// find it: in a fresh module, with ZENGEN naming this checkout, the
// commands of the README's block must leave go.mod's require, replace and
// tool lines and run `go tool zengen version`.
func TestToolInAModuleBeforeZengenIsPublished(t *testing.T) {
	if testing.Short() {
		t.Skip("builds zengen in a user module; skipped with -short")
	}
	block := readmeBlock(t, "-tool=github.com/zengen-dev/zengen/cmd/zengen")
	var script []string
	for _, line := range strings.Split(block, "\n") {
		// The README sets ZENGEN to an example path; the test sets it to
		// this checkout, from the module it starts in.
		if !strings.HasPrefix(line, "ZENGEN=") && !strings.HasPrefix(line, "cd ") {
			script = append(script, line)
		}
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "go.mod"), "module example.com/research\n\ngo "+goVersionLine(t)+"\n")
	cmd := proctest.Command(t, "sh", "-e", "-c", strings.Join(script, "\n"))
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-buildvcs=false", "ZENGEN="+gomodtest.Root(t))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the README's recipe failed: %v\n%s\n%s", err, block, out)
	}
	if !regexp.MustCompile(`(?m)^zengen \S+ \S+/\S+ go`).Match(out) {
		t.Errorf("the recipe's go tool zengen version printed:\n%s", out)
	}
	if want := "\nbuilt from a replace: " + gomodtest.ModulePath + " v0.0.0 => " + gomodtest.Root(t) + "\n"; !strings.Contains(string(out), want) {
		t.Errorf("the recipe's go tool zengen version does not say %q:\n%s", want, out)
	}
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	// go mod tidy moves the requirement into the require block.
	for _, want := range []string{
		`(?m)^(require |\t)` + regexp.QuoteMeta(gomodtest.ModulePath+" v0.0.0") + `( //.*)?$`,
		`(?m)^replace ` + regexp.QuoteMeta(gomodtest.ModulePath+" => "+gomodtest.Root(t)) + `$`,
		`(?m)^tool ` + regexp.QuoteMeta(gomodtest.ModulePath+"/cmd/zengen") + `$`,
	} {
		if !regexp.MustCompile(want).Match(gomod) {
			t.Errorf("go.mod after the recipe does not match %s:\n%s", want, gomod)
		}
	}
}
