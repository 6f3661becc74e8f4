package pgmeta

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// querier is what reads and writes need of a pool or a transaction.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

const insertRunningStep = `INSERT INTO step_runs (run_id, pipeline, step, status, attempt, started_at, code_hash)
	VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`

// finishStep records everything about a finished step run: its row
// (inserted when StartStep was not called), artifacts, lineage, metrics
// and captured output, in one round trip after the row's.
func finishStep(ctx context.Context, q querier, sr *meta.StepRun) error {
	values := []any{sr.Status, sr.Attempt, meta.Nanos(sr.StartedAt), meta.Nanos(sr.EndedAt), sr.CodeHash, sr.CacheKey,
		sr.Components, sr.CacheNote, sr.CachedFrom, []byte(sr.Error), sr.Position, []byte(sr.Stack)}
	if sr.ID == 0 {
		err := q.QueryRow(ctx, `INSERT INTO step_runs (run_id, pipeline, step, status, attempt, started_at,
			ended_at, code_hash, cache_key, components, cache_note, cached_from, error, position, stack)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
			append([]any{sr.RunID, sr.Pipeline, sr.Step}, values...)...).Scan(&sr.ID)
		if err != nil {
			return err
		}
	} else if _, err := q.Exec(ctx, `UPDATE step_runs SET status = $1, attempt = $2, started_at = $3, ended_at = $4,
		code_hash = $5, cache_key = $6, components = $7, cache_note = $8, cached_from = $9, error = $10,
		position = $11, stack = $12 WHERE id = $13`, append(values, sr.ID)...); err != nil {
		return err
	} else if _, err := q.Exec(ctx, `DELETE FROM live_step_logs WHERE step_run_id = $1`, sr.ID); err != nil {
		// The final record replaces the output saved while it ran.
		return err
	}
	b := &pgx.Batch{}
	// In digest order, so that two processes recording the same artifacts
	// take their row locks in one order and cannot deadlock.
	outs := append([]meta.Artifact(nil), sr.Outputs...)
	sort.Slice(outs, func(i, j int) bool { return outs[i].Digest < outs[j].Digest })
	for _, a := range outs {
		b.Queue(`INSERT INTO artifacts (digest, size, codec, type) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
			a.Digest, a.Size, a.Codec, a.Type)
		if a.Inline != nil {
			// Bytes that differ under the same digest can only mean the
			// stored copy is corrupt: the runtime hashed the new ones.
			b.Queue(`INSERT INTO inline_artifacts (digest, bytes) VALUES ($1, $2)
				ON CONFLICT (digest) DO UPDATE SET bytes = excluded.bytes WHERE inline_artifacts.bytes != excluded.bytes`,
				a.Digest, a.Inline)
		}
	}
	for _, a := range sr.Outputs {
		b.Queue(`INSERT INTO step_outputs (step_run_id, name, digest, type_hash) VALUES ($1, $2, $3, $4)`, sr.ID, a.Name, a.Digest, a.TypeHash)
	}
	for _, a := range sr.Inputs {
		b.Queue(`INSERT INTO step_inputs (step_run_id, name, from_step, digest) VALUES ($1, $2, $3, $4)`,
			sr.ID, a.Name, a.FromStep, a.Digest)
	}
	for _, m := range sr.Metrics {
		b.Queue(`INSERT INTO metrics (step_run_id, name, value) VALUES ($1, $2, $3)
			ON CONFLICT (step_run_id, name) DO UPDATE SET value = excluded.value`, sr.ID, m.Name, m.Value)
	}
	if sr.Log != "" || len(sr.Displays) > 0 || len(sr.Retries) > 0 {
		var stdout []byte
		if sr.Stdout != sr.Log {
			stdout = []byte(sr.Stdout)
		}
		var displays *string
		if len(sr.Displays) > 0 {
			b, err := json.Marshal(sr.Displays)
			if err != nil {
				return err
			}
			s := string(b)
			displays = &s
		}
		streams, err := meta.StreamsColumn(sr.Streams)
		if err != nil {
			return err
		}
		retries, err := meta.RetriesColumn(sr.Retries)
		if err != nil {
			return err
		}
		b.Queue(`INSERT INTO step_logs (step_run_id, text, stdout, displays, streams, retries) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (step_run_id) DO UPDATE SET text = excluded.text, stdout = excluded.stdout, displays = excluded.displays,
				streams = excluded.streams, retries = excluded.retries`,
			sr.ID, []byte(sr.Log), stdout, displays, streams, retries)
	}
	if b.Len() == 0 {
		return nil
	}
	return q.SendBatch(ctx, b).Close()
}

const stepColumns = `id, run_id, pipeline, step, status, attempt, started_at, ended_at, code_hash, cache_key,
	components, cache_note, cached_from, error, position, stack`

func scanStep(sc pgx.Row) (meta.StepRun, error) {
	var s meta.StepRun
	var started, ended int64
	var errText, stack []byte
	err := sc.Scan(&s.ID, &s.RunID, &s.Pipeline, &s.Step, &s.Status, &s.Attempt, &started, &ended, &s.CodeHash,
		&s.CacheKey, &s.Components, &s.CacheNote, &s.CachedFrom, &errText, &s.Position, &stack)
	s.StartedAt, s.EndedAt, s.Error, s.Stack = meta.FromNanos(started), meta.FromNanos(ended), string(errText), string(stack)
	return s, err
}

func (d *DB) queryStep(ctx context.Context, where string, args ...any) (*meta.StepRun, error) {
	s, err := scanStep(d.pool.QueryRow(ctx, `SELECT `+stepColumns+` FROM step_runs WHERE `+where, args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, d.wrap(err)
	}
	if err := d.fillStep(ctx, &s, false); err != nil {
		return nil, d.wrap(err)
	}
	return &s, nil
}

// fillStep loads the lineage and metrics of a step run, and its captured
// output when withLog is set.
func (d *DB) fillStep(ctx context.Context, s *meta.StepRun, withLog bool) error {
	one := []meta.StepRun{*s}
	err := d.fillSteps(ctx, one, withLog)
	*s = one[0]
	return err
}

// fillSteps loads the lineage and metrics of step runs, and their captured
// output when withLog is set: one round trip of four queries however many
// they are, where four round trips for each step made a long run's
// records slow to read.
func (d *DB) fillSteps(ctx context.Context, steps []meta.StepRun, withLog bool) error {
	if len(steps) == 0 {
		return nil
	}
	at := make(map[int64]*meta.StepRun, len(steps))
	ids := make([]int64, len(steps))
	for i := range steps {
		at[steps[i].ID], ids[i] = &steps[i], steps[i].ID
	}
	b := &pgx.Batch{}
	b.Queue(`SELECT o.step_run_id, o.name, o.digest, a.size, a.codec, a.type, o.type_hash, i.digest IS NOT NULL, i.bytes
		FROM step_outputs o JOIN artifacts a ON a.digest = o.digest LEFT JOIN inline_artifacts i ON i.digest = o.digest
		WHERE o.step_run_id = ANY($1) ORDER BY o.step_run_id, o.name COLLATE "C"`, ids)
	b.Queue(`SELECT i.step_run_id, i.name, i.from_step, i.digest, a.size, a.codec, a.type FROM step_inputs i
		JOIN artifacts a ON a.digest = i.digest WHERE i.step_run_id = ANY($1) ORDER BY i.step_run_id, i.name COLLATE "C"`, ids)
	b.Queue(`SELECT step_run_id, name, value FROM metrics WHERE step_run_id = ANY($1) ORDER BY step_run_id, name COLLATE "C"`, ids)
	if withLog {
		b.Queue(`SELECT step_run_id, text, stdout, displays, streams, retries FROM step_logs WHERE step_run_id = ANY($1)`, ids)
	}
	br := d.pool.SendBatch(ctx, b)
	defer br.Close()
	var id int64
	var a meta.Artifact
	var inline bool
	rows, _ := br.Query()
	_, err := pgx.ForEachRow(rows, []any{&id, &a.Name, &a.Digest, &a.Size, &a.Codec, &a.Type, &a.TypeHash, &inline, &a.Inline}, func() error {
		o := a
		o.Inline = meta.InlineBytes(inline, bytes.Clone(a.Inline))
		at[id].Outputs = append(at[id].Outputs, o)
		return nil
	})
	if err != nil {
		return err
	}
	var in meta.Artifact
	rows, _ = br.Query()
	_, err = pgx.ForEachRow(rows, []any{&id, &in.Name, &in.FromStep, &in.Digest, &in.Size, &in.Codec, &in.Type}, func() error {
		at[id].Inputs = append(at[id].Inputs, in)
		return nil
	})
	if err != nil {
		return err
	}
	var m meta.Metric
	rows, _ = br.Query()
	_, err = pgx.ForEachRow(rows, []any{&id, &m.Name, &m.Value}, func() error {
		at[id].Metrics = append(at[id].Metrics, m)
		return nil
	})
	if err != nil || !withLog {
		return err
	}
	var log, stdout []byte
	var displays, streams, retries *string
	rows, _ = br.Query()
	_, err = pgx.ForEachRow(rows, []any{&id, &log, &stdout, &displays, &streams, &retries}, func() error {
		s := at[id]
		s.Log, s.Stdout = string(log), string(log)
		if stdout != nil {
			s.Stdout = string(stdout)
		}
		if displays != nil {
			if err := json.Unmarshal([]byte(*displays), &s.Displays); err != nil {
				return fmt.Errorf("step %s of run %s: its displays: %w", s.Step, s.RunID, err)
			}
		}
		var err error
		if s.Streams, err = meta.ParseStreams(streams); err != nil {
			return fmt.Errorf("step %s of run %s: %w", s.Step, s.RunID, err)
		}
		if s.Retries, err = meta.ParseRetries(retries); err != nil {
			return fmt.Errorf("step %s of run %s: %w", s.Step, s.RunID, err)
		}
		return nil
	})
	return err
}

// StepRuns lists the step runs of a run with lineage and metrics, in the
// order they started.
func (d *DB) StepRuns(ctx context.Context, runID string) ([]meta.StepRun, error) {
	rows, err := d.pool.Query(ctx, `SELECT `+stepColumns+` FROM step_runs WHERE run_id = $1 ORDER BY id`, runID)
	if err != nil {
		return nil, d.wrap(err)
	}
	steps, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (meta.StepRun, error) { return scanStep(r) })
	if err != nil {
		return nil, d.wrap(err)
	}
	if err := d.fillSteps(ctx, steps, false); err != nil {
		return nil, d.wrap(err)
	}
	return steps, nil
}

// StepRunsOf returns the whole records of the named steps of a run, each
// as StepRun returns it, in the order they started; a step without a
// record is left out. Two round trips read them all (meta.DB.StepRunsOf).
func (d *DB) StepRunsOf(ctx context.Context, runID string, names []string) ([]meta.StepRun, error) {
	if len(names) == 0 {
		return nil, nil
	}
	rows, err := d.pool.Query(ctx, `SELECT `+stepColumns+` FROM step_runs WHERE run_id = $1 AND step = ANY($2) ORDER BY id`, runID, names)
	if err != nil {
		return nil, d.wrap(err)
	}
	steps, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (meta.StepRun, error) { return scanStep(r) })
	if err != nil {
		return nil, d.wrap(err)
	}
	return steps, d.wrap(d.fillSteps(ctx, steps, true))
}

// StepRun returns one step of a run, with its captured output.
func (d *DB) StepRun(ctx context.Context, runID, step string) (meta.StepRun, error) {
	s, err := scanStep(d.pool.QueryRow(ctx, `SELECT `+stepColumns+` FROM step_runs WHERE run_id = $1 AND step = $2`, runID, step))
	if errors.Is(err, pgx.ErrNoRows) {
		return meta.StepRun{}, fmt.Errorf("run %s has no step %q: %w", runID, step, meta.ErrNotFound)
	}
	if err != nil {
		return meta.StepRun{}, d.wrap(err)
	}
	return s, d.wrap(d.fillStep(ctx, &s, true))
}

// StepOutputs returns the outputs of one step of a run, inline bytes
// included, in one query (the SQLite store's, meta.DB.StepOutputs).
func (d *DB) StepOutputs(ctx context.Context, runID, step string) ([]meta.Artifact, error) {
	rows, err := d.pool.Query(ctx, `SELECT COALESCE(o.name, ''), COALESCE(o.digest, ''), COALESCE(a.size, 0), COALESCE(a.codec, ''),
		COALESCE(a.type, ''), COALESCE(o.type_hash, ''), i.digest IS NOT NULL, i.bytes
		FROM step_runs s LEFT JOIN step_outputs o ON o.step_run_id = s.id LEFT JOIN artifacts a ON a.digest = o.digest
			LEFT JOIN inline_artifacts i ON i.digest = o.digest
		WHERE s.run_id = $1 AND s.step = $2 ORDER BY o.name COLLATE "C"`, runID, step)
	if err != nil {
		return nil, d.wrap(err)
	}
	defer rows.Close()
	outs, err := meta.CollectStepOutputs(rows, runID, step)
	return outs, d.wrap(err)
}

// cacheHitQuery is the SQLite store's (meta/tx.go): the newest finished
// step run with a key, one row per output ('o') or metric ('m').
const cacheHitQuery = `WITH hit AS (
	SELECT id, run_id, cached_from FROM step_runs
	WHERE pipeline = $1 AND step = $2 AND cache_key = $3 AND status IN ('succeeded', 'cached')
	ORDER BY ended_at DESC, id DESC LIMIT 1)
SELECT hit.id, hit.run_id, hit.cached_from, 'o' AS kind, COALESCE(o.name, '') COLLATE "C" AS name, COALESCE(o.digest, ''),
	COALESCE(a.size, 0), COALESCE(a.codec, ''), COALESCE(a.type, ''), COALESCE(o.type_hash, ''), 0.0::float8, i.digest IS NOT NULL, i.bytes
	FROM hit LEFT JOIN step_outputs o ON o.step_run_id = hit.id LEFT JOIN artifacts a ON a.digest = o.digest
		LEFT JOIN inline_artifacts i ON i.digest = o.digest
UNION ALL
SELECT hit.id, hit.run_id, hit.cached_from, 'm', m.name, '', 0, '', '', '', m.value, false, NULL
	FROM hit JOIN metrics m ON m.step_run_id = hit.id
ORDER BY 4, 5`

func cacheHit(ctx context.Context, q querier, pipeline, step, key string) (*meta.StepRun, error) {
	rows, err := q.Query(ctx, cacheHitQuery, pipeline, step, key)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return meta.CollectCacheHit(rows, pipeline, step, key)
}

// CacheHit returns the newest finished step run of pipeline's step with
// this cache key, or nil, filled in as meta.DB.CacheHit fills it.
func (d *DB) CacheHit(ctx context.Context, pipeline, step, key string) (*meta.StepRun, error) {
	hit, err := cacheHit(ctx, d.pool, pipeline, step, key)
	return hit, d.wrap(err)
}

// LatestSuccess returns the newest finished step run of pipeline's step,
// whatever its key, or nil.
func (d *DB) LatestSuccess(ctx context.Context, pipeline, step string) (*meta.StepRun, error) {
	return d.queryStep(ctx, `pipeline = $1 AND step = $2 AND status IN ('succeeded', 'cached')
		ORDER BY ended_at DESC, id DESC LIMIT 1`, pipeline, step)
}

// PreviousKeyed returns the newest step run of the same step that started
// before sr and recorded cache components, or nil.
func (d *DB) PreviousKeyed(ctx context.Context, sr meta.StepRun) (*meta.StepRun, error) {
	return d.queryStep(ctx, previousKeyed, sr.Pipeline, sr.Step, sr.ID)
}

// previousKeyed is PreviousKeyed's condition, which the index
// step_runs_by_step_id serves in order.
const previousKeyed = `pipeline = $1 AND step = $2 AND components != '' AND id < $3
		ORDER BY id DESC LIMIT 1`

// BlobDigests lists the digests of every artifact recorded outside the
// records themselves (not inline), sorted.
func (d *DB) BlobDigests(ctx context.Context) ([]string, error) {
	rows, err := d.pool.Query(ctx, `SELECT a.digest FROM artifacts a
		WHERE NOT EXISTS (SELECT 1 FROM inline_artifacts i WHERE i.digest = a.digest) ORDER BY a.digest COLLATE "C"`)
	if err != nil {
		return nil, d.wrap(err)
	}
	ds, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return ds, d.wrap(err)
}
