package pgmeta

import (
	"context"
	"fmt"

	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// SaveLiveLog records the output so far of the running step run id.
func (d *DB) SaveLiveLog(ctx context.Context, id int64, text string, streams meta.Streams, leftOut int64, retries []meta.Retry) error {
	column, err := meta.StreamsColumn(streams)
	if err != nil {
		return err
	}
	retried, err := meta.RetriesColumn(retries)
	if err != nil {
		return err
	}
	_, err = d.pool.Exec(ctx, `INSERT INTO live_step_logs (step_run_id, text, streams, left_out, retries) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (step_run_id) DO UPDATE SET text = excluded.text, streams = excluded.streams, left_out = excluded.left_out,
			retries = excluded.retries`,
		id, []byte(text), column, leftOut, retried)
	return err
}

// LiveLogs returns the output so far of each running step of a run.
func (d *DB) LiveLogs(ctx context.Context, runID string) ([]meta.LiveLog, error) {
	rows, err := d.pool.Query(ctx, `SELECT s.step, l.text, l.streams, l.left_out, l.retries FROM live_step_logs l
		JOIN step_runs s ON s.id = l.step_run_id WHERE s.run_id = $1 AND s.status = 'running' ORDER BY s.id`, runID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []meta.LiveLog
	for rows.Next() {
		var l meta.LiveLog
		var text []byte
		var streams, retries *string
		if err := rows.Scan(&l.Step, &text, &streams, &l.LeftOut, &retries); err != nil {
			return nil, err
		}
		if l.Streams, err = meta.ParseStreams(streams); err != nil {
			return nil, fmt.Errorf("step %s of run %s, live: %w", l.Step, runID, err)
		}
		if l.Retries, err = meta.ParseRetries(retries); err != nil {
			return nil, fmt.Errorf("step %s of run %s, live: %w", l.Step, runID, err)
		}
		l.Text = string(text)
		out = append(out, l)
	}
	return out, rows.Err()
}
