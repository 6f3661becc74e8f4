//go:build unix

package engine

import "golang.org/x/sys/unix"

// Writable reports whether this process may write path. access(2) answers
// for root too where it matters: a read-only mount or an immutable file
// refuses root as well.
func Writable(path string) bool {
	return unix.Access(path, unix.W_OK) == nil
}
