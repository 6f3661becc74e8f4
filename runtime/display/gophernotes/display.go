// Package display is zengen's version of the display package that
// gophernotes puts in every notebook: HTML, Markdown, SVG, PNG, JPEG and
// Image make a Data, which gophernotes showed when a cell ended with it
// or when passed to Display. Generated code imports this package in place
// of gophernotes' and Display (from package kernel beside it) stores a
// display of the running step (see runtime/display).
package display

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"sort"

	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// The media types of gophernotes' constructors.
const (
	MIMETypeHTML     = "text/html"
	MIMETypeJPEG     = "image/jpeg"
	MIMETypeMarkdown = "text/markdown"
	MIMETypePNG      = "image/png"
	MIMETypeSVG      = "image/svg+xml"
	MIMETypeText     = "text/plain"
)

// MIMEMap holds a Data's content by media type.
type MIMEMap = map[string]any

// Data is what gophernotes displays: content by media type, with its
// text/plain form.
type Data struct {
	Data      MIMEMap
	Metadata  MIMEMap
	Transient MIMEMap

	err error // Image could not encode its image
}

// MakeData is content of mimeType with its text/plain form, fmt.Sprint of
// it, as gophernotes makes them.
func MakeData(mimeType string, data any) Data {
	d := Data{Data: MIMEMap{mimeType: data}}
	if mimeType != MIMETypeText {
		d.Data[MIMETypeText] = fmt.Sprint(data)
	}
	return d
}

// HTML is html as text/html.
func HTML(html string) Data { return MakeData(MIMETypeHTML, html) }

// Markdown is markdown as text/markdown.
func Markdown(markdown string) Data { return MakeData(MIMETypeMarkdown, markdown) }

// SVG is svg as image/svg+xml.
func SVG(svg string) Data { return MakeData(MIMETypeSVG, svg) }

// PNG is the bytes of a PNG image as image/png.
func PNG(png []byte) Data { return MakeData(MIMETypePNG, png) }

// JPEG is the bytes of a JPEG image as image/jpeg.
func JPEG(jpeg []byte) Data { return MakeData(MIMETypeJPEG, jpeg) }

// Image is img encoded as PNG by image/png, as gophernotes does.
func Image(img image.Image) Data {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return Data{err: err}
	}
	b := buf.Bytes()
	r := img.Bounds()
	return Data{Data: MIMEMap{MIMETypePNG: b}, Metadata: MIMEMap{MIMETypePNG: MIMEMap{"width": r.Dx(), "height": r.Dy()}}}
}

// Show stores d as a display of the running step: its one content other
// than text/plain, or its text/plain when that is all. It panics when d
// cannot be stored as one display, so that the step fails rather than
// losing it; Display (package kernel) calls it.
func Show(d Data) {
	if d.err != nil {
		panic(fmt.Sprintf("display: cannot encode the image: %v", d.err))
	}
	var types []string
	for t := range d.Data {
		if t != MIMETypeText {
			types = append(types, t)
		}
	}
	sort.Strings(types)
	switch {
	case len(types) > 1:
		panic(fmt.Sprintf("display: zengen stores one media type per display, and this Data holds %d: %v", len(types), types))
	case len(types) == 0 && d.Data[MIMETypeText] == nil:
		panic("display: the Data holds nothing to display")
	case len(types) == 0:
		types = []string{MIMETypeText}
	}
	var b []byte
	switch v := d.Data[types[0]].(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		panic(fmt.Sprintf("display: %s content of type %T: zengen stores strings and []byte", types[0], v))
	}
	if err := pipeline.Display(types[0], b); err != nil {
		panic(fmt.Sprintf("display: %v", err))
	}
}
