package seamtest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// TestMetadataStore checks a metadata store against the contract of
// engine.MetadataStore; open returns an empty store that lives as long as
// t (the suite closes it).
func TestMetadataStore(t *testing.T, open func(t *testing.T) engine.MetadataStore) {
	const pipeline = "churn"
	codes := map[string]string{"load": "c-load", "train": "c-train"}
	blobOut := meta.Artifact{Name: "xs", Digest: digestOf(pattern(100)), Size: 100, Codec: "numeric", Type: "[]float64", TypeHash: "type-xs"}
	inlineOut := meta.Artifact{Name: "loss", Digest: digestOf([]byte("0.25")), Size: 4, Codec: "json", Type: "float64", TypeHash: "type-loss", Inline: []byte("0.25")}

	// begin starts a run of the pipeline.
	begin := func(t *testing.T, s engine.MetadataStore, at time.Time) meta.Run {
		t.Helper()
		if err := s.EnsurePipeline(t.Context(), pipeline, "churn.ipynb", codes); err != nil {
			t.Fatalf("ensure pipeline: %v", err)
		}
		r := meta.Run{ID: meta.NewRunID(at), Pipeline: pipeline, Params: `{"lr":0.1}`, Args: `[]`, StartedAt: at}
		if err := s.CreateRun(t.Context(), &r); err != nil {
			t.Fatalf("create run: %v", err)
		}
		return r
	}
	// record keeps records in one transaction.
	record := func(t *testing.T, s engine.MetadataStore, f func(tx engine.MetadataTx) error) {
		t.Helper()
		tx, err := s.Begin(t.Context())
		if err != nil {
			t.Fatalf("begin: %v", err)
		}
		if err := f(tx); err != nil {
			tx.Rollback()
			t.Fatal(err)
		}
		if err := tx.Commit(t.Context()); err != nil {
			t.Fatalf("commit: %v", err)
		}
	}
	finished := func(run meta.Run, step, key string, outs ...meta.Artifact) *meta.StepRun {
		now := run.StartedAt.Add(time.Second)
		return &meta.StepRun{RunID: run.ID, Pipeline: pipeline, Step: step, Status: meta.StepSucceeded, Attempt: 1,
			StartedAt: now, EndedAt: now.Add(time.Millisecond), CodeHash: codes[step], CacheKey: key, Components: `{"code":"` + codes[step] + `"}`,
			Outputs: outs, Metrics: []meta.Metric{{Name: "loss", Value: 0.25}}}
	}

	t.Run("Runs", func(t *testing.T) {
		s := open(t)
		defer s.Close()
		if _, err := s.ResolveRun(t.Context(), pipeline, "latest"); !errors.Is(err, meta.ErrNotFound) {
			t.Errorf("latest of no runs: %v, want ErrNotFound", err)
		}
		start := time.Now().Add(-time.Minute).Truncate(time.Millisecond)
		first := begin(t, s, start)
		if err := s.Heartbeat(t.Context(), first.ID, start.Add(time.Second)); err != nil {
			t.Fatalf("heartbeat: %v", err)
		}
		ended := start.Add(2 * time.Second)
		if err := s.FinishRun(t.Context(), first.ID, meta.RunFailed, "step train failed", ended); err != nil {
			t.Fatalf("finish run: %v", err)
		}
		second := begin(t, s, start.Add(3*time.Second))
		got, err := s.ResolveRun(t.Context(), pipeline, first.ID)
		if err != nil {
			t.Fatalf("resolve %s: %v", first.ID, err)
		}
		if got.Status != meta.RunFailed || got.Error != "step train failed" || !got.EndedAt.Equal(ended) || got.Params != first.Params {
			t.Errorf("finished run reads back as %+v", got)
		}
		if latest, err := s.ResolveRun(t.Context(), pipeline, "latest"); err != nil || latest.ID != second.ID {
			t.Errorf("latest is %s (%v), want %s", latest.ID, err, second.ID)
		}
		runs, err := s.Runs(t.Context(), pipeline, 10)
		if err != nil || len(runs) != 2 || runs[0].ID != second.ID {
			t.Errorf("runs: %v, %v; want the two runs, newest first", runs, err)
		}
		if _, err := s.ResolveRun(t.Context(), pipeline, "no-such-run"); !errors.Is(err, meta.ErrNotFound) {
			t.Errorf("resolve of an unknown run: %v, want ErrNotFound", err)
		}
	})

	t.Run("CancelRequests", func(t *testing.T) {
		s := open(t)
		defer s.Close()
		start := time.Now().Add(-time.Minute).Truncate(time.Millisecond)
		run, other := begin(t, s, start), begin(t, s, start.Add(time.Second))
		if asked, err := s.CancelRequested(t.Context(), run.ID); err != nil || asked {
			t.Errorf("a run nobody asked to cancel: requested %v, %v", asked, err)
		}
		if took, err := s.RequestCancel(t.Context(), run.ID, start.Add(2*time.Second)); err != nil || !took {
			t.Errorf("request to cancel a running run: took %v, %v; want true", took, err)
		}
		if asked, err := s.CancelRequested(t.Context(), run.ID); err != nil || !asked {
			t.Errorf("after the request: requested %v, %v; want true", asked, err)
		}
		if asked, err := s.CancelRequested(t.Context(), other.ID); err != nil || asked {
			t.Errorf("another run after the request: requested %v, %v; want false", asked, err)
		}
		// The process running it records how it ends; the request alone
		// changes nothing else.
		if got, err := s.ResolveRun(t.Context(), pipeline, run.ID); err != nil || got.Status != meta.RunRunning {
			t.Errorf("a run asked to cancel reads back as %q (%v), want running", got.Status, err)
		}
		if err := s.FinishRun(t.Context(), other.ID, meta.RunSucceeded, "", start.Add(3*time.Second)); err != nil {
			t.Fatal(err)
		}
		if took, err := s.RequestCancel(t.Context(), other.ID, start.Add(4*time.Second)); err != nil || took {
			t.Errorf("request to cancel a finished run: took %v, %v; want false", took, err)
		}
		if asked, err := s.CancelRequested(t.Context(), other.ID); err != nil || asked {
			t.Errorf("a finished run took a request: requested %v, %v", asked, err)
		}
		if got, err := s.ResolveRun(t.Context(), pipeline, other.ID); err != nil || got.Status != meta.RunSucceeded {
			t.Errorf("a finished run asked to cancel reads back as %q (%v), want succeeded", got.Status, err)
		}
		if _, err := s.RequestCancel(t.Context(), "no-such-run", start); !errors.Is(err, meta.ErrNotFound) {
			t.Errorf("request to cancel an unknown run: %v, want ErrNotFound", err)
		}
		if _, err := s.CancelRequested(t.Context(), "no-such-run"); !errors.Is(err, meta.ErrNotFound) {
			t.Errorf("cancel requested of an unknown run: %v, want ErrNotFound", err)
		}
	})

	t.Run("StepRecords", func(t *testing.T) {
		s := open(t)
		defer s.Close()
		run := begin(t, s, time.Now().Add(-time.Minute).Truncate(time.Millisecond))
		start := &meta.StepRun{RunID: run.ID, Pipeline: pipeline, Step: "load", Status: meta.StepRunning, Attempt: 1,
			StartedAt: run.StartedAt, CodeHash: codes["load"], CacheKey: "key-load"}
		record(t, s, func(tx engine.MetadataTx) error { return tx.StartStep(t.Context(), start) })
		if sr, err := s.StepRun(t.Context(), run.ID, "load"); err != nil || sr.Status != meta.StepRunning {
			t.Errorf("started step reads back as %q (%v), want running", sr.Status, err)
		}
		done := finished(run, "load", "key-load", blobOut, inlineOut)
		done.ID = start.ID
		// A log holds what the step wrote to both streams, stdout what it
		// wrote to stdout alone, and each display's place in both; NUL and
		// invalid UTF-8 are a step's output like any other bytes.
		done.Log, done.Stdout = "loaded\x00\xff\nwarn\n", "loaded\x00\xff\n"
		done.Displays = []meta.DisplayAt{{Name: "display.1", Log: 7, Stdout: 7}, {Name: "display.2", Log: 14, Stdout: 9}}
		record(t, s, func(tx engine.MetadataTx) error { return tx.FinishStep(t.Context(), done) })
		logged, err := s.StepRun(t.Context(), run.ID, "load")
		if err != nil {
			t.Fatal(err)
		}
		if logged.Log != done.Log || logged.Stdout != done.Stdout {
			t.Errorf("log and stdout read back as %q and %q, want %q and %q", logged.Log, logged.Stdout, done.Log, done.Stdout)
		}
		if diff := cmp.Diff(done.Displays, logged.Displays); diff != "" {
			t.Errorf("displays of the step's log (-want +got):\n%s", diff)
		}
		// Each output keeps the hash of the type that wrote it, which the
		// artifact row, shared by every type that stores the same bytes,
		// cannot.
		if diff := cmp.Diff([]meta.Artifact{inlineOut, blobOut}, sortedByName(logged.Outputs)); diff != "" {
			t.Errorf("outputs of the step run (-want +got):\n%s", diff)
		}

		hit, err := s.CacheHit(t.Context(), pipeline, "load", "key-load")
		if err != nil || hit == nil {
			t.Fatalf("cache hit: %v, %v", hit, err)
		}
		if diff := cmp.Diff([]meta.Artifact{inlineOut, blobOut}, sortedByName(hit.Outputs)); diff != "" {
			t.Errorf("outputs of the hit (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(done.Metrics, hit.Metrics); diff != "" {
			t.Errorf("metrics of the hit (-want +got):\n%s", diff)
		}
		if miss, err := s.CacheHit(t.Context(), pipeline, "load", "another-key"); err != nil || miss != nil {
			t.Errorf("another key: %v, %v; want no hit", miss, err)
		}
		if last, err := s.LatestSuccess(t.Context(), pipeline, "load"); err != nil || last == nil || last.RunID != run.ID {
			t.Errorf("latest success: %v, %v", last, err)
		}
		steps, err := s.StepRuns(t.Context(), run.ID)
		if err != nil || len(steps) != 1 || steps[0].Status != meta.StepSucceeded {
			t.Errorf("step runs: %+v, %v", steps, err)
		}
		digests, err := s.BlobDigests(t.Context())
		if err != nil || !cmp.Equal(digests, []string{blobOut.Digest}) {
			t.Errorf("blob digests: %v, %v; want only the blob's %s", digests, err, blobOut.Digest)
		}
		if _, err := s.StepRun(t.Context(), run.ID, "train"); !errors.Is(err, meta.ErrNotFound) {
			t.Errorf("a step with no record: %v, want ErrNotFound", err)
		}
		some, err := s.StepRunsOf(t.Context(), run.ID, []string{"train", "load"})
		if diff := cmp.Diff([]meta.StepRun{logged}, some); err != nil || diff != "" {
			t.Errorf("records of load and train, which has none (%v) (-want +got):\n%s", err, diff)
		}
		if none, err := s.StepRunsOf(t.Context(), run.ID, nil); err != nil || len(none) != 0 {
			t.Errorf("records of no steps: %v, %v; want none", none, err)
		}
		outs, err := s.StepOutputs(t.Context(), run.ID, "load")
		if diff := cmp.Diff([]meta.Artifact{inlineOut, blobOut}, sortedByName(outs)); err != nil || diff != "" {
			t.Errorf("step outputs (%v) (-want +got):\n%s", err, diff)
		}
		if outs, err := s.StepOutputs(t.Context(), run.ID, "train"); !errors.Is(err, meta.ErrNotFound) {
			t.Errorf("outputs of a step with no record: %v, %v; want ErrNotFound", outs, err)
		}

		next := begin(t, s, run.StartedAt.Add(time.Second))
		again := finished(next, "load", "key-load-2")
		record(t, s, func(tx engine.MetadataTx) error { return tx.FinishStep(t.Context(), again) })
		recorded, err := s.StepRun(t.Context(), next.ID, "load")
		if err != nil {
			t.Fatal(err)
		}
		if prev, err := s.PreviousKeyed(t.Context(), recorded); err != nil || prev == nil || prev.RunID != run.ID {
			t.Errorf("previous keyed record: %v, %v; want the one of run %s", prev, err, run.ID)
		}
		if outs, err := s.StepOutputs(t.Context(), next.ID, "load"); err != nil || len(outs) != 0 || outs == nil {
			t.Errorf("outputs of a step that has none: %#v, %v; want an empty list", outs, err)
		}
		// Read together, each record keeps its own lineage, metrics and log.
		train := finished(run, "train", "key-train", blobOut)
		train.Inputs = []meta.Artifact{{Name: "loss", FromStep: "load", Digest: inlineOut.Digest, Size: inlineOut.Size, Codec: inlineOut.Codec, Type: inlineOut.Type}}
		train.Metrics = []meta.Metric{{Name: "acc", Value: 0.9}, {Name: "loss", Value: 0.1}}
		train.Log, train.Stdout = "trained\n", "trained\n"
		record(t, s, func(tx engine.MetadataTx) error { return tx.FinishStep(t.Context(), train) })
		var want []meta.StepRun
		for _, step := range []string{"load", "train"} {
			sr, err := s.StepRun(t.Context(), run.ID, step)
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, sr)
		}
		both, err := s.StepRunsOf(t.Context(), run.ID, []string{"train", "load"})
		if diff := cmp.Diff(want, both); err != nil || diff != "" {
			t.Errorf("records of load and train read together (%v) (-one by one +together):\n%s", err, diff)
		}
		if len(want) == 2 && (len(want[1].Inputs) != 1 || len(want[1].Metrics) != 2 || want[1].Log != train.Log) {
			t.Errorf("train's record reads back as %+v", want[1])
		}
	})

	t.Run("LiveLogs", func(t *testing.T) {
		s := open(t)
		defer s.Close()
		run := begin(t, s, time.Now().Add(-time.Minute).Truncate(time.Millisecond))
		load := &meta.StepRun{RunID: run.ID, Pipeline: pipeline, Step: "load", Status: meta.StepRunning, Attempt: 1,
			StartedAt: run.StartedAt, CodeHash: codes["load"]}
		train := &meta.StepRun{RunID: run.ID, Pipeline: pipeline, Step: "train", Status: meta.StepRunning, Attempt: 1,
			StartedAt: run.StartedAt, CodeHash: codes["train"]}
		record(t, s, func(tx engine.MetadataTx) error {
			if err := tx.StartStep(t.Context(), load); err != nil {
				return err
			}
			return tx.StartStep(t.Context(), train)
		})
		if got, err := s.LiveLogs(t.Context(), run.ID); err != nil || len(got) != 0 {
			t.Errorf("live logs of steps that printed nothing: %+v, %v", got, err)
		}
		// A save replaces the one before; the bytes are the step's own.
		for _, text := range []string{"epoch 1\n", "epoch 2\x00\xff\n"} {
			if err := s.SaveLiveLog(t.Context(), load.ID, text, nil, 8, nil); err != nil {
				t.Fatalf("save live log: %v", err)
			}
		}
		// Which stream each byte went to comes back with them, and the
		// attempts that failed and were tried again, where they failed.
		retries := []meta.Retry{{Log: 8, Error: "loss is NaN"}, {Log: 13, Error: "loss is ∞"}}
		if err := s.SaveLiveLog(t.Context(), train.ID, "fitting\nslow\nloss 1\n", meta.Streams{8, 5, 7}, 0, retries); err != nil {
			t.Fatalf("save live log: %v", err)
		}
		want := []meta.LiveLog{{Step: "load", Text: "epoch 2\x00\xff\n", LeftOut: 8},
			{Step: "train", Text: "fitting\nslow\nloss 1\n", Streams: meta.Streams{8, 5, 7}, Retries: retries}}
		got, err := s.LiveLogs(t.Context(), run.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("live logs while running (-want +got):\n%s", diff)
		}
		// The final record replaces the output saved while the step ran.
		done := finished(run, "load", "key-load")
		done.ID = load.ID
		done.Log, done.Stdout, done.Streams = "epoch 1\nslow\nepoch 2\n", "epoch 1\nepoch 2\n", meta.Streams{8, 5, 8}
		done.Retries = []meta.Retry{{Log: 13, Error: "disk busy"}}
		// A step retried without printing keeps its retries all the same.
		quiet := finished(run, "quiet", "key-quiet")
		quiet.Retries = []meta.Retry{{Error: "timed out after 1s"}}
		record(t, s, func(tx engine.MetadataTx) error {
			if err := tx.FinishStep(t.Context(), done); err != nil {
				return err
			}
			return tx.FinishStep(t.Context(), quiet)
		})
		got, err = s.LiveLogs(t.Context(), run.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want[1:], got); diff != "" {
			t.Errorf("live logs once load ended (-want +got):\n%s", diff)
		}
		if sr, err := s.StepRun(t.Context(), run.ID, "load"); err != nil || sr.Log != done.Log || !slices.Equal(sr.Streams, done.Streams) ||
			!slices.Equal(sr.Retries, done.Retries) {
			t.Errorf("load's log reads back as %q, streams %v, retries %v (%v), want its final %q, streams %v, retries %v",
				sr.Log, sr.Streams, sr.Retries, err, done.Log, done.Streams, done.Retries)
		}
		if sr, err := s.StepRun(t.Context(), run.ID, "quiet"); err != nil || sr.Log != "" || !slices.Equal(sr.Retries, quiet.Retries) {
			t.Errorf("quiet's log reads back as %q, retries %v (%v), want none, retries %v", sr.Log, sr.Retries, err, quiet.Retries)
		}
	})

	t.Run("Transactions", func(t *testing.T) {
		s := open(t)
		defer s.Close()
		run := begin(t, s, time.Now().Add(-time.Minute).Truncate(time.Millisecond))
		tx, err := s.Begin(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		// A failure below ends the test with the transaction open, and a
		// store does not close under an open one: it ends first.
		defer tx.Rollback()
		sr := finished(run, "train", "key-train", inlineOut)
		if err := tx.FinishStep(t.Context(), sr); err != nil {
			t.Fatal(err)
		}
		if hit, err := tx.CacheHit(t.Context(), pipeline, "train", "key-train"); err != nil || hit == nil {
			t.Errorf("a transaction does not see its own record: %v, %v", hit, err)
		}
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
		if _, err := s.StepRun(t.Context(), run.ID, "train"); !errors.Is(err, meta.ErrNotFound) {
			t.Errorf("a rolled-back record: %v, want ErrNotFound", err)
		}
		if hit, err := s.CacheHit(t.Context(), pipeline, "train", "key-train"); err != nil || hit != nil {
			t.Errorf("a rolled-back record is a cache hit: %v, %v", hit, err)
		}
	})
}

func sortedByName(as []meta.Artifact) []meta.Artifact {
	out := append([]meta.Artifact(nil), as...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Name < out[j-1].Name; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
