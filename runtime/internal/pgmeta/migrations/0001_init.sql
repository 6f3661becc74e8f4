-- The PostgreSQL schema of the metadata store: the tables of the SQLite
-- store (meta/migrations 0001–0004) as they stand after its migrations,
-- with the same columns and meanings, so that every query means the same on
-- both. Times are Unix nanoseconds (UTC) in BIGINT, as there. Text a
-- step's code controls (errors, stacks, logs) is BYTEA: a PostgreSQL TEXT
-- cannot hold a NUL byte or invalid UTF-8, and a record must keep what the
-- step printed exactly.

CREATE TABLE pipelines (
	name       TEXT PRIMARY KEY,
	notebook   TEXT NOT NULL,
	created_at BIGINT NOT NULL
);

CREATE TABLE code_versions (
	pipeline   TEXT NOT NULL REFERENCES pipelines (name),
	step       TEXT NOT NULL,
	code_hash  TEXT NOT NULL,
	first_seen BIGINT NOT NULL,
	PRIMARY KEY (pipeline, step, code_hash)
);

CREATE TABLE runs (
	id           TEXT PRIMARY KEY,
	pipeline     TEXT NOT NULL REFERENCES pipelines (name),
	status       TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
	params       TEXT NOT NULL,
	args         TEXT NOT NULL,
	resumed_from TEXT NOT NULL DEFAULT '',
	started_at   BIGINT NOT NULL,
	ended_at     BIGINT NOT NULL DEFAULT 0,
	heartbeat_at BIGINT NOT NULL,
	pid          INTEGER NOT NULL,
	hostname     TEXT NOT NULL,
	error        BYTEA NOT NULL DEFAULT '',
	-- seq orders runs that started in the same nanosecond, as SQLite's rowid does.
	seq          BIGINT GENERATED ALWAYS AS IDENTITY
);

CREATE INDEX runs_by_pipeline ON runs (pipeline, started_at);
CREATE INDEX runs_running ON runs (status) WHERE status = 'running';

CREATE TABLE step_runs (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	run_id      TEXT NOT NULL REFERENCES runs (id),
	pipeline    TEXT NOT NULL,
	step        TEXT NOT NULL,
	status      TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'cached', 'failed', 'skipped', 'cancelled', 'interrupted')),
	attempt     INTEGER NOT NULL DEFAULT 0,
	started_at  BIGINT NOT NULL DEFAULT 0,
	ended_at    BIGINT NOT NULL DEFAULT 0,
	code_hash   TEXT NOT NULL DEFAULT '',
	cache_key   TEXT NOT NULL DEFAULT '',
	components  TEXT NOT NULL DEFAULT '',
	cache_note  TEXT NOT NULL DEFAULT '',
	cached_from TEXT NOT NULL DEFAULT '',
	error       BYTEA NOT NULL DEFAULT '',
	position    TEXT NOT NULL DEFAULT '',
	stack       BYTEA NOT NULL DEFAULT '',
	UNIQUE (run_id, step)
);

CREATE INDEX step_runs_by_key ON step_runs (pipeline, step, cache_key, ended_at);

CREATE TABLE artifacts (
	digest TEXT PRIMARY KEY,
	size   BIGINT NOT NULL,
	codec  TEXT NOT NULL,
	type   TEXT NOT NULL
);

-- Small artifacts' bytes, kept with the record that names them (see the
-- SQLite store's 0003_inline_artifacts.sql).
CREATE TABLE inline_artifacts (
	digest TEXT PRIMARY KEY REFERENCES artifacts (digest),
	bytes  BYTEA NOT NULL
);

CREATE TABLE step_outputs (
	step_run_id BIGINT NOT NULL REFERENCES step_runs (id),
	name        TEXT NOT NULL,
	digest      TEXT NOT NULL REFERENCES artifacts (digest),
	PRIMARY KEY (step_run_id, name)
);

CREATE TABLE step_inputs (
	step_run_id BIGINT NOT NULL REFERENCES step_runs (id),
	name        TEXT NOT NULL,
	from_step   TEXT NOT NULL,
	digest      TEXT NOT NULL REFERENCES artifacts (digest),
	PRIMARY KEY (step_run_id, name)
);

CREATE TABLE metrics (
	step_run_id BIGINT NOT NULL REFERENCES step_runs (id),
	name        TEXT NOT NULL,
	value       DOUBLE PRECISION NOT NULL,
	PRIMARY KEY (step_run_id, name)
);

-- stdout is NULL when it is the whole log (see the SQLite store's 0004).
CREATE TABLE step_logs (
	step_run_id BIGINT PRIMARY KEY REFERENCES step_runs (id),
	text        BYTEA NOT NULL,
	stdout      BYTEA,
	-- displays places the step's display outputs in text and stdout, as
	-- JSON (meta.DisplayAt), NULL for none.
	displays    TEXT
);
