package engine

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// A step that calls os.Exit (or log.Fatal, or dies of a fatal runtime
// error or a signal) ends the process between two records: no deferred
// function runs, so the run would only be found "interrupted" later. The
// run command therefore runs in a child process of the same binary, which
// tells the parent, on an inherited pipe, which run it recorded and when it
// finished it. When the child ends in between, the parent records the run
// as failed with how the process ended and during which step. See
// supervise_unix.go.

// envRunReport names the file descriptor of that pipe in the child.
const envRunReport = "ZEN_RUN_REPORT_FD"

// runReport is the pipe to the supervising parent, nil when there is none.
var runReport struct {
	sync.Mutex
	w io.Writer
}

// reportRunStart tells the parent which run this process records, and
// where: the local store's directory and, for a team metadata store, its
// DSN on a line of its own (it may hold spaces).
func reportRunStart(st *Store, id string) {
	home := st.Home
	runReport.Lock()
	defer runReport.Unlock()
	if runReport.w == nil {
		return
	}
	if abs, err := filepath.Abs(home); err == nil {
		home = abs
	}
	if st.DB != "" {
		fmt.Fprintf(runReport.w, "db %s\n", st.DB)
	}
	fmt.Fprintf(runReport.w, "start %s %s\n", id, home)
}

// ReportRunEnd tells the parent that the run's record is complete.
func ReportRunEnd() {
	runReport.Lock()
	defer runReport.Unlock()
	if runReport.w != nil {
		fmt.Fprintf(runReport.w, "end\n")
	}
}

// AttachRunReport makes this process report to its supervisor when it was
// started as a supervised child, and says whether it was.
func AttachRunReport() (supervised bool) {
	fd, supervised := os.LookupEnv(envRunReport)
	if !supervised {
		return false
	}
	os.Unsetenv(envRunReport) // not for the processes a step starts
	var n uintptr
	if _, err := fmt.Sscanf(fd, "%d", &n); err != nil {
		return true
	}
	f := os.NewFile(n, "run-report")
	closeOnExec(f)
	runReport.w = f
	return true
}
