package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/zengen-dev/zengen/internal/gomodtest"
)

// corpusDir holds real public notebooks, outside the repository.
const corpusDir = "../../../shared/corpus"

// TestCorpus runs inspect and generate on every real notebook of the
// corpus. Neither may crash or hang; generate must either produce a
// package or reject the notebook with positioned errors. Without -short the
// generated packages are also built (which may need the module proxy for
// the notebooks' own imports). The counts are logged for the project's
// notes.
func TestCorpus(t *testing.T) {
	entries, err := os.ReadDir(corpusDir)
	if os.IsNotExist(err) {
		t.Skipf("no corpus at %s", corpusDir)
	}
	if err != nil {
		t.Fatal(err)
	}
	timeout := 10 * time.Minute // first downloads of a notebook's requirements
	if testing.Short() {
		// Offline: a notebook whose imports are not in the module cache is
		// rejected (with positions) instead of downloaded.
		t.Setenv("GOPROXY", "off")
		timeout = time.Minute
	}
	module := gomodtest.Module(t, "example.com/corpus")
	var generated, built, rejected, unbuilt int
	reasons := map[string]int{}
	for i, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".ipynb") && !strings.HasSuffix(name, ".go") {
			continue
		}
		nb := filepath.Join(corpusDir, name)
		t.Run(name, func(t *testing.T) {
			status, _, stderr := runWithTimeout(t, timeout, "inspect", nb)
			checkNoCrash(t, "inspect", status, stderr)

			out := filepath.Join(module, fmt.Sprintf("p%02d", i))
			status, _, stderr = runWithTimeout(t, timeout, "generate", nb, "-o", out)
			checkNoCrash(t, "generate", status, stderr)
			if status != exitOK {
				rejected++
				reasons[firstReason(stderr, nb)]++
				if !positionedOnly(stderr, nb) {
					t.Errorf("generate rejected %s without a position on every error:\n%s", name, stderr)
				}
				return
			}
			generated++
			if testing.Short() {
				return
			}
			if output, err := goCommand(t, module, "build", "./"+filepath.Base(out)+"/..."); err != nil {
				unbuilt++
				reasons["does not build: "+firstLine(output)]++
				t.Logf("%s generated but does not build:\n%s", name, output)
				return
			}
			built++
		})
	}
	t.Logf("corpus: %d generated (%d built, %d did not build), %d rejected", generated, built, unbuilt, rejected)
	type reason struct {
		text  string
		count int
	}
	var top []reason
	for text, count := range reasons {
		top = append(top, reason{text, count})
	}
	sort.Slice(top, func(i, j int) bool {
		if top[i].count != top[j].count {
			return top[i].count > top[j].count
		}
		return top[i].text < top[j].text
	})
	for _, r := range top {
		t.Logf("  %3d × %s", r.count, r.text)
	}
}

// runWithTimeout runs zengen and fails the test if it does not return.
func runWithTimeout(t *testing.T, timeout time.Duration, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	type result struct {
		status         int
		stdout, stderr string
	}
	done := make(chan result, 1)
	go func() {
		s, o, e := runZengen(t, args...)
		done <- result{s, o, e}
	}()
	select {
	case r := <-done:
		return r.status, r.stdout, r.stderr
	case <-time.After(timeout):
		t.Fatalf("zengen %s hung for %v", strings.Join(args, " "), timeout)
		return 0, "", ""
	}
}

func checkNoCrash(t *testing.T, verb string, status int, stderr string) {
	t.Helper()
	if status != exitOK && status != exitFindings {
		t.Errorf("%s: exit %d\n%s", verb, status, stderr)
	}
	if strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "internal error") {
		t.Errorf("%s crashed:\n%s", verb, stderr)
	}
}

// positionedOnly reports whether every error is positioned: the CLI prints
// failures that have no position in the notebook behind "zengen: ", while a
// positioned message may span lines (a quoted shell command does).
func positionedOnly(stderr, nb string) bool {
	return strings.HasPrefix(stderr, nb+":") && !strings.Contains("\n"+stderr, "\nzengen: ")
}

var position = regexp.MustCompile(`^(:cell \d+)?(:\d+)*: `)

// firstReason is the first error message without its position, so that
// the same problem in different notebooks counts once.
func firstReason(stderr, nb string) string {
	line := strings.TrimPrefix(firstLine(stderr), nb)
	line = position.ReplaceAllString(line, "")
	if len(line) > 90 {
		line = line[:90] + "…"
	}
	return line
}

// firstLine is the first line of s that is not an indented continuation.
func firstLine(s string) string {
	for _, line := range strings.Split(s, "\n") {
		if strings.TrimSpace(line) != "" && !strings.HasPrefix(line, "\t") {
			return line
		}
	}
	return ""
}
