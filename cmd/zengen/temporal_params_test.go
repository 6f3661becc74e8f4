package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
