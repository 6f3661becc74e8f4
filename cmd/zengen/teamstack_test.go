package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zengen-dev/zengen/internal/proctest"
	"github.com/zengen-dev/zengen/internal/servertest"
)

// TestGeneratedPipelineOnATeamStack generates a pipeline with --stack and
// runs it on PostgreSQL and S3: a run, a fully cached run, cat and the
// stack check. Generated without --stack, the command refuses the team
// stack and says how to link it; a file of the user's that imports the
// team stores links them too.
func TestGeneratedPipelineOnATeamStack(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated command; skipped with -short")
	}
	dsn := servertest.Postgres(t)
	_, store := servertest.S3Bucket(t)
	out := filepath.Join(t.TempDir(), "sums")
	args := []string{caseNotebook(t, "auto_cells"), "-o", out, "--module", "example.com/sums", "--runtime-replace", repoRoot}
	if status, _, stderr := runZengen(t, append([]string{"generate"}, args...)...); status != exitOK {
		t.Fatalf("generate: exit %d\n%s", status, stderr)
	}
	bin := filepath.Join(t.TempDir(), "sums")
	if output, err := goCommand(t, out, "build", "-o", bin, "./cmd/sums"); err != nil {
		t.Fatalf("go build: %v\n%s", err, output)
	}
	team := []string{"--db", dsn, "--store", store, "--home", filepath.Join(t.TempDir(), "home")}
	run := func(bin string, args ...string) (string, error) {
		cmd := proctest.Command(t, bin, append(args, team...)...)
		b, err := cmd.CombinedOutput()
		return string(b), err
	}
	if got, err := run(bin, "run"); err == nil || !strings.Contains(got, `import _ "github.com/zengen-dev/zengen/runtime/teamstack"`) {
		t.Errorf("a command without the team stores: %v\n%s", err, got)
	}

	if status, _, stderr := runZengen(t, append([]string{"generate", "--stack"}, args...)...); status != exitOK {
		t.Fatalf("generate --stack: exit %d\n%s", status, stderr)
	}
	if output, err := goCommand(t, out, "build", "-o", bin, "./cmd/sums"); err != nil {
		t.Fatalf("go build with the team stores: %v\n%s", err, output)
	}
	if got, err := run(bin, "run"); err != nil {
		t.Fatalf("run on the team stack: %v\n%s", err, got)
	}
	if got, err := run(bin, "run"); err != nil || strings.Count(got, "cached") < 3 {
		t.Errorf("second run, every step cached: %v\n%s", err, got)
	}
	if got, err := run(bin, "stack"); err != nil || strings.Count(got, "ok:") != 2 {
		t.Errorf("stack: %v\n%s", err, got)
	}
	if got, err := run(bin, "cat", "latest", "cell_4.mean"); err != nil || strings.TrimSpace(got) != "3.875" {
		t.Errorf("cat: %v\n%s", err, got)
	}
	// A file of the user's beside main_zen.go links them as well, and
	// generate without --stack leaves it alone.
	link := "package main\n\nimport _ \"github.com/zengen-dev/zengen/runtime/teamstack\"\n"
	if err := os.WriteFile(filepath.Join(out, "cmd", "sums", "stack.go"), []byte(link), 0o644); err != nil {
		t.Fatal(err)
	}
	if status, _, stderr := runZengen(t, append([]string{"generate"}, args...)...); status != exitOK {
		t.Fatalf("generate again: exit %d\n%s", status, stderr)
	}
	if output, err := goCommand(t, out, "build", "-o", bin, "./cmd/sums"); err != nil {
		t.Fatalf("go build with the user's file: %v\n%s", err, output)
	}
	if got, err := run(bin, "stack"); err != nil || strings.Count(got, "ok:") != 2 {
		t.Errorf("stack with the user's file: %v\n%s", err, got)
	}
}
