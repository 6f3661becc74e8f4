package runtime

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

var catCommand = &command{
	name:    "cat",
	args:    "RUN STEP.VAR",
	nargs:   2,
	summary: "Print an artifact, decoded: JSON indented, raw as text, numeric slices as a JSON array, other codecs as their values.",
	examples: `  PROG cat latest train.loss
  PROG cat latest load.xs > xs.json`,
	run: func(ctx context.Context, c *cli, st *cmdState, args []string) error {
		stepName, varName, ok := strings.Cut(args[1], ".")
		if !ok {
			return usagef("%q: name the artifact as STEP.VAR", args[1])
		}
		s, sr, err := c.openStepRun(ctx, args[0], stepName)
		if err != nil {
			return err
		}
		defer s.Close()
		for _, o := range sr.Outputs {
			if o.Name != varName {
				continue
			}
			r, err := openArtifact(s.blobs, o)
			if err != nil {
				return err
			}
			defer r.Close()
			// Reading to EOF verifies the digest before anything is shown.
			b, err := io.ReadAll(r)
			if err != nil {
				return err
			}
			return displayArtifact(c.stdout, o.Codec, b, c.showerOf(stepName, varName))
		}
		var names []string
		for _, o := range sr.Outputs {
			names = append(names, o.Name)
		}
		return fmt.Errorf("step %s of run %s has no artifact %q (it has: %s)", stepName, sr.RunID, varName, dash(strings.Join(names, ", ")))
	},
}

// showerOf returns the Show hook of a step's output in this binary's
// pipeline, or nil when the step or the output no longer exists or has
// none.
func (c *cli) showerOf(step, name string) func(codec string, r io.Reader) (any, error) {
	for _, s := range c.p.Steps {
		if s.Name != step {
			continue
		}
		for _, o := range s.Outputs {
			if o.Name == name {
				return o.Show
			}
		}
	}
	return nil
}

// displayArtifact renders an artifact's bytes for people. The codecs whose
// layout needs no Go type are shown by the runtime; the others (binary,
// user codecs) are decoded by show, the output's hook, and printed as
// values. Without a hook, or when it fails, they are shown as a hex dump.
func displayArtifact(w io.Writer, codec string, b []byte, show func(codec string, r io.Reader) (any, error)) error {
	switch codec {
	case "json":
		var out bytes.Buffer
		if err := json.Indent(&out, b, "", "  "); err != nil {
			return fmt.Errorf("artifact is not valid JSON: %w", err)
		}
		// A JSON artifact ends in a newline, which Indent keeps.
		indented := bytes.TrimRight(out.Bytes(), " \t\r\n")
		_, err := w.Write(append(indented, '\n'))
		return err
	case "raw", "error":
		_, err := w.Write(b)
		if err == nil && len(b) > 0 && b[len(b)-1] != '\n' {
			_, err = io.WriteString(w, "\n")
		}
		return err
	case "numeric":
		return displayNumeric(w, b)
	}
	why := "the codec has no text form and this binary cannot decode it"
	if show != nil {
		v, err := callShow(show, codec, b)
		if err == nil {
			return showValue(w, v)
		}
		why = err.Error()
	}
	fmt.Fprintf(w, "%d bytes, codec %s (shown as hex: %s)\n", len(b), codec, why)
	_, err := io.WriteString(w, hex.Dump(b))
	return err
}

// displayNumeric prints the numeric layout (see codec.go: "ZNUM", version,
// kind, width, flags, count, elements) as a JSON array.
func displayNumeric(w io.Writer, b []byte) error {
	if len(b) < 16 || string(b[:4]) != "ZNUM" || b[4] != 1 {
		return errors.New("artifact is not in the numeric layout")
	}
	kind, width, flags := b[5], int(b[6]), b[7]
	n := binary.LittleEndian.Uint64(b[8:16])
	body := b[16:]
	if width == 0 || uint64(len(body)) != n*uint64(width) {
		return fmt.Errorf("numeric artifact holds %d bytes for %d elements of width %d", len(body), n, width)
	}
	if flags&1 != 0 {
		_, err := io.WriteString(w, "null\n")
		return err
	}
	var out bytes.Buffer
	out.WriteByte('[')
	for i := range int(n) {
		if i > 0 {
			out.WriteString(", ")
		}
		e := body[i*width : (i+1)*width]
		var u uint64
		switch width {
		case 1:
			u = uint64(e[0])
		case 2:
			u = uint64(binary.LittleEndian.Uint16(e))
		case 4:
			u = uint64(binary.LittleEndian.Uint32(e))
		case 8:
			u = binary.LittleEndian.Uint64(e)
		default:
			return fmt.Errorf("numeric artifact has element width %d", width)
		}
		switch kind {
		case 'i':
			shift := 64 - 8*uint(width)
			out.WriteString(strconv.FormatInt(int64(u<<shift)>>shift, 10))
		case 'u':
			out.WriteString(strconv.FormatUint(u, 10))
		case 'f':
			f := math.Float64frombits(u)
			bits := 64
			if width == 4 {
				f, bits = float64(math.Float32frombits(uint32(u))), 32
			}
			if math.IsNaN(f) || math.IsInf(f, 0) {
				out.WriteString(strconv.Quote(strconv.FormatFloat(f, 'g', -1, bits)))
			} else {
				out.WriteString(strconv.FormatFloat(f, 'g', -1, bits))
			}
		default:
			return fmt.Errorf("numeric artifact has element kind %q", kind)
		}
	}
	out.WriteString("]\n")
	_, err := w.Write(out.Bytes())
	return err
}

// callShow runs a Show hook, turning a panic in a user's decoder into an
// error: cat then falls back to the hex dump instead of a stack trace.
func callShow(show func(codec string, r io.Reader) (any, error), codec string, b []byte) (v any, err error) {
	defer func() {
		if p := recover(); p != nil {
			v, err = nil, fmt.Errorf("decoding panicked: %v", p)
		}
	}()
	return show(codec, bytes.NewReader(b))
}
