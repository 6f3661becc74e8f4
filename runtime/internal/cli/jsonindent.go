package cli

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// indentJSON writes the JSON value read from src to dst indented by two
// spaces, as json.Indent does, followed by one newline, holding only a
// buffer of src in memory: cat shows a 300 MB artifact without reading it
// whole. It copies strings, numbers and literals byte for byte and checks
// the structure — brackets that match, strings that end, one value — but,
// unlike json.Indent, not the grammar of every token: its input is what the
// JSON codec wrote, and cat has checked it against its digest.
func indentJSON(dst io.Writer, src io.Reader) error {
	w := bufio.NewWriterSize(dst, 64<<10)
	in := &jsonIndenter{w: w}
	buf := make([]byte, 64<<10)
	for {
		n, err := src.Read(buf)
		if ferr := in.feed(buf[:n]); ferr != nil {
			return ferr
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	switch {
	case in.inStr:
		return fmt.Errorf("%w: a string does not end", errNotJSON)
	case len(in.stack) > 0:
		return fmt.Errorf("%w: %q is not closed", errNotJSON, in.stack[len(in.stack)-1])
	case !in.done && !in.scalar:
		return fmt.Errorf("%w: it is empty", errNotJSON)
	}
	w.WriteByte('\n')
	return w.Flush()
}

var errNotJSON = errors.New("artifact is not valid JSON")

// jsonIndenter is the state of indentJSON between two reads.
type jsonIndenter struct {
	w       *bufio.Writer
	stack   []byte // the open brackets
	inStr   bool
	escaped bool // the last byte of the string so far is a backslash
	pending bool // a bracket was just opened: its newline waits to learn whether it is empty
	scalar  bool // a top-level number or literal is being copied
	done    bool // the top-level value is complete
}

func (in *jsonIndenter) newline() {
	in.w.WriteByte('\n')
	for range len(in.stack) {
		in.w.WriteString("  ")
	}
}

func (in *jsonIndenter) feed(p []byte) error {
	for len(p) > 0 {
		if in.inStr {
			// Copy the run of string bytes up to the next quote or
			// backslash at once.
			i := 0
			if !in.escaped {
				i = bytes.IndexAny(p, `"\`)
				if i < 0 {
					in.w.Write(p)
					return nil
				}
			}
			in.w.Write(p[:i+1])
			switch {
			case in.escaped:
				in.escaped = false
			case p[i] == '\\':
				in.escaped = true
			default:
				in.inStr = false
				in.done = len(in.stack) == 0
			}
			p = p[i+1:]
			continue
		}
		c := p[0]
		p = p[1:]
		top := len(in.stack) == 0
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			if top && in.scalar {
				in.scalar, in.done = false, true
			}
			continue
		}
		if top && (in.done || in.scalar && (c == '"' || c == '{' || c == '[')) {
			return fmt.Errorf("%w: more than one value", errNotJSON)
		}
		if in.pending && c != '}' && c != ']' {
			in.pending = false
			in.newline()
		}
		switch c {
		case '"':
			in.w.WriteByte(c)
			in.inStr = true
		case '{', '[':
			in.w.WriteByte(c)
			in.stack = append(in.stack, c)
			in.pending = true
		case '}', ']':
			// The closing bracket is two bytes after its opening one in
			// ASCII: '[' ']' and '{' '}'.
			if top || in.stack[len(in.stack)-1] != c-2 {
				return fmt.Errorf("%w: unexpected %q", errNotJSON, c)
			}
			in.stack = in.stack[:len(in.stack)-1]
			if in.pending {
				in.pending = false
			} else {
				in.newline()
			}
			in.w.WriteByte(c)
			in.done = len(in.stack) == 0
		case ',':
			if top {
				return fmt.Errorf("%w: unexpected ','", errNotJSON)
			}
			in.w.WriteByte(',')
			in.newline()
		case ':':
			in.w.WriteString(": ")
		default:
			in.w.WriteByte(c)
			in.scalar = in.scalar || top
		}
	}
	return nil
}
