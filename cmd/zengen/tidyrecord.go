package main

import (
	"bytes"
	"errors"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// A standalone module's go.mod and go.sum come from `go mod tidy`, which
// may need the module proxy. So that check never needs the network, and
// generate needs it only when something tidy reads changed, the go.mod that
// generate writes records in its header a digest of what tidy read (the
// go.mod zengen rendered, and of a --runtime-replace checkout its go.mod
// and its files' imports) and of what it wrote (go.mod without
// this line, and go.sum). When both hold on disk, the files on disk are
// what tidy would write again, and it does not run.

// tidyRecordPrefix starts the record line in a generated go.mod.
const tidyRecordPrefix = "// zengen tidy: "

// tidyInputsDigest is the digest of what go mod tidy reads for a module
// whose rendered go.mod is gomod and whose zengen is replaced by the
// checkout at replaceTarget ("" for none): the rendered go.mod, and of a
// checkout its go.mod and the imports of its Go files, which decide the
// packages tidy must find. A released runtime is an immutable module
// version that the rendered go.mod names.
func tidyInputsDigest(gomod []byte, replaceTarget string) (string, error) {
	d := newDigest("zengen tidy inputs v2")
	d.field(gomod)
	if replaceTarget == "" {
		return d.sum(), nil
	}
	root := filepath.FromSlash(replaceTarget)
	target, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	d.field(target)
	imports, err := checkoutImports(root)
	if err != nil {
		return "", err
	}
	for _, line := range imports {
		d.field([]byte(line))
	}
	return d.sum(), nil
}

// checkoutImports lists, sorted, "FILE IMPORT" for every import of every Go
// file of the module rooted at root, tests included, outside hidden
// folders, testdata and nested modules. Reading imports only is a few
// milliseconds for zengen's checkout; a change anywhere else in a file
// cannot change what tidy writes.
func checkoutImports(root string) ([]string, error) {
	var lines []string
	fset := token.NewFileSet()
	err := walkGenerated(root, func(rel, p string) error {
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			// The go command reports it when it builds; here it only
			// makes the digest differ from any tidy's.
			lines = append(lines, rel+" unreadable")
			return nil
		}
		for _, spec := range f.Imports {
			lines = append(lines, rel+" "+spec.Path.Value)
		}
		return nil
	})
	slices.Sort(lines)
	return lines, err
}

// tidyOutputsDigest is the digest of a tidied go.mod, without its record,
// and go.sum.
func tidyOutputsDigest(gomod, gosum []byte) string {
	d := newDigest("zengen tidy outputs v1")
	_, without := splitTidyRecord(gomod)
	d.field(without)
	d.field(gosum)
	return d.sum()
}

// addTidyRecord writes the record into the tidied go.mod of r.
func addTidyRecord(r *rendered, inputs string) {
	gomod := r.files["go.mod"]
	line := tidyRecordPrefix + "inputs " + inputs + " outputs " + tidyOutputsDigest(gomod, r.files["go.sum"])
	// The header comment ends at the first blank line; the record joins
	// it as its last paragraph. go mod tidy keeps the comment.
	end := bytes.Index(gomod, []byte("\n\n"))
	if end < 0 {
		return
	}
	with := append([]byte{}, gomod[:end]...)
	with = append(with, "\n//\n"+line...)
	r.files["go.mod"] = append(with, gomod[end:]...)
}

// splitTidyRecord returns the record line of a go.mod and the go.mod
// without it, or "" and the go.mod itself.
func splitTidyRecord(gomod []byte) (record string, without []byte) {
	i := bytes.Index(gomod, []byte("\n//\n"+tidyRecordPrefix))
	if i < 0 {
		return "", gomod
	}
	start := i + len("\n//\n")
	end := bytes.IndexByte(gomod[start:], '\n')
	if end < 0 {
		return "", gomod
	}
	without = append(append([]byte{}, gomod[:i]...), gomod[start+end:]...)
	return string(gomod[start : start+end]), without
}

// tidiedOnDisk returns the go.mod and go.sum in r's output folder when
// their record shows that tidy, given inputs, would write them again.
func tidiedOnDisk(r *rendered, inputs string) (gomod, gosum []byte, ok bool) {
	dir, err := resolveDir(r.dir)
	if err != nil {
		return nil, nil, false
	}
	gomod, err = os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return nil, nil, false
	}
	gosum, err = os.ReadFile(filepath.Join(dir, "go.sum"))
	if errors.Is(err, fs.ErrNotExist) {
		gosum = nil // a module without dependencies has none
	} else if err != nil {
		return nil, nil, false
	}
	record, _ := splitTidyRecord(gomod)
	fields := strings.Fields(strings.TrimPrefix(record, tidyRecordPrefix))
	if len(fields) != 4 || fields[0] != "inputs" || fields[1] != inputs || fields[2] != "outputs" || fields[3] != tidyOutputsDigest(gomod, gosum) {
		return nil, nil, false
	}
	return gomod, gosum, true
}
