package engine

import (
	"context"
	"time"

	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// MetadataStore keeps the records of runs and step runs: what the engine
// writes while it runs a pipeline and what the command line reads back.
// Today's implementation is the SQLite database in meta.db (package meta);
// another backend (a shared PostgreSQL) implements this and passes the
// conformance suite in runtime/internal/seamtest.
//
// Errors are classified with errors.Is: meta.ErrNotFound for a run or
// step that has no record; a full disk tests true with meta.IsFull (and
// artifact.IsDiskFull), which stops a run instead of failing it step by
// step.
type MetadataStore interface {
	// EnsurePipeline records the pipeline and the code hash of each step.
	EnsurePipeline(ctx context.Context, name, notebook string, codeHashes map[string]string) error
	// CreateRun records a run as running; it fills r's PID and Hostname.
	CreateRun(ctx context.Context, r *meta.Run) error
	// FinishRun records a run's end.
	FinishRun(ctx context.Context, id, status, errText string, ended time.Time) error
	// Heartbeat says the run's process is alive at t.
	Heartbeat(ctx context.Context, id string, t time.Time) error
	// RequestCancel records that run id is to be cancelled, asked at t,
	// and reports whether it was running: a run that has ended gets no
	// request; one never recorded is meta.ErrNotFound.
	RequestCancel(ctx context.Context, id string, t time.Time) (bool, error)
	// CancelRequested reports whether a cancel of run id was requested.
	CancelRequested(ctx context.Context, id string) (bool, error)
	// SaveLiveLog records the output so far of the running step run id,
	// its last text, the stream of each of its bytes, the count of bytes
	// before it and the attempts that failed and were tried again,
	// replacing what was saved before; the step's final record replaces
	// it in turn.
	SaveLiveLog(ctx context.Context, id int64, text string, streams meta.Streams, leftOut int64, retries []meta.Retry) error
	// LiveLogs returns the output so far of each running step of a run.
	LiveLogs(ctx context.Context, runID string) ([]meta.LiveLog, error)
	// Begin starts a transaction of step records.
	Begin(ctx context.Context) (MetadataTx, error)

	// CacheHit returns the latest succeeded step run of pipeline's step
	// with key, its outputs filled in, or nil.
	CacheHit(ctx context.Context, pipeline, step, key string) (*meta.StepRun, error)
	// LatestSuccess returns the latest succeeded run of a step, or nil.
	LatestSuccess(ctx context.Context, pipeline, step string) (*meta.StepRun, error)
	// PreviousKeyed returns the step's latest keyed record before sr, or nil.
	PreviousKeyed(ctx context.Context, sr meta.StepRun) (*meta.StepRun, error)
	// ResolveRun finds a run by id, unique id prefix or "latest".
	ResolveRun(ctx context.Context, pipeline, ref string) (meta.Run, error)
	// Runs lists a pipeline's latest runs, newest first.
	Runs(ctx context.Context, pipeline string, limit int) ([]meta.Run, error)
	// StepRuns returns the records of a run's steps.
	StepRuns(ctx context.Context, runID string) ([]meta.StepRun, error)
	// StepRun returns the record of one step of a run.
	StepRun(ctx context.Context, runID, step string) (meta.StepRun, error)
	// StepRunsOf returns the records of the named steps of a run, each as
	// StepRun returns it, in the order they started; steps without a
	// record are left out.
	StepRunsOf(ctx context.Context, runID string, steps []string) ([]meta.StepRun, error)
	// StepOutputs returns the outputs of one step of a run, inline bytes
	// included: StepRun's Outputs, read alone.
	StepOutputs(ctx context.Context, runID, step string) ([]meta.Artifact, error)
	// BlobDigests lists the digests of every artifact a record refers to
	// outside the records themselves.
	BlobDigests(ctx context.Context) ([]string, error)

	Close() error
}

// MetadataTx gathers step records to be kept together: all of them, or,
// after a failed Commit, none.
type MetadataTx interface {
	// StartStep records a step as running and sets sr.ID.
	StartStep(ctx context.Context, sr *meta.StepRun) error
	// FinishStep records a step's final record, with its outputs (inline
	// bytes included) and metrics.
	FinishStep(ctx context.Context, sr *meta.StepRun) error
	// CacheHit is MetadataStore.CacheHit inside the transaction.
	CacheHit(ctx context.Context, pipeline, step, key string) (*meta.StepRun, error)
	Commit(ctx context.Context) error
	Rollback() error
}

// sqliteMetadata is today's metadata store: meta.DB with its transaction
// behind the MetadataTx interface.
type sqliteMetadata struct{ *meta.DB }

// SQLiteMetadata returns db as a MetadataStore.
func SQLiteMetadata(db *meta.DB) MetadataStore { return sqliteMetadata{db} }

func (s sqliteMetadata) Begin(ctx context.Context) (MetadataTx, error) {
	tx, err := s.DB.Begin(ctx)
	if err != nil {
		return nil, err
	}
	return tx, nil
}
