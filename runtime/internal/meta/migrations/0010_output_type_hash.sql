-- The hash of the Go type (and codec) that wrote each step output, as the
-- generated code declares it (Output.TypeHash), so that cat and the
-- dashboard decode an artifact with today's type only when it is the one
-- that wrote it. It belongs to the output, not the artifact: artifacts are
-- content-addressed and the same bytes may be stored by two types. Rows
-- written before it hold '', which means unknown.
ALTER TABLE step_outputs ADD COLUMN type_hash TEXT NOT NULL DEFAULT '';
