package pgmeta

import (
	"context"

	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// SaveLiveLog records the output so far of the running step run id.
func (d *DB) SaveLiveLog(ctx context.Context, id int64, text string, leftOut int64) error {
	_, err := d.pool.Exec(ctx, `INSERT INTO live_step_logs (step_run_id, text, left_out) VALUES ($1, $2, $3)
		ON CONFLICT (step_run_id) DO UPDATE SET text = excluded.text, left_out = excluded.left_out`, id, []byte(text), leftOut)
	return err
}

// LiveLogs returns the output so far of each running step of a run.
func (d *DB) LiveLogs(ctx context.Context, runID string) ([]meta.LiveLog, error) {
	rows, err := d.pool.Query(ctx, `SELECT s.step, l.text, l.left_out FROM live_step_logs l
		JOIN step_runs s ON s.id = l.step_run_id WHERE s.run_id = $1 AND s.status = 'running' ORDER BY s.id`, runID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []meta.LiveLog
	for rows.Next() {
		var l meta.LiveLog
		var text []byte
		if err := rows.Scan(&l.Step, &text, &l.LeftOut); err != nil {
			return nil, err
		}
		l.Text = string(text)
		out = append(out, l)
	}
	return out, rows.Err()
}
