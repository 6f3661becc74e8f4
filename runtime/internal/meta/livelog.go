package meta

import (
	"context"
	"fmt"
)

// MaxLiveLog is how much of a running step's output is saved while it
// runs: its end, as much as the run page shows.
const MaxLiveLog = 64 << 10

// LiveLog is the output of a running step so far: its last bytes, which
// stream each was written to, how many came before them, and the attempts
// that failed and were tried again so far. The step's final record
// replaces it.
type LiveLog struct {
	Step    string
	Text    string
	Streams Streams
	LeftOut int64
	Retries []Retry
}

// SaveLiveLog records the output so far of the running step run id.
func (d *DB) SaveLiveLog(ctx context.Context, id int64, text string, streams Streams, leftOut int64, retries []Retry) error {
	column, err := StreamsColumn(streams)
	if err != nil {
		return err
	}
	retried, err := RetriesColumn(retries)
	if err != nil {
		return err
	}
	_, err = d.exec(ctx, `INSERT OR REPLACE INTO live_step_logs (step_run_id, text, streams, left_out, retries) VALUES (?, ?, ?, ?, ?)`,
		id, text, column, leftOut, retried)
	return err
}

// LiveLogs returns the output so far of each running step of a run.
func (d *DB) LiveLogs(ctx context.Context, runID string) ([]LiveLog, error) {
	rows, err := d.query(ctx, `SELECT s.step, l.text, l.streams, l.left_out, l.retries FROM live_step_logs l
		JOIN step_runs s ON s.id = l.step_run_id WHERE s.run_id = ? AND s.status = 'running' ORDER BY s.id`, runID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LiveLog
	for rows.Next() {
		var l LiveLog
		var streams, retries *string
		if err := rows.Scan(&l.Step, &l.Text, &streams, &l.LeftOut, &retries); err != nil {
			return nil, err
		}
		if l.Streams, err = ParseStreams(streams); err != nil {
			return nil, fmt.Errorf("step %s of run %s, live: %w", l.Step, runID, err)
		}
		if l.Retries, err = ParseRetries(retries); err != nil {
			return nil, fmt.Errorf("step %s of run %s, live: %w", l.Step, runID, err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}
