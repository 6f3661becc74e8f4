package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// tidyTimeout bounds `go mod tidy`, which may wait on the module proxy.
const tidyTimeout = 5 * time.Minute

// tidy completes a standalone module's go.mod and go.sum with `go mod
// tidy`, so that it builds as generated. It runs on a copy of the rendered
// tree in a scratch folder beside the output folder, where a relative
// replace directive points where it will point from the output folder; the
// output itself is written only after everything succeeded, and check
// compares against the same tidied files.
func tidy(r *rendered) error {
	absDir, err := filepath.Abs(r.dir)
	if err != nil {
		return err
	}
	parent := filepath.Dir(absDir)
	created, err := mkdirAllReporting(parent)
	if err != nil {
		return err
	}
	if created != "" {
		defer os.RemoveAll(created)
	}
	scratch, err := os.MkdirTemp(parent, ".zengen-tidy-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(scratch)
	for name, content := range r.files {
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
		r.files[name] = content
	}
	return nil
}

// mkdirAllReporting is os.MkdirAll that also returns the topmost folder it
// had to create ("" if dir existed), so that a failed render can remove it.
func mkdirAllReporting(dir string) (created string, err error) {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		}
		created = d
		if filepath.Dir(d) == d {
			break
		}
	}
	return created, os.MkdirAll(dir, 0o755)
}
