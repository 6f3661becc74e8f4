package parser

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReadAcceptsBOM: editors on Windows save UTF-8 with a byte order
// mark; the notebook reads as it does without one.
func TestReadAcceptsBOM(t *testing.T) {
	for _, tt := range []struct{ path, src string }{
		{"nb.ipynb", `{"nbformat":4,"nbformat_minor":5,"metadata":{"kernelspec":{"name":"gonb"}},"cells":[{"cell_type":"markdown","metadata":{},"source":"# Load"},{"cell_type":"code","metadata":{},"source":"%%\nx := 1"}]}`},
		{"script.go", "//go:build ignore\n\n// %% [markdown]\n// # Load\n\n// %%\nx := 1\n"},
		{"first.go", "// %% [markdown]\n// # Load\n\n// %%\nx := 1\n"},
	} {
		want, err := Read(tt.path, []byte(tt.src))
		if err != nil {
			t.Fatal(err)
		}
		got, err := Read(tt.path, append([]byte("\uFEFF"), tt.src...))
		if err != nil {
			t.Errorf("%s with a byte order mark: %v", tt.path, err)
			continue
		}
		if diff := cmp.Diff(summarize(want), summarize(got)); diff != "" {
			t.Errorf("%s with a byte order mark reads differently (-without +with):\n%s", tt.path, diff)
		}
	}
}

// TestNBFormatWantsAWholeNumber: nbformat 4.5 is "nbformat": 4 with
// "nbformat_minor": 5; the error says so instead of "want a number".
func TestNBFormatWantsAWholeNumber(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{`{"nbformat": 4.5, "cells": []}`, `nb.ipynb:1:14: "nbformat" is 4.5, want a whole number: the major version, 4
	hint: nbformat 4.5 is written "nbformat": 4, "nbformat_minor": 5`},
		{`{"nbformat": 4, "nbformat_minor": "5", "cells": []}`, `nb.ipynb:1:35: "nbformat_minor" is a JSON string, want a whole number: the minor version, 0 to 5
	hint: nbformat 4.5 is written "nbformat": 4, "nbformat_minor": 5`},
	} {
		_, err := Read("nb.ipynb", []byte(tt.src))
		if err == nil || err.Error() != tt.want {
			t.Errorf("Read(%s) = %v, want:\n%s", tt.src, err, tt.want)
		}
	}
}
