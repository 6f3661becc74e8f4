package artifact

import (
	"errors"
	"fmt"
	"syscall"
	"testing"
)

// TestFullDiskIsClassified holds a full disk to one class, whatever layer
// hit it, so that a backend's callers can tell it from other failures.
func TestFullDiskIsClassified(t *testing.T) {
	full := StoreErr(fmt.Errorf("write /store/blobs/tmp/123: %w", syscall.ENOSPC))
	if !errors.Is(full, ErrFull) || !errors.Is(full, syscall.ENOSPC) || !IsDiskFull(full) {
		t.Errorf("%v: not classified as ErrFull with its cause", full)
	}
	if full.Error() != "no space left on the store's disk" {
		t.Errorf("message %q names the temporary file", full)
	}
	if again := StoreErr(fmt.Errorf("step s: %w", full)); again.Error() != "step s: no space left on the store's disk" {
		t.Errorf("classified twice: %q", again)
	}
	if other := StoreErr(ErrCorrupt); errors.Is(other, ErrFull) {
		t.Errorf("%v classified as a full disk", other)
	}
}
