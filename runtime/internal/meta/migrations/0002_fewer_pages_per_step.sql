-- Every page a step's record touches is written to the WAL at commit, and
-- those writes were most of a step's cost in the store. This migration cuts
-- the pages per step record:
--
-- - artifacts, step_outputs, step_inputs and metrics become WITHOUT ROWID
--   tables: their primary key is the table, not a second b-tree beside it;
-- - step_outputs_by_digest goes: no query uses it;
-- - step_runs_by_key gains ended_at, so a cache lookup walks the index
--   backwards to the newest finished run instead of sorting every run with
--   the key, and step_runs_by_step goes: the queries by step alone (--from,
--   --only, explain) use the prefix of step_runs_by_key.

-- The new tables refer to artifacts_v2, which the renames below turn into
-- references to artifacts: had they referred to artifacts from the start,
-- dropping the old artifacts table would break them.

CREATE TABLE artifacts_v2 (
	digest TEXT PRIMARY KEY,
	size   INTEGER NOT NULL,
	codec  TEXT NOT NULL,
	type   TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE step_outputs_v2 (
	step_run_id INTEGER NOT NULL REFERENCES step_runs (id),
	name        TEXT NOT NULL,
	digest      TEXT NOT NULL REFERENCES artifacts_v2 (digest),
	PRIMARY KEY (step_run_id, name)
) WITHOUT ROWID;

CREATE TABLE step_inputs_v2 (
	step_run_id INTEGER NOT NULL REFERENCES step_runs (id),
	name        TEXT NOT NULL,
	from_step   TEXT NOT NULL,
	digest      TEXT NOT NULL REFERENCES artifacts_v2 (digest),
	PRIMARY KEY (step_run_id, name)
) WITHOUT ROWID;

CREATE TABLE metrics_v2 (
	step_run_id INTEGER NOT NULL REFERENCES step_runs (id),
	name        TEXT NOT NULL,
	value       REAL NOT NULL,
	PRIMARY KEY (step_run_id, name)
) WITHOUT ROWID;

INSERT INTO artifacts_v2 SELECT digest, size, codec, type FROM artifacts;
INSERT INTO step_outputs_v2 SELECT step_run_id, name, digest FROM step_outputs;
INSERT INTO step_inputs_v2 SELECT step_run_id, name, from_step, digest FROM step_inputs;
INSERT INTO metrics_v2 SELECT step_run_id, name, value FROM metrics;

DROP TABLE step_outputs;
DROP TABLE step_inputs;
DROP TABLE metrics;
DROP TABLE artifacts;

ALTER TABLE artifacts_v2 RENAME TO artifacts;
ALTER TABLE step_outputs_v2 RENAME TO step_outputs;
ALTER TABLE step_inputs_v2 RENAME TO step_inputs;
ALTER TABLE metrics_v2 RENAME TO metrics;

DROP INDEX step_runs_by_key;
DROP INDEX step_runs_by_step;
CREATE INDEX step_runs_by_key ON step_runs (pipeline, step, cache_key, ended_at);
