//go:build !linux

package blob

// prefault is a no-op where the kernel offers no way to back memory ahead
// of use; reads fault pages in as they fill them.
func prefault([]byte) {}
