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
	"time"
)

// OpenReadOnly opens an existing store that this process may not write (a
// read-only mount, another user's files). It never writes: no migration,
// and runs of dead processes are not marked interrupted in the file; they
// read as interrupted all the same, as a writable open would record them.
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
	d := &DB{db: db, path: path, hostname: host, readOnly: true}
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

// showInterrupted shows a running run of a read-only store whose process
// is gone as interrupted, as MarkInterrupted would have recorded it.
func (d *DB) showInterrupted(ctx context.Context, r *Run) error {
	if !d.readOnly || r.Status != RunRunning {
		return nil
	}
	gone, err := d.runGone(ctx, r.ID)
	if gone {
		r.Status, r.Error = RunInterrupted, InterruptedError
	}
	return err
}

// showStepsInterrupted does the same for the running steps of such a run.
func (d *DB) showStepsInterrupted(ctx context.Context, runID string, steps []StepRun) error {
	if !d.readOnly {
		return nil
	}
	var gone *bool
	for i := range steps {
		if steps[i].Status != StepRunning {
			continue
		}
		if gone == nil {
			g, err := d.runGone(ctx, runID)
			if err != nil {
				return err
			}
			gone = &g
		}
		if *gone {
			steps[i].Status = StepInterrupted
		}
	}
	return nil
}

// runGone reports whether run id is recorded running by a process that is
// gone. A run of another orchestrator never is: it goes on without the
// process that submitted it.
func (d *DB) runGone(ctx context.Context, id string) (bool, error) {
	var status, host, orchestrator string
	var pid int
	var beat int64
	err := d.queryRow(ctx, `SELECT status, pid, hostname, heartbeat_at, orchestrator FROM runs WHERE id = ?`, id).Scan(&status, &pid, &host, &beat, &orchestrator)
	if err != nil {
		return false, err
	}
	return status == RunRunning && orchestrator == "" && d.processGone(pid, host, beat, time.Now()), nil
}
