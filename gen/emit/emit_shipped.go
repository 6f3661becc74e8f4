package emit

import (
	"bufio"
	"bytes"
	"maps"
	"path"
	"slices"
	"strings"
	"unicode"

	"github.com/zengen-dev/zengen/gen/ir"
	"github.com/zengen-dev/zengen/parser"
)

// MaxNameBytes is the longest file or folder name zengen writes: the limit
// of the common file systems (ext4, APFS, NTFS in UTF-16 units, tmpfs).
// Checking it before anything is written keeps a long name from failing a
// generate halfway.
const MaxNameBytes = 255

// shippedHeading opens the list of %%writefile files in the header of
// pipeline_zen.go. Their bytes are the notebook's, so unlike the other
// generated files they cannot carry a "Code generated" line of their own:
// the list is how a later generate knows they are zengen's to replace.
const shippedHeading = "zengen ships these files from %%writefile cells:"

// shippedHeader is the header paragraph of the pipeline file that lists
// the shipped files, one per line, or nothing when there are none.
func shippedHeader(files []*ir.File) []string {
	if len(files) == 0 {
		return nil
	}
	names := make([]string, 0, len(files))
	for _, f := range files {
		// checkShipped reports the others at their cells, after rendering.
		if name, ok := shippedFileName(f.Name); ok && unshippable(name) == "" {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	lines := []string{"", shippedHeading}
	for _, name := range slices.Compact(names) {
		lines = append(lines, "//\t"+name)
	}
	return lines
}

// ShippedFiles reads back the list that shippedHeader wrote into a
// pipeline file: the slash paths of the files that generate shipped from
// %%writefile cells.
func ShippedFiles(pipelineFile []byte) []string {
	var names []string
	listing := false
	sc := bufio.NewScanner(bytes.NewReader(pipelineFile))
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		switch {
		case line == "// "+shippedHeading:
			listing = true
		case listing && strings.HasPrefix(line, "//\t"):
			names = append(names, strings.TrimPrefix(line, "//\t"))
		case listing, strings.HasPrefix(line, "package "):
			return names
		}
	}
	return names
}

// checkShipped reports, at its cell, every %%writefile name that generate
// must not write: one that leaves the output folder, reaches into .git or
// the store, names a file of the go command, takes a generated file's name
// or one zengen reserves for them, clashes with another output, or cannot
// be a file name at all.
// files holds the generated files so far.
func checkShipped(p *ir.Pipeline, files map[string][]byte) parser.ErrorList {
	var (
		errs      parser.ErrorList
		generated = slices.Sorted(maps.Keys(files))
		shipped   []string
	)
	for _, f := range p.Files {
		name, ok := shippedFileName(f.Name)
		if !ok {
			errs.Add(f.Pos, "%%%%writefile %s: the file must be a relative path inside the output folder", f.Name)
			continue
		}
		if why := unshippable(name); why != "" {
			errs.Add(f.Pos, "%%%%writefile %s: %s", f.Name, why)
			continue
		}
		if taken := clashing(name, generated, true); taken != "" {
			errs.Add(f.Pos, "%%%%writefile %s: the name is taken by the generated %s", f.Name, taken)
		} else if reservedName(path.Base(name)) {
			errs.Add(f.Pos, "%%%%writefile %s: names ending in _zen.go are reserved for zengen's generated files", f.Name)
		} else if other := clashing(name, shipped, false); other != "" {
			errs.Add(f.Pos, "%%%%writefile %s: the name clashes with %s, which another %%%%writefile cell ships", f.Name, other)
		}
		shipped = append(shipped, name)
	}
	return errs
}

// clashing returns the first of names that cannot sit beside name in one
// folder: the same name in another case (one file on macOS and Windows),
// a file where name needs a folder, or a file below name, which needs
// name to be a folder. The same name itself clashes when same is set;
// among %%writefile cells it does not: a later cell replaces or extends
// the file, as in the kernel.
func clashing(name string, names []string, same bool) string {
	n := strings.ToLower(name)
	for _, other := range names {
		if other == name {
			if same {
				return other
			}
			continue
		}
		o := strings.ToLower(other)
		if n == o || strings.HasPrefix(o, n+"/") || strings.HasPrefix(n, o+"/") {
			return other
		}
	}
	return ""
}

// unshippable says why a clean relative name cannot be shipped, or "".
func unshippable(name string) string {
	if strings.ContainsFunc(name, unicode.IsControl) {
		return "the name holds a control character"
	}
	// The name is listed in a comment of pipeline_zen.go, which must hold
	// it as written (see commentText).
	if needsCleaning(name) {
		return "the name holds a line separator, a byte order mark or invalid UTF-8"
	}
	for _, elem := range strings.Split(name, "/") {
		switch {
		case strings.EqualFold(elem, ".git"):
			return "zengen does not write into .git, whose hooks and config git runs"
		case strings.EqualFold(elem, ".zen"):
			return "zengen does not write into .zen, the pipeline's store"
		case len(elem) > MaxNameBytes:
			return "a name in the path is longer than 255 bytes"
		}
	}
	switch base := strings.ToLower(path.Base(name)); base {
	case "go.mod", "go.sum", "go.work", "go.work.sum":
		return base + " belongs to the go command: a shipped one would change how the package builds"
	}
	return ""
}

// reservedName reports whether a file name has the form of zengen's
// generated Go files, which a later generate may create or delete.
func reservedName(base string) bool {
	lower := strings.ToLower(base)
	return strings.HasSuffix(lower, "_zen.go")
}

// shippedFileName cleans a %%writefile name and reports whether it stays
// inside the output folder.
func shippedFileName(name string) (string, bool) {
	name = strings.ReplaceAll(name, `\`, "/")
	if name == "" || path.IsAbs(name) || hasVolume(name) {
		return "", false
	}
	name = path.Clean(name)
	if name == "." || name == ".." || strings.HasPrefix(name, "../") {
		return "", false
	}
	return name, true
}

// hasVolume reports a Windows drive prefix ("C:x"), which makes a name
// absolute, or relative to another folder, there.
func hasVolume(name string) bool {
	return len(name) >= 2 && name[1] == ':' && ('a' <= name[0]|0x20 && name[0]|0x20 <= 'z')
}

// checkFileNames reports generated files whose names the file system
// cannot hold, at the step or pipeline that names them.
func checkFileNames(p *ir.Pipeline) parser.ErrorList {
	var errs parser.ErrorList
	for _, s := range p.Steps {
		if s.Kind != "func" && len(stepFileName(s)) > MaxNameBytes {
			errs.Add(s.Pos, "step name %s… (%d bytes) is too long: its file step_…_zen.go would be longer than the %d bytes a file name may have", s.Name[:16], len(s.Name), MaxNameBytes).Hint = "shorten the step name"
		}
	}
	if len(p.Name+"_zen_test.go") > MaxNameBytes {
		errs.Add(parser.Pos{File: p.Notebook}, "pipeline name %s… (%d bytes) is too long: its files would have names longer than the %d bytes a file name may have", p.Name[:16], len(p.Name), MaxNameBytes).Hint = "shorten the //zen:pipeline name"
	}
	return errs
}
