package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/zengen-dev/zengen/runtime/internal/layout"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
	"github.com/zengen-dev/zengen/runtime/internal/valuetext"
)

var catCommand = &command{
	name:     "cat",
	args:     "RUN STEP.VAR | RUN STEP",
	nargs:    2,
	summary:  "Print an artifact, decoded: JSON indented, raw as text, numeric slices as a JSON array, other codecs as their values; a display as its bytes. STEP alone names a step's only artifact.",
	examples: []example{{cmd: "cat latest {artifact}"}, {cmd: "cat latest {artifact} --output FILE"}},
	flags: func(fs *pflag.FlagSet, c *cli, st *cmdState) error {
		fs.StringVarP(&st.output, "output", "o", "", "write to FILE instead of stdout; a display is written as exactly the bytes its call got")
		fs.BoolVar(&st.raw, "raw", false, "write the artifact's bytes as stored, decoding nothing")
		return nil
	},
	run: func(ctx context.Context, c *cli, st *cmdState, args []string) error {
		stepName, varName, named := strings.Cut(args[1], ".")
		s, sr, err := c.openStepRun(ctx, args[0], stepName)
		if err != nil {
			return err
		}
		defer s.Close()
		if !named {
			if len(sr.Outputs) != 1 {
				var names []string
				for _, o := range sr.Outputs {
					names = append(names, stepName+"."+o.Name)
				}
				if len(names) == 0 {
					return fmt.Errorf("step %s of run %s stored no artifact", stepName, sr.RunID)
				}
				return usagef("step %s of run %s stored %d artifacts: name one (%s)", stepName, sr.RunID, len(names), strings.Join(names, ", "))
			}
			varName = sr.Outputs[0].Name
		}
		for _, o := range sr.Outputs {
			if o.Name != varName {
				continue
			}
			// The whole artifact is checked against its digest before any
			// of it is shown, then shown as it streams: a second read is the
			// price of never printing part of a corrupt artifact while
			// holding only a buffer of it in memory. The second read checks
			// the digest again, for a disk that fails in between.
			if err := s.Artifacts.Verify(ctx, o); err != nil {
				return err
			}
			r, err := s.Artifacts.Open(ctx, o)
			if err != nil {
				return err
			}
			defer r.Close()
			if st.raw && st.output == "" {
				_, err := io.Copy(c.stdout, r)
				return err
			}
			var show func(codec string, r io.Reader) (any, error)
			if !st.raw {
				if show, err = c.showerOf(sr, o); err != nil {
					return err
				}
			}
			if st.output != "" {
				return writeArtifactFile(st.output, o.Codec, st.raw, r, show)
			}
			if o.Codec == layout.Display {
				return printDisplay(c.stdout, stepName+"."+varName, r)
			}
			return DisplayArtifact(c.stdout, o.Codec, r, show)
		}
		var names []string
		for _, o := range sr.Outputs {
			names = append(names, o.Name)
		}
		return fmt.Errorf("step %s of run %s has no artifact %q (it has: %s)", stepName, sr.RunID, varName, dash(strings.Join(names, ", ")))
	},
}

// showerOf returns the Show hook of this binary's pipeline that may
// decode output o of step run sr: nil when the step or the output no
// longer exists or has none (the artifact is then shown as hex), and an
// error when the output's Go type has changed since sr stored it, for the
// value a changed type decodes is not the one the code computed. When the
// record cannot tell (it predates type hashes; or a hand-built pipeline
// declares none) it says so on stderr.
func (c *cli) showerOf(sr meta.StepRun, o meta.Artifact) (func(codec string, r io.Reader) (any, error), error) {
	out, ok := c.outputOf(sr.Step, o.Name)
	if !ok || out.Show == nil {
		return nil, nil
	}
	show, verdict := out.TypeCheck(o.Codec, o.TypeHash)
	switch verdict {
	case pipeline.TypeChanged:
		return nil, fmt.Errorf("artifact %s.%s of run %s was stored by a Go type %s that has changed since that run: this binary would decode its bytes with today's type and print a value the code did not compute; "+
			"write its stored bytes with %s cat %s %s.%s --raw --output FILE, or cat it with the binary built from that run's code",
			sr.Step, o.Name, sr.RunID, o.Type, c.prog, sr.RunID, sr.Step, o.Name)
	case pipeline.TypeUnknown:
		fmt.Fprintf(c.stderr, "note: whether the Go type %s that stored %s.%s of run %s has changed since could not be checked (the record predates type hashes); decoded with this binary's type\n",
			o.Type, sr.Step, o.Name, sr.RunID)
	}
	return show, nil
}

// outputOf returns this binary's declaration of output name of step, and
// false when the step or the output no longer exists.
func (c *cli) outputOf(step, name string) (pipeline.Output, bool) {
	for _, s := range c.p.Steps {
		if s.Name != step {
			continue
		}
		for _, o := range s.Outputs {
			if o.Name == name {
				return o, true
			}
		}
	}
	return pipeline.Output{}, false
}

// DisplayArtifact renders an artifact for people, reading it from r to
// EOF. The codecs whose layout needs no Go type are shown by the runtime as
// they stream, in bounded memory; the others (binary, user codecs) are
// decoded by show, the output's hook, and printed as values, which needs
// the whole value in memory. Without a hook, or when it fails, they are
// shown as a hex dump.
func DisplayArtifact(w io.Writer, codec string, r io.Reader, show func(codec string, r io.Reader) (any, error)) error {
	switch codec {
	case layout.JSON:
		return indentJSON(w, r)
	case layout.Raw, layout.Error:
		return copyText(w, r)
	case layout.Numeric:
		return displayNumeric(w, r)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	why := "the codec has no text form and this binary cannot decode it"
	if show != nil {
		v, err := callShow(show, codec, b)
		if err == nil {
			text, err := valuetext.Text(v)
			if err != nil {
				return err
			}
			_, err = io.WriteString(w, text+"\n")
			return err
		}
		why = err.Error()
	}
	fmt.Fprintf(w, "%d bytes, codec %s (shown as hex: %s)\n", len(b), codec, why)
	_, err = io.WriteString(w, hex.Dump(b))
	return err
}

// copyText copies r to w and ends the text with a newline if it lacks one.
func copyText(w io.Writer, r io.Reader) error {
	buf := make([]byte, 64<<10)
	last := byte('\n') // an empty text needs no newline
	for {
		n, err := r.Read(buf)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				return werr
			}
			last = buf[n-1]
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	if last != '\n' {
		_, err := io.WriteString(w, "\n")
		return err
	}
	return nil
}

// displayNumeric prints the numeric layout (package layout and codec.go:
// magic, version, kind, width, flags, count, elements) as a JSON array, an
// element at a time.
func displayNumeric(w io.Writer, r io.Reader) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var head [layout.NumericHeaderSize]byte
	if _, err := io.ReadFull(br, head[:]); err != nil || string(head[:4]) != layout.NumericMagic || head[4] != layout.NumericVersion {
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			return err
		}
		return errors.New("artifact is not in the numeric layout")
	}
	kind, width, flags := head[5], int(head[6]), head[7]
	n := binary.LittleEndian.Uint64(head[8:16])
	switch width {
	case 1, 2, 4, 8:
	default:
		return fmt.Errorf("numeric artifact has element width %d", width)
	}
	if kind != 'i' && kind != 'u' && kind != 'f' {
		return fmt.Errorf("numeric artifact has element kind %q", kind)
	}
	if flags&layout.NumericFlagNil != 0 {
		if _, err := br.ReadByte(); err != io.EOF {
			return errors.New("numeric artifact holds elements after a nil slice")
		}
		_, err := io.WriteString(w, "null\n")
		return err
	}
	out := bufio.NewWriterSize(w, 64<<10)
	out.WriteByte('[')
	e := make([]byte, width)
	var num []byte
	for i := uint64(0); i < n; i++ {
		if _, err := io.ReadFull(br, e); err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return fmt.Errorf("numeric artifact ends after %d of its %d elements", i, n)
			}
			return err
		}
		if i > 0 {
			out.WriteString(", ")
		}
		out.Write(formatNumericElement(num[:0], kind, e))
	}
	if _, err := br.ReadByte(); err != io.EOF {
		if err != nil {
			return err
		}
		return fmt.Errorf("numeric artifact holds more than its %d elements", n)
	}
	out.WriteString("]\n")
	return out.Flush()
}

// formatNumericElement appends one element of the numeric layout as JSON;
// NaN and the infinities, which JSON lacks, as strings.
func formatNumericElement(dst []byte, kind byte, e []byte) []byte {
	var u uint64
	switch len(e) {
	case 1:
		u = uint64(e[0])
	case 2:
		u = uint64(binary.LittleEndian.Uint16(e))
	case 4:
		u = uint64(binary.LittleEndian.Uint32(e))
	case 8:
		u = binary.LittleEndian.Uint64(e)
	}
	switch kind {
	case 'i':
		shift := 64 - 8*uint(len(e))
		return strconv.AppendInt(dst, int64(u<<shift)>>shift, 10)
	case 'u':
		return strconv.AppendUint(dst, u, 10)
	}
	f, bits := math.Float64frombits(u), 64
	if len(e) == 4 {
		f, bits = float64(math.Float32frombits(uint32(u))), 32
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return strconv.AppendQuote(dst, strconv.FormatFloat(f, 'g', -1, bits))
	}
	return strconv.AppendFloat(dst, f, 'g', -1, bits)
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
