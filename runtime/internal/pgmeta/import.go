package pgmeta

import (
	"context"
	"sort"

	"github.com/jackc/pgx/v5"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// ImportRun records a run recorded elsewhere, as it was there: its status,
// times, process and host, and its steps with their artifacts, lineage,
// metrics and logs. It is one transaction, so a run is imported whole or
// not at all, and it imports nothing when the run's id is already recorded
// (imported reports which), which makes pushing a run again a no-op.
// Artifacts the steps read but did not write are recorded too, so lineage
// never points at a digest the store does not know.
func (d *DB) ImportRun(ctx context.Context, r meta.Run, steps []meta.StepRun) (imported bool, err error) {
	err = pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO runs (id, pipeline, status, params, args, resumed_from, started_at,
			ended_at, heartbeat_at, pid, hostname, error, orchestrator) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
			ON CONFLICT (id) DO NOTHING`,
			r.ID, r.Pipeline, r.Status, r.Params, r.Args, r.ResumedFrom, meta.Nanos(r.StartedAt), meta.Nanos(r.EndedAt),
			meta.Nanos(r.EndedAt), r.PID, r.Hostname, []byte(r.Error), r.Orchestrator)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		var inputs []meta.Artifact
		for _, s := range steps {
			inputs = append(inputs, s.Inputs...)
		}
		sort.Slice(inputs, func(i, j int) bool { return inputs[i].Digest < inputs[j].Digest })
		for _, a := range inputs {
			if _, err := tx.Exec(ctx, `INSERT INTO artifacts (digest, size, codec, type) VALUES ($1, $2, $3, $4)
				ON CONFLICT DO NOTHING`, a.Digest, a.Size, a.Codec, a.Type); err != nil {
				return err
			}
		}
		for i := range steps {
			s := steps[i]
			s.ID = 0 // the step gets this store's id
			if err := finishStep(ctx, tx, &s); err != nil {
				return err
			}
		}
		imported = true
		return nil
	})
	return imported, d.wrap(err)
}
