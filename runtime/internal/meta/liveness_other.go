//go:build !unix

package meta

// ProcessAlive cannot check pids here; the heartbeat decides instead.
func ProcessAlive(pid int) bool { return true }
