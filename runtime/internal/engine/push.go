package engine

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/zengen-dev/zengen/runtime/internal/artifact"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// RunImporter is a metadata store that can record a run recorded
// elsewhere, as push needs; see pgmeta.DB.ImportRun.
type RunImporter interface {
	ImportRun(ctx context.Context, r meta.Run, steps []meta.StepRun) (imported bool, err error)
}

// PushResult says what one run's push did.
type PushResult struct {
	Run       meta.Run
	Artifacts int  // artifacts uploaded (those already there are not)
	Imported  bool // false: the target had the run already
}

// Push copies runs of pipeline from src to dst: first every artifact their
// steps wrote or read that dst lacks, each verified against its digest on
// the way (the upload hashes what it sends), then the runs' records, one
// transaction per run. A run dst already has is left alone, so pushing
// again is a no-op and an interrupted push resumes where it stopped.
// Running runs are refused: their records are not final.
func Push(ctx context.Context, src, dst *Store, pipeline, notebook string, runs []meta.Run, report func(PushResult)) error {
	imp, ok := dst.Meta.(RunImporter)
	if !ok {
		return fmt.Errorf("the target metadata store cannot import runs")
	}
	for _, r := range runs {
		if r.Status == meta.RunRunning {
			return fmt.Errorf("run %s is still running: push it when it has finished", r.ID)
		}
		steps, err := src.Meta.StepRuns(ctx, r.ID)
		if err != nil {
			return err
		}
		codes := map[string]string{}
		res := PushResult{Run: r}
		inline := map[string][]byte{} // small blobs of older stores, inline in dst
		for i, s := range steps {
			// StepRuns leaves logs out; the record of one step has them.
			full, err := src.Meta.StepRun(ctx, r.ID, s.Step)
			if err != nil {
				return err
			}
			steps[i] = full
			if full.CodeHash != "" {
				codes[full.Step] = full.CodeHash
			}
			for _, a := range append(append([]meta.Artifact(nil), full.Outputs...), full.Inputs...) {
				copied, bytes, err := pushArtifact(ctx, src, dst, a)
				if err != nil {
					return fmt.Errorf("run %s, step %s, artifact %s: %w", r.ID, full.Step, a.Name, err)
				}
				if copied {
					res.Artifacts++
				}
				if bytes != nil {
					inline[a.Digest] = bytes
				}
			}
		}
		for _, s := range steps {
			for i, a := range s.Outputs {
				if b, ok := inline[a.Digest]; ok && a.Inline == nil {
					s.Outputs[i].Inline = b
				}
			}
		}
		if err := dst.Meta.EnsurePipeline(ctx, pipeline, notebook, codes); err != nil {
			return err
		}
		if res.Imported, err = imp.ImportRun(ctx, r, steps); err != nil {
			return fmt.Errorf("run %s: %w", r.ID, err)
		}
		report(res)
	}
	return nil
}

// pushArtifact uploads a's bytes to dst unless they travel inline in the
// record or dst has them intact. It reports whether it uploaded, and the
// bytes when dst keeps them inline (a blob small enough, from a store
// older than inline artifacts).
func pushArtifact(ctx context.Context, src, dst *Store, a meta.Artifact) (bool, []byte, error) {
	if a.Inline != nil {
		return false, nil, nil
	}
	if a.Size > artifact.InlineThreshold {
		if err := dst.Artifacts.Verify(ctx, a); err == nil {
			return false, nil, nil
		} else if !errors.Is(err, artifact.ErrNotFound) && !errors.Is(err, artifact.ErrCorrupt) {
			return false, nil, err
		}
	}
	r, err := src.Artifacts.Open(ctx, a)
	if err != nil {
		if errors.Is(err, artifact.ErrNotFound) && len(a.FromStep) > 0 {
			// An input whose bytes the source keeps inline with a run
			// that is not this one (an --only run's upstream): the target
			// keeps its lineage, as the source does.
			return false, nil, nil
		}
		return false, nil, err
	}
	defer r.Close()
	// The digest is known, so an object store takes the bytes under it as
	// they are read, and completes the upload only if they hash to it.
	w := dst.Artifacts.CreateKnown(ctx, a.Digest)
	if _, err := io.Copy(w, r); err != nil {
		w.Abort()
		return false, nil, err // a corrupt source fails its last read here
	}
	got, err := w.Commit()
	if err != nil {
		return false, nil, err
	}
	return got.Inline == nil, got.Inline, nil
}
