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
)

// corpusDirs are where real public notebooks may sit, outside the
// repository: $ZENGEN_CORPUS, beside the checkout (../shared/corpus from
// its root) or in the development machine's shared folder.
var corpusDirs = []string{os.Getenv("ZENGEN_CORPUS"), "../../../shared/corpus", "/work/shared/corpus"}

// corpusOutcomes records what TestCorpus found for each file of the
// corpus; -update rewrites it, so a change of outcome shows in review.
const corpusOutcomes = "testdata/corpus_outcomes.txt"

// TestCorpus runs every real notebook of the corpus through zengen as a
// user would: inspect, generate a standalone module, build it and run its
// generated test, which runs the pipeline and compares what each step
// prints with the outputs the notebook recorded. Neither inspect nor
// generate may crash or hang, and a rejection must be positioned. Each
// file's outcome goes into a table compared with corpusOutcomes:
//
//   - reproduces: the parity test passes;
//   - runs (no recorded output): the pipeline runs, there was nothing to compare;
//   - runs, nondeterministic: runs of the parity test fail differently;
//   - runs, differs from recording: it fails the same way four times;
//   - fails: the pipeline does not run to the end;
//   - does not build: generated code that does not compile (a zengen bug);
//   - rejected: generate refused the notebook, with its first reason;
//   - blocked: an import the module proxy cannot serve.
//
// It needs the module proxy and minutes, so -short skips it.
func TestCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("generates, builds and runs every corpus notebook; skipped with -short")
	}
	dir := ""
	for _, d := range corpusDirs {
		if _, err := os.Stat(d); d != "" && err == nil {
			dir = d
			break
		}
	}
	if dir == "" {
		t.Skipf("no corpus at %s", strings.Join(corpusDirs[1:], " or "))
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	outcomes := map[string]string{}
	var names []string
	for i, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".ipynb") && !strings.HasSuffix(name, ".go") {
			continue
		}
		names = append(names, name)
		nb := filepath.Join(dir, name)
		t.Run(name, func(t *testing.T) {
			outcomes[name] = corpusOutcome(t, nb, filepath.Join(root, fmt.Sprintf("p%02d", i)), fmt.Sprintf("example.com/corpus/p%02d", i))
			t.Logf("%s: %s", name, outcomes[name])
		})
	}
	got := corpusTable(names, outcomes)
	if *update {
		writeFile(t, corpusOutcomes, got)
		return
	}
	want, err := os.ReadFile(corpusOutcomes)
	if err != nil {
		t.Fatalf("%v; run go test ./cmd/zengen -run TestCorpus -update to record the outcomes", err)
	}
	if string(want) != got {
		writeFile(t, corpusOutcomes+".actual", got)
		t.Errorf("corpus outcomes changed (run with -update if the change is intended):\n%s", diffMaps(map[string]string{"outcomes": string(want)}, map[string]string{"outcomes": got}))
	}
}

// corpusOutcome generates, builds and tests one notebook and says how far
// it got.
func corpusOutcome(t *testing.T, nb, out, module string) string {
	const timeout = 10 * time.Minute // first downloads of a notebook's requirements
	status, _, stderr := runWithTimeout(t, timeout, "inspect", nb)
	checkNoCrash(t, "inspect", status, stderr)
	status, _, stderr = runWithTimeout(t, timeout, "generate", nb, "-o", out, "--module", module, "--runtime-replace", repoRoot)
	checkNoCrash(t, "generate", status, stderr)
	if status != exitOK {
		if m := unavailableModule(stderr); m != "" {
			return "blocked: unavailable module " + m
		}
		if !positionedOnly(stderr, nb) {
			t.Errorf("generate rejected %s without a position on every error:\n%s", nb, stderr)
		}
		return "rejected: " + firstReason(stderr, nb)
	}
	if output, err := goCommand(t, out, "build", "./..."); err != nil {
		return "does not build: " + shorten(firstLine(output))
	}
	runs, hasParity := "runs (no recorded output)", true
	if test, err := filepath.Glob(filepath.Join(out, "*_zen_test.go")); err == nil && len(test) == 1 {
		text, _ := os.ReadFile(test[0])
		hasParity = strings.Contains(string(text), "TestNotebookParity")
	}
	first, err := goCommand(t, out, "test", "-count=1", ".")
	if err == nil {
		if hasParity {
			return "reproduces"
		}
		return runs
	}
	failed := parityFailure(first)
	if failed == "" {
		return "fails: " + shorten(runFailure(first))
	}
	// A notebook whose output varies (random numbers, goroutines, time)
	// fails differently from run to run, though not always: a few runs
	// make a false "differs" unlikely.
	for range 3 {
		again, err := goCommand(t, out, "test", "-count=1", ".")
		if err == nil || testFailures(first) != testFailures(again) {
			return "runs, nondeterministic: " + failed
		}
	}
	return "runs, differs from recording: " + failed
}

// unavailableModule returns the first import or requirement that the
// module proxy does not serve (it answers 4xx, or its latest version
// lacks the package), "" when nothing is unavailable.
func unavailableModule(stderr string) string {
	for _, line := range strings.Split(stderr, "\n") {
		for _, re := range unavailable {
			if m := re.FindStringSubmatch(line); m != nil {
				return m[1]
			}
		}
	}
	return ""
}

// unavailable match the go command's words, as zengen passes them on, for
// an import it cannot get through the module proxy.
var unavailable = []*regexp.Regexp{
	regexp.MustCompile(`cannot import "([^"]+)": .*(?:reading https?://\S+: 4\d\d|but does not contain package)`),
	regexp.MustCompile(`cannot use requirement (\S+?)@\S*: .*reading https?://\S+: 4\d\d`),
	regexp.MustCompile(`(\S+?)(?:@\S+)?: reading https?://\S+: 4\d\d`),
}

// parityFailure names the first step and cell the parity test found
// different, "" when the parity test did not fail.
func parityFailure(output string) string {
	m := parityLine.FindStringSubmatch(output)
	if m == nil {
		return ""
	}
	return m[1] + ", " + m[2]
}

var parityLine = regexp.MustCompile(`parity: (steps? [^:]+): [^\n]*?(cell \d+|line \d+|a cell of step [^:]+)`)

// runFailure is the first line of a failed test that says why.
func runFailure(output string) string {
	for _, line := range strings.Split(output, "\n") {
		line = strings.TrimSpace(line)
		// "# pkg" heads the go command's build and vet reports.
		if line == "" || strings.HasPrefix(line, "---") || strings.HasPrefix(line, "=== ") || strings.HasPrefix(line, "FAIL") || strings.HasPrefix(line, "ok ") || strings.HasPrefix(line, "# ") {
			continue
		}
		return durations.ReplaceAllString(notebookDirs.ReplaceAllString(line, "$1"), "")
	}
	return "no reason given"
}

// testFailures is a test's output without what changes from run to run
// regardless of the code: durations and temporary folders.
func testFailures(output string) string {
	output = durations.ReplaceAllString(output, "")
	return tempPaths.ReplaceAllString(output, "TMP")
}

var (
	durations = regexp.MustCompile(`\(?[0-9.]+m?s\)?`)
	tempPaths = regexp.MustCompile(`/tmp/[^ \n:]*`)
	// notebookDirs is the folder before a notebook's name in a position.
	notebookDirs = regexp.MustCompile(`\S*/(\S+\.(?:ipynb|go):)`)
)

// shorten keeps a reason to one table cell: temporary folders named
// alike, at most 100 characters.
func shorten(s string) string {
	s = tempPaths.ReplaceAllString(s, "TMP")
	if r := []rune(s); len(r) > 100 {
		s = string(r[:100]) + "…"
	}
	return s
}

// corpusTable is the outcomes as a sorted table with the counts per kind.
func corpusTable(names []string, outcomes map[string]string) string {
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("# TestCorpus (cmd/zengen/corpus_test.go): each corpus file and how far zengen takes it.\n")
	b.WriteString("# go test ./cmd/zengen -run TestCorpus -update rewrites this file.\n\n")
	counts := map[string]int{}
	for _, n := range names {
		o := outcomes[n]
		if o == "" {
			o = "not run"
		}
		fmt.Fprintf(&b, "%s\t%s\n", n, o)
		kind, _, _ := strings.Cut(o, ":")
		counts[kind]++
	}
	b.WriteString("\n")
	for _, kind := range sortedCountKeys(counts) {
		fmt.Fprintf(&b, "# %3d %s\n", counts[kind], kind)
	}
	return b.String()
}

func sortedCountKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
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
	return shorten(line)
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
