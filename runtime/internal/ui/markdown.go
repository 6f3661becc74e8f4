package ui

import (
	"html"
	"html/template"
	"io"
	"net/url"
	"sync"

	"github.com/gomarkdown/markdown"
	"github.com/gomarkdown/markdown/ast"
	mdhtml "github.com/gomarkdown/markdown/html"
	"github.com/gomarkdown/markdown/parser"
	"github.com/microcosm-cc/bluemonday"
)

// A notebook's markdown is rendered in two guarded steps. gomarkdown
// renders it with raw HTML skipped and only http(s), mailto and relative
// link targets (SkipHTML, Safelink); its own documentation says that does
// not make the output safe alone, so bluemonday then keeps only the
// elements markdown makes and an href that is http(s), mailto or
// relative. The result is the one place a page trusts HTML that
// html/template did not escape.
//
// Images become links to them: the Content-Security-Policy loads no image
// from elsewhere, and the notebook's own files are not served.

// markdownPolicy is the allowlist of what rendered markdown may hold.
var markdownPolicy = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "del", "s",
		"code", "pre", "blockquote", "ul", "ol", "li", "table", "thead", "tbody", "tfoot", "tr", "th", "td",
		"sup", "sub", "dl", "dt", "dd")
	p.AllowAttrs("href", "title").OnElements("a")
	p.AllowStandardURLs() // http, https, mailto and relative; rel="nofollow"
	p.AllowAttrs("class").Matching(bluemonday.SpaceSeparatedTokens).OnElements("code")
	p.AllowAttrs("align").Matching(bluemonday.Direction).OnElements("th", "td")
	p.AllowAttrs("start").Matching(bluemonday.Integer).OnElements("ol")
	return p
})

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
	out := markdown.ToHTML([]byte(src), ps, r)
	return template.HTML(markdownPolicy().SanitizeBytes(out))
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

// safeURL keeps an http(s) or relative URL and drops any other.
func safeURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https") {
		return "#"
	}
	return s
}
