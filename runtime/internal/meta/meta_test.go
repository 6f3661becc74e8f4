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

func TestMigrations(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "meta.db")

	// Fresh: every migration applied.
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var v int
	db.db.QueryRow("PRAGMA user_version").Scan(&v)
	if v != SchemaVersion() {
		t.Errorf("user_version %d, want %d", v, SchemaVersion())
	}
	var mode string
	db.db.QueryRow("PRAGMA journal_mode").Scan(&mode)
	if mode != "wal" {
		t.Errorf("journal_mode %s, want wal", mode)
	}
	r := &Run{ID: NewRunID(time.Now()), Pipeline: "p", Params: "{}", Args: "[]", StartedAt: time.Now()}
	if err := db.EnsurePipeline(ctx, "p", "p.ipynb", map[string]string{"a": "h"}); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateRun(ctx, r); err != nil {
		t.Fatal(err)
	}
	db.Close()

	// Re-open: nothing to apply, data kept.
	db, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.ResolveRun(ctx, "p", "latest")
	if err != nil || got.ID != r.ID {
		t.Errorf("after re-open: %v %v", got.ID, err)
	}
	db.Close()

	// A newer store is refused with a message that says what to do.
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	raw.Exec("PRAGMA user_version = 99")
	raw.Close()
	_, err = Open(ctx, path)
	want := fmt.Sprintf("metadata store at %s has schema version 99, this binary knows up to %d: upgrade the pipeline binary", path, SchemaVersion())
	if err == nil || err.Error() != want {
		t.Errorf("newer store: %v\nwant %s", err, want)
	}
}

func TestResolveRun(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.EnsurePipeline(ctx, "p", "p.ipynb", nil)
	base := time.Date(2026, 11, 25, 18, 30, 0, 0, time.UTC)
	for i, id := range []string{"20261125T183000.000Z-aaaaaa", "20261125T183001.000Z-bbbbbb", "20261125T183001.000Z-bbcccc"} {
		if err := db.CreateRun(ctx, &Run{ID: id, Pipeline: "p", Params: "{}", Args: "[]", StartedAt: base.Add(time.Duration(i) * time.Second)}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct{ ref, want, err string }{
		{"latest", "20261125T183001.000Z-bbcccc", ""},
		{"20261125T183000", "20261125T183000.000Z-aaaaaa", ""},
		{"20261125T183001.000Z-bbc", "20261125T183001.000Z-bbcccc", ""},
		{"20261125T183001", "", "ambiguous"},
		{"2027", "", "not found"},
		{"2026*", "", "not found"},
	}
	for _, tc := range tests {
		r, err := db.ResolveRun(ctx, "p", tc.ref)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: error %v, want %q", tc.ref, err, tc.err)
			}
			continue
		}
		if err != nil || r.ID != tc.want {
			t.Errorf("%s: %s %v, want %s", tc.ref, r.ID, err, tc.want)
		}
	}
}

func TestMarkInterrupted(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.EnsurePipeline(ctx, "p", "p.ipynb", nil)
	now := time.Now()
	alive := &Run{ID: "alive", Pipeline: "p", Params: "{}", Args: "[]", StartedAt: now}
	dead := &Run{ID: "dead", Pipeline: "p", Params: "{}", Args: "[]", StartedAt: now}
	stale := &Run{ID: "stale", Pipeline: "p", Params: "{}", Args: "[]", StartedAt: now.Add(-time.Hour)}
	for _, r := range []*Run{alive, dead, stale} {
		if err := db.CreateRun(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	// dead: a pid that cannot exist; stale: another host, silent for an hour.
	db.db.Exec(`UPDATE runs SET pid = 2147483646 WHERE id = 'dead'`)
	db.db.Exec(`UPDATE runs SET hostname = 'elsewhere' WHERE id = 'stale'`)
	sr := &StepRun{RunID: "dead", Pipeline: "p", Step: "s", StartedAt: now}
	if err := db.StartStep(ctx, sr); err != nil {
		t.Fatal(err)
	}
	got, err := db.MarkInterrupted(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"dead", "stale"}, got); diff != "" {
		t.Errorf("marked (-want +got):\n%s", diff)
	}
	s, _ := db.StepRun(ctx, "dead", "s")
	if s.Status != StepInterrupted {
		t.Errorf("step of the dead run: %s", s.Status)
	}
}

// A run of another orchestrator (Temporal) goes on when the process that
// submitted it is gone: neither the liveness rules nor a supervisor's
// account of an abandoned run end it.
func TestRemoteRunOutlivesItsSubmitter(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.EnsurePipeline(ctx, "p", "p.ipynb", nil)
	r := &Run{ID: "remote", Pipeline: "p", Params: "{}", Args: "[]", StartedAt: time.Now().Add(-time.Hour),
		Orchestrator: "temporal://127.0.0.1:7233/default"}
	if err := db.CreateRun(ctx, r); err != nil {
		t.Fatal(err)
	}
	db.db.Exec(`UPDATE runs SET pid = 2147483646 WHERE id = 'remote'`)
	if got, err := db.MarkInterrupted(ctx); err != nil || len(got) > 0 {
		t.Errorf("MarkInterrupted: %v, %v; want nothing marked", got, err)
	}
	if msg, err := db.FailAbandoned(ctx, "remote", "process exited with status 1"); err != nil || msg != "" {
		t.Errorf("FailAbandoned: %q, %v; want the run left alone", msg, err)
	}
	got, err := db.ResolveRun(ctx, "p", "remote")
	if err != nil || got.Status != RunRunning || got.Orchestrator != r.Orchestrator {
		t.Errorf("run: %+v, %v; want running on %s", got, err, r.Orchestrator)
	}
}
