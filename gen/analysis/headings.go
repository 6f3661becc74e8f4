package analysis

// Markdown around the code: headings that split steps in headings mode and
// name them, and the prose that becomes a step's documentation.

import (
	"slices"
	"strings"

	mdast "github.com/gomarkdown/markdown/ast"
	mdparser "github.com/gomarkdown/markdown/parser"

	"github.com/zengen-dev/zengen/parser"
)

// hasHeadings reports whether any markdown cell has a heading of level ≤ 2.
func (a *analysis) hasHeadings() bool {
	for _, c := range a.nb.Cells {
		if c.Kind == parser.Markdown && markdownHeading(c.Source) != "" {
			return true
		}
	}
	return false
}

// markdownHeading returns the step name made from the first heading of
// level 1 or 2 in a markdown cell (its text without markup, see
// derivedName), "" if it has none.
func markdownHeading(src string) string {
	if !strings.Contains(src, "#") && !strings.Contains(src, "==") && !strings.Contains(src, "--") {
		return ""
	}
	p := mdparser.NewWithExtensions(mdparser.CommonExtensions)
	doc := p.Parse([]byte(src))
	found := ""
	mdast.WalkFunc(doc, func(n mdast.Node, entering bool) mdast.WalkStatus {
		h, ok := n.(*mdast.Heading)
		if !ok || !entering || h.Level > 2 {
			return mdast.GoToNext
		}
		var text strings.Builder
		mdast.WalkFunc(h, func(n mdast.Node, entering bool) mdast.WalkStatus {
			if _, tag := n.(*mdast.HTMLSpan); tag {
				// `<span style="color:green">Fixed</span>`: the tags are
				// markup, the text between them is the heading.
				text.WriteByte(' ')
				return mdast.GoToNext
			}
			if leaf := n.AsLeaf(); leaf != nil && entering {
				text.Write(leaf.Literal)
				text.WriteByte(' ')
			}
			return mdast.GoToNext
		})
		found = derivedName(text.String())
		return mdast.Terminate
	})
	return found
}

// docBefore returns the markdown cells directly before c, as written.
func (a *analysis) docBefore(c *parser.Cell) string {
	idx := c.Number - 1 // Number is the index in the cells list + 1
	if idx < 0 || idx >= len(a.nb.Cells) || a.nb.Cells[idx] != c {
		idx = slices.Index(a.nb.Cells, c)
	}
	start := idx
	for start > 0 && a.nb.Cells[start-1].Kind == parser.Markdown {
		start--
	}
	parts := make([]string, 0, idx-start)
	for _, md := range a.nb.Cells[start:max(idx, start)] {
		parts = append(parts, strings.TrimSpace(md.Source))
	}
	return strings.Join(parts, "\n\n")
}

// openingDoc is the pipeline's documentation: the markdown cells before the
// notebook's first code cell (its title and introduction), as written; raw
// cells are left out. When that code cell starts a step, the markdown cells
// directly before it are already the step's documentation (docBefore) and
// stay out, so that no text is shown twice.
func (a *analysis) openingDoc() string {
	var parts []string
	taken := 0 // how many of parts are directly before the next cell
	for _, c := range a.nb.Cells {
		switch c.Kind {
		case parser.Markdown:
			parts = append(parts, strings.TrimSpace(c.Source))
			taken++
		case parser.Code:
			if sb := a.cellStep[c]; sb != nil && len(sb.cells) > 0 && sb.cells[0] == c {
				parts = parts[:len(parts)-taken]
			}
			parts = slices.DeleteFunc(parts, func(md string) bool { return md == "" })
			return strings.Join(parts, "\n\n")
		default:
			taken = 0
		}
	}
	// A notebook without code has no pipeline to document.
	return ""
}
