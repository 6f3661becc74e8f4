//go:build !unix

package temporal

import "os"

// closeOnExec does nothing where a step's process gets no inherited
// descriptor to answer on.
func closeOnExec(*os.File) {}
