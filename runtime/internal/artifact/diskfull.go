package artifact

import (
	"errors"
	"syscall"

	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// IsDiskFull reports whether err is the store's file system running out of
// space, from the blob store (ENOSPC, EDQUOT) or from SQLite (SQLITE_FULL).
func IsDiskFull(err error) bool {
	return errors.Is(err, ErrFull) || errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) || meta.IsFull(err)
}

// diskFullError replaces the system's message, which names a temporary
// file, with what could not be stored; it still wraps the cause.
type diskFullError struct{ err error }

func (e diskFullError) Error() string { return "no space left on the store's disk" }
func (e diskFullError) Unwrap() error { return e.err }

// Is makes a full disk test as ErrFull whatever the layer that hit it.
func (e diskFullError) Is(target error) bool { return target == ErrFull }

// StoreErr turns a full disk into an error that says so and leaves other
// errors as they are.
func StoreErr(err error) error {
	if errors.Is(err, ErrFull) {
		return err
	}
	if err != nil && IsDiskFull(err) {
		return diskFullError{err}
	}
	return err
}
