package meta

import (
	"context"
	"database/sql"
	"sync"
)

// statements caches prepared statements by their text: preparing costs more
// than running the small statements a step completion needs, and the
// per-step budget is about a millisecond.
//
// The store has one connection, so the mutex is never held while waiting
// for it: a transaction holding the connection may need the cache too.
type statements struct {
	mu      sync.Mutex
	cache   map[string]*sql.Stmt
	pending map[string]bool // used inside a transaction before being prepared
}

func (st *statements) lookup(q string) *sql.Stmt {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.cache[q]
}

func (d *DB) prepared(ctx context.Context, q string) (*sql.Stmt, error) {
	if s := d.stmts.lookup(q); s != nil {
		return s, nil
	}
	s, err := d.db.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	d.stmts.mu.Lock()
	defer d.stmts.mu.Unlock()
	if prev, ok := d.stmts.cache[q]; ok {
		s.Close()
		return prev, nil
	}
	if d.stmts.cache == nil {
		d.stmts.cache = map[string]*sql.Stmt{}
	}
	d.stmts.cache[q] = s
	return s, nil
}

// inTx runs f in a transaction and, once the connection is free again,
// prepares the statements f used for the first time.
func (d *DB) inTx(ctx context.Context, f func(tx *sql.Tx) error) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	d.preparePending(ctx)
	return nil
}

// preparePending prepares the statements that transactions used before
// they were in the cache; it must run while no transaction holds the
// connection.
func (d *DB) preparePending(ctx context.Context) {
	d.stmts.mu.Lock()
	var qs []string
	for q := range d.stmts.pending {
		qs = append(qs, q)
	}
	d.stmts.pending = nil
	d.stmts.mu.Unlock()
	for _, q := range qs {
		d.prepared(ctx, q)
	}
}

func (d *DB) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	s, err := d.prepared(ctx, q)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(ctx, args...)
}

func (d *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	s, err := d.prepared(ctx, q)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}

// queryRow returns a row whose Scan reports a preparation error too.
func (d *DB) queryRow(ctx context.Context, q string, args ...any) rowScanner {
	s, err := d.prepared(ctx, q)
	if err != nil {
		return errRow{err}
	}
	return s.QueryRowContext(ctx, args...)
}

func (d *DB) txExec(ctx context.Context, tx *sql.Tx, q string, args ...any) (sql.Result, error) {
	if s := d.stmts.lookup(q); s != nil {
		return tx.StmtContext(ctx, s).ExecContext(ctx, args...)
	}
	d.markPending(q)
	return tx.ExecContext(ctx, q, args...)
}

func (d *DB) txQuery(ctx context.Context, tx *sql.Tx, q string, args ...any) (*sql.Rows, error) {
	if s := d.stmts.lookup(q); s != nil {
		return tx.StmtContext(ctx, s).QueryContext(ctx, args...)
	}
	d.markPending(q)
	return tx.QueryContext(ctx, q, args...)
}

func (d *DB) markPending(q string) {
	d.stmts.mu.Lock()
	defer d.stmts.mu.Unlock()
	if d.stmts.pending == nil {
		d.stmts.pending = map[string]bool{}
	}
	d.stmts.pending[q] = true
}

type rowScanner interface{ Scan(...any) error }

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }
