-- The output of a running step so far, the end of it (at most what the
-- dashboard shows), saved while it runs so the run page can show it. The
-- step's final record (step_logs) replaces it: it is deleted then.
-- left_out counts the bytes written before text.
CREATE TABLE live_step_logs (
	step_run_id BIGINT PRIMARY KEY REFERENCES step_runs (id),
	text        BYTEA NOT NULL,
	left_out    BIGINT NOT NULL
);
