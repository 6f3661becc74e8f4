package engine_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zengen-dev/zengen/runtime/internal/engine"
)

// project makes a module directory holding zen.yaml with text (none when
// empty) and changes into its subdirectory sub.
func project(t *testing.T, text string) string {
	root := t.TempDir()
	os.WriteFile(filepath.Join(root, "go.mod"), []byte("module x\n"), 0o644)
	if text != "" {
		os.WriteFile(filepath.Join(root, engine.StackFile), []byte(text), 0o644)
	}
	sub := filepath.Join(root, "cmd", "x")
	os.MkdirAll(sub, 0o755)
	t.Chdir(sub)
	for _, v := range []string{"ZEN_STORE", "ZEN_DB", "ZEN_STACK", "ZEN_HOME"} {
		t.Setenv(v, "")
	}
	return root
}

const twoStacks = `default: team
stacks:
  team:
    store: s3://team-artifacts?region=eu-west-1
    db: postgres://zen@db.example/zen
  ci:
    db: postgres://ci@db.example/ci
`

func TestStackChoice(t *testing.T) {
	project(t, twoStacks)
	b := engine.ChooseStack(engine.StackFlags{})
	if b.Err != nil || b.StackName != "team" || b.Store != "s3://team-artifacts?region=eu-west-1" || b.DB != "postgres://zen@db.example/zen" {
		t.Fatalf("the default stack: %+v", b)
	}
	if !strings.Contains(b.DBFrom, "zen.yaml (stack team)") {
		t.Errorf("DBFrom %q does not name the file and stack", b.DBFrom)
	}

	t.Setenv("ZEN_STACK", "ci")
	b = engine.ChooseStack(engine.StackFlags{})
	if b.StackName != "ci" || b.DB != "postgres://ci@db.example/ci" || b.Store != "" {
		t.Errorf("$ZEN_STACK=ci: %+v; want ci's db and the local artifacts", b)
	}

	t.Setenv("ZEN_DB", "postgres://env@db.example/env")
	t.Setenv("ZEN_STORE", "s3://env-bucket")
	b = engine.ChooseStack(engine.StackFlags{Store: "s3://flag-bucket"})
	if b.Store != "s3://flag-bucket" || b.StoreFrom != "--store" || b.DB != "postgres://env@db.example/env" || b.DBFrom != "$ZEN_DB" {
		t.Errorf("flag and variables over the stack: %+v", b)
	}

	t.Setenv("ZEN_STACK", "nightly")
	b = engine.ChooseStack(engine.StackFlags{})
	if b.Err == nil || !strings.Contains(b.Err.Error(), `stack "nightly" ($ZEN_STACK) is not in `) || !strings.Contains(b.Err.Error(), "names: ci, team") {
		t.Errorf("an unknown stack: %v", b.Err)
	}
}

func TestNoStackFileMeansLocal(t *testing.T) {
	root := project(t, "")
	// A zen.yaml above the module root belongs to another project.
	os.WriteFile(filepath.Join(filepath.Dir(root), engine.StackFile), []byte(twoStacks), 0o644)
	b := engine.ChooseStack(engine.StackFlags{Home: "h"})
	if b.Err != nil || b.Team() || b.Home != "h" {
		t.Errorf("no zen.yaml in the module: %+v", b)
	}
	t.Setenv("ZEN_STACK", "team")
	if b := engine.ChooseStack(engine.StackFlags{}); b.Err == nil || !strings.Contains(b.Err.Error(), "there is no zen.yaml") {
		t.Errorf("$ZEN_STACK without zen.yaml: %v", b.Err)
	}
}

func TestStackFileRefusesCredentials(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"stacks:\n  t:\n    db: postgres://zen:hunter2@db/zen\n", "the db DSN holds a password"},
		{"stacks:\n  t:\n    db: host=db user=zen password=hunter2\n", "the db DSN holds a password"},
		{"stacks:\n  t:\n    store: s3://AKIA:hunter2@bucket\n", "the store URL holds credentials"},
		{"stacks:\n  t:\n    stor: s3://bucket\n", "field stor not found"},
		{"default: x\nstacks:\n  t:\n    store: s3://b\n", `default stack "x" is not among its stacks`},
		{"stacks:\n  t: {}\n", "names neither a store nor a db"},
	} {
		project(t, c.text)
		b := engine.ChooseStack(engine.StackFlags{})
		if b.Err == nil || !strings.Contains(b.Err.Error(), c.want) || strings.Contains(b.Err.Error(), "hunter2") {
			t.Errorf("%q: %v; want %q", c.text, b.Err, c.want)
		}
	}
	project(t, "")
	b := engine.ChooseStack(engine.StackFlags{DB: "postgres://zen:hunter2@db/zen"})
	if b.Err == nil || !strings.Contains(b.Err.Error(), "--db holds a password") {
		t.Errorf("--db with a password: %v", b.Err)
	}
}

// TestTeamStoreNeedsTheDrivers: a binary that does not link
// runtime/teamstack refuses a team store and says how to link it.
func TestTeamStoreNeedsTheDrivers(t *testing.T) {
	project(t, "")
	for _, f := range []engine.StackFlags{{Home: t.TempDir(), Store: "s3://bucket"}, {Home: t.TempDir(), DB: "postgres://zen@db/zen"}} {
		_, err := engine.ChooseStack(f).OpenStore(t.Context())
		if err == nil || !strings.Contains(err.Error(), `import _ "github.com/zengen-dev/zengen/runtime/teamstack"`) {
			t.Errorf("%+v: %v", f, err)
		}
	}
}

func TestRedactDSN(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://zen:hunter2@db:5432/zen?sslmode=disable": "postgres://zen@db:5432/zen?sslmode=disable",
		"postgres://db/zen?password=hunter2":                 "postgres://db/zen?password=REDACTED",
		"host=db password='hunter 2' user=zen":               "host=db password=REDACTED user=zen",
	} {
		if got := engine.RedactDSN(in); got != want {
			t.Errorf("RedactDSN(%q) = %q, want %q", in, got, want)
		}
	}
}
