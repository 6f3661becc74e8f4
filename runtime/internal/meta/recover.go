package meta

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// recoverOrder lists the tables of the schema parents first, so that a row
// is copied after the rows it refers to. TestRecoverKnowsEveryTable holds
// it to the migrations.
var recoverOrder = []string{"pipelines", "code_versions", "runs", "step_runs", "artifacts", "inline_artifacts",
	"step_outputs", "step_inputs", "metrics", "step_logs", "live_step_logs"}

// ErrUnreadable is Recover finding not even the schema of the damaged
// store readable.
var ErrUnreadable = errors.New("no record can be read")

// TableRecovery is what Recover made of one table.
type TableRecovery struct {
	Table   string
	Read    int    // rows read from the damaged store
	Kept    int    // rows written to the new one
	Dropped int    // rows read but referring to a row that was lost
	Damage  string // why reading stopped short, empty when the whole table was read
}

// Recover copies every row that can still be read from the store at
// damaged into a new store at fresh (which must not exist), and returns
// what it made of each table. It reads each table front to back and, when
// a damaged page stops it, back to front, so that only the rows on
// damaged pages are lost. A row that refers to a lost row (the outputs of
// a lost step run, say) is dropped too: the new store is consistent. It
// writes nothing to damaged.
func Recover(ctx context.Context, damaged, fresh string) ([]TableRecovery, error) {
	src, err := openForSalvage(damaged)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	var version int
	if err := src.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrUnreadable, err)
	}
	if version > SchemaVersion() {
		return nil, fmt.Errorf("%s has schema version %d, this binary knows up to %d: recover it with a newer binary",
			damaged, version, SchemaVersion())
	}
	dst, err := Open(ctx, fresh)
	if err != nil {
		return nil, err
	}
	defer dst.Close()
	var report []TableRecovery
	for _, table := range recoverOrder {
		tr, err := recoverTable(ctx, src, dst.db, table)
		if err != nil {
			return nil, err
		}
		report = append(report, tr)
	}
	if problems, err := Check(ctx, fresh); err != nil || len(problems) > 0 {
		return nil, fmt.Errorf("the rebuilt store fails its own check: %v %s", err, strings.Join(problems, "; "))
	}
	return report, nil
}

// recoverTable copies the readable rows of one table.
func recoverTable(ctx context.Context, src, dst *sql.DB, table string) (TableRecovery, error) {
	tr := TableRecovery{Table: table}
	cols, err := sharedColumns(ctx, src, dst, table)
	if err != nil {
		return tr, err
	}
	if len(cols) == 0 {
		return tr, nil // a table the damaged store's schema did not have yet
	}
	order, err := tableOrder(ctx, dst, table)
	if err != nil {
		return tr, err
	}
	tx, err := dst.BeginTx(ctx, nil)
	if err != nil {
		return tr, err
	}
	defer tx.Rollback()
	list := strings.Join(cols, ", ")
	insert, err := tx.PrepareContext(ctx, fmt.Sprintf("INSERT OR IGNORE INTO %s (%s) VALUES (%s)",
		table, list, strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")))
	if err != nil {
		return tr, err
	}
	defer insert.Close()
	copyRows := func(direction string) error {
		rows, err := src.QueryContext(ctx, fmt.Sprintf("SELECT %s FROM %s ORDER BY %s", list, table,
			strings.Join(withDirection(order, direction), ", ")))
		if err != nil {
			return err
		}
		defer rows.Close()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			res, err := insert.ExecContext(ctx, vals...)
			if err != nil {
				// A foreign key to a row that was lost: the row goes too.
				tr.Read++
				tr.Dropped++
				continue
			}
			if n, _ := res.RowsAffected(); n == 1 {
				tr.Read++
				tr.Kept++
			}
		}
		return rows.Err()
	}
	if err := copyRows("ASC"); err != nil {
		tr.Damage = err.Error()
		// The rows past the damage, from the other end; those already
		// copied are ignored.
		copyRows("DESC")
	}
	return tr, tx.Commit()
}

// sharedColumns lists the columns table has in both stores: a damaged store
// of an older schema version lacks the newer ones, which keep their
// defaults.
func sharedColumns(ctx context.Context, src, dst *sql.DB, table string) ([]string, error) {
	have := map[string]bool{}
	srcCols, err := columns(ctx, src, table)
	if err != nil {
		return nil, err
	}
	for _, c := range srcCols {
		have[c] = true
	}
	dstCols, err := columns(ctx, dst, table)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, c := range dstCols {
		if have[c] {
			out = append(out, c)
		}
	}
	return out, nil
}

func columns(ctx context.Context, db *sql.DB, table string) ([]string, error) {
	return names(ctx, db, "SELECT name FROM pragma_table_info(?) ORDER BY cid", table)
}

// names runs a query whose rows are one name each.
func names(ctx context.Context, db *sql.DB, query string, args ...any) ([]string, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// tableOrder is the key a table's b-tree is ordered by, so that reading in
// that order walks the table itself and not an index: the rowid, or the
// primary key of a WITHOUT ROWID table.
func tableOrder(ctx context.Context, db *sql.DB, table string) ([]string, error) {
	var ddl string
	if err := db.QueryRowContext(ctx, "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?", table).Scan(&ddl); err != nil {
		return nil, err
	}
	if !strings.Contains(strings.ToUpper(ddl), "WITHOUT ROWID") {
		return []string{"rowid"}, nil
	}
	return names(ctx, db, "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", table)
}

func withDirection(cols []string, dir string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c + " " + dir
	}
	return out
}
