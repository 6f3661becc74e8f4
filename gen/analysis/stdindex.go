package analysis

import (
	"cmp"
	"go/build"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// stdIndex maps a package name to the std import paths with that name
// ("rand" → crypto/rand, math/rand, math/rand/v2), for adding the imports
// notebooks omit. It is read once from GOROOT: a directory listing costs a
// few milliseconds, a `go list std` far more.
var stdIndex = sync.OnceValue(func() map[string][]string {
	index := map[string][]string{}
	root := filepath.Join(build.Default.GOROOT, "src")
	var walk func(dir, path string)
	walk = func(dir, path string) {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return
		}
		hasGo := false
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() {
				if name == "internal" || name == "vendor" || name == "testdata" || name == "cmd" && path == "" ||
					strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
					continue
				}
				sub := name
				if path != "" {
					sub = path + "/" + name
				}
				walk(filepath.Join(dir, name), sub)
				continue
			}
			if strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") {
				hasGo = true
			}
		}
		if hasGo && path != "" && path != "builtin" && path != "unsafe" {
			index[stdName(path)] = append(index[stdName(path)], path)
		}
	}
	walk(root, "")
	for _, paths := range index {
		slices.SortFunc(paths, func(a, b string) int {
			return cmp.Or(cmp.Compare(len(a), len(b)), cmp.Compare(a, b))
		})
	}
	return index
})

// stdName is the package name of an import path by convention: its last
// element, skipping a major-version suffix ("math/rand/v2" → "rand").
func stdName(path string) string {
	elems := strings.Split(path, "/")
	last := elems[len(elems)-1]
	if len(elems) > 1 && len(last) > 1 && last[0] == 'v' && strings.Trim(last[1:], "0123456789") == "" {
		last = elems[len(elems)-2]
	}
	return strings.ReplaceAll(last, "-", "_")
}

// isStd reports whether an import path belongs to the standard library.
func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

func dedupe(sorted []string) []string {
	return slices.Compact(sorted)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func sortBy[T any](s []T, key func(T) string) {
	slices.SortStableFunc(s, func(a, b T) int { return cmp.Compare(key(a), key(b)) })
}
