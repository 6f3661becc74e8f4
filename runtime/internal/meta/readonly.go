package meta

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
)

// OpenReadOnly opens an existing store that this process may not write (a
// read-only mount, another user's files). It never writes: no migration,
// and runs of dead processes are not marked interrupted, so such a run
// still reads as running.
//
// SQLite reads a WAL database through its -shm index, which it must be
// able to create. When it cannot and no -wal file exists, every committed
// transaction is in the database file itself, and the store is opened as
// immutable: read from the file alone, without locks. A -wal file that
// SQLite cannot use holds commits that the file lacks; the store is then
// refused rather than shown without them.
func OpenReadOnly(ctx context.Context, path string) (*DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("metadata store at %s: %w", path, err)
	}
	db, err := openReadable(ctx, abs, "&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=temp_store(MEMORY)")
	if err != nil {
		return nil, fmt.Errorf("metadata store at %s: %w", path, err)
	}
	host, _ := os.Hostname()
	d := &DB{db: db, path: path, hostname: host}
	var current int
	if err := d.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		db.Close()
		return nil, fmt.Errorf("metadata store at %s: %w", path, err)
	}
	known := SchemaVersion()
	if err := d.checkVersion(current, known); err != nil {
		db.Close()
		return nil, err
	}
	if current < known {
		db.Close()
		return nil, fmt.Errorf("metadata store at %s has schema version %d and is read-only: this binary reads version %d, "+
			"which a writable open (any command) upgrades it to", path, current, known)
	}
	return d, nil
}

// openReadable opens the database at the absolute path abs for reading
// only: read-only, or immutable where SQLite cannot have its -shm index and
// no -wal file holds commits that the database file lacks.
func openReadable(ctx context.Context, abs, pragmas string) (*sql.DB, error) {
	db, err := sqlOpenURI(abs, "mode=ro"+pragmas)
	if err != nil {
		return nil, err
	}
	// The first read is where SQLite looks for the WAL index.
	var v int
	if err = db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err == nil {
		return db, nil
	}
	db.Close()
	if _, statErr := os.Stat(abs + "-wal"); !errors.Is(statErr, fs.ErrNotExist) {
		return nil, fmt.Errorf("its write-ahead log %s-wal cannot be read without writing: %w", abs, err)
	}
	return sqlOpenURI(abs, "immutable=1"+pragmas)
}

// sqlOpenURI opens the database file at the absolute path abs with SQLite's
// URI parameters in query, on a single connection.
func sqlOpenURI(abs, query string) (*sql.DB, error) {
	u := url.URL{Scheme: "file", Path: abs, RawQuery: query}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}
