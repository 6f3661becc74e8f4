package ui

import (
	"bytes"
	"html/template"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/gomarkdown/markdown"
	"github.com/gomarkdown/markdown/ast"
	mdhtml "github.com/gomarkdown/markdown/html"
	"github.com/gomarkdown/markdown/parser"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// A notebook's markdown is rendered in two guarded steps. gomarkdown
// renders it with raw HTML skipped and only http(s), mailto and relative
// link targets (SkipHTML, Safelink); its own documentation says that does
// not make the output safe alone, so an allowlist then re-reads the HTML
// (golang.org/x/net/html's tokenizer) and keeps only the elements
// markdown makes, with an href that is http(s), mailto or relative and a
// few inert attributes, re-escaping all text. The result is the one place
// a page trusts HTML that html/template did not escape.
//
// Images become links to them: the Content-Security-Policy loads no image
// from elsewhere, and the notebook's own files are not served.

// markdownTags are the elements rendered markdown may hold.
var markdownTags = map[atom.Atom]bool{
	atom.P: true, atom.Br: true, atom.Hr: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Em: true, atom.Strong: true, atom.Del: true, atom.S: true,
	atom.Code: true, atom.Pre: true, atom.Blockquote: true, atom.Ul: true, atom.Ol: true, atom.Li: true,
	atom.Table: true, atom.Thead: true, atom.Tbody: true, atom.Tfoot: true, atom.Tr: true, atom.Th: true,
	atom.Td: true, atom.Sup: true, atom.Sub: true, atom.Dl: true, atom.Dt: true, atom.Dd: true, atom.A: true,
}

// renderMarkdown renders notebook markdown as safe HTML.
func renderMarkdown(src string) template.HTML {
	if src == "" {
		return ""
	}
	ps := parser.NewWithExtensions(parser.CommonExtensions &^ parser.MathJax)
	r := mdhtml.NewRenderer(mdhtml.RendererOptions{
		Flags:          mdhtml.CommonFlags | mdhtml.SkipHTML | mdhtml.Safelink,
		RenderNodeHook: imageAsLink,
	})
	return template.HTML(sanitize(markdown.ToHTML([]byte(src), ps, r)))
}

// sanitize keeps what markdownTags allows of rendered HTML: no comment,
// no other element (its text stays, escaped), no attribute but those
// keptAttr allows.
func sanitize(in []byte) string {
	var b strings.Builder
	z := html.NewTokenizer(bytes.NewReader(in))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			b.WriteString(html.EscapeString(string(z.Text())))
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			if !markdownTags[tok.DataAtom] {
				continue
			}
			if tt == html.EndTagToken {
				b.WriteString("</" + tok.Data + ">")
				continue
			}
			b.WriteString("<" + tok.Data)
			for _, a := range tok.Attr {
				if a.Namespace == "" && keptAttr(tok.DataAtom, a.Key, a.Val) {
					b.WriteString(" " + a.Key + `="` + html.EscapeString(a.Val) + `"`)
				}
			}
			if tok.DataAtom == atom.A {
				b.WriteString(` rel="nofollow noreferrer"`)
			}
			b.WriteString(">")
		}
	}
}

// keptAttr reports whether an attribute of a markdown element is inert.
func keptAttr(tag atom.Atom, key, val string) bool {
	switch {
	case tag == atom.A && key == "href":
		return safeURL(val) == val
	case tag == atom.A && key == "title":
		return true
	case tag == atom.Code && key == "class":
		return strings.HasPrefix(val, "language-") && strings.Trim(val[len("language-"):],
			"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-_") == ""
	case (tag == atom.Th || tag == atom.Td) && key == "align":
		return val == "left" || val == "right" || val == "center"
	case tag == atom.Ol && key == "start":
		_, err := strconv.Atoi(val)
		return err == nil
	}
	return false
}

// imageAsLink renders ![alt](src) as a link to src reading "image: alt".
func imageAsLink(w io.Writer, node ast.Node, entering bool) (ast.WalkStatus, bool) {
	img, ok := node.(*ast.Image)
	if !ok {
		return ast.GoToNext, false
	}
	if entering {
		io.WriteString(w, `<a href="`+html.EscapeString(safeURL(string(img.Destination)))+`">image: `)
	} else {
		io.WriteString(w, `</a>`)
	}
	return ast.GoToNext, true
}

// safeURL keeps an http(s), mailto or relative URL and replaces any
// other with "#".
func safeURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "mailto") {
		return "#"
	}
	return s
}
