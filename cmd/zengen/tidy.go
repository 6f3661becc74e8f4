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

// tidyOrReuse gives r's standalone module its tidied go.mod and go.sum:
// those on disk when their record shows that tidy would write them again
// (see tidyrecord.go), else those go mod tidy writes now. check (j.offline)
// runs tidy without the module proxy; when it cannot, the files on disk
// are kept and r.staleModule says why they are out of date.
func tidyOrReuse(r *rendered, j job, replaced, replaceTarget string) error {
	inputs, err := tidyInputsDigest(r.files["go.mod"], replaceTarget)
	if err != nil {
		return err
	}
	if gomod, gosum, ok := tidiedOnDisk(r, inputs); ok {
		r.files["go.mod"] = gomod
		if gosum != nil {
			r.files["go.sum"] = gosum
		}
		return nil
	}
	if err := tidy(r, replaced, replaceTarget, j.offline); err != nil {
		if !j.offline {
			return err
		}
		r.staleModule = "what go mod tidy reads changed since generate wrote them (the notebook's !go get requirements, --module, --runtime-replace or the go.mod of the replaced zengen), and tidy cannot run without the module proxy to show the new files"
		for _, name := range []string{"go.mod", "go.sum"} {
			delete(r.files, name)
		}
		return nil
	}
	addTidyRecord(r, inputs)
	return nil
}

// tidy completes a standalone module's go.mod and go.sum with `go mod
// tidy`, so that it builds as generated. It runs on a copy of the rendered
// tree in a scratch folder of the system's temporary folder, never in or
// beside the output folder: generate writes only inside the output folder,
// and only after everything succeeded, and check writes nothing there. A
// relative replace directive (replaced, relative to the output folder)
// points at its absolute target during the tidy and is put back after.
// check compares against the same tidied files. offline keeps the go
// command off the network (GOPROXY=off): it then needs the module cache.
func tidy(r *rendered, replaced, replaceTarget string, offline bool) error {
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
	if offline {
		cmd.Env = append(cmd.Env, "GOPROXY=off", "GOFLAGS=-mod=mod")
	}
	if dir, err := resolveDir(r.dir); err == nil {
		// The go.sum on disk holds checksums the go command would
		// otherwise ask the checksum database for.
		if sum, err := os.ReadFile(filepath.Join(dir, "go.sum")); err == nil && offline {
			if err := os.WriteFile(filepath.Join(scratch, "go.sum"), sum, 0o644); err != nil {
				return err
			}
		}
	}
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
