package servertest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Cluster is a PostgreSQL server of one test's own, which the test may
// stop and start again without disturbing the shared one.
type Cluster struct {
	DSN  string
	bin  string
	data string
	port int
	run  []string // runuser prefix when the test runs as root
}

// OwnPostgres initialises and starts a PostgreSQL cluster in a temporary
// directory, stopped when t ends. It needs the binaries .ci/services
// installs, and skips (fails in CI) without them.
func OwnPostgres(t testing.TB) *Cluster {
	t.Helper()
	server(t, "ZEN_TEST_POSTGRES", "PostgreSQL server") // the binaries come with it
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		t.Skip("no PostgreSQL binaries under /usr/lib/postgresql")
	}
	dir, err := os.MkdirTemp("", "zen-pg-")
	if err != nil {
		t.Fatal(err)
	}
	c := &Cluster{bin: filepath.Dir(bins[0]), data: filepath.Join(dir, "data")}
	if os.Getuid() == 0 { // PostgreSQL refuses to run as root
		exec.Command("chown", "-R", "postgres", dir).Run()
		c.run = []string{"runuser", "-u", "postgres", "--"}
	}
	t.Cleanup(func() { c.Stop(t); os.RemoveAll(dir) })
	if out, err := c.cmd("initdb", "-D", c.data, "-U", "zen", "--auth=trust", "--no-sync", "-E", "UTF8").CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c.port = l.Addr().(*net.TCPAddr).Port
	l.Close()
	c.DSN = fmt.Sprintf("postgres://zen@127.0.0.1:%d/postgres?sslmode=disable", c.port)
	c.Start(t)
	return c
}

func (c *Cluster) cmd(name string, args ...string) *exec.Cmd {
	argv := append(append(append([]string(nil), c.run...), filepath.Join(c.bin, name)), args...)
	return exec.Command(argv[0], argv[1:]...)
}

// Start starts the server and waits until it accepts connections.
func (c *Cluster) Start(t testing.TB) {
	t.Helper()
	opts := fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -k %s", c.port, c.data)
	if out, err := c.cmd("pg_ctl", "-D", c.data, "-l", filepath.Join(c.data, "server.log"), "-w", "-o", opts, "start").CombinedOutput(); err != nil {
		t.Fatalf("pg_ctl start: %v\n%s", err, out)
	}
}

// Stop stops the server by its own PID (a fast shutdown, as SIGINT asks)
// and waits until it is gone.
func (c *Cluster) Stop(t testing.TB) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(c.data, "postmaster.pid"))
	if err != nil {
		return // not running
	}
	pid, _ := strconv.Atoi(strings.SplitN(string(b), "\n", 2)[0])
	if pid <= 0 || syscall.Kill(pid, syscall.SIGINT) != nil {
		return
	}
	for deadline := time.Now().Add(30 * time.Second); syscall.Kill(pid, 0) == nil; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Errorf("PostgreSQL %d did not stop within 30s; killed", pid)
			return
		}
	}
}
