//go:build !unix

package engine

import (
	"io"
	"os"

	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// SuperviseRun is not available here: the child would need the report pipe
// as an inherited file, which os/exec passes only on Unix. The run command
// runs in this process, and a run ended by os.Exit is found interrupted.
func SuperviseRun(*pipeline.Pipeline, []string, io.Writer) (int, bool) { return 0, false }

func closeOnExec(*os.File) {}
