package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/zengen-dev/zengen/internal/gomodtest"
	"github.com/zengen-dev/zengen/internal/proctest"
)

// lookCells are the cells of the notebook the tests of looking at runs
// generate: a helper that train reaches, a metric, a final step with one
// artifact, and a param that makes train take its time.
var lookCells = []string{
	"//zen:params\nseed := 7\npauseMs := 0",
	"import (\n\t\"fmt\"\n\t\"time\"\n)",
	"func scale(x int) float64 {\n\treturn float64(x) * 2\n}",
	"//zen:step load\nxs := []int{seed, seed + 1, seed + 2}\nn := len(xs)\nfmt.Println(\"loaded\", n)",
	"//zen:step train\n//zen:metric loss\ntime.Sleep(time.Duration(pauseMs) * time.Millisecond)\nloss := scale(xs[0]) / 10\nfmt.Println(\"loss\", loss)",
	"//zen:step report\n//zen:output summary\nsummary := fmt.Sprintf(\"loss %.2f over %d\", loss, n)\nfmt.Println(summary)",
}

// lookPipeline is a generated pipeline in a scratch module: its module
// root, the folder it was generated into and its built command.
type lookPipeline struct {
	t      *testing.T
	module string
	out    string
	bin    string
	cells  []string
}

// newLookPipeline generates lookCells into pipeline/ of a scratch module
// (as ./pipeline/cmd/look) and builds it.
func newLookPipeline(t *testing.T) *lookPipeline {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs a generated pipeline; skipped with -short")
	}
	module := gomodtest.Module(t, "example.com/look")
	lp := &lookPipeline{t: t, module: module, out: filepath.Join(module, "pipeline"),
		bin: filepath.Join(t.TempDir(), "look"), cells: append([]string(nil), lookCells...)}
	lp.build()
	return lp
}

// build writes the notebook, generates it and builds the command.
func (lp *lookPipeline) build() {
	t := lp.t
	t.Helper()
	notebook := filepath.Join(lp.module, "look.ipynb")
	writeFile(t, notebook, ipynb(t, lp.cells))
	if status, _, stderr := runZengen(t, "generate", notebook, "-o", lp.out); status != exitOK {
		t.Fatalf("generate: exit %d\n%s", status, stderr)
	}
	if output, err := goCommand(t, lp.module, "build", "-o", lp.bin, "./pipeline/cmd/look"); err != nil {
		t.Fatalf("go build: %v\n%s", err, output)
	}
}

// edit replaces old by new in the first cell that holds old.
func (lp *lookPipeline) edit(old, new string) {
	lp.t.Helper()
	for i, c := range lp.cells {
		if strings.Contains(c, old) {
			lp.cells[i] = strings.Replace(c, old, new, 1)
			return
		}
	}
	lp.t.Fatalf("no cell holds %q", old)
}

// in runs the command in dir (relative to the module root) and returns
// its stdout and stderr.
func (lp *lookPipeline) in(dir string, args ...string) (stdout, stderr string, err error) {
	lp.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), pipelineTimeout)
	defer cancel()
	cmd := proctest.CommandContext(ctx, lp.bin, args...)
	cmd.Dir = filepath.Join(lp.module, dir)
	cmd.Env = append(os.Environ(), "ZEN_HOME=")
	cmd.WaitDelay = time.Second
	var o, e strings.Builder
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	if ctx.Err() != nil {
		lp.t.Fatalf("look %s hung:\n%s%s", strings.Join(args, " "), o.String(), e.String())
	}
	return o.String(), e.String(), err
}

// must is in at the module root for a command that must succeed.
func (lp *lookPipeline) must(args ...string) (stdout, stderr string) {
	lp.t.Helper()
	stdout, stderr, err := lp.in(".", args...)
	if err != nil {
		lp.t.Fatalf("look %s: %v\n%s%s", strings.Join(args, " "), err, stdout, stderr)
	}
	return stdout, stderr
}

// TestStoreFollowsTheModule runs the pipeline from the module root and
// looks at it from a subfolder: both find the store at the module root,
// which git ignores.
func TestStoreFollowsTheModule(t *testing.T) {
	lp := newLookPipeline(t)
	lp.must("run")
	stdout, stderr, err := lp.in("pipeline", "runs")
	if err != nil || !strings.Contains(stdout, "succeeded") {
		t.Errorf("runs from a subfolder: %v\n%s%s", err, stdout, stderr)
	}
	t.Logf("runs from pipeline/:\n%s%s", stdout, stderr)
	if _, err := os.Stat(filepath.Join(lp.module, "pipeline", ".zen")); err == nil {
		t.Error("looking from pipeline/ created a store there")
	}
	// A second run from the subfolder adds to the same store.
	if stdout, stderr, err := lp.in("pipeline/cmd", "run"); err != nil {
		t.Fatalf("run from pipeline/cmd: %v\n%s%s", err, stdout, stderr)
	}
	stdout, _ = lp.must("runs", "--json")
	if n := strings.Count(stdout, `"id"`); n != 2 {
		t.Errorf("the module root's store holds %d runs, want 2:\n%s", n, stdout)
	}

	ignore, err := os.ReadFile(filepath.Join(lp.module, ".zen", ".gitignore"))
	if err != nil || !strings.Contains(string(ignore), "\n*\n") {
		t.Errorf("the store does not ignore itself for git: %v\n%s", err, ignore)
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Log("no git to check with")
		return
	}
	git := func(args ...string) string {
		t.Helper()
		cmd := proctest.Command(t, "git", args...)
		cmd.Dir = lp.module
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	git("init", "-q")
	git("add", "-A")
	if files := git("ls-files"); strings.Contains(files, ".zen") {
		t.Errorf("git add -A took the store:\n%s", files)
	}
}

// TestResultsAtAGlance looks at runs the way one does after running: the
// run's own summary (also when everything was cached), runs with metric
// columns, the logs of a cached step and cat of a step's only artifact.
func TestResultsAtAGlance(t *testing.T) {
	lp := newLookPipeline(t)
	wantSummary := []string{"  metric train.loss = 1.4\n", "  result report.summary = \"loss 1.40 over 3\"\n"}
	_, stderr := lp.must("run")
	first := runIDs(t, lp)[0]
	for _, want := range wantSummary {
		if !strings.Contains(stderr, want) {
			t.Errorf("run does not end with %q:\n%s", want, stderr)
		}
	}
	t.Logf("run:\n%s", stderr)
	_, stderr = lp.must("run")
	for _, want := range wantSummary {
		if !strings.Contains(stderr, want) {
			t.Errorf("a cached run does not end with %q:\n%s", want, stderr)
		}
	}
	t.Logf("run, all cached:\n%s", stderr)
	lp.must("run", "--seed", "8")

	stdout, _ := lp.must("runs")
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 4 || !strings.Contains(lines[0], "  LOSS  ") || !strings.Contains(lines[1], "  1.6  ") ||
		!strings.HasSuffix(lines[1], "  pause-ms=0 seed=8") || !strings.Contains(lines[3], "  1.4  ") {
		t.Errorf("runs shows no loss column or no compact params:\n%s", stdout)
	}
	t.Logf("runs:\n%s", stdout)
	stdout, _ = lp.must("runs", "--json")
	if !strings.Contains(stdout, `"metrics": {`+"\n"+`      "train.loss": 1.6`) {
		t.Errorf("runs --json has no metrics:\n%s", stdout)
	}

	stdout, stderr, err := lp.in(".", "logs", runIDs(t, lp)[1], "train")
	if err != nil || stdout != "loss 1.4\n" || !strings.Contains(stderr, "run "+first) {
		t.Errorf("logs of a cached step: %v\nstdout %q\nstderr %q", err, stdout, stderr)
	}
	t.Logf("logs of the cached step:\n%s%s", stderr, stdout)

	if stdout, _ := lp.must("cat", "latest", "report"); stdout != "loss 1.60 over 3\n" {
		t.Errorf("cat latest report = %q", stdout)
	}
	stdout, stderr, err = lp.in(".", "cat", "latest", "load")
	if err == nil || !strings.Contains(stderr, "name one (load.n, load.xs)") {
		t.Errorf("cat of a step with two artifacts: %v\n%s%s", err, stdout, stderr)
	}
	t.Logf("cat latest load:\n%s%s", stdout, stderr)
}

// runIDs lists the ids of the pipeline's runs, newest first.
func runIDs(t *testing.T, lp *lookPipeline) []string {
	t.Helper()
	stdout, _ := lp.must("runs", "--json")
	var runs []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(stdout), &runs); err != nil {
		t.Fatalf("runs --json: %v\n%s", err, stdout)
	}
	var ids []string
	for _, r := range runs {
		ids = append(ids, r.ID)
	}
	return ids
}

// TestProgressOfLongSteps runs a step that takes 3.5 s with stderr in a
// pipe, as in CI: a plain line says it is still running; -q and --json
// add nothing to what steps print. The running steps are looked at every
// half second, so the line at 2 s may come up to half a second late, and
// later still on a busy machine: the step runs well past it.
func TestProgressOfLongSteps(t *testing.T) {
	lp := newLookPipeline(t)
	_, stderr := lp.must("run", "--pause-ms", "3500")
	if !regexp.MustCompile(`▶ train\n… train has been running for [23]s\n✓ train 3\.`).MatchString(stderr) {
		t.Errorf("run with a long step:\n%s", stderr)
	}
	t.Logf("run with a long step, stderr:\n%s", stderr)

	stdout, stderr := lp.must("run", "--pause-ms", "2600", "-q")
	// Only train runs again: its param changed, its outputs did not.
	if stderr != "" || stdout != "[train] loss 1.4\n" {
		t.Errorf("run -q:\nstdout %q\nstderr %q", stdout, stderr)
	}
	stdout, stderr = lp.must("run", "--pause-ms", "2700", "--json")
	var shown struct {
		Run struct {
			Status string `json:"status"`
		} `json:"run"`
	}
	if err := json.Unmarshal([]byte(stdout), &shown); err != nil || shown.Run.Status != "succeeded" {
		t.Errorf("run --json: %v\n%s", err, stdout)
	}
	if stderr != "[train] loss 1.4\n" {
		t.Errorf("run --json, stderr:\n%s", stderr)
	}
}

// TestExplainNamesTheHelper edits the helper train calls, then train's
// own code: explain names which piece of the code changed, and where.
func TestExplainNamesTheHelper(t *testing.T) {
	lp := newLookPipeline(t)
	lp.must("run")
	lp.edit("float64(x) * 2", "float64(x) * 3")
	lp.build()
	lp.must("run")
	stdout, _ := lp.must("explain", "latest", "train")
	if !strings.Contains(stdout, "look.ipynb:cell 3 changed)\n") || !strings.Contains(stdout, "(helper scale at ") {
		t.Errorf("explain after a helper's edit:\n%s", stdout)
	}
	t.Logf("explain latest train after editing scale:\n%s", stdout)

	lp.edit("scale(xs[0]) / 10", "scale(xs[0]) / 100")
	lp.build()
	lp.must("run")
	stdout, _ = lp.must("explain", "latest", "train")
	if !strings.Contains(stdout, "(the step's own code at ") || !strings.Contains(stdout, "look.ipynb:cell 5 changed)\n") ||
		strings.Contains(stdout, "helper scale") {
		t.Errorf("explain after the step's own edit:\n%s", stdout)
	}
	t.Logf("explain latest train after editing train:\n%s", stdout)
}
