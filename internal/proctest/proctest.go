// Package proctest starts the processes that tests run (the go command,
// generated pipelines, workers) so that none of them can hang a test
// binary until go test's own timeout, which reports only the test
// binary's goroutines: a process that outlives Timeout is sent SIGQUIT,
// so that a Go program prints every goroutine's stack into the output the
// test shows, and is killed WaitDelay later. Its output pipes close then
// even when a child it started still holds them.
package proctest

import (
	"context"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// Timeout bounds one process. The slowest a test waits for is a cold build
// of a generated module with its first downloads; anything near this is a
// hang.
const Timeout = 8 * time.Minute

// WaitDelay is how long a process has to exit after SIGQUIT, and how long
// its output may stay open after it exited.
const WaitDelay = 10 * time.Second

// Command is exec.Command bounded by Timeout, and by the end of t.
func Command(t testing.TB, name string, args ...string) *exec.Cmd {
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	t.Cleanup(cancel)
	return CommandContext(ctx, name, args...)
}

// CommandContext is exec.CommandContext with the same ending as Command's
// when ctx is done: SIGQUIT, then a kill WaitDelay later.
func CommandContext(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGQUIT) }
	cmd.WaitDelay = WaitDelay
	return cmd
}
