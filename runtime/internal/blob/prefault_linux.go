package blob

import (
	"os"
	"syscall"
	"unsafe"
)

// madvPopulateWrite is MADV_POPULATE_WRITE (Linux 5.14), which the syscall
// package does not name.
const madvPopulateWrite = 23

var pageSize = uintptr(os.Getpagesize())

// prefault backs the whole pages of b with memory in one system call. A
// fresh multi-gigabyte slice has none yet, and letting read(2) fault them
// in one 4 KiB page at a time made loading a 1 GiB array fault-bound: a
// quarter of a million traps, each costlier under virtualisation than
// copying its page. It only changes when memory is provided, never what b
// holds (pages not yet backed read as zero either way), so any failure —
// an older kernel, memory that is not anonymous — is ignored: the read
// then faults the pages in as before.
func prefault(b []byte) {
	if len(b) == 0 {
		return
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	first := (start + pageSize - 1) &^ (pageSize - 1)
	last := (start + uintptr(len(b))) &^ (pageSize - 1)
	if last <= first {
		return
	}
	_ = syscall.Madvise(b[first-start:last-start], madvPopulateWrite)
}
