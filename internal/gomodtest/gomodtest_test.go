package gomodtest

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestRootIsTheCheckout checks that Root, called from this package's
// folder, finds the checkout that holds it.
func TestRootIsTheCheckout(t *testing.T) {
	here, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := Root(t), filepath.Dir(filepath.Dir(here)); got != want {
		t.Errorf("Root = %s, want %s", got, want)
	}
	if _, err := os.Stat(filepath.Join(Root(t), "internal", "gomodtest", "gomodtest.go")); err != nil {
		t.Error(err)
	}
}

// TestOnlyTestsImportIt checks the package's promise: no package of the
// module imports it outside its tests.
func TestOnlyTestsImportIt(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list on the module")
	}
	out, err := Go(t, Root(t), nil, "list", "-f", `{{.ImportPath}}: {{join .Imports " "}}`, "./...")
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, line := range strings.Split(out, "\n") {
		pkg, imports, _ := strings.Cut(line, ": ")
		if slices.Contains(strings.Fields(imports), ModulePath+"/internal/gomodtest") {
			t.Errorf("%s imports gomodtest outside its tests", pkg)
		}
	}
}
