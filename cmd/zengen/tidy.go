package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/zengen-dev/zengen/gen/ir"
)

// tidyTimeout bounds `go mod tidy`, which may wait on the module proxy.
const tidyTimeout = 5 * time.Minute

// tidy completes a standalone module's go.mod and go.sum with `go mod
// tidy`, so that it builds as generated. It runs on a copy of the rendered
// tree in a scratch folder of the system's temporary folder, never in or
// beside the output folder: generate writes only inside the output folder,
// and only after everything succeeded, and check writes nothing there. A
// relative replace directive (replaced, relative to the output folder)
// points at its absolute target during the tidy and is put back after.
// check compares against the same tidied files.
func tidy(r *rendered, replaced, replaceTarget string) error {
	scratch, err := os.MkdirTemp("", "zengen-tidy-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(scratch)
	files := r.files
	if replaced != "" {
		files = make(map[string][]byte, len(r.files))
		for name, content := range r.files {
			files[name] = content
		}
		if files["go.mod"], err = swapReplace(files["go.mod"], replaced, replaceTarget); err != nil {
			return err
		}
	}
	for name, content := range files {
		p := filepath.Join(scratch, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, content, 0o644); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), tidyTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "mod", "tidy")
	cmd.Dir = scratch
	// The generated module stands alone: a go.work above the scratch
	// folder must not take part.
	cmd.Env = append(os.Environ(), "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		msg := strings.TrimSpace(strings.ReplaceAll(string(out), scratch, r.dir))
		return fmt.Errorf("%s: go mod tidy failed for the generated module (it needs the module proxy, or a module cache holding the notebook's requirements): %v\n%s", r.notebook, err, msg)
	}
	for _, name := range []string{"go.mod", "go.sum"} {
		content, err := os.ReadFile(filepath.Join(scratch, name))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		if name == "go.mod" && replaced != "" {
			if content, err = swapReplace(content, replaceTarget, replaced); err != nil {
				return err
			}
		}
		r.files[name] = content
	}
	return nil
}

// swapReplace changes the target of go.mod's replace directive for
// zengen's module from one path to another.
func swapReplace(gomod []byte, from, to string) ([]byte, error) {
	prefix := "replace " + ir.RuntimeModule + " => "
	old := []byte(prefix + from + "\n")
	if bytes.Count(gomod, old) != 1 {
		return nil, fmt.Errorf("go.mod of the generated module: no line %q to point at %s", strings.TrimSpace(string(old)), to)
	}
	return bytes.Replace(gomod, old, []byte(prefix+to+"\n"), 1), nil
}
