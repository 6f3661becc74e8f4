package main

import (
	"fmt"
	"go/build"
	goparser "go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
)

// scriptBuildWarning is the warning for a notebook script that `go build
// ./...` of its module would compile and fail on: a .go file of notebook
// code that no build constraint keeps out of its folder's package. The
// generated code is fine, so generate only warns; "" when there is nothing
// to say.
func scriptBuildWarning(script string) string {
	if !strings.HasSuffix(script, ".go") || strings.HasSuffix(script, "_test.go") {
		return ""
	}
	abs, err := filepath.Abs(script)
	if err != nil {
		return ""
	}
	dir, name := filepath.Split(abs)
	root, _, err := enclosingModule(dir)
	if err != nil || !builtFolder(root, dir) {
		return ""
	}
	if ok, err := build.Default.MatchFile(dir, name); err != nil || !ok {
		return ""
	}
	pkg := folderPackage(dir, name)
	if f, err := goparser.ParseFile(token.NewFileSet(), abs, nil, 0); err == nil && (pkg == "" || f.Name.Name == pkg) {
		// A complete Go file of the folder's package compiles as one.
		return ""
	}
	where := "a package folder of its module"
	if pkg != "" {
		where = "package " + pkg + "'s folder"
	}
	return fmt.Sprintf("%s: warning: this script is in %s and has no //go:build ignore line; go build ./... will compile it: add //go:build ignore as its first line", script, where)
}

// builtFolder reports whether `go build ./...` from the module root
// reaches dir: the go command skips testdata folders, folders whose name
// starts with . or _, and nested modules.
func builtFolder(root, dir string) bool {
	rel, err := filepath.Rel(root, dir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return false
	}
	if rel == "." {
		return true
	}
	for _, elem := range strings.Split(rel, string(filepath.Separator)) {
		if elem == "testdata" || strings.HasPrefix(elem, ".") || strings.HasPrefix(elem, "_") {
			return false
		}
	}
	return true
}

// folderPackage is the package name of the other Go files that go build
// compiles in dir, "" when there are none.
func folderPackage(dir, script string) string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return ""
	}
	for _, e := range entries {
		n := e.Name()
		if n == script || e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		if ok, err := build.Default.MatchFile(dir, n); err != nil || !ok {
			continue
		}
		f, err := goparser.ParseFile(token.NewFileSet(), filepath.Join(dir, n), nil, goparser.PackageClauseOnly)
		if err == nil {
			return f.Name.Name
		}
	}
	return ""
}
