package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/zengen-dev/zengen/runtime/internal/layout"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// printDisplay prints a display artifact read from r: its bytes as they
// are when they are text (HTML, Markdown, SVG…), and otherwise refuses,
// since image bytes on a terminal are noise; --output writes them.
func printDisplay(w io.Writer, name string, r io.Reader) error {
	br := bufio.NewReaderSize(r, 64<<10)
	mediaType, err := layout.ReadDisplayHeader(br)
	if err != nil {
		return err
	}
	if !layout.IsTextMedia(mediaType) {
		// Read to the end, so that the digest is checked all the same.
		n, err := io.Copy(io.Discard, br)
		if err != nil {
			return err
		}
		return fmt.Errorf("%s is a display of %d bytes of %s, not text: write it to a file with cat --output FILE", name, n, mediaType)
	}
	return copyText(w, br)
}

// writeArtifactFile writes an artifact to path: with raw, its bytes as
// stored; else a display as exactly the bytes its call got, anything else
// as cat prints it. The file appears whole or not at all: the bytes go to
// a temporary file beside it, renamed over it once the artifact has read
// to its end, and so verified.
func writeArtifactFile(path, codec string, raw bool, r io.Reader, show func(codec string, r io.Reader) (any, error)) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	bw := bufio.NewWriterSize(f, 64<<10)
	switch {
	case raw:
		if _, err := io.Copy(bw, r); err != nil {
			return err
		}
	case codec == layout.Display:
		br := bufio.NewReaderSize(r, 64<<10)
		if _, err := layout.ReadDisplayHeader(br); err != nil {
			return err
		}
		if _, err := io.Copy(bw, br); err != nil {
			return err
		}
	default:
		if err := DisplayArtifact(bw, codec, r, show); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	// CreateTemp's 0600 is for files in transit; the result is an
	// ordinary file.
	if err := f.Chmod(0o644); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// displaysInOrder returns a step's outputs with its displays last, in the
// order displayed (display.2 before display.10), the others as they came.
func displaysInOrder(outs []meta.Artifact) []meta.Artifact {
	var plain, displays []meta.Artifact
	for _, o := range outs {
		if o.Codec == layout.Display {
			displays = append(displays, o)
		} else {
			plain = append(plain, o)
		}
	}
	number := func(a meta.Artifact) int {
		n, _ := strconv.Atoi(strings.TrimPrefix(a.Name, "display."))
		return n
	}
	sort.SliceStable(displays, func(i, j int) bool { return number(displays[i]) < number(displays[j]) })
	return append(plain, displays...)
}

// logWithDisplays is a step's log with a line for each display where it
// came: `[display STEP.display.N: MEDIA TYPE, SIZE bytes]`, on a line of its
// own even when the step had printed part of a line before it.
func logWithDisplays(sr meta.StepRun) string {
	if len(sr.Displays) == 0 {
		return sr.Log
	}
	byName := map[string]meta.Artifact{}
	for _, o := range sr.Outputs {
		byName[o.Name] = o
	}
	var b strings.Builder
	at := 0
	for _, d := range sr.Displays {
		if d.Log < at || d.Log > len(sr.Log) {
			continue // not a place in this log; shown at the end
		}
		b.WriteString(sr.Log[at:d.Log])
		at = d.Log
		writeDisplayLine(&b, sr.Step, d.Name, byName[d.Name])
	}
	b.WriteString(sr.Log[at:])
	return b.String()
}

func writeDisplayLine(b *strings.Builder, step, name string, a meta.Artifact) {
	if s := b.String(); s != "" && !strings.HasSuffix(s, "\n") {
		b.WriteString("\n")
	}
	size := a.Size - layout.DisplayHeaderSize(a.Type)
	fmt.Fprintf(b, "[display %s.%s: %s, %d bytes]\n", step, name, a.Type, size)
}
