package meta

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Step run statuses.
const (
	StepRunning     = "running"
	StepSucceeded   = "succeeded"
	StepCached      = "cached"
	StepFailed      = "failed"
	StepSkipped     = "skipped"
	StepCancelled   = "cancelled"
	StepInterrupted = "interrupted"
)

// StepRun is one step inside one run.
type StepRun struct {
	ID         int64     `json:"-"`
	RunID      string    `json:"run"`
	Pipeline   string    `json:"-"`
	Step       string    `json:"step"`
	Status     string    `json:"status"`
	Attempt    int       `json:"attempt,omitempty"`
	StartedAt  time.Time `json:"started_at,omitzero"`
	EndedAt    time.Time `json:"ended_at,omitzero"`
	CodeHash   string    `json:"code_hash,omitempty"`
	CacheKey   string    `json:"cache_key,omitempty"`
	Components string    `json:"-"` // JSON, owned by the runtime's cache
	CacheNote  string    `json:"cache_note,omitempty"`
	CachedFrom string    `json:"cached_from,omitempty"`
	Error      string    `json:"error,omitempty"`
	Position   string    `json:"position,omitempty"`
	Stack      string    `json:"-"`

	Inputs  []Artifact `json:"inputs,omitempty"`
	Outputs []Artifact `json:"outputs,omitempty"`
	Metrics []Metric   `json:"metrics,omitempty"`
	Log     string     `json:"-"` // stdout and stderr, in the order written
	Stdout  string     `json:"-"` // what the step wrote to stdout
	// Streams tells which stream each byte of Log was written to.
	Streams Streams `json:"-"`
	// Displays places the step's display outputs in Log, in the order
	// displayed; filled in with the log.
	Displays []DisplayAt `json:"-"`
	// Retries are the attempts that failed and were tried again, placed
	// in Log; filled in with the log.
	Retries []Retry `json:"-"`
}

// Artifact is a stored value as one step run read or wrote it.
type Artifact struct {
	Name     string `json:"name"`
	Digest   string `json:"digest"`
	Size     int64  `json:"size"`
	Codec    string `json:"codec"`
	Type     string `json:"type"`
	FromStep string `json:"from,omitempty"` // inputs only
	// TypeHash is, for an output, the hash of the Go type and codec that
	// wrote it (pipeline.Output.TypeHash); "" when the record predates
	// it. cat and the dashboard decode with this binary's type only when
	// it has the same hash.
	TypeHash string `json:"type_hash,omitempty"`

	// Inline holds the encoded bytes of an artifact kept in the metadata
	// store rather than the blob store; it is nil for a blob. Outputs of a
	// finished step carry it both ways: the runtime sets it for FinishStep
	// to store the bytes with the record, and every query that returns
	// outputs fills it in, so that reading or verifying a small artifact
	// needs no second lookup. The bytes are as stored: the reader checks
	// them against Digest.
	Inline []byte `json:"-"`
}

// Metric is a named scalar a step run recorded.
type Metric struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
}

// StartStep records a step run as running and sets sr.ID.
func (d *DB) StartStep(ctx context.Context, sr *StepRun) error {
	sr.Status = StepRunning
	res, err := d.exec(ctx, insertRunningStep, sr.RunID, sr.Pipeline, sr.Step, sr.Status, sr.Attempt, Nanos(sr.StartedAt), sr.CodeHash)
	if err != nil {
		return err
	}
	sr.ID, err = res.LastInsertId()
	return err
}

// FinishStep records everything about a finished step run in one
// transaction: its row (inserted when StartStep was not called), artifacts,
// lineage, metrics and captured output.
func (d *DB) FinishStep(ctx context.Context, sr *StepRun) error {
	return d.inTx(ctx, func(tx *sql.Tx) error { return d.finishStep(ctx, tx, sr) })
}

func (d *DB) finishStep(ctx context.Context, tx *sql.Tx, sr *StepRun) error {
	values := []any{sr.Status, sr.Attempt, Nanos(sr.StartedAt), Nanos(sr.EndedAt), sr.CodeHash, sr.CacheKey,
		sr.Components, sr.CacheNote, sr.CachedFrom, sr.Error, sr.Position, sr.Stack}
	if sr.ID == 0 {
		res, err := d.txExec(ctx, tx, insertFinishedStep, append([]any{sr.RunID, sr.Pipeline, sr.Step}, values...)...)
		if err != nil {
			return err
		}
		if sr.ID, err = res.LastInsertId(); err != nil {
			return err
		}
	} else if _, err := d.txExec(ctx, tx, updateFinishedStep, append(values, sr.ID)...); err != nil {
		return err
	} else if _, err := d.txExec(ctx, tx, deleteLiveLog, sr.ID); err != nil {
		// The final record replaces the output saved while it ran.
		return err
	}
	// Inputs are outputs of earlier step runs, so only outputs can be new
	// artifacts.
	for _, a := range sr.Outputs {
		if _, err := d.txExec(ctx, tx, insertArtifact,
			a.Digest, a.Size, a.Codec, a.Type); err != nil {
			return err
		}
	}
	// In the same transaction as the record that names them, so that no
	// crash can leave a record pointing at inline bytes that were never
	// stored.
	for _, a := range sr.Outputs {
		if a.Inline == nil {
			continue
		}
		if _, err := d.txExec(ctx, tx, upsertInline, a.Digest, a.Inline); err != nil {
			return err
		}
	}
	for _, a := range sr.Outputs {
		if _, err := d.txExec(ctx, tx, insertOutput,
			sr.ID, a.Name, a.Digest, a.TypeHash); err != nil {
			return err
		}
	}
	for _, a := range sr.Inputs {
		if _, err := d.txExec(ctx, tx, insertInput,
			sr.ID, a.Name, a.FromStep, a.Digest); err != nil {
			return err
		}
	}
	for _, m := range sr.Metrics {
		if _, err := d.txExec(ctx, tx, insertMetric,
			sr.ID, m.Name, m.Value); err != nil {
			return err
		}
	}
	if sr.Log != "" || len(sr.Displays) > 0 || len(sr.Retries) > 0 {
		var stdout any
		if sr.Stdout != sr.Log {
			stdout = sr.Stdout
		}
		displays, err := displaysColumn(sr.Displays)
		if err != nil {
			return err
		}
		streams, err := StreamsColumn(sr.Streams)
		if err != nil {
			return err
		}
		retries, err := RetriesColumn(sr.Retries)
		if err != nil {
			return err
		}
		if _, err := d.txExec(ctx, tx, insertLog, sr.ID, sr.Log, stdout, displays, streams, retries); err != nil {
			return err
		}
	}
	return nil
}

// The statements of a step record, named so that a transaction can have
// them prepared before it begins (see hotStatements).
const (
	insertFinishedStep = `INSERT INTO step_runs (run_id, pipeline, step, status, attempt, started_at,
		ended_at, code_hash, cache_key, components, cache_note, cached_from, error, position, stack)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	updateFinishedStep = `UPDATE step_runs SET status = ?, attempt = ?, started_at = ?, ended_at = ?,
		code_hash = ?, cache_key = ?, components = ?, cache_note = ?, cached_from = ?, error = ?, position = ?, stack = ?
		WHERE id = ?`
	insertArtifact = `INSERT OR IGNORE INTO artifacts (digest, size, codec, type) VALUES (?, ?, ?, ?)`
	// upsertInline stores an inline artifact's bytes once per digest. Bytes
	// that differ from the stored ones under the same digest can only mean
	// the stored copy is corrupt (the runtime hashed the new ones itself),
	// so they replace it — the repair a blob's Commit does for a corrupt
	// file; identical bytes write nothing.
	upsertInline = `INSERT INTO inline_artifacts (digest, bytes) VALUES (?, ?)
		ON CONFLICT (digest) DO UPDATE SET bytes = excluded.bytes WHERE bytes != excluded.bytes`
	insertOutput  = `INSERT INTO step_outputs (step_run_id, name, digest, type_hash) VALUES (?, ?, ?, ?)`
	insertInput   = `INSERT INTO step_inputs (step_run_id, name, from_step, digest) VALUES (?, ?, ?, ?)`
	insertMetric  = `INSERT OR REPLACE INTO metrics (step_run_id, name, value) VALUES (?, ?, ?)`
	insertLog     = `INSERT OR REPLACE INTO step_logs (step_run_id, text, stdout, displays, streams, retries) VALUES (?, ?, ?, ?, ?, ?)`
	deleteLiveLog = `DELETE FROM live_step_logs WHERE step_run_id = ?`
)

const stepColumns = `id, run_id, pipeline, step, status, attempt, started_at, ended_at, code_hash, cache_key,
	components, cache_note, cached_from, error, position, stack`

func scanStep(sc interface{ Scan(...any) error }) (StepRun, error) {
	var s StepRun
	var started, ended int64
	err := sc.Scan(&s.ID, &s.RunID, &s.Pipeline, &s.Step, &s.Status, &s.Attempt, &started, &ended, &s.CodeHash,
		&s.CacheKey, &s.Components, &s.CacheNote, &s.CachedFrom, &s.Error, &s.Position, &s.Stack)
	s.StartedAt, s.EndedAt = FromNanos(started), FromNanos(ended)
	return s, err
}

func (d *DB) queryStep(ctx context.Context, where string, args ...any) (*StepRun, error) {
	s, err := scanStep(d.queryRow(ctx, `SELECT `+stepColumns+` FROM step_runs WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if err := d.fillStep(ctx, &s, false); err != nil {
		return nil, err
	}
	return &s, nil
}

// fillStep loads the lineage and metrics of a step run, and its captured
// output when withLog is set.
func (d *DB) fillStep(ctx context.Context, s *StepRun, withLog bool) error {
	one := []StepRun{*s}
	err := d.fillSteps(ctx, one, withLog)
	*s = one[0]
	return err
}

// fillSteps loads the lineage and metrics of step runs, and their captured
// output when withLog is set: four queries however many they are, where
// four for each step made a long run's records slow to read.
func (d *DB) fillSteps(ctx context.Context, steps []StepRun, withLog bool) error {
	if len(steps) == 0 {
		return nil
	}
	at := make(map[int64]*StepRun, len(steps))
	ids := make([]int64, len(steps))
	for i := range steps {
		at[steps[i].ID], ids[i] = &steps[i], steps[i].ID
	}
	b, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	list := string(b)
	// each runs q, whose ? is the list of ids, and hands it each row.
	each := func(q string, row func(rows *sql.Rows) error) error {
		rows, err := d.query(ctx, q, list)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := row(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	var id int64
	err = each(`SELECT o.step_run_id, o.name, o.digest, a.size, a.codec, a.type, o.type_hash, i.digest IS NOT NULL, i.bytes
		FROM step_outputs o JOIN artifacts a ON a.digest = o.digest LEFT JOIN inline_artifacts i ON i.digest = o.digest
		WHERE o.step_run_id IN (SELECT value FROM json_each(?)) ORDER BY o.step_run_id, o.name`,
		func(rows *sql.Rows) error {
			var a Artifact
			var inline bool
			if err := rows.Scan(&id, &a.Name, &a.Digest, &a.Size, &a.Codec, &a.Type, &a.TypeHash, &inline, &a.Inline); err != nil {
				return err
			}
			a.Inline = InlineBytes(inline, a.Inline)
			at[id].Outputs = append(at[id].Outputs, a)
			return nil
		})
	if err != nil {
		return err
	}
	err = each(`SELECT i.step_run_id, i.name, i.from_step, i.digest, a.size, a.codec, a.type FROM step_inputs i
		JOIN artifacts a ON a.digest = i.digest WHERE i.step_run_id IN (SELECT value FROM json_each(?)) ORDER BY i.step_run_id, i.name`,
		func(rows *sql.Rows) error {
			var a Artifact
			if err := rows.Scan(&id, &a.Name, &a.FromStep, &a.Digest, &a.Size, &a.Codec, &a.Type); err != nil {
				return err
			}
			at[id].Inputs = append(at[id].Inputs, a)
			return nil
		})
	if err != nil {
		return err
	}
	err = each(`SELECT step_run_id, name, value FROM metrics WHERE step_run_id IN (SELECT value FROM json_each(?))
		ORDER BY step_run_id, name`,
		func(rows *sql.Rows) error {
			var m Metric
			if err := rows.Scan(&id, &m.Name, &m.Value); err != nil {
				return err
			}
			at[id].Metrics = append(at[id].Metrics, m)
			return nil
		})
	if err != nil || !withLog {
		return err
	}
	return each(`SELECT step_run_id, text, stdout, displays, streams, retries FROM step_logs WHERE step_run_id IN (SELECT value FROM json_each(?))`,
		func(rows *sql.Rows) error {
			var log string
			var stdout, displays sql.NullString
			var streams, retries *string
			if err := rows.Scan(&id, &log, &stdout, &displays, &streams, &retries); err != nil {
				return err
			}
			s := at[id]
			s.Log, s.Stdout = log, log
			if stdout.Valid {
				s.Stdout = stdout.String
			}
			var err error
			if s.Displays, err = parseDisplays(displays.String); err != nil {
				return fmt.Errorf("step %s of run %s: its displays: %w", s.Step, s.RunID, err)
			}
			if s.Streams, err = ParseStreams(streams); err != nil {
				return fmt.Errorf("step %s of run %s: %w", s.Step, s.RunID, err)
			}
			if s.Retries, err = ParseRetries(retries); err != nil {
				return fmt.Errorf("step %s of run %s: %w", s.Step, s.RunID, err)
			}
			return nil
		})
}

// StepRuns lists the step runs of a run with lineage and metrics, in the
// order they started.
func (d *DB) StepRuns(ctx context.Context, runID string) ([]StepRun, error) {
	return d.stepRuns(ctx, runID, false, `SELECT `+stepColumns+` FROM step_runs WHERE run_id = ? ORDER BY id`, runID)
}

// stepRuns returns the step runs of run runID that query q selects, filled
// in (with their output when withLog is set).
func (d *DB) stepRuns(ctx context.Context, runID string, withLog bool, q string, args ...any) ([]StepRun, error) {
	rows, err := d.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	var steps []StepRun
	for rows.Next() {
		s, err := scanStep(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		steps = append(steps, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := d.fillSteps(ctx, steps, withLog); err != nil {
		return nil, err
	}
	return steps, d.showStepsInterrupted(ctx, runID, steps)
}

// StepRunsOf returns the whole records of the named steps of a run, each
// as StepRun returns it (with its output), in the order they started; a
// step without a record is left out. Five queries read them all, where
// StepRun takes five for each.
func (d *DB) StepRunsOf(ctx context.Context, runID string, names []string) ([]StepRun, error) {
	if len(names) == 0 {
		return nil, nil
	}
	list, err := json.Marshal(names)
	if err != nil {
		return nil, err
	}
	return d.stepRuns(ctx, runID, true, `SELECT `+stepColumns+` FROM step_runs
		WHERE run_id = ? AND step IN (SELECT value FROM json_each(?)) ORDER BY id`, runID, string(list))
}

// StepRun returns one step of a run, with its captured output.
func (d *DB) StepRun(ctx context.Context, runID, step string) (StepRun, error) {
	s, err := scanStep(d.queryRow(ctx, `SELECT `+stepColumns+` FROM step_runs WHERE run_id = ? AND step = ?`, runID, step))
	if errors.Is(err, sql.ErrNoRows) {
		return StepRun{}, fmt.Errorf("run %s has no step %q: %w", runID, step, ErrNotFound)
	}
	if err != nil {
		return StepRun{}, err
	}
	if err := d.fillStep(ctx, &s, true); err != nil {
		return StepRun{}, err
	}
	one := []StepRun{s}
	err = d.showStepsInterrupted(ctx, runID, one)
	return one[0], err
}

// StepOutputs returns the outputs of one step of a run, inline bytes
// included, in one query: what a step run by another process reads of its
// inputs, where StepRun's whole record takes five. A step without a record
// is ErrNotFound.
func (d *DB) StepOutputs(ctx context.Context, runID, step string) ([]Artifact, error) {
	rows, err := d.query(ctx, stepOutputsQuery, runID, step)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return CollectStepOutputs(rows, runID, step)
}

// stepOutputsQuery has a row per output of the step's record, or one row
// without a name when the record has no outputs, and none without a record.
const stepOutputsQuery = `SELECT COALESCE(o.name, ''), COALESCE(o.digest, ''), COALESCE(a.size, 0), COALESCE(a.codec, ''),
	COALESCE(a.type, ''), COALESCE(o.type_hash, ''), i.digest IS NOT NULL, i.bytes
	FROM step_runs s LEFT JOIN step_outputs o ON o.step_run_id = s.id LEFT JOIN artifacts a ON a.digest = o.digest
		LEFT JOIN inline_artifacts i ON i.digest = o.digest
	WHERE s.run_id = ? AND s.step = ? ORDER BY o.name`

// CollectStepOutputs reads the rows of a store's step outputs query: per
// row an output's name, digest, size, codec, type, type hash, whether it
// is inline and its inline bytes.
func CollectStepOutputs(rows Rows, runID, step string) ([]Artifact, error) {
	found := false
	outs := []Artifact{}
	for rows.Next() {
		var a Artifact
		var inline bool
		if err := rows.Scan(&a.Name, &a.Digest, &a.Size, &a.Codec, &a.Type, &a.TypeHash, &inline, &a.Inline); err != nil {
			return nil, err
		}
		found = true
		if a.Name != "" {
			a.Inline = InlineBytes(inline, a.Inline)
			outs = append(outs, a)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("run %s has no step %q: %w", runID, step, ErrNotFound)
	}
	return outs, nil
}

// CacheHit returns the newest finished step run of pipeline's step with this
// cache key, or nil. Only what a hit needs is filled in: ID, RunID,
// Pipeline, Step, CacheKey, CachedFrom, Outputs and Metrics.
func (d *DB) CacheHit(ctx context.Context, pipeline, step, key string) (*StepRun, error) {
	return d.cacheHit(ctx, func(q string, args ...any) (*sql.Rows, error) {
		return d.query(ctx, q, args...)
	}, pipeline, step, key)
}

// LatestSuccess returns the newest finished step run of pipeline's step,
// whatever its key, or nil.
func (d *DB) LatestSuccess(ctx context.Context, pipeline, step string) (*StepRun, error) {
	return d.queryStep(ctx, `pipeline = ? AND step = ? AND status IN ('succeeded', 'cached')
		ORDER BY ended_at DESC, id DESC LIMIT 1`, pipeline, step)
}

// PreviousKeyed returns the newest step run of the same step that started
// before sr and recorded cache components, or nil.
func (d *DB) PreviousKeyed(ctx context.Context, sr StepRun) (*StepRun, error) {
	return d.queryStep(ctx, previousKeyed, sr.Pipeline, sr.Step, sr.ID)
}

// previousKeyed is PreviousKeyed's condition, which the index
// step_runs_by_step_id serves in order.
const previousKeyed = `pipeline = ? AND step = ? AND components != '' AND id < ?
		ORDER BY id DESC LIMIT 1`
