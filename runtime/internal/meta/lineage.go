package meta

import "context"

// ArtifactUse is one step run that wrote or read an artifact.
type ArtifactUse struct {
	Run, Pipeline, Step string
	Name                string // the output's or input's name in that step
	Read                bool   // read as an input; false for written
	Status              string // of the step run
	StartedAt           int64  // Nanos
}

// LineageLimit bounds the uses ArtifactUses returns, newest first: a
// value every run reads (a dataset) is used by every run in the store.
const LineageLimit = 200

// ArtifactUses returns the step runs that wrote or read the artifact
// with digest, newest first, at most LineageLimit. No index leads from a
// digest to its uses (one would cost every step's commit a page), so the
// query scans the inputs and outputs: it is for a page a person opened,
// not for a loop.
func (d *DB) ArtifactUses(ctx context.Context, digest string) ([]ArtifactUse, error) {
	rows, err := d.query(ctx, artifactUsesQuery, digest, digest, LineageLimit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ArtifactUse
	for rows.Next() {
		var u ArtifactUse
		if err := rows.Scan(&u.Run, &u.Pipeline, &u.Step, &u.Name, &u.Read, &u.Status, &u.StartedAt); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

const artifactUsesQuery = `SELECT s.run_id, s.pipeline, s.step, u.name, u.read, s.status, s.started_at FROM (
	SELECT step_run_id, name, 0 AS read FROM step_outputs WHERE digest = ?
	UNION ALL
	SELECT step_run_id, name, 1 AS read FROM step_inputs WHERE digest = ?
) u JOIN step_runs s ON s.id = u.step_run_id
ORDER BY s.started_at DESC, s.id DESC, u.read LIMIT ?`
