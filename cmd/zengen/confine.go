package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/zengen-dev/zengen/gen/emit"
)

// Generate writes only inside its output folder. The folder itself is
// where the user pointed -o, symlinks resolved; inside it, a symlink is
// followed only while it stays inside, and no file is written through a
// symlink or over anything but a regular file.

// resolveDir is dir as an absolute path with every symlink resolved; the
// part of it that does not exist yet is kept as written.
func resolveDir(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	existing, rest := abs, ""
	for {
		if _, err := os.Lstat(existing); err == nil {
			break
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		parent := filepath.Dir(existing)
		if parent == existing {
			break
		}
		rest = filepath.Join(filepath.Base(existing), rest)
		existing = parent
	}
	real, err := filepath.EvalSymlinks(existing)
	if err != nil {
		return "", err
	}
	return filepath.Join(real, rest), nil
}

// confined returns the path on disk of the file name (a slash path) under
// root, an error when reaching it would leave root, pass through something
// other than a folder or end at something other than a regular file, or
// when a name in it is too long for the file system.
func confined(root, name string) (string, error) {
	elems := strings.Split(name, "/")
	p := root
	for i, elem := range elems {
		if len(elem) > emit.MaxNameBytes {
			return "", fmt.Errorf("%s: a name in the path is longer than %d bytes", name, emit.MaxNameBytes)
		}
		p = filepath.Join(p, elem)
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue // to be created, inside root
		}
		if err != nil {
			return "", err
		}
		last := i == len(elems)-1
		if fi.Mode()&fs.ModeSymlink != 0 {
			if last {
				return "", fmt.Errorf("%s is a symbolic link; zengen writes no file through a link", p)
			}
			target, err := filepath.EvalSymlinks(p)
			if err != nil {
				return "", err
			}
			if !within(root, target) {
				return "", fmt.Errorf("%s is a symbolic link to %s, outside the output folder %s; zengen writes only inside it", p, target, root)
			}
			p = target
			if fi, err = os.Stat(p); err != nil {
				return "", err
			}
		}
		switch {
		case last && !fi.Mode().IsRegular():
			return "", fmt.Errorf("%s is in the way of a generated file: it is not a regular file", p)
		case !last && !fi.IsDir():
			return "", fmt.Errorf("%s is in the way of the folder of a generated file", p)
		}
	}
	return p, nil
}

// within reports whether p is root or below it.
func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && (rel == "." || filepath.IsLocal(rel))
}
