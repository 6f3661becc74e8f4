-- The first schema: pipelines, their code versions, runs, step runs with
-- cache components, content-addressed artifacts with lineage, metrics and
-- captured output. Times are Unix nanoseconds (UTC).

CREATE TABLE pipelines (
	name       TEXT PRIMARY KEY,
	notebook   TEXT NOT NULL,
	created_at INTEGER NOT NULL
);

CREATE TABLE code_versions (
	pipeline   TEXT NOT NULL REFERENCES pipelines (name),
	step       TEXT NOT NULL,
	code_hash  TEXT NOT NULL,
	first_seen INTEGER NOT NULL,
	PRIMARY KEY (pipeline, step, code_hash)
);

CREATE TABLE runs (
	id           TEXT PRIMARY KEY,
	pipeline     TEXT NOT NULL REFERENCES pipelines (name),
	status       TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
	params       TEXT NOT NULL,
	args         TEXT NOT NULL,
	resumed_from TEXT NOT NULL DEFAULT '',
	started_at   INTEGER NOT NULL,
	ended_at     INTEGER NOT NULL DEFAULT 0,
	heartbeat_at INTEGER NOT NULL,
	pid          INTEGER NOT NULL,
	hostname     TEXT NOT NULL,
	error        TEXT NOT NULL DEFAULT ''
);

CREATE INDEX runs_by_pipeline ON runs (pipeline, started_at);
CREATE INDEX runs_running ON runs (status) WHERE status = 'running';

CREATE TABLE step_runs (
	id          INTEGER PRIMARY KEY,
	run_id      TEXT NOT NULL REFERENCES runs (id),
	pipeline    TEXT NOT NULL,
	step        TEXT NOT NULL,
	status      TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'cached', 'failed', 'skipped', 'cancelled', 'interrupted')),
	attempt     INTEGER NOT NULL DEFAULT 0,
	started_at  INTEGER NOT NULL DEFAULT 0,
	ended_at    INTEGER NOT NULL DEFAULT 0,
	code_hash   TEXT NOT NULL DEFAULT '',
	cache_key   TEXT NOT NULL DEFAULT '',
	components  TEXT NOT NULL DEFAULT '',
	cache_note  TEXT NOT NULL DEFAULT '',
	cached_from TEXT NOT NULL DEFAULT '',
	error       TEXT NOT NULL DEFAULT '',
	position    TEXT NOT NULL DEFAULT '',
	stack       TEXT NOT NULL DEFAULT '',
	UNIQUE (run_id, step)
);

CREATE INDEX step_runs_by_key ON step_runs (pipeline, step, cache_key);
CREATE INDEX step_runs_by_step ON step_runs (pipeline, step, started_at);

CREATE TABLE artifacts (
	digest TEXT PRIMARY KEY,
	size   INTEGER NOT NULL,
	codec  TEXT NOT NULL,
	type   TEXT NOT NULL
);

CREATE TABLE step_outputs (
	step_run_id INTEGER NOT NULL REFERENCES step_runs (id),
	name        TEXT NOT NULL,
	digest      TEXT NOT NULL REFERENCES artifacts (digest),
	PRIMARY KEY (step_run_id, name)
);

CREATE INDEX step_outputs_by_digest ON step_outputs (digest);

CREATE TABLE step_inputs (
	step_run_id INTEGER NOT NULL REFERENCES step_runs (id),
	name        TEXT NOT NULL,
	from_step   TEXT NOT NULL,
	digest      TEXT NOT NULL REFERENCES artifacts (digest),
	PRIMARY KEY (step_run_id, name)
);

CREATE TABLE metrics (
	step_run_id INTEGER NOT NULL REFERENCES step_runs (id),
	name        TEXT NOT NULL,
	value       REAL NOT NULL,
	PRIMARY KEY (step_run_id, name)
);

CREATE TABLE step_logs (
	step_run_id INTEGER PRIMARY KEY REFERENCES step_runs (id),
	text        TEXT NOT NULL
);
