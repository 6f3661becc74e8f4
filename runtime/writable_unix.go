//go:build unix

package runtime

import "golang.org/x/sys/unix"

// writable reports whether this process may write path. access(2) answers
// for root too where it matters: a read-only mount or an immutable file
// refuses root as well.
func writable(path string) bool {
	return unix.Access(path, unix.W_OK) == nil
}
