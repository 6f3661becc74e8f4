//go:build !unix

package runtime

// writable cannot ask the system ahead of time here: a store is opened for
// writing and fails on the first write if it is not writable.
func writable(string) bool { return true }
