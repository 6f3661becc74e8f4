-- A small artifact costs more as a file of its own (create, write, fsync,
-- rename) than a whole step's record, so the runtime stores artifacts up to
-- a few KiB here instead, in the transaction that records the step that
-- made them: the bytes and the record become durable together or not at
-- all. They keep their content address: digest is the SHA-256 of bytes,
-- exactly what the blob store would name them, and the runtime checks it on
-- every read.
--
-- WITHOUT ROWID: most inline artifacts are a few bytes (scalars, short
-- lists), and a rowid table would add a second b-tree — one more page to
-- write at every step's commit — just to index the digest. The rarer rows
-- of several KiB spill to overflow pages as in any table.

CREATE TABLE inline_artifacts (
	digest TEXT PRIMARY KEY REFERENCES artifacts (digest),
	bytes  BLOB NOT NULL
) WITHOUT ROWID;
