package main

import (
	"bytes"
	"strings"

	"github.com/zengen-dev/zengen/gen/emit"
)

// notForGoGenerate is the build constraint every generated Go file carries.
// `go generate ./...` lists the files of every package before it runs the
// first directive and then reads each listed one for more directives; a
// step file that zengen removed meanwhile (a step renamed or dropped)
// stopped the whole run with "no such file or directory", and only a
// second run passed (golang/go#36068). go generate sets the generate build
// tag while it lists, so files with this constraint are never listed;
// they hold no directives, and every build, vet and test of the user's
// still includes them.
const notForGoGenerate = "//go:build !generate"

// excludeFromGoGenerate adds notForGoGenerate to the Go files of r that
// zengen wrote, after their header comment. Files shipped from %%writefile
// cells keep the notebook's bytes.
func excludeFromGoGenerate(r *rendered) {
	shipped := map[string]bool{}
	for _, name := range emit.ShippedFiles(r.files[recordFile]) {
		shipped[name] = true
	}
	for name, content := range r.files {
		if !strings.HasSuffix(name, ".go") || shipped[name] || !zengenHeader(content) {
			continue
		}
		// The header comment ends at the first blank line; the constraint
		// follows it, a paragraph of its own as the go command wants.
		end := bytes.Index(content, []byte("\n\n"))
		if end < 0 {
			continue
		}
		end += len("\n\n")
		with := append([]byte{}, content[:end]...)
		with = append(with, notForGoGenerate+"\n\n"...)
		r.files[name] = append(with, content[end:]...)
	}
}
