package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/zengen-dev/zengen/internal/proctest"
)

// openPTY opens a pseudo-terminal: the side the test reads and the side
// the command writes to as its terminal.
func openPTY(t *testing.T) (reader, term *os.File) {
	t.Helper()
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	fd := int(ptmx.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatalf("unlocking the pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatalf("naming the pseudo-terminal: %v", err)
	}
	pts, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	return ptmx, pts
}

// TestProgressOnATerminal runs a step that takes 2.5 s on a
// pseudo-terminal: one line at the bottom says which step runs and for
// how long, and is erased before the next line.
var (
	liveLine       = regexp.MustCompile("▶ train\n\r\x1b\\[K⋯ running: train [2-9]s")
	liveLineErased = regexp.MustCompile("\r\x1b\\[K\\[train\\] loss 1\\.4\n✓ train [2-9]\\.")
)

func TestProgressOnATerminal(t *testing.T) {
	lp := newLookPipeline(t)
	reader, term := openPTY(t)
	defer reader.Close()
	ctx, cancel := context.WithTimeout(context.Background(), pipelineTimeout)
	defer cancel()
	cmd := proctest.CommandContext(ctx, lp.bin, "run", "--pause-ms", "3500")
	cmd.Dir = lp.module
	cmd.Env = append(os.Environ(), "ZEN_HOME=", "TERM=xterm")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = term, term, term
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	term.Close()
	var out bytes.Buffer
	copied := make(chan error, 1)
	go func() {
		_, err := io.Copy(&out, reader)
		copied <- err
	}()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("run: %v\n%q", err, out.String())
	}
	select {
	case <-copied: // EIO once the last writer is gone
	case <-time.After(10 * time.Second):
		t.Fatal("the terminal's output never ended")
	}
	got := strings.ReplaceAll(out.String(), "\r\n", "\n")
	// The step pauses 3.5 s and the live line appears at 2 s: a loaded
	// machine may draw it late or finish the step later, never earlier.
	if !liveLine.MatchString(got) || !liveLineErased.MatchString(got) {
		t.Errorf("the terminal shows no live line for train:\n%q", got)
	}
	if strings.Contains(got, "has been running for") {
		t.Errorf("a terminal gets the plain lines meant for logs:\n%q", got)
	}
	t.Logf("on a terminal:\n%q", got)
}
