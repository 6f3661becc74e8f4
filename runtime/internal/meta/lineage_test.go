package meta

import (
	"context"
	"testing"
)

// BenchmarkArtifactUses finds the uses of one artifact among the inputs
// and outputs of 200,000 step runs, the records of 10,000 runs of a
// 20-step pipeline: the scan the artifact page's lineage costs on such a
// store.
func BenchmarkArtifactUses(b *testing.B) {
	db, runID := benchStore(b)
	ctx := context.Background()
	const n = 200_000
	tx, err := db.Begin(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		if err := tx.FinishStep(ctx, benchStepRun(runID, i)); err != nil {
			b.Fatal(err)
		}
		if i%5000 == 4999 {
			if err := tx.Commit(ctx); err != nil {
				b.Fatal(err)
			}
			if tx, err = db.Begin(ctx); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := tx.Commit(ctx); err != nil {
		b.Fatal(err)
	}
	digest := benchStepRun(runID, n/2).Outputs[0].Digest
	for b.Loop() {
		uses, err := db.ArtifactUses(ctx, digest)
		if err != nil {
			b.Fatal(err)
		}
		if len(uses) != 2 || uses[0].Read == uses[1].Read {
			b.Fatalf("uses %+v, want one writer and one reader", uses)
		}
	}
}
