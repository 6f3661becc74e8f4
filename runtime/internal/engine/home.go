package engine

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"

	"golang.org/x/mod/modfile"
)

// The store belongs to the project, not to the shell's folder: `go run
// ./cmd/x runs` from a subfolder must see the runs made from the module's
// root. Without --home or $ZEN_HOME the store is .zen at the root of the
// module the binary was built from, found by walking up from the working
// directory to the go.mod that declares that module. A binary run outside
// its module (copied to a server, say) keeps the store in .zen in the
// working directory, as before.

// storeDir is the store's folder name.
const storeDir = ".zen"

// HomeDir picks the store location: --home, then $ZEN_HOME, then .zen at
// the root of the binary's module when the working directory is inside it,
// else .zen in the working directory. A store in the working directory is
// named relatively (".zen"), one above it absolutely.
func HomeDir(flag string) string {
	if flag != "" {
		return flag
	}
	if env := os.Getenv("ZEN_HOME"); env != "" {
		return env
	}
	wd, err := os.Getwd()
	if err != nil {
		return storeDir
	}
	root := moduleRoot(wd, binaryModule())
	if root == "" || root == wd {
		return storeDir
	}
	return filepath.Join(root, storeDir)
}

// binaryModule is the path of the main module this binary was built in, or
// "" when the build recorded none.
func binaryModule() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	return bi.Main.Path
}

// moduleRoot returns the nearest folder at or above dir whose go.mod
// declares module, or "". Other modules' go.mod files on the way (a nested
// module the shell is in) are passed over.
func moduleRoot(dir, module string) string {
	if module == "" {
		return ""
	}
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && modfile.ModulePath(data) == module {
			return dir
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// storeGitignore keeps git from committing a store by accident: it ignores
// everything in the store's folder, itself included.
const storeGitignore = "# Created by zengen: the run store is local state, not source.\n*\n"

// ignoreForGit writes home/.gitignore unless the store already has one.
func ignoreForGit(home string) error {
	path := filepath.Join(home, ".gitignore")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := f.WriteString(storeGitignore); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
