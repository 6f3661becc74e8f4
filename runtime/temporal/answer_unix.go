//go:build unix

package temporal

import (
	"os"
	"syscall"
)

// closeOnExec keeps the programs a step starts in its own process from
// inheriting f, the answer's descriptor: the worker reads the answer
// until every process holding it has closed it, so a server the step left
// running held the step's activity for as long as it ran.
func closeOnExec(f *os.File) { syscall.CloseOnExec(int(f.Fd())) }
