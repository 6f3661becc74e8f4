package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOneGoGenerateWhenAStepGoes is the CI gate after a step is removed or
// renamed in the notebook: the step's file goes, and one `go generate ./...`
// must succeed, although the go command listed that file before zengen ran
// and reads every listed file for directives after it (golang/go#36068).
// The tree it leaves must pass check, build, and stay as it is under a
// second go generate.
func TestOneGoGenerateWhenAStepGoes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds zengen and the generated package in a user module; skipped with -short")
	}
	const marker = "    \"//zen:step evaluate\\n\",\n    \"//zen:metric accuracy\\n\",\n"
	for _, c := range []struct {
		name, edit string
		want       string // the step file the edit makes, if any
	}{
		// Without its markers the evaluate cell joins the train step.
		{name: "removed", edit: ""},
		{name: "renamed", edit: "    \"//zen:step score\\n\",\n    \"//zen:metric accuracy\\n\",\n", want: "churn/step_score_zen.go"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := userModule(t, "go tool zengen")
			userGo(t, dir, "generate", "./...")
			userGo(t, dir, "mod", "tidy")

			notebook := filepath.Join(dir, "churn.ipynb")
			before, err := os.ReadFile(notebook)
			if err != nil {
				t.Fatal(err)
			}
			edited := strings.Replace(string(before), marker, c.edit, 1)
			if edited == string(before) {
				t.Fatal("churn.ipynb no longer marks an evaluate step")
			}
			writeFile(t, notebook, edited)

			if out, status := goIn(t, dir, "generate", "./..."); status != 0 {
				t.Fatalf("go generate after the evaluate step %s: exit %d\n%s", c.name, status, out)
			}
			if _, err := os.Stat(filepath.Join(dir, "churn", "step_evaluate_zen.go")); err == nil {
				t.Error("go generate left churn/step_evaluate_zen.go, the file of a step the notebook no longer has")
			}
			if c.want != "" {
				if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(c.want))); err != nil {
					t.Errorf("go generate did not write the renamed step's file: %v", err)
				}
			}
			if out, status := goIn(t, dir, "tool", "zengen", "check", "churn.ipynb", "-o", "churn"); status != exitOK || out != "" {
				t.Errorf("check after one go generate: exit %d\n%s", status, out)
			}
			userGo(t, dir, "build", "./...")
			userGo(t, dir, "vet", "./...")
			generated := readTree(t, dir)
			userGo(t, dir, "generate", "./...")
			if files := changedFiles(generated, readTree(t, dir)); len(files) > 0 {
				t.Errorf("a second go generate changed %v", files)
			}
		})
	}
}
