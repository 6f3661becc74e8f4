package parser

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// ipynbFile is the part of nbformat 4 that zengen reads. Fields whose JSON
// type varies between writers (strings or lists of strings, tags) are kept
// raw and checked by hand, so that one odd cell is reported at that cell
// instead of failing the whole file.
type ipynbFile struct {
	NBFormat      *int            `json:"nbformat"`
	NBFormatMinor int             `json:"nbformat_minor"`
	Metadata      json.RawMessage `json:"metadata"`
	Cells         json.RawMessage `json:"cells"`
}

type ipynbMetadata struct {
	Kernelspec struct {
		Name     string `json:"name"`
		Language string `json:"language"`
	} `json:"kernelspec"`
	LanguageInfo struct {
		Name string `json:"name"`
	} `json:"language_info"`
}

type ipynbCell struct {
	CellType       string          `json:"cell_type"`
	ID             json.RawMessage `json:"id"`
	Source         json.RawMessage `json:"source"`
	Metadata       json.RawMessage `json:"metadata"`
	Outputs        json.RawMessage `json:"outputs"`
	ExecutionCount json.RawMessage `json:"execution_count"`
}

type ipynbCellMetadata struct {
	Tags json.RawMessage `json:"tags"`
}

type ipynbOutput struct {
	OutputType string                     `json:"output_type"`
	Name       string                     `json:"name"`
	Text       json.RawMessage            `json:"text"`
	Data       map[string]json.RawMessage `json:"data"`
	EName      string                     `json:"ename"`
	EValue     string                     `json:"evalue"`
}

// ReadIPYNB parses a Jupyter notebook in nbformat 4.0–4.5 written by a Go
// kernel. A non-nil error is always an ErrorList; the notebook is returned
// only when there is no error.
func ReadIPYNB(path string, data []byte) (*Notebook, error) {
	if err := CheckPath(path); err != nil {
		return nil, err
	}
	var errs ErrorList
	filePos := Pos{File: path}
	data = withoutBOM(data)
	if len(bytes.TrimSpace(data)) == 0 {
		errs.Add(filePos, "empty file: not a Jupyter notebook")
		return nil, errs.Err()
	}
	var f ipynbFile
	if err := json.Unmarshal(data, &f); err != nil {
		errs = append(errs, jsonError(path, data, err))
		return nil, errs.Err()
	}
	switch {
	case f.NBFormat == nil:
		errs.Add(filePos, `not a Jupyter notebook: no "nbformat" field`)
		return nil, errs.Err()
	case *f.NBFormat < 4:
		errs.Add(filePos, "nbformat %d is not supported; open and save it in Jupyter to upgrade to nbformat 4", *f.NBFormat)
		return nil, errs.Err()
	case *f.NBFormat > 4:
		errs.Add(filePos, "nbformat %d is not supported: zengen reads nbformat 4.0–4.5", *f.NBFormat)
		return nil, errs.Err()
	case isNull(f.Cells):
		errs.Add(filePos, `not a Jupyter notebook: no "cells" list`)
		return nil, errs.Err()
	}

	var meta ipynbMetadata
	if !isNull(f.Metadata) {
		if err := json.Unmarshal(f.Metadata, &meta); err != nil {
			errs.Add(filePos, "notebook metadata: %s", describeJSONError(err))
		}
	}
	var rawCells []ipynbCell
	if err := json.Unmarshal(f.Cells, &rawCells); err != nil {
		errs.Add(filePos, `"cells": %s`, describeJSONError(err))
		return nil, errs.Err()
	}

	nb := &Notebook{Path: path, Format: FormatIPYNB, Kernel: meta.Kernelspec.Name}
	dialect, decided, problem := dialectOf(kernelInfo{
		Name:     meta.Kernelspec.Name,
		Language: meta.Kernelspec.Language,
		LangInfo: meta.LanguageInfo.Name,
	})
	if problem != "" {
		errs.Add(filePos, "%s", problem)
		return nil, errs.Err()
	}

	for i, rc := range rawCells {
		nb.Cells = append(nb.Cells, readIPYNBCell(nb, i, rc, &errs))
	}
	return finishNotebook(nb, dialect, decided, errs)
}

// finishNotebook ends both readers once every cell is read: a dialect the
// kernel left open is taken from the code, and any problem found on the way
// means no notebook.
func finishNotebook(nb *Notebook, dialect Dialect, decided bool, errs ErrorList) (*Notebook, error) {
	nb.Dialect = dialect
	if !decided {
		nb.Dialect = dialectFromCode(nb.Cells)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return nb, nil
}

func readIPYNBCell(nb *Notebook, index int, rc ipynbCell, errs *ErrorList) *Cell {
	c := &Cell{Number: index + 1, FirstLine: 1, ID: fallbackID(index)}
	cellPos := nb.Pos(c, 0, 0)
	switch rc.CellType {
	case "code":
		c.Kind = Code
	case "markdown":
		c.Kind = Markdown
	case "raw":
		c.Kind = Raw
	default:
		errs.Add(cellPos, "unknown cell type %q: want code, markdown or raw", rc.CellType)
		c.Kind = Raw
	}
	if !isNull(rc.ID) {
		var id string
		if json.Unmarshal(rc.ID, &id) != nil {
			errs.Add(cellPos, "cell id must be a string")
		} else if id != "" {
			c.ID = id
		}
	}
	src, ok := multilineText(rc.Source)
	if !ok {
		errs.Add(cellPos, `cell "source" must be a string or a list of strings`)
	}
	c.Source = normalizeNewlines(src)
	c.Executed = !isNull(rc.ExecutionCount)

	if !isNull(rc.Metadata) {
		var md ipynbCellMetadata
		if json.Unmarshal(rc.Metadata, &md) != nil {
			errs.Add(cellPos, "cell metadata must be an object")
		} else if !isNull(md.Tags) {
			if json.Unmarshal(md.Tags, &c.Tags) != nil {
				errs.Add(cellPos, `cell "tags" must be a list of strings`)
				c.Tags = nil
			}
		}
	}
	if c.Kind == Code && !isNull(rc.Outputs) {
		var outs []ipynbOutput
		if json.Unmarshal(rc.Outputs, &outs) != nil {
			errs.Add(cellPos, `cell "outputs" must be a list of output objects`)
		}
		for _, o := range outs {
			c.Outputs = append(c.Outputs, reduceOutput(o))
		}
	}
	parseTags(nb, c, errs)
	if c.Kind == Code {
		analyzeCode(nb, c, errs)
	}
	return c
}

// reduceOutput keeps the text of an output: what parity tests can compare.
func reduceOutput(o ipynbOutput) Output {
	out := Output{Type: o.OutputType}
	switch o.OutputType {
	case "stream":
		out.Name = o.Name
		out.Text, _ = multilineText(o.Text)
	case "execute_result", "display_data":
		out.Text, _ = multilineText(o.Data["text/plain"])
	case "error":
		out.Name, out.Text = o.EName, o.EValue
	}
	out.Text = normalizeNewlines(out.Text)
	return out
}

// multilineText decodes an nbformat multiline string: a string, a list of
// strings to concatenate, or null.
func multilineText(raw json.RawMessage) (string, bool) {
	if isNull(raw) {
		return "", true
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, true
	}
	var parts []string
	if json.Unmarshal(raw, &parts) == nil {
		return strings.Join(parts, ""), true
	}
	return "", false
}

func isNull(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) == 0 || string(t) == "null"
}

// jsonError positions a decoding error of the whole file: syntax errors at
// the line and column of the offending byte.
func jsonError(path string, data []byte, err error) *Error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		line, col := lineCol(data, syntax.Offset)
		return &Error{Pos: Pos{File: path, Line: line, Col: col}, Msg: "malformed JSON: " + syntax.Error()}
	case errors.As(err, &typ) && (typ.Field == "nbformat" || typ.Field == "nbformat_minor"):
		line, col := lineCol(data, valueStart(data, typ.Offset))
		got := "a JSON " + typ.Value
		if n, ok := strings.CutPrefix(typ.Value, "number "); ok {
			got = n
		}
		want := "the major version, 4"
		if typ.Field == "nbformat_minor" {
			want = "the minor version, 0 to 5"
		}
		return &Error{Pos: Pos{File: path, Line: line, Col: col},
			Msg:  fmt.Sprintf("%q is %s, want a whole number: %s", typ.Field, got, want),
			Hint: `nbformat 4.5 is written "nbformat": 4, "nbformat_minor": 5`}
	case errors.As(err, &typ):
		line, col := lineCol(data, typ.Offset)
		return &Error{Pos: Pos{File: path, Line: line, Col: col}, Msg: "not a Jupyter notebook: " + describeJSONError(err)}
	}
	return &Error{Pos: Pos{File: path}, Msg: "malformed JSON: " + err.Error()}
}

// describeJSONError words a type mismatch for a notebook author.
func describeJSONError(err error) string {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		if typ.Field != "" {
			return fmt.Sprintf("%q is a JSON %s, want %s", typ.Field, typ.Value, jsonKind(typ.Type.Kind().String()))
		}
		return fmt.Sprintf("found a JSON %s, want %s", typ.Value, jsonKind(typ.Type.Kind().String()))
	}
	return err.Error()
}

func jsonKind(goKind string) string {
	switch goKind {
	case "struct", "map":
		return "an object"
	case "slice", "array":
		return "a list"
	case "string":
		return "a string"
	case "int", "int64":
		return "a whole number"
	case "float64":
		return "a number"
	case "bool":
		return "true or false"
	}
	return goKind
}

// valueStart returns the offset, counted as lineCol counts it, of the
// first byte of the scalar JSON value that ends at end (encoding/json
// reports type errors at the end of the value).
func valueStart(data []byte, end int64) int64 {
	i := int(min(max(end, 0), int64(len(data))))
	if i > 0 && data[i-1] == '"' {
		for i--; i > 0; i-- {
			if data[i-1] == '"' && (i < 2 || data[i-2] != '\\') {
				return int64(i)
			}
		}
		return end
	}
	for i > 0 && !strings.ContainsRune(" \t\r\n:,[", rune(data[i-1])) {
		i--
	}
	return int64(i + 1)
}

// lineCol converts the byte offset reported by encoding/json (the number of
// bytes read when the error was found) to a 1-based line and byte column of
// the offending byte.
func lineCol(data []byte, offset int64) (line, col int) {
	off := int(offset) - 1
	off = max(0, min(off, len(data)))
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = off - bytes.LastIndexByte(before, '\n')
	return line, col
}
