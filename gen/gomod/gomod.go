// Package gomod finds the module that encloses a directory: the one place
// zengen walks up to a go.mod, for analysis (where imports resolve) and the
// CLI (the import path of the generated package).
//
// It reads go.mod's module line only; it knows nothing of notebooks or the
// IR.
package gomod

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Root returns the directory of the go.mod nearest above dir (dir
// included; it need not exist), or ErrNoModule.
func Root(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; d = filepath.Dir(d) {
		_, err := os.Stat(filepath.Join(d, "go.mod"))
		if err == nil {
			return d, nil
		}
		if !errors.Is(err, os.ErrNotExist) {
			return "", err
		}
		if filepath.Dir(d) == d {
			return "", ErrNoModule
		}
	}
}

// Enclosing finds the go.mod that encloses dir (which need not exist) and
// returns the module's root directory and path.
func Enclosing(dir string) (root, modulePath string, err error) {
	root, err = Root(dir)
	if err != nil {
		return "", "", err
	}
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return "", "", err
	}
	mp := moduleLine(data)
	if mp == "" {
		return "", "", fmt.Errorf("%s: no module line", filepath.Join(root, "go.mod"))
	}
	return root, mp, nil
}

// ErrNoModule is Enclosing's error when no go.mod encloses the directory.
var ErrNoModule = errors.New("no go.mod encloses the directory")

// moduleLine returns the module path declared in a go.mod file, or "". Only
// the module line matters here, so it is read directly rather than through
// a full go.mod parser.
func moduleLine(gomod []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(gomod))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if i := strings.Index(line, "//"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		rest, ok := strings.CutPrefix(line, "module")
		if !ok || rest == "" || (rest[0] != ' ' && rest[0] != '\t' && rest[0] != '"') {
			continue
		}
		rest = strings.TrimSpace(rest)
		if unq, err := strconv.Unquote(rest); err == nil {
			return unq
		}
		return rest
	}
	return ""
}
