// Package pgmeta is the metadata store in a shared PostgreSQL database
// (github.com/jackc/pgx/v5): the records the SQLite store in package meta
// keeps, with the same meanings, for a team, a CI runner or a cluster that
// run one pipeline's steps from several machines.
//
// It knows rows, not scheduling, as meta does. What differs is
// concurrency: many processes on many hosts write at once, so every write
// is a statement PostgreSQL makes atomic (inserts that tolerate a row
// another process added, updates guarded by the status they change), and
// liveness of a run started elsewhere comes from its heartbeat.
//
// Importing the package registers it with the engine for postgres:// and
// postgresql:// DSNs.
package pgmeta

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"github.com/zengen-dev/zengen/runtime/internal/migration"
	"os"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// DB is an open metadata store in PostgreSQL.
type DB struct {
	pool     *pgxpool.Pool
	name     string // the server and database, never the password
	hostname string
}

// migrationLock is the advisory lock key that makes one process at a time
// migrate a database: "zenm" in ASCII.
const migrationLock = 0x7a656e6d

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

// Name returns what identifies the database of dsn in messages: user,
// host, port and database, never the password.
func Name(dsn string) string {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return "the PostgreSQL database (its DSN does not parse)"
	}
	return fmt.Sprintf("postgres://%s@%s:%d/%s", cfg.User, cfg.Host, cfg.Port, cfg.Database)
}

// Open connects to the database of dsn, applies pending migrations and
// marks the runs of dead processes interrupted. Credentials come from the
// DSN or libpq's environment (PGPASSWORD, PGPASSFILE, …).
func Open(ctx context.Context, dsn string) (*DB, error) {
	name := Name(dsn)
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("metadata store %s: %w", name, err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("metadata store %s: %w", name, err)
	}
	host, _ := os.Hostname()
	d := &DB{pool: pool, name: name, hostname: host}
	if err := d.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	if _, err := d.MarkInterrupted(ctx); err != nil {
		pool.Close()
		return nil, d.wrap(err)
	}
	return d, nil
}

// OpenExisting is Open for the commands that only read: a database that
// holds no store is an error, not a new store, so that a mistyped DSN says
// so instead of showing an empty history.
func OpenExisting(ctx context.Context, dsn string) (*DB, error) {
	name := Name(dsn)
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("metadata store %s: %w", name, explain(err))
	}
	var found bool
	err = conn.QueryRow(ctx, `SELECT to_regclass('zen_schema') IS NOT NULL`).Scan(&found)
	conn.Close(context.WithoutCancel(ctx))
	if err != nil {
		return nil, fmt.Errorf("metadata store %s: %w", name, explain(err))
	}
	if !found {
		return nil, fmt.Errorf("no store in %s (nothing has run with this stack; --db or $ZEN_DB chooses another)", name)
	}
	return Open(ctx, dsn)
}

// Close closes the store's connections.
func (d *DB) Close() error {
	d.pool.Close()
	return nil
}

// wrap names the database in an error, once.
func (d *DB) wrap(err error) error {
	if err == nil || strings.Contains(err.Error(), d.name) {
		return err
	}
	return fmt.Errorf("metadata store %s: %w", d.name, explain(err))
}

// ErrSchemaTooNew reports a database migrated by a newer binary.
var ErrSchemaTooNew = errors.New("schema too new")

// migrate brings the schema up to date. The advisory lock, held to the end
// of the transaction, makes two processes opening a new database one after
// the other; PostgreSQL's DDL is transactional, so a failed migration
// leaves the schema as it was.
func (d *DB) migrate(ctx context.Context) error {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	tx, err := d.pool.Begin(ctx)
	if err != nil {
		return d.wrap(err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLock); err != nil {
		return d.wrap(err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS zen_schema (version INTEGER NOT NULL)`); err != nil {
		return d.wrap(err)
	}
	var current int
	switch err := tx.QueryRow(ctx, `SELECT version FROM zen_schema`).Scan(&current); {
	case errors.Is(err, pgx.ErrNoRows):
		if _, err := tx.Exec(ctx, `INSERT INTO zen_schema (version) VALUES (0)`); err != nil {
			return d.wrap(err)
		}
	case err != nil:
		return d.wrap(err)
	}
	if current > len(ms) {
		return fmt.Errorf("metadata store %s has schema version %d, this binary knows up to %d: upgrade the pipeline binary: %w",
			d.name, current, len(ms), ErrSchemaTooNew)
	}
	if current == len(ms) {
		return tx.Commit(ctx)
	}
	for _, m := range ms[current:] {
		if _, err := tx.Exec(ctx, m.SQL); err != nil {
			return fmt.Errorf("metadata store %s: migration %s: %w", d.name, m.Name, err)
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE zen_schema SET version = $1`, len(ms)); err != nil {
		return d.wrap(err)
	}
	return d.wrap(tx.Commit(ctx))
}
