package preview

import (
	"bufio"
	"io"
	"mime"
	"strings"

	"github.com/zengen-dev/zengen/runtime/internal/layout"
)

// Display is a display artifact: what a step's display call handed over,
// with its media type.
type Display struct {
	MediaType string // as recorded, parameters included
	Size      int64  // of the call's bytes
	// Embed says how the page shows it: "img" for images, SVG included
	// (an image runs no script), "frame" for HTML (in a sandboxed iframe,
	// since it may hold script), "text" for text shown in Preview.Text, ""
	// for a download link only.
	Embed string
}

// Media types the page embeds. Any other display is offered as a download.
var (
	imageTypes = map[string]bool{"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true, "image/svg+xml": true}
	frameTypes = map[string]bool{"text/html": true}
	textTypes  = map[string]bool{"text/plain": true, "text/markdown": true, "application/json": true, "text/csv": true}
)

// BaseMediaType is mediaType without its parameters, lower-cased; "" when
// it does not parse.
func BaseMediaType(mediaType string) string {
	base, _, err := mime.ParseMediaType(mediaType)
	if err != nil {
		return ""
	}
	return strings.ToLower(base)
}

// ServedMediaType is the Content-Type under which the dashboard serves a
// display's bytes: its own for the types the page embeds, with a charset
// for text, and application/octet-stream for any other, so that a
// recorded media type can never make a browser treat bytes as something
// the page did not choose.
func ServedMediaType(mediaType string) string {
	base := BaseMediaType(mediaType)
	switch {
	case imageTypes[base]:
		return base
	case frameTypes[base], textTypes[base]:
		return base + "; charset=utf-8"
	}
	return "application/octet-stream"
}

func previewDisplay(open func() (io.ReadCloser, error)) (*Preview, error) {
	r, err := open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	br := bufio.NewReader(r)
	mt, err := layout.ReadDisplayHeader(br)
	if err != nil {
		return nil, err
	}
	base := BaseMediaType(mt)
	d := &Display{MediaType: mt}
	p := &Preview{Kind: KindDisplay, Display: d}
	switch {
	case imageTypes[base]:
		d.Embed = "img"
	case frameTypes[base]:
		d.Embed = "frame"
	case textTypes[base]:
		d.Embed = "text"
		head, total, err := readHead(br, MaxText+1)
		if err != nil {
			return nil, err
		}
		d.Size = total
		p.Text, p.Truncated = cutText(head, total > int64(len(head)))
		return p, nil
	}
	d.Size, err = io.Copy(io.Discard, br)
	return p, err
}
