package meta

import (
	"errors"

	"modernc.org/sqlite"
)

// sqliteFull is SQLite's primary result code SQLITE_FULL: a write failed
// because the disk (or the database's size limit) is full.
const sqliteFull = 13

// IsFull reports whether err is SQLite failing a write for lack of space.
func IsFull(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqliteFull
}
