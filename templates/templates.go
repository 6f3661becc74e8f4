// Package templates holds the text/template files for what zengen emits that
// is not Go: go.mod, README.md and .gitignore of a standalone pipeline
// module. Go code is built with jennifer in package emit (gen/emit), never here.
//
// The package knows nothing about the IR: callers pass plain data.
package templates

import (
	"bytes"
	"embed"
	"fmt"
	"slices"
	"text/template"
)

//go:embed *.tmpl
var files embed.FS

// parsed holds every template, named by its file name (e.g. "go.mod.tmpl").
var parsed = template.Must(template.New("").Option("missingkey=error").ParseFS(files, "*.tmpl"))

// Names lists the embedded templates, sorted.
func Names() []string {
	var names []string
	for _, t := range parsed.Templates() {
		if t.Name() != "" {
			names = append(names, t.Name())
		}
	}
	slices.Sort(names)
	return names
}

// Execute renders the template name (a file name such as "README.md.tmpl")
// with data.
func Execute(name string, data any) ([]byte, error) {
	t := parsed.Lookup(name)
	if t == nil {
		return nil, fmt.Errorf("templates: no template %q", name)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return nil, fmt.Errorf("templates: %s: %w", name, err)
	}
	return b.Bytes(), nil
}
