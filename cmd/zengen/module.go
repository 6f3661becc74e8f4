package main

import (
	"errors"
	"path"
	"path/filepath"
	"strings"

	"github.com/zengen-dev/zengen/gen/gomod"
)

// enclosingModule finds the go.mod that encloses dir (which need not exist)
// and returns the module's root directory and path.
func enclosingModule(dir string) (root, modulePath string, err error) {
	root, modulePath, err = gomod.Enclosing(dir)
	if errors.Is(err, gomod.ErrNoModule) {
		err = errNoModule
	}
	return root, modulePath, err
}

var errNoModule = errors.New("no go.mod encloses the output directory")

// importPathOf is the import path of the package in dir, inside the module
// rooted at root with path modulePath.
func importPathOf(root, modulePath, dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil {
		return "", err
	}
	if rel == "." {
		return modulePath, nil
	}
	return path.Join(modulePath, filepath.ToSlash(rel)), nil
}

// replacePath writes target as a go.mod replace path seen from dir:
// relative when both sit on one volume, so that the generated project can
// move along with the checkout it points to.
func replacePath(dir, target string) (string, error) {
	absTarget, err := filepath.Abs(target)
	if err != nil {
		return "", err
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(absDir, absTarget)
	if err != nil {
		return filepath.ToSlash(absTarget), nil
	}
	rel = filepath.ToSlash(rel)
	if rel != ".." && !strings.HasPrefix(rel, "../") {
		// go.mod tells a local path from a module path by its ./ or ../.
		rel = "./" + rel
	}
	return rel, nil
}
