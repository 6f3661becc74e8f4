package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/zengen-dev/zengen/gen/header"
	"github.com/zengen-dev/zengen/parser"
)

// The record lets check (and generate) skip parsing, type-checking and
// emitting when nothing changed, which is most of a CI run's time on a large
// notebook. generate writes one comment line into the header of the
// pipeline file: a digest of everything rendering read and a digest of the
// tree it wrote. When both still hold, rendering again would give the
// same bytes, so the tree on disk is up to date.
//
// Rendering reads the notebook, the options, zengen's own code and the
// packages the notebook imports, resolved through go.mod and go.sum; the
// digest covers all but local packages of the module that the notebook
// imports, whose changes the build that follows check still catches.

// recordFile is the generated file whose header carries the record.
const recordFile = "pipeline_zen.go"

// recordPrefix starts the record line.
const recordPrefix = "// zengen digest: "

// releaseIdentity names the zengen build for the record: its module
// version and checksum when it is a released module, which pin its code,
// and "" otherwise. A checkout says "(devel)" and a replaced module
// v0.0.0 whatever their code, so they write no record and always render.
// Tests replace it to exercise the shortcut.
var releaseIdentity = func() string {
	info, ok := debug.ReadBuildInfo()
	if !ok || info.Main.Replace != nil || info.Main.Sum == "" || info.Main.Version == "" || info.Main.Version == "(devel)" {
		return ""
	}
	return info.Main.Path + "@" + info.Main.Version + " " + info.Main.Sum + " " + runtime.Version()
}

// digestWriter feeds length-prefixed fields to SHA-256, so that no two
// sequences of fields hash alike.
type digestWriter struct{ h hash.Hash }

func newDigest(kind string) *digestWriter {
	d := &digestWriter{h: sha256.New()}
	d.field([]byte(kind))
	return d
}

func (d *digestWriter) field(b []byte) {
	fmt.Fprintf(d.h, "%d:", len(b))
	d.h.Write(b)
}

func (d *digestWriter) sum() string { return hex.EncodeToString(d.h.Sum(nil)) }

// inputsDigest is the digest of what rendering notebook nb into dir reads,
// or "" when no record applies: a build that is not a release, several
// notebooks or no -o (the folder then depends on the pipeline's name),
// or a standalone module (its go.mod comes from the module proxy).
func inputsDigest(j job) (string, error) {
	o := j.o
	identity := releaseIdentity()
	if identity == "" || o.out == "" || o.several || o.module != "" {
		return "", nil
	}
	dir := filepath.Clean(o.out)
	root, modulePath, err := enclosingModule(dir)
	if err != nil {
		return "", nil // render reports it
	}
	importPath, err := importPathOf(root, modulePath, dir)
	if err != nil {
		return "", err
	}
	d := newDigest("zengen inputs v1")
	d.field([]byte(identity))
	d.field([]byte(header.Command(commandLine(j, dir))))
	d.field([]byte(importPath))
	// Each input is named as the notebook's spelling names it, so that the
	// digest does not depend on where zengen runs from.
	inputs := [][2]string{{j.notebook, j.path}, {filepath.Join(root, "go.mod")}, {filepath.Join(root, "go.sum")}}
	if paired := parser.PairedPath(j.path); paired != "" {
		// Its outputs become the parity test's expectations.
		inputs = append(inputs, [2]string{parser.PairedPath(j.notebook), paired})
	}
	for _, in := range inputs {
		name, path := in[0], in[1]
		if path == "" {
			path = name
		}
		content, err := os.ReadFile(path)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		d.field([]byte(name))
		d.field(content)
	}
	return d.sum(), nil
}

// filesDigest is the digest of a generated tree: every file's name and
// content, in sorted order, the record file without its record.
func filesDigest(files map[string][]byte) string {
	d := newDigest("zengen files v1")
	for _, name := range sortedNames(files) {
		d.field([]byte(name))
		d.field(files[name])
	}
	return d.sum()
}

// addRecord writes the record into r's pipeline file. Trees with files
// other than Go files get none: check cannot tell those apart from the
// user's own files without rendering.
func addRecord(r *rendered, inputs string) {
	content, ok := r.files[recordFile]
	if inputs == "" || !ok {
		return
	}
	for name := range r.files {
		if !strings.HasSuffix(name, ".go") {
			return
		}
	}
	line := recordPrefix + "inputs " + inputs + " files " + filesDigest(r.files)
	// The header comment ends at the first blank line; the record joins
	// it as its last paragraph.
	end := bytes.Index(content, []byte("\n\n"))
	if end < 0 {
		return
	}
	withRecord := append([]byte{}, content[:end]...)
	withRecord = append(withRecord, "\n//\n"+line...)
	r.files[recordFile] = append(withRecord, content[end:]...)
}

// splitRecord returns the record line of a pipeline file and the file as
// it was before addRecord, or "" and the file itself.
func splitRecord(content []byte) (record string, without []byte) {
	i := bytes.Index(content, []byte("\n//\n"+recordPrefix))
	if i < 0 {
		return "", content
	}
	start := i + len("\n//\n")
	end := bytes.IndexByte(content[start:], '\n')
	if end < 0 {
		return "", content
	}
	without = append(append([]byte{}, content[:i]...), content[start+end:]...)
	return string(content[start : start+end]), without
}

// sameBesideRecord reports whether two versions of the pipeline file differ
// at most in their records.
func sameBesideRecord(a, b []byte) bool {
	_, a = splitRecord(a)
	_, b = splitRecord(b)
	return bytes.Equal(a, b)
}

// recordHolds reports whether the tree in dir is what rendering nb with
// options o would write, judged by the record alone.
func recordHolds(j job) (bool, error) {
	inputs, err := inputsDigest(j)
	if err != nil || inputs == "" {
		return false, err
	}
	dir, err := resolveDir(j.o.out)
	if err != nil {
		return false, err
	}
	content, err := os.ReadFile(filepath.Join(dir, recordFile))
	if err != nil {
		return false, nil
	}
	record, without := splitRecord(content)
	fields := strings.Fields(strings.TrimPrefix(record, recordPrefix))
	if len(fields) != 4 || fields[0] != "inputs" || fields[1] != inputs || fields[2] != "files" {
		return false, nil
	}
	notebook, ok := headerNotebook(content)
	if !ok {
		return false, nil
	}
	// The tree on disk is what this notebook's generated files are now:
	// the ones it owns, as orphans would find them.
	files := map[string][]byte{}
	err = walkGenerated(dir, func(rel, p string) error {
		owned, content, err := generatedFrom(p, notebook)
		if owned {
			files[rel] = content
		}
		return err
	})
	if err != nil {
		return false, err
	}
	files[recordFile] = without
	return filesDigest(files) == fields[3], nil
}

// headerNotebook is the notebook path that a generated file's first line
// names.
func headerNotebook(content []byte) (string, bool) {
	return header.Notebook(header.FirstLine(content))
}
