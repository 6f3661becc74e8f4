package meta

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func digestOf(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

func TestInlineArtifactsRoundTripAndRepair(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.EnsurePipeline(ctx, "p", "p.ipynb", map[string]string{"s": "h"}); err != nil {
		t.Fatal(err)
	}
	outputs := []Artifact{
		{Name: "blob", Digest: digestOf([]byte("big")), Size: 3, Codec: "raw"},
		{Name: "empty", Digest: digestOf(nil), Size: 0, Codec: "raw", Inline: []byte{}},
		{Name: "small", Digest: digestOf([]byte("42\n")), Size: 3, Codec: "json", Type: "int", Inline: []byte("42\n")},
	}
	record := func(id string) {
		t.Helper()
		now := time.Now()
		if err := db.CreateRun(ctx, &Run{ID: id, Pipeline: "p", Params: "{}", Args: "[]", StartedAt: now}); err != nil {
			t.Fatal(err)
		}
		sr := &StepRun{RunID: id, Pipeline: "p", Step: "s", Status: StepSucceeded, StartedAt: now, EndedAt: now,
			CacheKey: "k", Outputs: outputs}
		if err := db.FinishStep(ctx, sr); err != nil {
			t.Fatal(err)
		}
	}
	check := func(id string) {
		t.Helper()
		steps, err := db.StepRuns(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(outputs, steps[0].Outputs); diff != "" {
			t.Errorf("outputs of run %s (-want +got):\n%s", id, diff)
		}
		hit, err := db.CacheHit(ctx, "p", "s", "k")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(outputs, hit.Outputs); diff != "" {
			t.Errorf("outputs of the cache hit (-want +got):\n%s", diff)
		}
	}
	record("r1")
	check("r1")

	// A corrupt row is replaced by the bytes of the next record of the
	// same digest.
	if _, err := db.db.Exec(`UPDATE inline_artifacts SET bytes = 'x' WHERE digest = ?`, outputs[2].Digest); err != nil {
		t.Fatal(err)
	}
	record("r2")
	check("r2")
}
