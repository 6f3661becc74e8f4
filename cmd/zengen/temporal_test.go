package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zengen-dev/zengen/internal/proctest"
	"github.com/zengen-dev/zengen/internal/servertest"
)

// temporalBinary generates the notebook at nb with --temporal and builds
// its command.
func temporalBinary(t *testing.T, nb, name string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), name)
	args := []string{"generate", nb, "-o", out, "--module", "example.com/" + name, "--runtime-replace", repoRoot, "--temporal"}
	if status, _, stderr := runZengen(t, args...); status != exitOK {
		t.Fatalf("generate --temporal: exit %d\n%s", status, stderr)
	}
	bin := filepath.Join(t.TempDir(), name)
	if output, err := goCommand(t, out, "build", "-o", bin, "./cmd/"+name); err != nil {
		t.Fatalf("go build: %v\n%s", err, output)
	}
	return bin
}

// startWorker starts `bin worker` as a process of its own, stopped when t
// temporalFixture starts a dev server and builds the generated command of
// nb (generated with --temporal); env points the command at the server, at
// a store of the test's own and at marks, the folder where the fixtures of
// testdata/temporal wait for the test (ZEN_TEST_MARK).
func temporalFixture(t *testing.T, nb, name string) (bin string, env []string, marks string) {
	t.Helper()
	srv := servertest.StartTemporal(t)
	bin = temporalBinary(t, nb, name)
	marks = t.TempDir()
	env = []string{"ZEN_TEMPORAL=" + srv.HostPort, "ZEN_TEST_MARK=" + marks, "ZEN_HOME=" + filepath.Join(t.TempDir(), "home")}
	return bin, env, marks
}

// ends; env adds to the environment.
func startWorker(t *testing.T, bin string, env []string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := proctest.Command(t, bin, append([]string{"worker", "--parallel", "4"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	log, err := os.Create(filepath.Join(t.TempDir(), "worker.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		log.Close()
		if t.Failed() {
			b, _ := os.ReadFile(log.Name())
			t.Logf("worker %d:\n%s", cmd.Process.Pid, b)
		}
	})
	return cmd
}

// shown is what show --json says of a run.
type shown struct {
	Run struct {
		ID, Status, Error, Orchestrator string
	}
	Steps []struct {
		Step, Status, Error string
		Attempt             int
		Outputs             []struct{ Name, Digest string }
	}
}

func showRun(t *testing.T, bin string, env []string, args ...string) shown {
	t.Helper()
	cmd := proctest.Command(t, bin, append([]string{"show", "--json"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("show %v: %v", args, err)
	}
	var s shown
	if err := json.Unmarshal(out, &s); err != nil {
		t.Fatalf("show --json: %v\n%s", err, out)
	}
	return s
}

// digests maps STEP.OUTPUT to its digest.
func (s shown) digests() map[string]string {
	m := map[string]string{}
	for _, st := range s.Steps {
		for _, o := range st.Outputs {
			m[st.Step+"."+o.Name] = o.Digest
		}
	}
	return m
}

func (s shown) status() map[string]string {
	m := map[string]string{}
	for _, st := range s.Steps {
		m[st.Step] = st.Status
	}
	return m
}

// waitFile waits for a file matching pattern and returns its name.
func waitFile(t *testing.T, pattern string, notIn map[string]bool) string {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		names, _ := filepath.Glob(pattern)
		for _, n := range names {
			if !notIn[n] {
				return n
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no %s within a minute", pattern)
	return ""
}

// TestTemporalWorkerKilledMidStep runs a generated pipeline on a real
// Temporal dev server with two worker processes sharing a store, kills
// with SIGKILL the worker that runs the slow step in the middle of it, and
// sees the step run again on the other worker: the run succeeds, with the
// artifacts of a local run of the same binary, digest for digest.
func TestTemporalWorkerKilledMidStep(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated command and starts a Temporal server; skipped with -short")
	}
	srv := servertest.StartTemporal(t)
	bin := temporalBinary(t, filepath.Join(repoRoot, "testdata", "temporal", "relay.go"), "relay")
	marks := t.TempDir()
	env := []string{"ZEN_TEMPORAL=" + srv.HostPort, "ZEN_TEST_MARK=" + marks, "ZEN_HOME=" + filepath.Join(t.TempDir(), "home")}
	workers := map[int]*exec.Cmd{}
	for range 2 {
		w := startWorker(t, bin, env)
		workers[w.Process.Pid] = w
	}

	run := proctest.Command(t, bin, "run", "--orchestrator", "temporal")
	run.Env = append(os.Environ(), env...)
	var out strings.Builder
	run.Stdout, run.Stderr = &out, &out
	if err := run.Start(); err != nil {
		t.Fatal(err)
	}
	first := waitFile(t, filepath.Join(marks, "slow.*"), nil)
	pid, _ := strconv.Atoi(strings.Split(filepath.Base(first), ".")[1])
	victim := workers[pid]
	if victim == nil {
		t.Fatalf("slow ran in process %d, not a worker (%v)", pid, workers)
	}
	victim.Process.Signal(syscall.SIGKILL)
	killedAt := time.Now()
	second := waitFile(t, filepath.Join(marks, "slow.*"), map[string]bool{first: true})
	if again, _ := strconv.Atoi(strings.Split(filepath.Base(second), ".")[1]); again == pid || workers[again] == nil {
		t.Errorf("slow ran again in process %d; want the other worker of %v", again, workers)
	}
	t.Logf("slow started again (%s) %s after the kill", filepath.Base(second), time.Since(killedAt).Round(time.Millisecond))
	if err := run.Wait(); err != nil {
		t.Fatalf("run --orchestrator temporal: %v\n%s", err, out.String())
	}
	for _, want := range []string{"▶ slow", "[slow] total 14", "✓ report", "succeeded"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the run's terminal lacks %q:\n%s", want, out.String())
		}
	}
	remote := showRun(t, bin, env, "latest")
	if remote.Run.Status != "succeeded" || remote.Run.Orchestrator != "temporal://"+srv.HostPort+"/default" {
		t.Fatalf("run: %+v", remote)
	}
	for _, st := range remote.Steps {
		if st.Step == "slow" && st.Attempt != 2 {
			t.Errorf("slow, run again after its worker was killed: attempt %d, want 2", st.Attempt)
		}
	}

	local := proctest.Command(t, bin, "run", "--home", filepath.Join(t.TempDir(), "local"))
	local.Env = append(os.Environ(), env...)
	if b, err := local.CombinedOutput(); err != nil {
		t.Fatalf("local run: %v\n%s", err, b)
	}
	localRun := showRun(t, bin, env, "latest", "--home", filepath.Join(filepath.Dir(local.Args[3]), "local"))
	want, got := localRun.digests(), remote.digests()
	if len(want) != 2 || fmt.Sprint(want) != fmt.Sprint(got) {
		t.Errorf("artifacts on Temporal %v, locally %v", got, want)
	}

	// An interrupt of the command that follows a run cancels it; so does
	// a cancel request to Temporal for a detached run. Both are recorded
	// cancelled, their running step too.
	seen := map[string]bool{}
	for _, n := range mustGlob(filepath.Join(marks, "slow.*")) {
		seen[n] = true
	}
	run = proctest.Command(t, bin, "run", "--orchestrator", "temporal", "--pause", "60")
	run.Env = append(os.Environ(), env...)
	out.Reset()
	run.Stdout, run.Stderr = &out, &out
	if err := run.Start(); err != nil {
		t.Fatal(err)
	}
	seen[waitFile(t, filepath.Join(marks, "slow.*"), seen)] = true
	run.Process.Signal(os.Interrupt)
	if err := run.Wait(); err == nil {
		t.Errorf("an interrupted run exited 0:\n%s", out.String())
	}
	interrupted := showRun(t, bin, env, "latest")
	if interrupted.Run.Status != "cancelled" || interrupted.status()["slow"] != "cancelled" {
		t.Errorf("interrupted run: %+v", interrupted)
	}

	detach := proctest.Command(t, bin, "run", "--orchestrator", "temporal", "--pause", "61", "--detach")
	detach.Env = append(os.Environ(), env...)
	idOut, err := detach.Output()
	if err != nil {
		t.Fatalf("run --detach: %v", err)
	}
	id := strings.TrimSpace(string(idOut))
	waitFile(t, filepath.Join(marks, "slow.*"), seen)
	if s := showRun(t, bin, env, id); s.Run.Status != "running" {
		t.Errorf("detached run after its command returned: %s, want running", s.Run.Status)
	}
	if err := srv.Client.CancelWorkflow(t.Context(), id, ""); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for s := showRun(t, bin, env, id); s.Run.Status != "cancelled"; s = showRun(t, bin, env, id) {
		if time.Now().After(deadline) {
			t.Fatalf("cancelled detached run: %+v", s)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func mustGlob(pattern string) []string {
	names, _ := filepath.Glob(pattern)
	return names
}

// fanOutScript is a notebook of a source step and n steps that each read
// it, record which process ran them and wait a moment.
func fanOutScript(t *testing.T, n int) string {
	var b strings.Builder
	b.WriteString("//go:build ignore\n\n// %%\nimport (\n\t\"fmt\"\n\t\"os\"\n\t\"path/filepath\"\n\t\"strconv\"\n\t\"time\"\n)\n\n")
	b.WriteString("// %% tags=[\"step:source\"]\nseed := 7\nfmt.Println(\"seed\", seed)\n\n")
	for i := range n {
		fmt.Fprintf(&b, "// %%%% tags=[\"step:fan_%02d\"]\n", i)
		fmt.Fprintf(&b, "os.WriteFile(filepath.Join(os.Getenv(\"ZEN_TEST_MARK\"), \"fan.%02d.\"+strconv.Itoa(os.Getpid())), nil, 0o644)\n", i)
		fmt.Fprintf(&b, "time.Sleep(50 * time.Millisecond)\nv%02d := seed * %d\nfmt.Println(v%02d)\n\n", i, i, i)
	}
	path := filepath.Join(t.TempDir(), "fanout.go")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestTemporalFanOutOnTwoWorkers runs 50 independent steps on two worker
// processes: all succeed, both workers take some, and a run cancelled by
// an interrupt of the submitting command is recorded cancelled.
func TestTemporalFanOutOnTwoWorkers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated command and starts a Temporal server; skipped with -short")
	}
	bin, env, marks := temporalFixture(t, fanOutScript(t, 50), "fanout")
	env = append(env, "ZEN_ORCHESTRATOR=temporal")
	workers := map[string]bool{}
	for range 2 {
		workers[strconv.Itoa(startWorker(t, bin, env).Process.Pid)] = true
	}
	run := proctest.Command(t, bin, "run")
	run.Env = append(os.Environ(), env...)
	if b, err := run.CombinedOutput(); err != nil {
		t.Fatalf("run: %v\n%s", err, b)
	}
	s := showRun(t, bin, env, "latest")
	if s.Run.Status != "succeeded" || len(s.Steps) != 51 {
		t.Fatalf("run %s with %d steps: %s", s.Run.Status, len(s.Steps), s.Run.Error)
	}
	ran := map[string]int{}
	names, _ := filepath.Glob(filepath.Join(marks, "fan.*"))
	for _, n := range names {
		ran[strings.TrimPrefix(filepath.Ext(n), ".")]++
	}
	if len(names) != 50 || len(ran) != 2 {
		t.Errorf("%d step executions by processes %v; want 50 shared by the two workers %v", len(names), ran, workers)
	}
}

// A command generated without --temporal links no Temporal SDK and has
// no worker command; asked for the Temporal orchestrator, it says how to
// link it.
func TestDefaultCommandLeavesTemporalOut(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated command; skipped with -short")
	}
	out := filepath.Join(t.TempDir(), "sums")
	if status, _, stderr := runZengen(t, "generate", caseNotebook(t, "auto_cells"), "-o", out, "--module", "example.com/sums", "--runtime-replace", repoRoot); status != exitOK {
		t.Fatalf("generate: exit %d\n%s", status, stderr)
	}
	deps, err := goCommand(t, out, "list", "-deps", "./cmd/sums")
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, deps)
	}
	if strings.Contains(deps, "go.temporal.io") || strings.Contains(deps, "zengen/runtime/temporal") {
		t.Errorf("the default command links Temporal:\n%s", deps)
	}
	bin := filepath.Join(t.TempDir(), "sums")
	if output, err := goCommand(t, out, "build", "-o", bin, "./cmd/sums"); err != nil {
		t.Fatalf("go build: %v\n%s", err, output)
	}
	cmd := proctest.Command(t, bin, "run", "--home", t.TempDir())
	cmd.Env = append(os.Environ(), "ZEN_ORCHESTRATOR=temporal")
	got, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(got), "zengen generate --temporal") {
		t.Errorf("ZEN_ORCHESTRATOR=temporal without the link: %v\n%s", err, got)
	}
	help, _ := proctest.Command(t, bin, "--help").Output()
	if strings.Contains(string(help), "worker") || strings.Contains(string(help), "schedule") {
		t.Errorf("the default command lists a worker or schedule command:\n%s", help)
	}
}

// TestTemporalChurnOnTheTeamStack runs the churn example on Temporal with
// two worker processes that share only the team stack (PostgreSQL for the
// records, S3 for the artifacts), as workers on other machines would: the
// run's artifacts are those of a local run, digest for digest, and the
// commands that read runs read it.
func TestTemporalChurnOnTheTeamStack(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated command and starts a Temporal server; skipped with -short")
	}
	dsn := servertest.Postgres(t)
	_, store := servertest.S3Bucket(t)
	srv := servertest.StartTemporal(t)
	out := filepath.Join(t.TempDir(), "churn")
	args := []string{"generate", caseNotebook(t, "repl_churn"), "-o", out, "--module", "example.com/churn", "--runtime-replace", repoRoot, "--stack", "--temporal"}
	if status, _, stderr := runZengen(t, args...); status != exitOK {
		t.Fatalf("generate --stack --temporal: exit %d\n%s", status, stderr)
	}
	bin := filepath.Join(t.TempDir(), "churn")
	if output, err := goCommand(t, out, "build", "-o", bin, "./cmd/churn"); err != nil {
		t.Fatalf("go build: %v\n%s", err, output)
	}
	// Each worker has a home of its own: only the stack is shared.
	env := []string{"ZEN_TEMPORAL=" + srv.HostPort, "ZEN_DB=" + dsn, "ZEN_STORE=" + store}
	for range 2 {
		startWorker(t, bin, append(env, "ZEN_HOME="+t.TempDir()))
	}
	env = append(env, "ZEN_HOME="+t.TempDir())
	run := proctest.Command(t, bin, "run", "--orchestrator", "temporal")
	run.Env = append(os.Environ(), env...)
	if b, err := run.CombinedOutput(); err != nil {
		t.Fatalf("run --orchestrator temporal: %v\n%s", err, b)
	}
	remote := showRun(t, bin, env, "latest")
	if remote.Run.Status != "succeeded" {
		t.Fatalf("run: %+v", remote)
	}
	home := t.TempDir()
	local := proctest.Command(t, bin, "run", "--home", home)
	local.Env = append(os.Environ(), "ZEN_HOME="+home)
	if b, err := local.CombinedOutput(); err != nil {
		t.Fatalf("local run: %v\n%s", err, b)
	}
	localRun := showRun(t, bin, []string{"ZEN_HOME=" + home}, "latest")
	want, got := localRun.digests(), remote.digests()
	if len(want) == 0 || fmt.Sprint(want) != fmt.Sprint(got) {
		t.Errorf("artifacts on Temporal %v, locally %v", got, want)
	}
	for _, c := range [][]string{{"runs"}, {"logs", "latest", "evaluate"}, {"explain", "latest", "evaluate"}, {"diff", "latest", "latest"}} {
		cmd := proctest.Command(t, bin, c...)
		cmd.Env = append(os.Environ(), env...)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%v on the Temporal run: %v\n%s", c, err, b)
		}
	}
}

// TestTemporalStepStartsFromTheDeclarations runs a GoNB step that changes
// package-level variables three times on one worker process. GoNB ran the
// cell as a fresh program, and so does every local run; the worker, which
// runs the steps of many runs, must too, or the second run starts from
// what the first left and prints another count.
func TestTemporalStepStartsFromTheDeclarations(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated command and starts a Temporal server; skipped with -short")
	}
	bin, env, _ := temporalFixture(t, filepath.Join(repoRoot, "testdata", "temporal", "gonbstate.ipynb"), "gonbstate")
	startWorker(t, bin, env)
	for i := range 3 {
		run := proctest.Command(t, bin, "run", "--orchestrator", "temporal", "--no-cache")
		run.Env = append(os.Environ(), env...)
		out, err := run.CombinedOutput()
		if err != nil {
			t.Fatalf("run %d: %v\n%s", i+1, err, out)
		}
		if !strings.Contains(string(out), "seen 1 total 11") {
			t.Errorf("run %d on the worker printed:\n%s\nwant seen 1 total 11, as the notebook and every local run", i+1, out)
		}
	}
}
