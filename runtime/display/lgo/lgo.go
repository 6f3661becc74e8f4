// Package lgo is zengen's version of the display API of lgo's _ctx:
// generated code imports it under the name _ctx, so that the notebook's
// _ctx.Display.HTML(s, nil) calls stay as written and store a display of
// the running step (see runtime/display). Only Display is here: _ctx as a
// context.Context is not.
package lgo

import (
	"fmt"
	"strconv"
	"sync/atomic"

	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// Display has the methods of lgo's core.DataDisplayer. Each stores a
// display of the running step. lgo's id, when not nil, names a display to
// update later: an empty one gets a fresh id, as in lgo, and every call
// stores a display of its own where it came (the kernel instead replaced
// the earlier output in place).
var Display Displayer

// Displayer stores displays of the running step.
type Displayer struct{}

var lastID atomic.Int64

func show(mediaType string, b []byte, id *string) {
	if id != nil && *id == "" {
		*id = "zengen-display-" + strconv.FormatInt(lastID.Add(1), 10)
	}
	if err := pipeline.Display(mediaType, b); err != nil {
		panic(fmt.Sprintf("_ctx.Display: %v", err))
	}
}

// JavaScript displays s as application/javascript.
func (Displayer) JavaScript(s string, id *string) { show("application/javascript", []byte(s), id) }

// HTML displays s as text/html.
func (Displayer) HTML(s string, id *string) { show("text/html", []byte(s), id) }

// Markdown displays s as text/markdown.
func (Displayer) Markdown(s string, id *string) { show("text/markdown", []byte(s), id) }

// Latex displays s as text/latex.
func (Displayer) Latex(s string, id *string) { show("text/latex", []byte(s), id) }

// SVG displays s as image/svg+xml.
func (Displayer) SVG(s string, id *string) { show("image/svg+xml", []byte(s), id) }

// PNG displays b as image/png.
func (Displayer) PNG(b []byte, id *string) { show("image/png", b, id) }

// JPEG displays b as image/jpeg.
func (Displayer) JPEG(b []byte, id *string) { show("image/jpeg", b, id) }

// GIF displays b as image/gif.
func (Displayer) GIF(b []byte, id *string) { show("image/gif", b, id) }

// PDF displays b as application/pdf.
func (Displayer) PDF(b []byte, id *string) { show("application/pdf", b, id) }

// Text displays s as text/plain.
func (Displayer) Text(s string, id *string) { show("text/plain", []byte(s), id) }
