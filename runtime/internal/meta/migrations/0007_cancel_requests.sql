-- A run's cancel request: when another process asked (NAME cancel RUN) to
-- stop it, in Unix nanoseconds, 0 when nobody has. The process running it
-- looks for it beside its heartbeat and stops the run as Ctrl-C would.
ALTER TABLE runs ADD COLUMN cancel_requested_at INTEGER NOT NULL DEFAULT 0;
