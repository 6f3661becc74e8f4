package analysis

// Loading the notebook's imports with go/packages, in the enclosing module
// or a scratch one, and adding the imports a kernel would have added.

import (
	"fmt"
	"go/ast"
	"go/types"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/zengen-dev/zengen/gen/gomod"
	"github.com/zengen-dev/zengen/gen/ir"
)

// load resolves import paths with one go/packages call in the module that
// encloses cfg.Dir, or in a scratch module holding the notebook's !go get
// requirements. It reports false when the go command failed as a whole.
func (a *analysis) load(paths []string) (map[string]*packages.Package, bool) {
	sort.Strings(paths)
	paths = dedupe(paths)
	loaded := map[string]*packages.Package{}
	if len(paths) == 0 {
		return loaded, true
	}
	dir, env, cleanup, err := a.loadDir(paths)
	if err != nil {
		a.errs.Add(ir.Pos{File: a.nb.Path}, "cannot prepare module to resolve imports: %v", err)
		return loaded, false
	}
	defer cleanup()
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedTypes | packages.NeedImports | packages.NeedModule,
		Dir:  dir,
		Env:  env,
	}
	pkgs, err := packages.Load(cfg, paths...)
	if err != nil {
		a.loadError(err)
		return loaded, false
	}
	for _, p := range pkgs {
		loaded[p.PkgPath] = p
	}
	return loaded, true
}

// loadError reports a failed go command. A requirement the go command could
// not resolve (a version the module proxy does not serve, say) is reported
// at its !go get line, since that is what the user can change; the go
// command names it by its line in the scratch go.mod.
func (a *analysis) loadError(err error) {
	for _, line := range strings.Split(err.Error(), "\n") {
		m := goModLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[1])
		r := a.scratchRequires[n]
		if r == nil {
			continue
		}
		reason := strings.TrimPrefix(m[2], "require "+r.Path+": ")
		a.errs.Add(r.Pos, "cannot use requirement %s@%s: %s", r.Path, r.Version, reason).Hint =
			"check that the module proxy serves this version, or pick another one"
		return
	}
	a.errs.Add(ir.Pos{File: a.nb.Path}, "cannot resolve imports: %v", err)
}

// goModLine matches the go command's complaint about a line of go.mod.
var goModLine = regexp.MustCompile(`go\.mod:(\d+): (.*)$`)

// loadDir finds where go/packages should run to load paths.
func (a *analysis) loadDir(paths []string) (dir string, env []string, cleanup func(), err error) {
	cleanup = func() {}
	if a.cfg.Module == "" {
		start := a.cfg.Dir
		if start == "" {
			start = "."
		}
		if root, err := gomod.Root(start); err == nil {
			a.inModule = true
			return root, nil, cleanup, nil
		}
	}
	tmp, err := os.MkdirTemp("", "zengen-scratch-")
	if err != nil {
		return "", nil, cleanup, err
	}
	var mod strings.Builder
	mod.WriteString("module zengen.scratch/notebook\n\ngo " + ir.GoVersion + "\n")
	a.scratchRequires = map[int]*ir.Requirement{}
	for _, r := range a.requirements {
		if r.Version != "latest" {
			a.scratchRequires[strings.Count(mod.String(), "\n")+1] = r
			fmt.Fprintf(&mod, "require %s %s\n", r.Path, r.Version)
		}
	}
	if slices.ContainsFunc(paths, func(p string) bool { return strings.HasPrefix(p, ir.RuntimeModule+"/") }) {
		// zengen's own packages, which the generated go.mod requires too.
		if a.cfg.RuntimeReplace != "" {
			fmt.Fprintf(&mod, "require %s v0.0.0-00010101000000-000000000000\nreplace %s => %s\n", ir.RuntimeModule, ir.RuntimeModule, a.cfg.RuntimeReplace)
		} else {
			fmt.Fprintf(&mod, "require %s %s\n", ir.RuntimeModule, ir.RuntimeVersion)
		}
	}
	if err := os.WriteFile(filepath.Join(tmp, "go.mod"), []byte(mod.String()), 0o666); err != nil {
		os.RemoveAll(tmp)
		return "", nil, cleanup, err
	}
	return tmp, append(os.Environ(), "GOFLAGS=-mod=mod"), func() { os.RemoveAll(tmp) }, nil
}

func importerOf(loaded map[string]*packages.Package) types.Importer {
	return importerFunc(func(path string) (*types.Package, error) {
		if p := loaded[path]; p != nil && p.Types != nil && len(p.Errors) == 0 {
			return p.Types, nil
		}
		return nil, fmt.Errorf("package %s not found", path)
	})
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// addMissingImports adds the std import for every undefined X used as
// X.Sel, choosing like goimports: the candidate that exports every selector
// used, the shortest path first (math/rand before crypto/rand).
func (a *analysis) addMissingImports(errs []types.Error, candidates map[string][]string) bool {
	undefined := map[string]bool{}
	for _, e := range errs {
		if name, ok := strings.CutPrefix(e.Msg, "undefined: "); ok {
			undefined[name] = true
		}
	}
	selectors := map[string]map[string]bool{}
	ast.Inspect(a.chk.file, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if x, ok := sel.X.(*ast.Ident); ok && undefined[x.Name] && len(candidates[x.Name]) > 0 {
				if a.chk.info.Uses[x] == nil {
					if selectors[x.Name] == nil {
						selectors[x.Name] = map[string]bool{}
					}
					selectors[x.Name][sel.Sel.Name] = true
				}
			}
		}
		return true
	})
	added := false
	for _, name := range sortedKeys(selectors) {
		paths := append([]string(nil), candidates[name]...)
		sort.Slice(paths, func(i, j int) bool {
			if len(paths[i]) != len(paths[j]) {
				return len(paths[i]) < len(paths[j])
			}
			return paths[i] < paths[j]
		})
		for _, path := range paths {
			p := a.chk.loaded[path]
			if p == nil || p.Types == nil || p.Types.Name() != name {
				continue
			}
			all := true
			for sel := range selectors[name] {
				if obj := p.Types.Scope().Lookup(sel); obj == nil || !obj.Exported() {
					all = false
				}
			}
			if all {
				a.chk.imports = append(a.chk.imports, &userImport{path: path, added: true, pos: ir.Pos{File: a.nb.Path}})
				added = true
				break
			}
		}
	}
	return added
}
