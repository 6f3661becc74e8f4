package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/zengen-dev/zengen/gen/gomod"
	"github.com/zengen-dev/zengen/gen/header"
)

// Every generated tree records, under its header, the complete generate
// command that wrote it: the notebook as the header spells it, -o and every
// flag, with paths relative to the folder zengen ran in (never absolute).
// generate, check and watch given a notebook without flags find the tree
// generated from it and reproduce that command; flags given now override
// the recorded ones.

// job is one notebook to render and the options that decide its tree.
type job struct {
	// notebook is the notebook's path as headers, //line directives and
	// positions spell it: as given, or as the recorded command gave it.
	notebook string
	// path reaches the notebook from the working directory.
	path string
	// base is the folder the recorded command ran in, seen from the
	// working directory; the recorded line's paths are relative to it.
	base string
	// o holds the options, out and runtimeReplace as paths from the
	// working directory.
	o generateOptions
	// offline keeps go mod tidy off the network: check must not need it.
	offline bool
}

// plainJob renders the notebook at nb, as given, with options o.
func plainJob(nb string, o generateOptions) job {
	return job{notebook: filepath.ToSlash(nb), path: nb, base: ".", o: o}
}

// rel writes p, a path from the working directory, relative to the folder
// the job's command runs in, as the recorded command line holds it.
func (j job) rel(p string) string {
	from, err1 := filepath.Abs(j.base)
	to, err2 := filepath.Abs(p)
	if err1 == nil && err2 == nil {
		if r, err := filepath.Rel(from, to); err == nil {
			return filepath.ToSlash(r)
		}
	}
	return filepath.ToSlash(p)
}

// fromBase is p, a path of the recorded command line, seen from the
// working directory.
func (j job) fromBase(p string) string {
	p = filepath.FromSlash(p)
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(j.base, p)
}

// planJobs turns the parsed command line into one job per notebook. A
// notebook whose generated tree is found (in -o, or without -o anywhere in
// the module that holds the notebook) takes the flags of the command
// recorded there, with the flags given now on top; without -o it also
// runs where the recorded command ran, spelling the notebook as it did,
// so that the tree comes out byte for byte the same. Any other notebook
// is generated as the flags say.
func planJobs(fs *pflag.FlagSet, given generateOptions) ([]job, error) {
	var jobs []job
	for _, nb := range fs.Args() {
		plain := plainJob(nb, given)
		var dirs []string
		switch {
		case fs.Changed("output") && !given.several:
			dirs = []string{given.out}
		case fs.Changed("output"):
			dirs = generatedTrees(searchIn{root: given.out, nb: nb})
		default:
			dirs = generatedTrees(searchRoot(nb))
		}
		var found []job
		for _, dir := range dirs {
			if j, ok := recordedJob(dir, nb); ok {
				found = append(found, j)
			}
		}
		if len(found) == 0 {
			jobs = append(jobs, plain)
			continue
		}
		if len(found) > 1 {
			var names []string
			for _, j := range found {
				names = append(names, filepath.ToSlash(j.o.out))
			}
			return nil, fmt.Errorf("%s: generated into %s; pass -o to say which one", nb, strings.Join(names, " and "))
		}
		j := found[0]
		j.o = overridden(j.o, given, fs)
		if fs.Changed("output") {
			// A command with -o runs as typed here, as a go:generate line
			// does: the notebook's spelling is the one given now, and only
			// the flags it does not give come from the record.
			j.notebook, j.base = plain.notebook, plain.base
		}
		jobs = append(jobs, j)
	}
	return jobs, nil
}

// overridden applies the flags given on the command line over the recorded
// options.
func overridden(recorded, given generateOptions, fs *pflag.FlagSet) generateOptions {
	o := recorded
	fs.Visit(func(f *pflag.Flag) {
		switch f.Name {
		case "package":
			o.pkg = given.pkg
		case "module":
			o.module = given.module
		case "runtime-replace":
			o.runtimeReplace = given.runtimeReplace
		case "split":
			o.split = given.split
		case "no-line-directives":
			o.noLineDirectives = given.noLineDirectives
		case "no-tests":
			o.noTests = given.noTests
		case "stack":
			o.teamStack = given.teamStack
		case "temporal":
			o.temporal = given.temporal
		}
	})
	return o
}

// recordedJob reads the command recorded in the tree in dir and reports
// whether it generated the notebook at nb; the job reproduces it.
func recordedJob(dir, nb string) (job, bool) {
	content, err := os.ReadFile(filepath.Join(dir, recordFile))
	if err != nil {
		// No tree yet, or none zengen can read: rendering and compare
		// report what is wrong with the folder.
		return job{}, false
	}
	notebook, ok := headerNotebook(content)
	if !ok {
		return job{}, false
	}
	args := recordedArgs(content)
	var o generateOptions
	recorded := pflag.NewFlagSet("recorded", pflag.ContinueOnError)
	recorded.SetOutput(io.Discard)
	declareGenerateFlags(recorded, &o)
	if len(args) > 0 && args[0] == "generate" {
		if err := recorded.Parse(args[1:]); err != nil || recorded.NArg() != 1 || recorded.Arg(0) != notebook {
			// A command this zengen cannot reproduce: the flags given now
			// decide, as for a tree without a record.
			return job{}, false
		}
	}
	base, ok := recordedBase(dir, nb, notebook, o.out)
	if !ok {
		return job{}, false
	}
	j := job{notebook: notebook, path: nb, base: base, o: o}
	if o.runtimeReplace != "" {
		j.o.runtimeReplace = j.fromBase(o.runtimeReplace)
	}
	j.o.out = filepath.Clean(dir)
	j.o.several = false
	return j, true
}

// recordedArgs is the recorded command line of a generated Go file's
// header, or nil.
func recordedArgs(content []byte) []string {
	for _, line := range strings.Split(string(content), "\n")[1:] {
		if !strings.HasPrefix(line, "//") {
			break
		}
		if args, ok := header.CommandArgs(strings.TrimPrefix(line, "// ")); ok {
			return args
		}
	}
	return nil
}

// recordedBase finds the folder that the command recorded in the tree in
// dir ran in, seen from the working directory, given that it names the
// notebook at nb as notebook and wrote to out (empty when a zengen of
// before -o was recorded wrote it). ok is false when the record is not of
// this notebook or the folder cannot be told: the working directory, the
// output folder less -o's path, and the notebook's folder less the
// notebook's path are tried, each only when it reproduces both paths.
func recordedBase(dir, nb, notebook, out string) (string, bool) {
	candidates := []string{"."}
	if b, ok := strip(dir, out); ok {
		candidates = append(candidates, b)
	}
	if b, ok := strip(nb, notebook); ok {
		candidates = append(candidates, b)
	}
	for _, base := range candidates {
		j := job{base: base}
		if sameFile(j.fromBase(notebook), nb) && (out == "" || sameFile(j.fromBase(out), dir)) {
			return base, true
		}
	}
	return "", false
}

// strip is the folder from which the relative path rel reaches p: p less
// as many trailing elements as rel has. It needs a rel that only descends.
func strip(p, rel string) (string, bool) {
	rel = filepath.Clean(filepath.FromSlash(rel))
	if rel == "" || filepath.IsAbs(rel) || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	up := ""
	if rel != "." {
		up = strings.Repeat(".."+string(filepath.Separator), len(strings.Split(rel, string(filepath.Separator))))
	}
	return filepath.Join(p, up), true
}

func sameFile(a, b string) bool {
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
}

// searchIn is where to look for the trees of notebook nb: the folders
// under root, or only root's own subfolders when shallow.
type searchIn struct {
	root, nb string
	shallow  bool
}

// searchRoot is where generate looks for the tree of a notebook given
// without -o: the module that holds the notebook, as a path from the
// working directory so that messages show short paths. Outside a module
// only the folders beside the notebook, where it generates by default:
// a notebook in a home folder must not make zengen walk the home folder.
func searchRoot(nb string) searchIn {
	dir := filepath.Dir(nb)
	root, _, err := gomod.Enclosing(dir)
	if err != nil {
		return searchIn{root: dir, nb: nb, shallow: true}
	}
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, root); err == nil {
			root = rel
		}
	}
	return searchIn{root: root, nb: nb}
}

// generatedTrees lists the folders under s.root that hold a pipeline file,
// the candidates for the notebook's tree. It skips what walkGenerated
// skips (hidden folders, nested modules but their root, testdata unless
// the notebook is inside it) and vendor.
func generatedTrees(s searchIn) []string {
	root := s.root
	absNB, _ := filepath.Abs(s.nb)
	var dirs []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // what cannot be read holds no tree of ours
		}
		if d.IsDir() {
			if p == root {
				return nil
			}
			if s.shallow && filepath.Dir(p) != filepath.Clean(root) {
				return fs.SkipDir
			}
			name := d.Name()
			abs, _ := filepath.Abs(p)
			inside := strings.HasPrefix(absNB, abs+string(filepath.Separator))
			if strings.HasPrefix(name, ".") || name == "vendor" || (name == "testdata" && !inside) {
				return fs.SkipDir
			}
			if isModuleRoot(p) {
				// A nested module is someone else's, or a standalone
				// tree of zengen's: only its own root may hold one.
				if fi, err := os.Stat(filepath.Join(p, recordFile)); err == nil && fi.Mode().IsRegular() {
					dirs = append(dirs, p)
				}
				return fs.SkipDir
			}
			return nil
		}
		if d.Name() == recordFile && d.Type().IsRegular() {
			dirs = append(dirs, filepath.Dir(p))
		}
		return nil
	})
	slices.Sort(dirs)
	return dirs
}
