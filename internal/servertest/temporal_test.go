package servertest

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The dev server answers on the address it was given, with the namespace
// the tests use.
func TestStartTemporal(t *testing.T) {
	srv := StartTemporal(t)
	if _, err := srv.Client.CheckHealth(context.Background(), nil); err != nil {
		t.Fatalf("dev server at %s: %v", srv.HostPort, err)
	}
}

// A dev server that does not end on SIGINT is killed, with whatever it
// started, and stopping it says so, rather than waiting for ever: here a
// wrapper that ignores SIGINT and does not pass it on to the server it ran.
func TestStopKillsADevServerThatDoesNotStop(t *testing.T) {
	cli := TemporalCLI(t)
	wrapper := filepath.Join(t.TempDir(), "temporal")
	script := "#!/bin/sh\ntrap '' INT\n\"$ZEN_TEST_REAL_CLI\" \"$@\" &\nwait\n"
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ZEN_TEST_REAL_CLI", cli)
	srv, _ := startDevServer(t, wrapper)
	_, port, _ := net.SplitHostPort(srv.FrontendHostPort())
	tree := devServerTree(port)
	if len(tree) < 2 {
		t.Fatalf("processes of the wrapped dev server: %v, want the wrapper and the server", tree)
	}
	srv.Client().Close()
	stopped := make(chan error, 1)
	go func() { stopped <- stopDevServer(srv, 2*time.Second) }()
	select {
	case err := <-stopped:
		if err == nil || !strings.Contains(err.Error(), "did not stop") {
			t.Errorf("stopping a dev server that ignores SIGINT: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatalf("stopping a dev server that ignores SIGINT has not returned after a minute")
	}
	for _, pid := range tree {
		for deadline := time.Now().Add(10 * time.Second); alive(pid); time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Errorf("process %d of the dev server still runs", pid)
				break
			}
		}
	}
}

// alive says whether pid is a process that has not exited (a zombie has).
func alive(pid int) bool {
	stat, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return false
	}
	i := strings.LastIndexByte(string(stat), ')')
	return i >= 0 && !strings.HasPrefix(string(stat[i+1:]), " Z")
}
