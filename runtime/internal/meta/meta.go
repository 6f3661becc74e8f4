// Package meta is the metadata store of the runtime: an embedded SQLite
// database (modernc.org/sqlite, no cgo) that records pipelines, code
// versions, runs, step runs with their cache components, artifacts with
// lineage, metrics and captured output.
//
// It knows rows, not scheduling: the runtime decides what a step run means;
// meta stores it durably — several records in one transaction (Tx) when the
// runtime gathers them, so a step costs one commit — and marks the runs of
// dead processes interrupted whenever a store is opened.
package meta

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"github.com/zengen-dev/zengen/runtime/internal/migration"
	"os"
	"sync/atomic"
	"time"

	"modernc.org/sqlite" // also registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// DB is an open metadata store.
type DB struct {
	db       *sql.DB
	path     string
	hostname string
	readOnly bool // opened by OpenReadOnly
	stmts    statements
	commits  atomic.Int64 // write transactions committed through Tx
}

// ErrNotFound is returned when a run or step run does not exist.
var ErrNotFound = errors.New("not found")

// StaleHeartbeat is how old a running run's heartbeat may be before the run
// counts as dead even when its pid cannot be checked (another host).
var StaleHeartbeat = 2 * time.Minute

func loadMigrations() ([]migration.Migration, error) {
	return migration.Load(migrationFiles, "migrations")
}

// SchemaVersion is the newest schema this binary knows.
func SchemaVersion() int {
	ms, err := loadMigrations()
	if err != nil {
		panic(err) // the embedded files are part of the binary
	}
	return len(ms)
}

// Open opens (creating if needed) the store at path, applies pending
// migrations and marks the runs of dead processes interrupted.
func Open(ctx context.Context, path string) (*DB, error) {
	// Immediate transactions take the write lock up front, so two processes
	// never deadlock upgrading a read lock; busy_timeout makes them wait.
	dsn := path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)&_pragma=temp_store(MEMORY)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("metadata store at %s: %w", path, err)
	}
	// One connection: SQLite has one writer anyway, and a single connection
	// keeps this process's writers from ever getting SQLITE_BUSY from each
	// other.
	db.SetMaxOpenConns(1)
	host, _ := os.Hostname()
	d := &DB{db: db, path: path, hostname: host}
	if err := retryBusy(ctx, func() error { return d.migrate(ctx) }); err != nil {
		db.Close()
		return nil, err
	}
	if _, err := d.MarkInterrupted(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return d, nil
}

// Commits reports how many transactions begun with Begin have committed,
// so tests and benchmarks can hold the runtime to its budget of one commit
// per step.
func (d *DB) Commits() int64 { return d.commits.Load() }

// Close closes the store.
func (d *DB) Close() error {
	d.stmts.mu.Lock()
	for _, s := range d.stmts.cache {
		s.Close()
	}
	d.stmts.mu.Unlock()
	return d.db.Close()
}

func (d *DB) migrate(ctx context.Context) error {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	var current int
	if err := d.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return fmt.Errorf("metadata store at %s: %w", d.path, err)
	}
	if err := d.checkVersion(current, len(ms)); err != nil || current == len(ms) {
		return err
	}
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("metadata store at %s: %w", d.path, err)
	}
	defer tx.Rollback()
	// Another process may have migrated between the read above and the
	// write lock taken by BeginTx.
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return err
	}
	if err := d.checkVersion(current, len(ms)); err != nil {
		return err
	}
	for _, m := range ms[current:] {
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			return fmt.Errorf("metadata store at %s: migration %s: %w", d.path, m.Name, err)
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(ms))); err != nil {
		return err
	}
	return tx.Commit()
}

func (d *DB) checkVersion(current, known int) error {
	if current > known {
		return fmt.Errorf("metadata store at %s has schema version %d, this binary knows up to %d: upgrade the pipeline binary",
			d.path, current, known)
	}
	return nil
}

// retryBusy retries f while SQLite reports SQLITE_BUSY. busy_timeout covers
// ordinary lock waits, but not the first connection of two processes to a
// brand-new store: switching it to WAL needs an exclusive lock that SQLite
// refuses at once instead of waiting for.
func retryBusy(ctx context.Context, f func() error) error {
	deadline := time.Now().Add(10 * time.Second)
	for wait := time.Millisecond; ; wait = min(2*wait, 100*time.Millisecond) {
		err := f()
		var se *sqlite.Error
		if err == nil || !errors.As(err, &se) || se.Code()&0xff != sqliteBusy || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
	}
}

// sqliteBusy is SQLite's primary result code SQLITE_BUSY.
const sqliteBusy = 5
