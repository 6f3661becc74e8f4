-- The attempts of a step that failed and were tried again (retries=N),
-- so that a run followed from elsewhere (a Temporal run's submitting
-- terminal) shows each `↻ STEP attempt K failed` line a local run shows,
-- in its place among the step's output: a JSON array of {"log": bytes of
-- the log written when the attempt failed, "error": its error}, in order
-- (meta.Retry). NULL when the step was not retried, and in rows written
-- before it. live_step_logs.retries is the same while the step runs.
ALTER TABLE step_logs ADD COLUMN retries TEXT;
ALTER TABLE live_step_logs ADD COLUMN retries TEXT;
