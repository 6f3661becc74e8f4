// Package preview turns a stored artifact into what the dashboard's
// artifact page shows, chosen by the codec recorded with it: text and JSON
// pretty-printed up to a bound, slices of numbers summarised with a
// histogram, slices of structs and matrices as a paged table, displays as
// their media type. It reads every artifact to its end, so that the
// artifact store's reader checks the digest before anything is shown, and
// it reads in bounded memory whatever the artifact's size, except where a
// value must be decoded whole by its Go type (Table, Value). It knows
// codecs' layouts and Go values, not HTTP, HTML or the metadata store.
package preview

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/zengen-dev/zengen/runtime/internal/layout"
	"github.com/zengen-dev/zengen/runtime/internal/valuetext"
)

// Kind says which part of a Preview is filled in.
type Kind string

const (
	KindText    Kind = "text"    // Text: raw bytes as UTF-8 text, or an error's message
	KindJSON    Kind = "json"    // Text: indented JSON
	KindNumbers Kind = "numbers" // Numbers
	KindTable   Kind = "table"   // Table
	KindValue   Kind = "value"   // Text: a decoded value as cat shows it
	KindDisplay Kind = "display" // Display
	KindBinary  Kind = "binary"  // Text: a hex dump of the first bytes; Note says why
)

// Input is an artifact to preview.
type Input struct {
	Codec string
	// Open returns a new reader of the artifact's bytes from the start;
	// the numeric preview reads twice when the artifact is large.
	Open func() (io.ReadCloser, error)
	// Show decodes the artifact to its Go value, for the codecs whose
	// layout needs the type (value, binary, user codecs); nil when this
	// binary's pipeline no longer has the output.
	Show func(codec string, r io.Reader) (any, error)
	Page int // the table page to show, from 1
}

// Preview is what the page shows of an artifact.
type Preview struct {
	Kind      Kind
	Text      string
	Truncated bool // Text holds only the first MaxText bytes
	Numbers   *Numbers
	Table     *Table
	Display   *Display
	Note      string // why the preview is less than the value, when it is
}

// MaxText bounds the text a page shows of an artifact.
const MaxText = 64 << 10

// maxJSON is the largest JSON artifact indented whole; a larger one is
// shown as its first MaxText bytes as stored.
const maxJSON = 4 << 20

// Build previews in.
func Build(in Input) (*Preview, error) {
	switch in.Codec {
	case layout.Numeric:
		n, err := previewNumbers(in.Open)
		if err != nil {
			return nil, err
		}
		return &Preview{Kind: KindNumbers, Numbers: n}, nil
	case layout.Raw:
		return readText(in.Open, KindText, nil)
	case layout.Error:
		return readText(in.Open, KindText, func(b []byte) ([]byte, error) {
			if len(b) == 0 {
				return []byte("nil (no error)"), nil
			}
			if b[0] != 'E' {
				return nil, errors.New("artifact is not in the error layout")
			}
			return b[1:], nil
		})
	case layout.JSON:
		return previewJSON(in.Open)
	case layout.Display:
		return previewDisplay(in.Open)
	}
	return previewDecoded(in)
}

// readText reads the artifact to its end, keeping its first MaxText bytes
// (cut at a rune boundary), transformed by strip when given.
func readText(open func() (io.ReadCloser, error), kind Kind, strip func([]byte) ([]byte, error)) (*Preview, error) {
	r, err := open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	head, total, err := readHead(r, MaxText+1)
	if err != nil {
		return nil, err
	}
	if strip != nil {
		if head, err = strip(head); err != nil {
			return nil, err
		}
	}
	p := &Preview{Kind: kind}
	p.Text, p.Truncated = cutText(head, total > int64(len(head)) || len(head) > MaxText)
	if !utf8.ValidString(p.Text) {
		p.Text = strings.ToValidUTF8(p.Text, "\uFFFD")
		p.Note = "the bytes are not all UTF-8: invalid ones show as \uFFFD; download the artifact for its exact bytes"
	}
	return p, nil
}

// readHead returns the first n bytes of r and how many bytes r held,
// reading r to its end.
func readHead(r io.Reader, n int) ([]byte, int64, error) {
	var head bytes.Buffer
	got, err := io.Copy(&head, io.LimitReader(r, int64(n)))
	if err != nil {
		return nil, 0, err
	}
	rest, err := io.Copy(io.Discard, r)
	return head.Bytes(), got + rest, err
}

// cutText returns at most MaxText bytes of b, ending at a rune boundary.
func cutText(b []byte, truncated bool) (string, bool) {
	if len(b) <= MaxText {
		return string(b), truncated
	}
	b = b[:MaxText]
	for i := 0; i < utf8.UTFMax && len(b) > 0 && !utf8.Valid(b[len(b)-min(len(b), utf8.UTFMax):]); i++ {
		b = b[:len(b)-1]
	}
	return string(b), true
}

func previewJSON(open func() (io.ReadCloser, error)) (*Preview, error) {
	r, err := open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	head, total, err := readHead(r, maxJSON+1)
	if err != nil {
		return nil, err
	}
	if total > maxJSON {
		p := &Preview{Kind: KindJSON, Note: fmt.Sprintf("%d bytes of JSON: shown as stored, not indented", total)}
		p.Text, p.Truncated = cutText(head, true)
		return p, nil
	}
	var out bytes.Buffer
	if err := json.Indent(&out, head, "", "  "); err != nil {
		return nil, fmt.Errorf("json artifact: %w", err)
	}
	p := &Preview{Kind: KindJSON}
	p.Text, p.Truncated = cutText(bytes.TrimSpace(out.Bytes()), false)
	return p, nil
}

// previewDecoded shows an artifact through its output's Show hook: a
// table for slices of structs and of number slices, else the value as cat
// prints it; without a hook, or when it fails, a hex dump.
func previewDecoded(in Input) (*Preview, error) {
	r, err := in.Open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	why := "this binary's pipeline has no such output to decode it"
	if in.Codec == layout.Value && in.Show != nil {
		t := probeType(in.Show)
		if row, ok := streamable(t); ok {
			t, err := streamTable(r, row, t.Elem().Kind() == reflect.Pointer, in.Page)
			if err != nil {
				return nil, err
			}
			return &Preview{Kind: KindTable, Table: t}, nil
		}
	}
	if in.Show != nil {
		v, err := callShow(in.Show, in.Codec, bufio.NewReader(r))
		if err == nil {
			if t, ok := newTable(v, in.Page); ok {
				return &Preview{Kind: KindTable, Table: t}, nil
			}
			text, err := valuetext.Text(v)
			if err != nil {
				return nil, err
			}
			p := &Preview{Kind: KindValue}
			p.Text, p.Truncated = cutText([]byte(text), false)
			return p, nil
		}
		why = err.Error()
		r.Close()
		if r, err = in.Open(); err != nil {
			return nil, err
		}
	}
	head, total, err := readHead(r, 4<<10)
	if err != nil {
		return nil, err
	}
	p := &Preview{Kind: KindBinary, Text: hex.Dump(head), Truncated: total > int64(len(head)),
		Note: fmt.Sprintf("codec %s, shown as hex: %s", in.Codec, why)}
	return p, nil
}

// callShow runs a Show hook, turning a panic in a user's decoder into an
// error, and reads what it left so that the digest is checked.
func callShow(show func(string, io.Reader) (any, error), codec string, r io.Reader) (v any, err error) {
	defer func() {
		if p := recover(); p != nil {
			v, err = nil, fmt.Errorf("decoding panicked: %v", p)
		}
	}()
	v, err = show(codec, r)
	if err != nil {
		return nil, err
	}
	if _, err := io.Copy(io.Discard, r); err != nil {
		return nil, err
	}
	return v, nil
}
