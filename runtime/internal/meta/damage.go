package meta

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"

	"modernc.org/sqlite"
)

// SQLite's primary result codes for a damaged database file.
const (
	sqliteCorrupt = 11 // SQLITE_CORRUPT: "database disk image is malformed"
	sqliteNotADB  = 26 // SQLITE_NOTADB: "file is not a database"
)

// IsDamaged reports whether err is SQLite finding the database file damaged.
func IsDamaged(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	c := se.Code() & 0xff
	return c == sqliteCorrupt || c == sqliteNotADB
}

// Check runs SQLite's integrity check and foreign key check on the store at
// path without writing to it, and returns the problems found, empty for a
// sound store. err is set only when the check itself could not run.
func Check(ctx context.Context, path string) (problems []string, err error) {
	db, err := openForSalvage(path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check(20)")
	if err != nil {
		return []string{err.Error()}, nil
	}
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return append(problems, err.Error()), nil
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		problems = append(problems, err.Error())
	}
	rows.Close()
	if len(problems) > 0 {
		return problems, nil
	}
	rows, err = db.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return []string{err.Error()}, nil
	}
	defer rows.Close()
	for rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fk int
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			return append(problems, err.Error()), nil
		}
		problems = append(problems, fmt.Sprintf("a row of %s refers to a missing row of %s", table, parent))
		if len(problems) == 20 {
			break
		}
	}
	return problems, rows.Err()
}

// openForSalvage opens a store that may be damaged for reading only,
// without the migrations and marking that Open does.
func openForSalvage(path string) (*sql.DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	return openReadable(context.Background(), abs, "&_pragma=busy_timeout(10000)")
}

// BlobDigests lists the digests of the artifacts the records keep in the
// blob store (those not inline), sorted.
func (d *DB) BlobDigests(ctx context.Context) ([]string, error) {
	rows, err := d.query(ctx, `SELECT digest FROM artifacts
		WHERE digest NOT IN (SELECT digest FROM inline_artifacts) ORDER BY digest`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
