-- A step's log holds what it wrote to stdout and stderr, in the order
-- written; stdout keeps what it wrote to stdout alone (the parity test
-- compares that with the notebook), NULL when that is the whole log.
ALTER TABLE step_logs ADD COLUMN stdout TEXT;
