package pgmeta_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/zengen-dev/zengen/internal/proctest"
	"github.com/zengen-dev/zengen/internal/servertest"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pgmeta"
	"github.com/zengen-dev/zengen/runtime/internal/seamtest"
)

func open(t *testing.T, dsn string) *pgmeta.DB {
	t.Helper()
	db, err := pgmeta.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestConformance(t *testing.T) {
	seamtest.TestMetadataStore(t, func(t *testing.T) engine.MetadataStore {
		return open(t, servertest.Postgres(t))
	})
}

// exec runs one statement on the database behind the store's back.
func execSQL(t *testing.T, dsn, q string, args ...any) {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(t.Context(), q, args...); err != nil {
		t.Fatal(err)
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	dsn := servertest.Postgres(t)
	open(t, dsn).Close()
	execSQL(t, dsn, `UPDATE zen_schema SET version = 99`)
	_, err := pgmeta.Open(t.Context(), dsn)
	if !errors.Is(err, pgmeta.ErrSchemaTooNew) {
		t.Fatalf("open of a schema from a newer binary: %v, want ErrSchemaTooNew", err)
	}
	want := fmt.Sprintf("has schema version 99, this binary knows up to %d: upgrade the pipeline binary", pgmeta.SchemaVersion())
	if !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "password") {
		t.Errorf("message %q, want it to say %q", err, want)
	}
}

func TestDSNPasswordIsNeverShown(t *testing.T) {
	name := pgmeta.Name("postgres://alice:s3cret@db.example:5433/zen?sslmode=disable")
	if name != "postgres://alice@db.example:5433/zen" {
		t.Errorf("Name = %q", name)
	}
}

// TestLiveness holds the store to the SQLite store's rule for runs whose
// process is gone: on this host the pid decides, from other hosts the
// heartbeat does.
func TestLiveness(t *testing.T) {
	dsn := servertest.Postgres(t)
	db := open(t, dsn)
	ctx := t.Context()
	if err := db.EnsurePipeline(ctx, "p", "p.ipynb", nil); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	newRun := func() meta.Run {
		r := meta.Run{ID: meta.NewRunID(now), Pipeline: "p", Params: "{}", Args: "[]", StartedAt: now}
		if err := db.CreateRun(ctx, &r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	mine, deadHere, quietThere, beatingThere := newRun(), newRun(), newRun(), newRun()
	// A pid that no process has: the kernel's limit is below 2^22.
	execSQL(t, dsn, `UPDATE runs SET pid = 4194304 WHERE id = $1`, deadHere.ID)
	execSQL(t, dsn, `UPDATE runs SET hostname = 'elsewhere', heartbeat_at = $1 WHERE id = $2`,
		now.Add(-meta.StaleHeartbeat-time.Minute).UnixNano(), quietThere.ID)
	execSQL(t, dsn, `UPDATE runs SET hostname = 'elsewhere' WHERE id = $1`, beatingThere.ID)
	if err := db.Heartbeat(ctx, beatingThere.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	marked, err := db.MarkInterrupted(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, id := range marked {
		got[id] = true
	}
	want := map[string]bool{deadHere.ID: true, quietThere.ID: true}
	if len(got) != len(want) || !got[deadHere.ID] || !got[quietThere.ID] {
		t.Errorf("marked %v, want the dead run here (%s) and the silent one elsewhere (%s); not %s, %s",
			marked, deadHere.ID, quietThere.ID, mine.ID, beatingThere.ID)
	}
	r, err := db.ResolveRun(ctx, "p", quietThere.ID)
	if err != nil || r.Status != meta.RunInterrupted || r.Error != "the process running it stopped" {
		t.Errorf("silent run reads back as %s %q (%v)", r.Status, r.Error, err)
	}
}

// TestTwoProcesses runs two processes against one new database at once:
// both migrate it, and each records runs whose steps share artifacts with
// the other's. Nothing may fail and nothing may be lost.
func TestTwoProcesses(t *testing.T) {
	dsn := servertest.Postgres(t)
	const runs = 20
	var wg sync.WaitGroup
	errs := make([]error, 2)
	outs := make([][]byte, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := proctest.Command(t, os.Args[0], "-test.run=^TestRecorderProcess$", "-test.v")
			cmd.Env = append(os.Environ(), "ZEN_PGMETA_RECORDER="+dsn, fmt.Sprintf("ZEN_PGMETA_RUNS=%d", runs))
			outs[i], errs[i] = cmd.CombinedOutput()
		}()
	}
	wg.Wait()
	for i := range 2 {
		if errs[i] != nil {
			t.Fatalf("process %d: %v\n%s", i, errs[i], outs[i])
		}
	}
	db := open(t, dsn)
	all, err := db.Runs(t.Context(), "shared", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2*runs {
		t.Errorf("%d runs recorded, want %d", len(all), 2*runs)
	}
	for _, r := range all {
		steps, err := db.StepRuns(t.Context(), r.ID)
		if err != nil || len(steps) != 2 || r.Status != meta.RunSucceeded {
			t.Fatalf("run %s: %s with %d steps (%v)", r.ID, r.Status, len(steps), err)
		}
	}
}

// TestRecorderProcess is the body of TestTwoProcesses's processes.
func TestRecorderProcess(t *testing.T) {
	dsn := os.Getenv("ZEN_PGMETA_RECORDER")
	if dsn == "" {
		t.Skip("runs only as a process of TestTwoProcesses")
	}
	var runs int
	fmt.Sscan(os.Getenv("ZEN_PGMETA_RUNS"), &runs)
	ctx := t.Context()
	db := open(t, dsn)
	shared := meta.Artifact{Name: "x", Digest: "sha256:" + strings.Repeat("ab", 32), Size: 2, Codec: "raw", Type: "string", Inline: []byte("hi")}
	var last string
	for range runs {
		if err := db.EnsurePipeline(ctx, "shared", "shared.ipynb", map[string]string{"a": "ca", "b": "cb"}); err != nil {
			t.Fatal(err)
		}
		r := meta.Run{ID: meta.NewRunID(time.Now()), Pipeline: "shared", Params: "{}", Args: "[]", StartedAt: time.Now()}
		if err := db.CreateRun(ctx, &r); err != nil {
			t.Fatal(err)
		}
		last = r.ID
		tx, err := db.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, step := range []string{"a", "b"} {
			sr := &meta.StepRun{RunID: r.ID, Pipeline: "shared", Step: step, Status: meta.StepSucceeded, Attempt: 1,
				StartedAt: time.Now(), EndedAt: time.Now(), CacheKey: "k-" + step, Outputs: []meta.Artifact{shared},
				Metrics: []meta.Metric{{Name: "m", Value: 1}}, Log: "line\x00\xff\n"}
			if err := tx.FinishStep(ctx, sr); err != nil {
				t.Fatal(err)
			}
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		if err := db.FinishRun(ctx, r.ID, meta.RunSucceeded, "", time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	sr, err := db.StepRun(ctx, last, "a")
	if err != nil || sr.Log != "line\x00\xff\n" {
		t.Errorf("log with a NUL and invalid UTF-8 reads back as %q (%v)", sr.Log, err)
	}
}

// TestReadingNeedsAStore: the commands that only read refuse a database
// in which nothing has run, and leave it as it was.
func TestReadingNeedsAStore(t *testing.T) {
	dsn := servertest.Postgres(t)
	if _, err := pgmeta.OpenExisting(t.Context(), dsn); err == nil || !strings.Contains(err.Error(), "nothing has run with this stack") {
		t.Errorf("open of an empty database to read: %v", err)
	}
	open(t, dsn).Close()
	db, err := pgmeta.OpenExisting(t.Context(), dsn)
	if err != nil {
		t.Fatalf("open of a store to read: %v", err)
	}
	db.Close()
}
