package meta

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestTxRecordsAStepAndItsSuccessorInOneCommit(t *testing.T) {
	ctx := context.Background()
	db, runID := testStore(t)
	tx, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	done := &StepRun{RunID: runID, Pipeline: "p", Step: "a", Status: StepSucceeded, CacheKey: "k1", EndedAt: time.Now(),
		Outputs: []Artifact{{Name: "v", Digest: "sha256:aa", Size: 2, Codec: "json", Type: "int"}},
		Metrics: []Metric{{Name: "loss", Value: 0.5}}}
	next := &StepRun{RunID: runID, Pipeline: "p", Step: "b", StartedAt: time.Now(), Attempt: 1}
	if err := tx.FinishStep(ctx, done); err != nil {
		t.Fatal(err)
	}
	if err := tx.StartStep(ctx, next); err != nil {
		t.Fatal(err)
	}
	// A record that fails half-way leaves nothing behind, and the
	// transaction goes on: the second output of the same name breaks the
	// step_outputs key after the step row was written.
	broken := &StepRun{RunID: runID, Pipeline: "p", Step: "c", Status: StepSucceeded,
		Outputs: []Artifact{{Name: "v", Digest: "sha256:bb", Codec: "json"}, {Name: "v", Digest: "sha256:bb", Codec: "json"}}}
	if err := tx.FinishStep(ctx, broken); err == nil {
		t.Fatal("a record with two outputs named v was accepted")
	}
	if broken.ID != 0 {
		t.Errorf("the failed record kept id %d", broken.ID)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	steps, err := db.StepRuns(ctx, runID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, s := range steps {
		got[s.Step] = s.Status
	}
	if diff := cmp.Diff(map[string]string{"a": StepSucceeded, "b": StepRunning}, got); diff != "" {
		t.Errorf("recorded (-want +got):\n%s", diff)
	}
	var artifacts int
	db.db.QueryRow(`SELECT count(*) FROM artifacts WHERE digest = 'sha256:bb'`).Scan(&artifacts)
	if artifacts != 0 {
		t.Errorf("the failed record left %d artifact rows", artifacts)
	}
}

func TestCacheHitIsOneIndexedLookup(t *testing.T) {
	ctx := context.Background()
	db, runID := testStore(t)
	base := time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)
	for i, sr := range []*StepRun{
		{Step: "a", Status: StepSucceeded, CacheKey: "k", EndedAt: base,
			Outputs: []Artifact{{Name: "v", Digest: "sha256:old", Size: 1, Codec: "json", Type: "int"}}},
		{Step: "b", Status: StepSucceeded, CacheKey: "k", EndedAt: base.Add(time.Second),
			Outputs: []Artifact{{Name: "w", Digest: "sha256:w", Size: 3, Codec: "raw", Type: "string"},
				{Name: "v", Digest: "sha256:new", Size: 2, Codec: "json", Type: "int"}},
			Metrics: []Metric{{Name: "loss", Value: 0.25}, {Name: "acc", Value: 0.75}}},
		{Step: "c", Status: StepFailed, CacheKey: "k", EndedAt: base.Add(2 * time.Second)},
		{Step: "d", Status: StepCached, CacheKey: "k", CachedFrom: "first", EndedAt: base.Add(-time.Second)},
	} {
		// Step s in four runs.
		run := &Run{ID: fmt.Sprintf("%s-%d", runID, i), Pipeline: "p", Params: "{}", Args: "[]", StartedAt: base}
		if err := db.CreateRun(ctx, run); err != nil {
			t.Fatal(err)
		}
		sr.RunID, sr.Pipeline, sr.Step = run.ID, "p", "s"
		if err := db.FinishStep(ctx, sr); err != nil {
			t.Fatal(err)
		}
	}
	hit, err := db.CacheHit(ctx, "p", "s", "k")
	if err != nil {
		t.Fatal(err)
	}
	want := &StepRun{ID: hit.ID, RunID: runID + "-1", Pipeline: "p", Step: "s", CacheKey: "k",
		Outputs: []Artifact{{Name: "v", Digest: "sha256:new", Size: 2, Codec: "json", Type: "int"},
			{Name: "w", Digest: "sha256:w", Size: 3, Codec: "raw", Type: "string"}},
		Metrics: []Metric{{Name: "acc", Value: 0.75}, {Name: "loss", Value: 0.25}}}
	if diff := cmp.Diff(want, hit); diff != "" {
		t.Errorf("hit (-want +got):\n%s", diff)
	}
	if miss, err := db.CacheHit(ctx, "p", "s", "other"); miss != nil || err != nil {
		t.Errorf("another key: %v %v", miss, err)
	}
	rows, err := db.db.Query("EXPLAIN QUERY PLAN "+cacheHitQuery, "p", "s", "k")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	text := strings.Join(plan, "\n")
	if !strings.Contains(text, "SEARCH step_runs USING INDEX step_runs_by_key") || strings.Contains(text, "SCAN step_runs") {
		t.Errorf("the lookup does not walk step_runs_by_key:\n%s", text)
	}
}

func TestMigrationTwoKeepsTheRecords(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "meta.db")
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", path+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{ms[0].SQL, "PRAGMA user_version = 1",
		`INSERT INTO pipelines VALUES ('p', 'p.ipynb', 1)`,
		`INSERT INTO runs (id, pipeline, status, params, args, started_at, heartbeat_at, pid, hostname)
			VALUES ('r', 'p', 'succeeded', '{}', '[]', 1, 1, 1, 'h')`,
		`INSERT INTO step_runs (id, run_id, pipeline, step, status, cache_key, ended_at) VALUES (7, 'r', 'p', 'a', 'succeeded', 'k', 5)`,
		`INSERT INTO artifacts VALUES ('sha256:aa', 2, 'json', 'int')`,
		`INSERT INTO step_outputs VALUES (7, 'v', 'sha256:aa')`,
		`INSERT INTO step_inputs VALUES (7, 'in', 'z', 'sha256:aa')`,
		`INSERT INTO metrics VALUES (7, 'loss', 0.5)`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()

	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.StepRun(ctx, "r", "a")
	if err != nil {
		t.Fatal(err)
	}
	want := StepRun{ID: 7, RunID: "r", Pipeline: "p", Step: "a", Status: StepSucceeded, CacheKey: "k", EndedAt: FromNanos(5),
		Inputs:  []Artifact{{Name: "in", Digest: "sha256:aa", Size: 2, Codec: "json", Type: "int", FromStep: "z"}},
		Outputs: []Artifact{{Name: "v", Digest: "sha256:aa", Size: 2, Codec: "json", Type: "int"}},
		Metrics: []Metric{{Name: "loss", Value: 0.5}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("after migration (-want +got):\n%s", diff)
	}
	var fkProblems int
	db.db.QueryRow(`SELECT count(*) FROM pragma_foreign_key_check`).Scan(&fkProblems)
	if fkProblems != 0 {
		t.Errorf("%d foreign key problems after migration", fkProblems)
	}
}

// testStore opens a store holding one run of pipeline p.
func testStore(t *testing.T) (*DB, string) {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.EnsurePipeline(ctx, "p", "p.ipynb", nil); err != nil {
		t.Fatal(err)
	}
	r := &Run{ID: NewRunID(time.Now()), Pipeline: "p", Params: "{}", Args: "[]", StartedAt: time.Now()}
	if err := db.CreateRun(ctx, r); err != nil {
		t.Fatal(err)
	}
	return db, r.ID
}
