package pgmeta

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// ArtifactUses returns the step runs that wrote or read the artifact with
// digest, newest first, at most meta.LineageLimit, as meta.DB does.
func (d *DB) ArtifactUses(ctx context.Context, digest string) ([]meta.ArtifactUse, error) {
	rows, err := d.pool.Query(ctx, `SELECT s.run_id, s.pipeline, s.step, u.name, u.read, s.status, s.started_at FROM (
		SELECT step_run_id, name, false AS read FROM step_outputs WHERE digest = $1
		UNION ALL
		SELECT step_run_id, name, true AS read FROM step_inputs WHERE digest = $1
	) u JOIN step_runs s ON s.id = u.step_run_id
	ORDER BY s.started_at DESC, s.id DESC, u.read LIMIT $2`, digest, meta.LineageLimit)
	if err != nil {
		return nil, d.wrap(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (meta.ArtifactUse, error) {
		var u meta.ArtifactUse
		err := r.Scan(&u.Run, &u.Pipeline, &u.Step, &u.Name, &u.Read, &u.Status, &u.StartedAt)
		return u, err
	})
	return out, d.wrap(err)
}
