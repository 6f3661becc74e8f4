package servertest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"
)

// TemporalCLIVersion is the Temporal CLI that .ci/run installs: the newest
// that installs from the Go module proxy.
const TemporalCLIVersion = "v1.5.1"

// TemporalCLI returns the path of the temporal binary: $ZEN_TEST_TEMPORAL_CLI,
// then temporal on $PATH, then $(go env GOPATH)/bin/temporal. Without one
// t skips, except in CI, where it fails.
func TemporalCLI(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("ZEN_TEST_TEMPORAL_CLI"); p != "" {
		return p
	}
	if p, err := exec.LookPath("temporal"); err == nil {
		return p
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		for _, dir := range filepath.SplitList(strings.TrimSpace(string(out))) {
			p := filepath.Join(dir, "bin", "temporal")
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
	}
	msg := "no temporal CLI to start a dev server with: go install github.com/temporalio/cli/cmd/temporal@" + TemporalCLIVersion + " (.ci/run does)"
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// Temporal is a dev server of the test's own on 127.0.0.1.
type Temporal struct {
	HostPort  string
	Namespace string
	Client    client.Client
}

// StartTemporal starts a Temporal dev server (in memory, no UI) on a free
// port of 127.0.0.1 and stops it when t ends. The dev server's default
// history.transferProcessorMaxPollRPS (20/s) paces a chain of activities
// at about 100 ms each after the first ten, and its default task-queue
// partitions now and then leave an activity task waiting 2 s before a
// poller takes it; tests raise the one and use a single partition, as the
// deployment notes tell teams to.
func StartTemporal(t testing.TB) *Temporal {
	t.Helper()
	srv, logs := startDevServer(t, TemporalCLI(t))
	t.Cleanup(func() {
		srv.Client().Close()
		// The server is the test's fixture: however it ends says nothing
		// of the code under test, which its clients (closed by now) are.
		if err := stopDevServer(srv, stopTimeout); err != nil {
			t.Logf("%v; its output:\n%s", err, logs.String())
		}
	})
	return &Temporal{HostPort: srv.FrontendHostPort(), Namespace: "default", Client: srv.Client()}
}

func startDevServer(t testing.TB, cli string) (*testsuite.DevServer, *lockedBuffer) {
	t.Helper()
	logs := new(lockedBuffer)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv, err := testsuite.StartDevServer(ctx, testsuite.DevServerOptions{
		ExistingPath:  cli,
		ClientOptions: &client.Options{HostPort: freeHostPort(t), Namespace: "default", Logger: QuietTemporalLogger()},
		LogLevel:      "error",
		ExtraArgs: []string{"--dynamic-config-value", "history.transferProcessorMaxPollRPS=10000",
			"--dynamic-config-value", "matching.numTaskqueueReadPartitions=1",
			"--dynamic-config-value", "matching.numTaskqueueWritePartitions=1",
			"--http-port", freePort(t), "--metrics-port", freePort(t)},
		Stdout: logs,
		Stderr: logs,
	})
	if err != nil {
		t.Fatalf("starting the Temporal dev server (%s): %v\n%s", cli, err, logs.String())
	}
	return srv, logs
}

// stopTimeout bounds the dev server's graceful shutdown, which takes a
// second or two: DevServer.Stop sends SIGINT and waits with no limit, and
// a shutdown that never ends would hold the tests until go test's timeout.
const stopTimeout = 30 * time.Second

// stopDevServer stops srv gracefully, or kills it and every process it
// started when it has not ended within timeout, and says so.
func stopDevServer(srv *testsuite.DevServer, timeout time.Duration) error {
	stopped := make(chan error, 1)
	go func() { stopped <- srv.Stop() }()
	select {
	case <-stopped:
		return nil
	case <-time.After(timeout):
	}
	_, port, _ := net.SplitHostPort(srv.FrontendHostPort())
	pids := devServerTree(port)
	for _, pid := range pids {
		syscall.Kill(pid, syscall.SIGKILL)
	}
	<-stopped
	return fmt.Errorf("the Temporal dev server on %s did not stop within %s of SIGINT; killed processes %v",
		srv.FrontendHostPort(), timeout, pids)
}

// devServerTree returns the PID of this process's child serving on port
// (DevServer keeps its own) and of every process below it: the output
// pipes stay open while any of them lives.
func devServerTree(port string) []int {
	children := map[int][]int{}
	var server int
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid …; comm may hold spaces and parentheses.
		i := bytes.LastIndexByte(stat, ')')
		if i < 0 {
			continue
		}
		fields := strings.Fields(string(stat[i+1:]))
		if len(fields) < 2 {
			continue
		}
		ppid, _ := strconv.Atoi(fields[1])
		children[ppid] = append(children[ppid], pid)
		if ppid == os.Getpid() {
			args, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
			if bytes.Contains(args, []byte("\x00--port\x00"+port+"\x00")) {
				server = pid
			}
		}
	}
	if server == 0 {
		return nil
	}
	tree := []int{server}
	for i := 0; i < len(tree); i++ {
		tree = append(tree, children[tree[i]]...)
	}
	return tree
}

// QuietTemporalLogger drops the SDK's messages below warnings.
func QuietTemporalLogger() log.Logger {
	return log.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
}

func freeHostPort(t testing.TB) string { return "127.0.0.1:" + freePort(t) }

// freePort is a TCP port of 127.0.0.1 that nothing listened on a moment ago.
func freePort(t testing.TB) string {
	t.Helper()
	l, err := listenLocal()
	if err != nil {
		t.Fatalf("finding a free port: %v", err)
	}
	defer l.Close()
	_, port, _ := strings.Cut(l.Addr().String(), ":")
	return port
}

// lockedBuffer collects a server's output from its copying goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func listenLocal() (net.Listener, error) { return net.Listen("tcp", "127.0.0.1:0") }
