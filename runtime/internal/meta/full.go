package meta

import (
	"errors"

	"modernc.org/sqlite"
)

// sqliteFull is SQLite's primary result code SQLITE_FULL: a write failed
// because the disk (or the database's size limit) is full.
const sqliteFull = 13

// ErrFull is what a metadata store other than SQLite wraps when its server
// refuses a write for lack of space, so that IsFull knows it without
// importing that store's driver.
var ErrFull = errors.New("the disk is full")

// IsFull reports whether err is a metadata store failing a write for lack
// of space: SQLite's SQLITE_FULL, or a store's error wrapping ErrFull.
func IsFull(err error) bool {
	var se *sqlite.Error
	return errors.Is(err, ErrFull) || errors.As(err, &se) && se.Code()&0xff == sqliteFull
}
