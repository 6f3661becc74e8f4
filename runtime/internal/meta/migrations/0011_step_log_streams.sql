-- Which stream, stdout or stderr, each byte of a step's log was written
-- to, so that a run followed from elsewhere (a Temporal run's submitting
-- terminal) shows each line on its own stream: a JSON array of the
-- lengths of the log's runs of one stream, alternately stdout and stderr,
-- the first of stdout (meta.Streams). NULL when the whole log is stdout,
-- and in rows written before it. live_step_logs.streams is the same for
-- the text saved while the step runs.
ALTER TABLE step_logs ADD COLUMN streams TEXT;
ALTER TABLE live_step_logs ADD COLUMN streams TEXT;
