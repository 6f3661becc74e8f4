package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zengen-dev/zengen/internal/gomodtest"
	"github.com/zengen-dev/zengen/internal/proctest"
	"github.com/zengen-dev/zengen/internal/servertest"
)

// slowScript is a pipeline whose middle step sleeps far longer than any
// test waits, ignoring cancellation as notebook code usually does.
const slowScript = `//go:build ignore

// %%
import (
	"fmt"
	"time"
)

// %% tags=["step:load"]
n := 3
fmt.Println("loaded", n)

// %% tags=["step:slow"]
fmt.Println("slow started")
time.Sleep(10 * time.Minute)
m := n * 2

// %% tags=["step:report"]
fmt.Println("m =", m)
`

// TestCancelARunFromAnotherProcess builds a generated pipeline, starts a
// run of it, and cancels the run with the binary's cancel command from a
// second process once the slow step runs: on the embedded store and on a
// team stack (PostgreSQL and S3). The run stops within moments, exits as
// an interrupted run does, and runs and show say it was cancelled.
func TestCancelARunFromAnotherProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs generated pipelines; skipped with -short")
	}
	t.Run("embedded", func(t *testing.T) {
		t.Parallel()
		bin := buildSlowPipeline(t)
		cancelWhileRunning(t, bin, "--home", filepath.Join(t.TempDir(), "home"))
	})
	t.Run("team", func(t *testing.T) {
		t.Parallel()
		dsn := servertest.Postgres(t)
		_, store := servertest.S3Bucket(t)
		bin := buildSlowPipeline(t, "--stack")
		cancelWhileRunning(t, bin, "--db", dsn, "--store", store, "--home", filepath.Join(t.TempDir(), "home"))
	})
}

// buildSlowPipeline generates slowScript with flags and builds its command.
func buildSlowPipeline(t *testing.T, flags ...string) string {
	t.Helper()
	module := gomodtest.Module(t, "example.com/slow")
	script := filepath.Join(module, "slow.go")
	if err := os.WriteFile(script, []byte(slowScript), 0o644); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"generate", script, "-o", filepath.Join(module, "pipeline")}, flags...)
	if status, _, stderr := runZengen(t, args...); status != exitOK {
		t.Fatalf("generate: exit %d\n%s", status, stderr)
	}
	bin := filepath.Join(t.TempDir(), "slow")
	if output, err := goCommand(t, module, "build", "-o", bin, "./pipeline/cmd/slow"); err != nil {
		t.Fatalf("go build: %v\n%s", err, output)
	}
	return bin
}

func cancelWhileRunning(t *testing.T, bin string, stack ...string) {
	ctx, cancel := context.WithTimeout(context.Background(), pipelineTimeout)
	defer cancel()
	run := proctest.CommandContext(ctx, bin, append([]string{"run"}, stack...)...)
	run.WaitDelay = time.Second
	stdout, err := run.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	run.Stderr = &stderr
	if err := run.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	for lines.Scan() && !strings.Contains(lines.Text(), "slow started") {
	}
	go io.Copy(io.Discard, stdout)

	asked := time.Now()
	out, err := proctest.CommandContext(ctx, bin, append([]string{"cancel", "latest"}, stack...)...).CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "run ") || !strings.Contains(string(out), " cancelled after ") {
		run.Process.Signal(os.Interrupt) // the supervisor passes it on to the run
		t.Errorf("cancel: %v\n%s", err, out)
	}
	err = run.Wait()
	took := time.Since(asked)
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Errorf("the cancelled run ended with %v, want exit status 1\n%s", err, &stderr)
	}
	if !strings.Contains(stderr.String(), " cancelled after ") || !strings.Contains(stderr.String(), ": cancel requested") {
		t.Errorf("the cancelled run printed:\n%s", &stderr)
	}
	// The run looks every half second; anything near the test's timeout
	// means it never noticed.
	if took > 30*time.Second {
		t.Errorf("the run stopped %s after the cancel", took)
	}

	runs, err := proctest.Command(t, bin, append([]string{"runs"}, stack...)...).CombinedOutput()
	if err != nil || !strings.Contains(string(runs), " cancelled ") {
		t.Errorf("runs: %v\n%s", err, runs)
	}
	show, err := proctest.Command(t, bin, append([]string{"show", "latest"}, stack...)...).CombinedOutput()
	for _, want := range []string{"  cancelled", "error: cancel requested", "slow", "report"} {
		if err != nil || !strings.Contains(string(show), want) {
			t.Errorf("show latest lacks %q: %v\n%s", want, err, show)
		}
	}
	again, err := proctest.Command(t, bin, append([]string{"cancel", "latest"}, stack...)...).CombinedOutput()
	if err == nil || !strings.Contains(string(again), "is not running: it was cancelled") {
		t.Errorf("cancel of the cancelled run: %v\n%s", err, again)
	}
}
