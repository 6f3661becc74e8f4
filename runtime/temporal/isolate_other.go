//go:build !linux

package temporal

import "os/exec"

// endWithParent does nothing where the kernel cannot end a process with
// its parent: the step's process then runs to its end.
func endWithParent(*exec.Cmd) {}
