package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/zengen-dev/zengen/gen/ir"
)

// The first build of a generated command compiles zengen's runtime and its
// dependencies, the pure-Go SQLite driver among them, which takes a minute
// or more on a small machine while the go command prints nothing. generate
// says so before that build when it wrote a new command and the build
// cache does not hold the runtime yet, so that the wait is not a surprise.

// firstBuildTimeout bounds the go list that asks the build cache.
const firstBuildTimeout = 30 * time.Second

// firstBuildNote is the line generate prints after writing r, or "" when
// the command existed before or the runtime is compiled already. A go list
// that fails (a module whose go.mod does not hold the runtime yet) says
// nothing either.
func firstBuildNote(r *rendered, changes []change) string {
	newCommand := false
	for _, c := range changes {
		if c.kind == missing && strings.HasPrefix(c.path, "cmd/") && path.Base(c.path) == "main_zen.go" {
			newCommand = true
		}
	}
	if !newCommand {
		return ""
	}
	ctx, cancel := context.WithTimeout(context.Background(), firstBuildTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "list", "-f", "{{.Stale}}", ir.RuntimeModule+"/runtime")
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=readonly")
	out, err := cmd.Output()
	if err != nil || strings.TrimSpace(string(out)) != "true" {
		return ""
	}
	return fmt.Sprintf("note: the first go build or go run in %s compiles zengen's runtime and its dependencies, the SQLite driver among them: about 1 to 2 minutes on 2 cores, silently; later builds take seconds",
		filepath.ToSlash(r.dir))
}
