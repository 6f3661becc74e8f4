package temporal

import (
	"os/exec"
	"syscall"
)

// endWithParent has the kernel kill cmd's process when the worker dies, so
// that a step of a killed worker does not go on beside its retry.
func endWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
