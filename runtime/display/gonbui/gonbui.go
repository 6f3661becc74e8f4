// Package gonbui is zengen's version of GoNB's
// github.com/janpfeifer/gonb/gonbui, with the same names and signatures
// for its display functions: generated code imports it in place of GoNB's,
// and each call stores a display of the running step (see
// runtime/display). GoNB's other functions (UpdateHTML, RequestInput,
// widgets…) act on a live notebook and are not here.
package gonbui

import (
	"bytes"
	"fmt"
	"image"
	"image/png"

	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// show stores a display, failing the step when it cannot.
func show(mediaType string, b []byte) {
	if err := pipeline.Display(mediaType, b); err != nil {
		panic(fmt.Sprintf("gonbui: %v", err))
	}
}

// DisplayHTML displays html as text/html.
func DisplayHTML(html string) { show("text/html", []byte(html)) }

// DisplayHtml is DisplayHTML, by its older name.
func DisplayHtml(html string) { DisplayHTML(html) }

// DisplayHTMLF displays fmt.Sprintf(htmlFormat, args...) as text/html.
func DisplayHTMLF(htmlFormat string, args ...any) { DisplayHTML(fmt.Sprintf(htmlFormat, args...)) }

// DisplayHtmlf is DisplayHTMLF, by its older name.
func DisplayHtmlf(htmlFormat string, args ...any) { DisplayHTMLF(htmlFormat, args...) }

// DisplayMarkdown displays markdown as text/markdown.
func DisplayMarkdown(markdown string) { show("text/markdown", []byte(markdown)) }

// DisplayPng displays the bytes of a PNG image as image/png.
func DisplayPng(png []byte) { show("image/png", png) }

// DisplayPNG is DisplayPng.
func DisplayPNG(png []byte) { DisplayPng(png) }

// DisplaySvg displays svg as image/svg+xml. (GoNB sends it wrapped in a
// <div> as HTML, a workaround for Jupyter's HTML export; zengen stores the
// SVG the call got.)
func DisplaySvg(svg string) { show("image/svg+xml", []byte(svg)) }

// DisplaySVG is DisplaySvg.
func DisplaySVG(svg string) { DisplaySvg(svg) }

// DisplayImage displays img encoded as PNG by image/png, as GoNB does; it
// returns the encoder's error.
func DisplayImage(img image.Image) error {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	DisplayPng(buf.Bytes())
	return nil
}
