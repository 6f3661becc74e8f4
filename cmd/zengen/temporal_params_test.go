package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zengen-dev/zengen/internal/proctest"
	"github.com/zengen-dev/zengen/internal/servertest"
)

// With --temporal, a param named like a flag of the Temporal run or
// schedule command is refused at generate time, at its position, as a
// param named like a local run flag is; without --temporal the names are
// free.
func TestTemporalFlagNamesRefusedAsParams(t *testing.T) {
	script := filepath.Join(t.TempDir(), "clash.go")
	src := "// %% tags=[\"parameters\"]\norchestrator := \"a\"\ntask_queue := \"q\"\ndetach := false\ncron := \"\"\nepochs := 3\n\n" +
		"// %%\nimport \"fmt\"\n\n// %% tags=[\"step:a\"]\nfmt.Println(orchestrator, task_queue, detach, cron, epochs)\n"
	if err := os.WriteFile(script, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	status, _, stderr := runZengen(t, "generate", script, "-o", filepath.Join(out, "with"), "--module", "example.com/clash", "--runtime-replace", repoRoot, "--temporal")
	want := []string{
		"clash.go:2:1: parameter orchestrator would be the flag --orchestrator, which the run command of a command generated with --temporal has already",
		"clash.go:3:1: parameter task_queue would be the flag --task-queue, which the run command",
		"clash.go:4:1: parameter detach would be the flag --detach, which the run command",
		"clash.go:5:1: parameter cron would be the flag --cron, which the schedule command of a command generated with --temporal has already",
		"hint: rename the parameter; with --temporal the run command also has --orchestrator, --temporal, --namespace, --task-queue, --detach",
	}
	for _, w := range want {
		if status != exitFindings || !strings.Contains(stderr, w) {
			t.Errorf("generate --temporal: exit %d, stderr lacks %q:\n%s", status, w, stderr)
		}
	}
	if strings.Contains(stderr, "epochs") {
		t.Errorf("generate --temporal refuses epochs:\n%s", stderr)
	}
	if status, _, stderr := runZengen(t, "generate", script, "-o", filepath.Join(out, "without"), "--module", "example.com/clash", "--runtime-replace", repoRoot); status != exitOK {
		t.Errorf("generate without --temporal: exit %d\n%s", status, stderr)
	}
}

// A command generated with --temporal schedules runs of its pipeline: a
// worker process runs each firing, recorded with the schedule's params,
// and show reads it like any run.
func TestTemporalScheduleFiresOnAWorkerProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated command and starts a Temporal server; skipped with -short")
	}
	srv := servertest.StartTemporal(t)
	script := filepath.Join(t.TempDir(), "nightly.go")
	src := "//go:build ignore\n\n// %% tags=[\"parameters\"]\nepochs := 3\nlabel := \"x\"\n\n// %%\nimport \"fmt\"\n\n" +
		"// %% tags=[\"step:train\"]\nscore := epochs * 2\nfmt.Println(label, score)\n"
	if err := os.WriteFile(script, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := temporalBinary(t, script, "nightly")
	env := []string{"ZEN_TEMPORAL=" + srv.HostPort, "ZEN_HOME=" + filepath.Join(t.TempDir(), "home")}
	startWorker(t, bin, env)
	cmd := proctest.Command(t, bin, "schedule", "create", "often", "--every", "1s", "--epochs", "5")
	cmd.Env = append(os.Environ(), env...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("schedule create: %v\n%s", err, b)
	}
	t.Cleanup(func() {
		del := proctest.Command(t, bin, "schedule", "delete", "often")
		del.Env = append(os.Environ(), env...)
		del.Run()
	})
	deadline := time.Now().Add(time.Minute)
	for {
		show := proctest.Command(t, bin, "show", "--json", "latest")
		show.Env = append(os.Environ(), env...)
		b, _ := show.Output()
		var s struct {
			Run struct {
				Status, Orchestrator string
				Params               map[string]any
			}
		}
		if json.Unmarshal(b, &s) == nil && s.Run.Status == "succeeded" {
			if s.Run.Params["epochs"] != 5.0 || s.Run.Params["label"] != "x" || !strings.HasSuffix(s.Run.Orchestrator, "?schedule=often") {
				t.Errorf("scheduled run: %+v; want epochs 5, label x, started by schedule often", s.Run)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no scheduled run succeeded within a minute:\n%s", b)
		}
		time.Sleep(300 * time.Millisecond)
	}
}
