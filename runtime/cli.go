package runtime

import (
	"context"
	"io"

	"github.com/zengen-dev/zengen/runtime/internal/cli"
)

// Main is the generated binary's main: it runs the command in os.Args and
// exits with its status. SIGINT and SIGTERM cancel a run cleanly.
//
// The run command runs in a child process of the same binary, which this
// one supervises, so that a step that ends the process (os.Exit, a fatal
// error) still leaves its run recorded as failed.
func Main(p *Pipeline) { cli.Main(p) }

// Exec runs one command of the generated binary (args excludes the program
// name) and returns its exit status: 0 ok, 1 failure, 2 usage.
func Exec(ctx context.Context, p *Pipeline, args []string, stdout, stderr io.Writer) int {
	return cli.Exec(ctx, p, args, stdout, stderr)
}

// ReservedParamNames are the names a param cannot take because the run
// command's own flags (and --help) have them; zengen refuses such params.
func ReservedParamNames() []string { return cli.ReservedParamNames() }
