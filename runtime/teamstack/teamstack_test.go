package teamstack_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/jackc/pgx/v5"

	zen "github.com/zengen-dev/zengen/runtime"
	_ "github.com/zengen-dev/zengen/runtime/teamstack"

	"github.com/zengen-dev/zengen/internal/proctest"
	"github.com/zengen-dev/zengen/internal/servertest"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/seamtest"
)

// big is how many bytes step b saves: more than the records keep inline,
// so its artifact lives in the artifact store.
const big = 64 << 10

// chain is a → b → c: a saves 1, b a big string of a's digits, c its
// length. blockIn, when set, makes b create that file and block forever.
func chain(runs map[string]*atomic.Int32, blockIn string) *zen.Pipeline {
	step := func(name string, in string, from string, run func(ctx context.Context, sc *zen.StepContext) error) *zen.Step {
		s := &zen.Step{Name: name, Func: strings.ToUpper(name), CodeHash: "code-" + name, Pos: "chain.ipynb:cell 1",
			Outputs: []zen.Output{{Name: "out", Type: "string", Codec: "raw"}}}
		if in != "" {
			s.Inputs = []zen.Input{{Name: in, Type: "string", Codec: "raw", From: from}}
		}
		s.Run = func(ctx context.Context, sc *zen.StepContext) error {
			runs[name].Add(1)
			return run(ctx, sc)
		}
		return s
	}
	return &zen.Pipeline{Name: "chain", Steps: []*zen.Step{
		step("a", "", "", func(ctx context.Context, sc *zen.StepContext) error {
			return zen.Save(sc, "out", zen.Raw[string](), "1")
		}),
		step("b", "out", "a", func(ctx context.Context, sc *zen.StepContext) error {
			if blockIn != "" {
				os.WriteFile(blockIn, nil, 0o644)
				<-ctx.Done()
				select {}
			}
			x, err := zen.Load(sc, "out", zen.Raw[string]())
			if err != nil {
				return err
			}
			return zen.Save(sc, "out", zen.Raw[string](), strings.Repeat(x, big))
		}),
		step("c", "out", "b", func(ctx context.Context, sc *zen.StepContext) error {
			y, err := zen.Load(sc, "out", zen.Raw[string]())
			if err != nil {
				return err
			}
			return zen.Save(sc, "out", zen.Raw[string](), fmt.Sprint(len(y)))
		}),
	}}
}

func counters() map[string]*atomic.Int32 {
	return map[string]*atomic.Int32{"a": {}, "b": {}, "c": {}}
}

// stack is one combination of metadata and artifact stores.
type stack struct {
	name string
	args []string // --db/--store flags
	home string
	// corrupt changes the bytes of the stored object with digest d.
	corrupt func(t *testing.T, d string)
}

func (s stack) exec(t *testing.T, p *zen.Pipeline, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	args = append(append(args, "--home", s.home), s.args...)
	code := zen.Exec(t.Context(), p, args, &out, &errb)
	return out.String(), errb.String(), code
}

func (s stack) mustRun(t *testing.T, p *zen.Pipeline, args ...string) string {
	t.Helper()
	out, errb, code := s.exec(t, p, append([]string{"run"}, args...)...)
	if code != 0 {
		t.Fatalf("%s: run %v: exit %d\n%s\n%s", s.name, args, code, out, errb)
	}
	return out
}

func localCorrupt(home string) func(t *testing.T, d string) {
	return func(t *testing.T, d string) {
		hexSum := strings.TrimPrefix(d, "sha256:")
		path := filepath.Join(home, "blobs", "objects", hexSum[:2], hexSum[2:])
		if err := os.WriteFile(path, []byte("damaged"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func s3Corrupt(bucket string) func(t *testing.T, d string) {
	return func(t *testing.T, d string) {
		hexSum := strings.TrimPrefix(d, "sha256:")
		_, err := servertest.S3Client(t).PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String(bucket),
			Key: aws.String("objects/" + hexSum[:2] + "/" + hexSum[2:]), Body: strings.NewReader("damaged")})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// stacks returns the four combinations the issue asks for, each empty.
func stacks(t *testing.T) []stack {
	home := func() string { return t.TempDir() }
	h1, h2, h3, h4 := home(), home(), home(), home()
	b2, u2 := servertest.S3Bucket(t)
	b3, u3 := servertest.S3Bucket(t)
	return []stack{
		{name: "sqlite+files", home: h1, corrupt: localCorrupt(h1)},
		{name: "postgres+s3", home: h2, args: []string{"--db", servertest.Postgres(t), "--store", u2}, corrupt: s3Corrupt(b2)},
		{name: "sqlite+s3", home: h3, args: []string{"--store", u3}, corrupt: s3Corrupt(b3)},
		{name: "postgres+files", home: h4, args: []string{"--db", servertest.Postgres(t)}, corrupt: localCorrupt(h4)},
	}
}

func digestOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// TestStacks runs the pipeline on each combination: a run, a fully
// cached run, cat, a corrupted artifact detected and made again, and the
// stack check.
func TestStacks(t *testing.T) {
	for _, s := range stacks(t) {
		t.Run(s.name, func(t *testing.T) {
			runs := counters()
			p := chain(runs, "")
			s.mustRun(t, p)
			s.mustRun(t, p)
			if got := [3]int32{runs["a"].Load(), runs["b"].Load(), runs["c"].Load()}; got != [3]int32{1, 1, 1} {
				t.Errorf("steps ran %v times in a run and a cached run, want once each", got)
			}
			out, errb, code := s.exec(t, p, "cat", "latest", "c.out")
			if code != 0 || strings.TrimSpace(out) != fmt.Sprint(big) {
				t.Errorf("cat c.out: %q %q exit %d", out, errb, code)
			}
			s.corrupt(t, digestOf(strings.Repeat("1", big)))
			s.mustRun(t, p)
			if runs["b"].Load() != 2 || runs["c"].Load() != 1 {
				t.Errorf("after corrupting b's artifact, b ran %d and c %d times; want b made again, c cached", runs["b"].Load(), runs["c"].Load())
			}
			out, errb, code = s.exec(t, p, "cat", "latest", "b.out")
			if code != 0 || len(out) < big {
				t.Errorf("cat of the artifact made again: %d bytes, %q, exit %d", len(out), errb, code)
			}
			out, errb, code = s.exec(t, p, "stack")
			if code != 0 || strings.Count(out, "ok:") != 2 {
				t.Errorf("stack: exit %d\n%s%s", code, out, errb)
			}
		})
	}
}

// TestHelperProcess is not a test: the tests below re-execute the test
// binary to run the pipeline in a process of its own, which they kill.
func TestHelperProcess(t *testing.T) {
	args := os.Getenv("ZEN_TEAMSTACK_ARGS")
	if args == "" {
		t.Skip("helper process only")
	}
	var argv []string
	json.Unmarshal([]byte(args), &argv)
	engine.AttachRunReport() // when a test supervises this process as run's parent does
	p := chain(counters(), os.Getenv("ZEN_TEAMSTACK_BLOCK"))
	if mark, goOn := os.Getenv("ZEN_TEAMSTACK_MARK"), os.Getenv("ZEN_TEAMSTACK_GO"); mark != "" {
		run := p.Steps[1].Run
		p.Steps[1].Run = func(ctx context.Context, sc *zen.StepContext) error {
			os.WriteFile(mark, nil, 0o644)
			for waitFor(goOn) != nil {
			}
			return run(ctx, sc)
		}
	}
	if os.Getenv("ZEN_TEAMSTACK_EXIT") != "" {
		p.Steps[1].Run = func(context.Context, *zen.StepContext) error { os.Exit(3); return nil }
	}
	code := zen.Exec(context.Background(), p, argv, os.Stdout, os.Stderr)
	os.Exit(code)
}

func helper(t *testing.T, s stack, block string) *exec.Cmd {
	argv, _ := json.Marshal(append([]string{"run", "--home", s.home}, s.args...))
	cmd := proctest.Command(t, os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), "ZEN_TEAMSTACK_ARGS="+string(argv), "ZEN_TEAMSTACK_BLOCK="+block)
	return cmd
}

// TestKillDashNineThenResume kills a run on a team stack during step b and
// resumes it: a is reused, b and c run, the killed run reads interrupted.
func TestKillDashNineThenResume(t *testing.T) {
	s := stacks(t)[1] // postgres+s3
	marker := filepath.Join(t.TempDir(), "b-started")
	cmd := helper(t, s, marker)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(marker); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("the helper never reached step b:\n%s", out.String())
		}
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()

	runs := counters()
	p := chain(runs, "")
	got, errb, code := s.exec(t, p, "runs", "--json")
	if code != 0 || !strings.Contains(got, `"status": "interrupted"`) {
		t.Errorf("runs after kill -9: exit %d %s %s; want the run interrupted", code, got, errb)
	}
	s.mustRun(t, p, "--resume", "latest")
	if got := [3]int32{runs["a"].Load(), runs["b"].Load(), runs["c"].Load()}; got != [3]int32{0, 1, 1} {
		t.Errorf("resume ran %v, want a reused and b, c run", got)
	}
}

// TestTwoProcessesAtOnce runs the pipeline from two processes on one team
// stack at the same moment: both succeed.
func TestTwoProcessesAtOnce(t *testing.T) {
	s := stacks(t)[1]
	var wg sync.WaitGroup
	outs := make([][]byte, 2)
	errs := make([]error, 2)
	for i := range 2 {
		wg.Go(func() { outs[i], errs[i] = helper(t, s, "").CombinedOutput() })
	}
	wg.Wait()
	for i := range 2 {
		if errs[i] != nil {
			t.Errorf("process %d: %v\n%s", i, errs[i], outs[i])
		}
	}
	out, _, code := s.exec(t, chain(counters(), ""), "runs", "--json")
	if code != 0 || strings.Count(out, `"status": "succeeded"`) != 2 {
		t.Errorf("runs: %s", out)
	}
}

// TestExitDuringStepIsRecorded: when a step ends the process, the
// supervising parent records the run as failed in the team metadata
// store, which it finds through the child's report.
func TestExitDuringStepIsRecorded(t *testing.T) {
	s := stacks(t)[1]
	cmd := helper(t, s, "")
	cmd.Env = append(cmd.Env, "ZEN_TEAMSTACK_EXIT=1")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	code, ok := engine.Supervise(chain(counters(), ""), cmd, &stderr)
	if !ok || code != 3 {
		t.Fatalf("supervised run: code %d, ok %v\n%s", code, ok, stderr.String())
	}
	out, _, _ := s.exec(t, chain(counters(), ""), "runs", "--json")
	if !strings.Contains(out, `"error": "process exited with status 3 during step b"`) {
		t.Errorf("runs after a step exited:\n%s\n%s", out, stderr.String())
	}
}

// TestPush publishes local runs to a team stack: the records and
// artifacts arrive, pushing again changes nothing, a push that stopped
// half way resumes, and a corrupt local artifact stops its run's push
// before any record of it arrives.
func TestPush(t *testing.T) {
	local := stacks(t)[0]
	team := stacks(t)[1]
	to := []string{"--to-db", team.args[1], "--to-store", team.args[3]}
	runs := counters()
	p := chain(runs, "")
	local.mustRun(t, p)
	local.mustRun(t, p, "--no-cache")
	push := func(args ...string) string {
		t.Helper()
		out, errb, code := local.exec(t, p, append(append([]string{"push"}, to...), args...)...)
		if code != 0 {
			t.Fatalf("push %v: exit %d\n%s%s", args, code, out, errb)
		}
		return out
	}
	if out := push("latest"); !strings.Contains(out, "1 of 1 runs pushed") || !strings.Contains(out, "1 artifacts uploaded") {
		t.Errorf("push latest:\n%s", out)
	}
	// The first run is still to push: the second push resumes with it.
	out := push()
	if !strings.Contains(out, "1 of 2 runs pushed") || !strings.Contains(out, "is there already") || !strings.Contains(out, "0 artifacts uploaded") {
		t.Errorf("push of all after latest:\n%s", out)
	}
	if out := push(); !strings.Contains(out, "0 of 2 runs pushed") {
		t.Errorf("push again:\n%s", out)
	}
	teamRuns := counters()
	got, errb, code := team.exec(t, chain(teamRuns, ""), "cat", "latest", "c.out")
	if code != 0 || strings.TrimSpace(got) != fmt.Sprint(big) {
		t.Errorf("cat on the team stack: %q %s", got, errb)
	}
	team.mustRun(t, chain(teamRuns, ""))
	if got := [3]int32{teamRuns["a"].Load(), teamRuns["b"].Load(), teamRuns["c"].Load()}; got != [3]int32{0, 0, 0} {
		t.Errorf("a run on the team stack after the push ran %v; want every step cached from the pushed runs", got)
	}

	// A third local run whose big artifact is then damaged.
	local.mustRun(t, p, "--no-cache")
	local.corrupt(t, digestOf(strings.Repeat("1", big)))
	other := stacks(t)[1]
	toOther := []string{"push", "--to-db", other.args[1], "--to-store", other.args[3], "latest"}
	out, errb, code = local.exec(t, p, toOther...)
	if code == 0 || !strings.Contains(errb, "content does not match its digest") {
		t.Errorf("push of a corrupt artifact: exit %d\n%s%s", code, out, errb)
	}
	if out, _, _ := other.exec(t, p, "runs", "--json"); strings.Contains(out, `"id"`) {
		t.Errorf("the target recorded a run whose artifact did not arrive:\n%s", out)
	}
}

// TestPushStreamsLargeArtifacts: a push knows each artifact's digest, so
// an artifact larger than a part goes straight to its object as it is
// read, with no local copy: with $TMPDIR gone the push still succeeds,
// and the team stack reads back the same bytes.
func TestPushStreamsLargeArtifacts(t *testing.T) {
	local, team := stacks(t)[0], stacks(t)[1]
	const size = 40 << 20 // more than two parts of the upload
	p := &zen.Pipeline{Name: "large", Steps: []*zen.Step{{
		Name: "a", Func: "A", CodeHash: "code-a", Pos: "large.ipynb:cell 1",
		Outputs: []zen.Output{{Name: "out", Type: "string", Codec: "raw"}},
		Run: func(ctx context.Context, sc *zen.StepContext) error {
			return zen.Save(sc, "out", zen.Raw[string](), strings.Repeat("large ", size/6))
		},
	}}}
	local.mustRun(t, p)
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "gone"))
	out, errb, code := local.exec(t, p, "push", "--to-db", team.args[1], "--to-store", team.args[3], "latest")
	if code != 0 || !strings.Contains(out, "1 artifacts uploaded") {
		t.Fatalf("push of a %d-byte artifact with $TMPDIR gone: exit %d\n%s%s", size, code, out, errb)
	}
	got, errb, code := team.exec(t, p, "cat", "latest", "a.out")
	if code != 0 || strings.TrimSuffix(got, "\n") != strings.Repeat("large ", size/6) {
		t.Errorf("cat on the team stack: exit %d, %d bytes\n%s", code, len(got), errb)
	}
}

// TestOrchestratorOnEveryStack runs the orchestrator's conformance suite
// on the four combinations of metadata and artifact stores.
func TestOrchestratorOnEveryStack(t *testing.T) {
	for _, c := range []struct {
		name      string
		db, store bool
	}{{"sqlite+files", false, false}, {"postgres+s3", true, true}, {"sqlite+s3", false, true}, {"postgres+files", true, false}} {
		t.Run(c.name, func(t *testing.T) {
			seamtest.TestOrchestratorOn(t, func(t *testing.T) *engine.Store {
				f := engine.StackFlags{Home: t.TempDir()}
				if c.db {
					f.DB = servertest.Postgres(t)
				}
				if c.store {
					_, f.Store = servertest.S3Bucket(t)
				}
				st, err := engine.ChooseStack(f).OpenStore(t.Context())
				if err != nil {
					t.Fatal(err)
				}
				return st
			}, func(t *testing.T, st *engine.Store) engine.Orchestrator {
				return engine.LocalScheduler(st)
			})
		})
	}
}

// TestUnreachableStoreFailsTheStep: when the artifact store cannot be
// reached, the step that saves a large artifact fails naming the store,
// nothing is recorded for it, and the run resumes once the store is back.
func TestUnreachableStoreFailsTheStep(t *testing.T) {
	s := stacks(t)[1]
	good := s.args[3]
	u, _ := url.Parse(good)
	q := u.Query()
	q.Set("endpoint", "http://127.0.0.1:1")
	u.RawQuery = q.Encode()
	down := s
	down.args = []string{s.args[0], s.args[1], "--store", u.String()}
	runs := counters()
	p := chain(runs, "")
	out, errb, code := down.exec(t, p, "run")
	if code == 0 || !strings.Contains(out+errb, "the endpoint cannot be reached") || !strings.Contains(out+errb, Name(good)) {
		t.Fatalf("run with the store down: exit %d\n%s%s", code, out, errb)
	}
	t.Logf("with the store down:\n%s", errb)
	s.mustRun(t, p, "--resume", "latest")
	if got := [3]int32{runs["a"].Load(), runs["b"].Load(), runs["c"].Load()}; got != [3]int32{1, 2, 1} {
		t.Errorf("steps ran %v times; want a once, b again on resume, c once", got)
	}
}

// Name is the store's URL without its query, as messages show it.
func Name(storeURL string) string {
	u, _ := url.Parse(storeURL)
	u.RawQuery = ""
	return u.String()
}

// waitFor waits up to 30 s for path to exist.
func waitFor(path string) error {
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(path); err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s never appeared", path)
		}
	}
}

// TestPostgresDownMidRun stops the records' PostgreSQL server (a cluster
// of the test's own, by its PID) while step b runs: the run fails naming
// the server, no artifact record points to an object the bucket lacks,
// and once the server is back the run resumes.
func TestPostgresDownMidRun(t *testing.T) {
	pg := servertest.OwnPostgres(t)
	bucket, u := servertest.S3Bucket(t)
	s := stack{name: "own postgres+s3", home: t.TempDir(), args: []string{"--db", pg.DSN, "--store", u}}
	dir := t.TempDir()
	mark, goOn := filepath.Join(dir, "b-started"), filepath.Join(dir, "go-on")
	cmd := helper(t, s, "")
	cmd.Env = append(cmd.Env, "ZEN_TEAMSTACK_MARK="+mark, "ZEN_TEAMSTACK_GO="+goOn)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if err := waitFor(mark); err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the helper never reached step b: %v\n%s", err, out.String())
	}
	pg.Stop(t)
	os.WriteFile(goOn, nil, 0o644)
	err := cmd.Wait()
	server := strings.TrimPrefix(strings.Split(pg.DSN, "/postgres")[0], "postgres://zen@")
	failed := regexp.MustCompile(`(?m)^✗ \w+ failed: .*` + regexp.QuoteMeta(server))
	if err == nil || !failed.MatchString(out.String()) {
		t.Fatalf("run with PostgreSQL stopped during step b: %v; want a failure naming %s\n%s", err, server, out.String())
	}
	t.Logf("with PostgreSQL stopped:\n%s", out.String())

	pg.Start(t)
	runs := counters()
	p := chain(runs, "")
	s.mustRun(t, p, "--resume", "latest")
	// a's record was written before the server stopped; b's was lost
	// with it, so b runs again.
	if got := [3]int32{runs["a"].Load(), runs["b"].Load(), runs["c"].Load()}; got != [3]int32{0, 1, 1} {
		t.Errorf("resume ran %v, want a reused and b, c run", got)
	}
	conn, err := pgx.Connect(t.Context(), pg.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	rows, err := conn.Query(t.Context(), "SELECT digest FROM artifacts WHERE digest NOT IN (SELECT digest FROM inline_artifacts)")
	if err != nil {
		t.Fatal(err)
	}
	digests, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(digests) == 0 {
		t.Fatalf("artifact records in the store: %v, %v; want b's and c's", digests, err)
	}
	for _, d := range digests {
		hexSum := strings.TrimPrefix(d, "sha256:")
		if _, err := servertest.S3Client(t).HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String(bucket),
			Key: aws.String("objects/" + hexSum[:2] + "/" + hexSum[2:])}); err != nil {
			t.Errorf("artifact record %s has no object: %v", d, err)
		}
	}
}
