//go:build unix

package engine

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
	"golang.org/x/sys/unix"
)

// SuperviseRun runs the command line args (a run command) in a child
// process of this binary and returns its exit status. ok is false when no
// child could be started; the caller then runs the command itself.
func SuperviseRun(p *pipeline.Pipeline, args []string, stderr io.Writer) (code int, ok bool) {
	exe, err := os.Executable()
	if err != nil {
		return 0, false
	}
	return Supervise(p, exec.Command(exe, args...), stderr)
}

// Supervise runs cmd, a child that runs the pipeline p, with this
// process's standard files, forwarding SIGINT and SIGTERM to it.
func Supervise(p *pipeline.Pipeline, cmd *exec.Cmd, stderr io.Writer) (code int, ok bool) {
	r, w, err := os.Pipe()
	if err != nil {
		return 0, false
	}
	defer r.Close()
	if cmd.Stdin == nil && cmd.Stdout == nil && cmd.Stderr == nil {
		cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	}
	cmd.ExtraFiles = []*os.File{w}
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}
	cmd.Env = append(cmd.Env, fmt.Sprintf("%s=%d", envRunReport, 3))
	// Ctrl-C reaches the child from the terminal; a signal sent to this
	// process alone is passed on. Either way the child stops its run
	// cleanly and this process waits for it.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		w.Close()
		return 0, false
	}
	w.Close()
	lines := make(chan []string, 1)
	go func() {
		var got []string
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			got = append(got, sc.Text())
		}
		lines <- got
	}()
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-sigs:
				cmd.Process.Signal(s)
			case <-done:
				return
			}
		}
	}()
	cmd.Wait()
	close(done)
	// What the child wrote is in the pipe; a process it started may still
	// hold the pipe open, so the read does not wait for EOF long.
	r.SetReadDeadline(time.Now().Add(time.Second))
	report := <-lines

	state := cmd.ProcessState
	code = state.ExitCode()
	cause := fmt.Sprintf("process exited with status %d", code)
	if ws, ok := state.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		cause = "process was killed by " + unix.SignalName(ws.Signal())
		code = 128 + int(ws.Signal())
	}
	var runID, home, dsn string
	ended := false
	for _, l := range report {
		if d, ok := strings.CutPrefix(l, "db "); ok {
			dsn = d
			continue
		}
		f := strings.SplitN(l, " ", 3)
		switch {
		case f[0] == "start" && len(f) == 3:
			runID, home = f[1], f[2]
		case f[0] == "end":
			ended = true
		}
	}
	if runID == "" || ended {
		return code, true
	}
	msg, err := failAbandoned(home, dsn, runID, cause)
	if err != nil {
		fmt.Fprintf(stderr, "%s run: run %s: %s, and recording that failed: %v\n", p.Name, runID, cause, err)
	} else if msg != "" {
		fmt.Fprintf(stderr, "%s run: run %s failed: %s\n", p.Name, runID, msg)
	}
	if code == 0 {
		code = 1 // the generated binary's failure status: the run did not finish
	}
	return code, true
}

// failAbandoned records the run id in the store at home, or in the
// metadata store of dsn, as failed by cause.
func failAbandoned(home, dsn, id, cause string) (string, error) {
	ctx := context.Background()
	db, err := metaOpen(ctx, home, dsn)
	if err != nil {
		return "", err
	}
	defer db.Close()
	return db.FailAbandoned(ctx, id, cause)
}

func closeOnExec(f *os.File) { syscall.CloseOnExec(int(f.Fd())) }
