package pgmeta_test

import (
	"testing"
	"time"

	"github.com/zengen-dev/zengen/internal/servertest"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// Migration 6 gives every step output the hash of the type that stored it:
// the outputs of a store from before it read back with "" (unknown), and
// those recorded after it with theirs.
func TestMigrationSixKeepsOldOutputsUnknown(t *testing.T) {
	dsn := servertest.Postgres(t)
	db := open(t, dsn)
	start := time.Now().Add(-time.Minute).Truncate(time.Millisecond)
	record := func(id string, hash string) {
		t.Helper()
		run := meta.Run{ID: id, Pipeline: "p", Params: `{}`, Args: `[]`, StartedAt: start}
		if err := db.CreateRun(t.Context(), &run); err != nil {
			t.Fatal(err)
		}
		tx, err := db.Begin(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		sr := &meta.StepRun{RunID: id, Pipeline: "p", Step: "load", Status: meta.StepSucceeded, Attempt: 1,
			StartedAt: start, EndedAt: start, CacheKey: "k-" + id, Components: `{}`,
			Outputs: []meta.Artifact{{Name: "pt", Digest: "sha256:aa", Size: 2, Codec: "binary", Type: "Point", TypeHash: hash}}}
		if err := tx.FinishStep(t.Context(), sr); err != nil {
			tx.Rollback()
			t.Fatal(err)
		}
		if err := tx.Commit(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.EnsurePipeline(t.Context(), "p", "p.ipynb", nil); err != nil {
		t.Fatal(err)
	}
	record("20261130T010000", "lost-with-the-column")
	db.Close()
	// The schema as version 5 left it, with its rows.
	execSQL(t, dsn, `ALTER TABLE step_outputs DROP COLUMN type_hash`)
	execSQL(t, dsn, `ALTER TABLE step_logs DROP COLUMN streams`)
	execSQL(t, dsn, `ALTER TABLE live_step_logs DROP COLUMN streams`)
	execSQL(t, dsn, `ALTER TABLE step_logs DROP COLUMN retries`)
	execSQL(t, dsn, `ALTER TABLE live_step_logs DROP COLUMN retries`)
	execSQL(t, dsn, `UPDATE zen_schema SET version = 5`)

	db = open(t, dsn)
	record("20261130T020000", "point-v2")
	for id, want := range map[string]string{"20261130T010000": "", "20261130T020000": "point-v2"} {
		sr, err := db.StepRun(t.Context(), id, "load")
		if err != nil {
			t.Fatal(err)
		}
		if len(sr.Outputs) != 1 || sr.Outputs[0].TypeHash != want {
			t.Errorf("run %s: outputs %+v, want type hash %q", id, sr.Outputs, want)
		}
	}
}
