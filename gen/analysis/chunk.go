package analysis

import (
	"go/scanner"
	"go/token"
	"sort"
	"strings"

	"github.com/zengen-dev/zengen/parser"
)

// itemKind says where a top-level item of a cell goes in generated code.
type itemKind int

const (
	// itemDecl goes to package level: import, type, const, func, method
	// and, in GoNB, var.
	itemDecl itemKind = iota
	// itemStmt runs in order: in the REPL every other top-level item, in
	// GoNB the body of main.
	itemStmt
)

// item is one top-level declaration or statement of a cell, with its exact
// source text and where that text starts in the cell.
type item struct {
	cell *parser.Cell
	kind itemKind
	// keyword is the leading keyword of a declaration: "import", "type",
	// "const", "var" or "func" ("" for statements).
	keyword string
	// keys are the package-level names a declaration binds, for "last
	// declaration wins": "f", "T", "x", or "T.m" for a method. A later
	// declaration of any of them replaces the whole item, as GoNB drops
	// `var a, _, c = f()` when c is declared again. Grouped declarations
	// (`var ( … )`) have none and always stay.
	keys []string
	// method marks a method declaration.
	method bool
	// name is the function name of a func declaration ("" otherwise).
	name      string
	text      string
	off       int // byte offset of text in cell.Code
	line, col int // cell-relative position of the first byte of text
	// docLine is the first line of the doc comment attached to a
	// declaration (equal to line when the text starts with it), 0 if none.
	docLine int
	// tokenLine is the line of the item's first token, after its doc.
	tokenLine int
	// defines are the names a top-level statement declares, from its own
	// parse; a statement that redeclares a visible name opens a new block
	// in the check file.
	defines []string
	// fromMain marks GoNB statements taken from a `func main` declaration.
	fromMain bool
	// lead is the cell's text from the first comment after the previous
	// item up to a statement's first token, and leadOff where it starts;
	// trail is the text after the item up to its last comment on the same
	// line (or, for a cell's last item, to the end of the cell's
	// comments). Neither is code: they keep the cell's comments in the
	// generated step without touching the text that is checked and hashed.
	lead    string
	leadOff int
	trail   string

	// Filled by type checking and later stages.
	synStart int // offset of text in the synthetic check file
	synLen   int // length of the item's text there, synText()
	// synEdits are REPL version renames (versions.go), in the check file
	// and in generated code, sorted by start.
	synEdits []edit
	node     any // ast.Decl or ast.Stmt parsed from the synthetic file
	step     *stepBuild
	edits    []edit
}

// lineIndex maps byte offsets of a cell's code to 1-based lines and columns.
type lineIndex []int

func newLineIndex(code string) lineIndex {
	starts := lineIndex{0}
	for i := 0; i < len(code); i++ {
		if code[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

func (li lineIndex) position(off int) (line, col int) {
	i := sort.Search(len(li), func(i int) bool { return li[i] > off }) - 1
	return i + 1, off - li[i] + 1
}

// lineStart returns the offset of the first byte of a 1-based line.
func (li lineIndex) lineStart(line int) int {
	if line-1 < len(li) {
		return li[line-1]
	}
	return li[len(li)-1]
}

// scannedToken is one token of an item, kept for classification.
type scannedToken struct {
	tok token.Token
	lit string
	off int
}

// chunker splits the code of cells into top-level items.
type chunker struct {
	nb   *parser.Notebook
	errs *parser.ErrorList
}

// split cuts cell.Code[lo:hi] into items: at bracket depth 0 every
// semicolon, including those the scanner inserts at line ends, ends one.
// stmtsOnly marks every item as a statement (a GoNB body of main).
func (c *chunker) split(cell *parser.Cell, li lineIndex, lo, hi int, stmtsOnly bool) []*item {
	src := []byte(cell.Code[lo:hi])
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	errCount, lastErrLine, hashSeen := 0, 0, false
	s.Init(file, src, func(p token.Position, msg string) {
		errCount++
		line, col := li.position(lo + p.Offset)
		hash := strings.HasSuffix(msg, "'#'")
		if line == lastErrLine || hash && hashSeen {
			// "#@title" is one mistake, not one per character, and a
			// cell of #-comments is one mistake, not one per line.
			return
		}
		lastErrLine, hashSeen = line, hashSeen || hash
		e := c.errs.Add(c.nb.Pos(cell, line, col), "syntax error: %s", msg)
		if hash {
			e.Hint = "Go comments start with //; a cell written for another kernel (a Colab setup cell, say) can be tagged skip"
		}
	}, scanner.ScanComments)

	var (
		items      []*item
		toks       []scannedToken
		depth      int
		inHeader   bool
		headerOff  int // where the if, for or switch of the open header starts
		lastEnd    int
		groupStart = -1 // first comment of the group before the next item
		groupEnd   = -1 // line of the last comment of that group
		leadStart  = -1 // first comment since the previous item
		prev       *item
		prevEnd    int // offset in src after prev's text
		prevLine   int // line where prev's text ends
		trailEnd   int // end of the comments after the current item's last token
	)
	flush := func() {
		if len(toks) == 0 {
			return
		}
		if toks[0].tok == token.PACKAGE {
			// GoNB accepts (and ignores) a package clause in a cell.
			toks = toks[:0]
			groupStart, groupEnd, leadStart = -1, -1, -1
			return
		}
		it := c.classify(cell, toks, stmtsOnly)
		start := toks[0].off
		it.tokenLine, _ = li.position(lo + start)
		if it.kind == itemDecl && groupStart >= 0 && groupEnd == it.tokenLine-1 {
			start = groupStart
			it.docLine, _ = li.position(lo + start)
		}
		it.off = lo + start
		it.text = string(src[start:lastEnd])
		it.line, it.col = li.position(it.off)
		if it.kind == itemStmt && leadStart >= 0 {
			it.leadOff = lo + leadStart
			it.lead = withoutDirectives(string(src[leadStart:toks[0].off]))
		}
		if trailEnd > lastEnd {
			it.trail = string(src[lastEnd:trailEnd])
		}
		prev = nil
		if it.keyword == "func" && it.name == "main" && cell.MainLine == 0 && c.nb.Dialect == parser.DialectGoNB && !stmtsOnly {
			items = append(items, c.mainBody(cell, li, lo, toks)...)
		} else {
			items = append(items, it)
			prev, prevEnd = it, lastEnd
			prevLine, _ = li.position(lo + max(lastEnd-1, 0))
		}
		toks = toks[:0]
		groupStart, groupEnd, leadStart, trailEnd = -1, -1, -1, 0
	}
	for {
		pos, tok, lit := s.Scan()
		off := file.Offset(pos)
		if tok == token.EOF {
			flush()
			if prev != nil && leadStart >= 0 {
				// Comments closing the code: kept after its last item.
				prev.trail = withoutDirectives(string(src[prevEnd:]))
			}
			break
		}
		if tok == token.COMMENT {
			if len(toks) == 0 {
				line, _ := li.position(lo + off)
				if prev != nil && line == prevLine {
					prev.trail = string(src[prevEnd : off+len(lit)])
					continue
				}
				if leadStart < 0 {
					leadStart = off
				}
				if groupStart < 0 || line > groupEnd+1 {
					groupStart = off
				}
				groupEnd, _ = li.position(lo + off + len(lit) - 1)
			} else {
				// The scanner gives a comment at the end of a line
				// before the semicolon it inserts there.
				trailEnd = off + len(lit)
			}
			continue
		}
		if tok == token.SEMICOLON && depth == 0 && !inHeader {
			flush()
			continue
		}
		switch tok {
		case token.FOR, token.IF, token.SWITCH:
			// Their headers hold semicolons of their own:
			// for i := 0; i < n; i++ { … }. Those of statements nested in
			// brackets (a function literal's body) are inside the brackets.
			if depth == 0 {
				inHeader, headerOff = true, off
			}
		case token.LPAREN, token.LBRACK, token.LBRACE:
			if tok == token.LBRACE && depth == 0 && inHeader {
				inHeader = !opensBody(string(src[headerOff:off]))
			}
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			if depth > 0 {
				depth--
			}
		}
		toks = append(toks, scannedToken{tok, lit, off})
		if tok == token.SEMICOLON {
			// A semicolon the scanner inserts at the end of the input has no
			// byte of its own: taking one would read past the cell's code
			// into whatever the backing array holds.
			lastEnd = min(off+1, len(src))
		} else if lit != "" {
			lastEnd = off + len(lit)
		} else {
			lastEnd = off + len(tok.String())
		}
	}
	if errCount > 0 {
		return nil
	}
	return items
}

// withoutDirectives blanks the //zen: lines of comment text, keeping its
// line count: they are markers for zengen, which the generated code
// already spells out, not comments on the code.
func withoutDirectives(text string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimLeft(l, " \t"), "//zen:") {
			lines[i] = ""
		}
	}
	return strings.Join(lines, "\n")
}

// classify decides whether an item is a declaration and what it declares.
func (c *chunker) classify(cell *parser.Cell, toks []scannedToken, stmtsOnly bool) *item {
	it := &item{cell: cell, kind: itemStmt}
	if stmtsOnly {
		return it
	}
	at := func(i int) scannedToken {
		if i < len(toks) {
			return toks[i]
		}
		return scannedToken{tok: token.EOF}
	}
	switch at(0).tok {
	case token.IMPORT:
		it.kind, it.keyword = itemDecl, "import"
	case token.TYPE, token.CONST:
		it.kind, it.keyword = itemDecl, at(0).tok.String()
		it.keys = specNames(toks[1:])
	case token.VAR:
		if c.nb.Dialect == parser.DialectGoNB {
			it.kind, it.keyword = itemDecl, "var"
			it.keys = specNames(toks[1:])
		}
	case token.FUNC:
		if at(1).tok == token.IDENT {
			it.kind, it.keyword, it.name = itemDecl, "func", at(1).lit
			it.keys = []string{at(1).lit}
			break
		}
		if at(1).tok != token.LPAREN {
			break
		}
		// A method has a name and "(" right after its receiver; a function
		// literal has its result type or body there.
		depth, recvType := 0, ""
		for i := 1; i < len(toks); i++ {
			switch toks[i].tok {
			case token.LPAREN, token.LBRACK:
				depth++
			case token.RPAREN, token.RBRACK:
				depth--
			case token.IDENT:
				if depth == 1 {
					recvType = toks[i].lit
				}
			}
			if depth == 0 {
				if at(i+1).tok == token.IDENT && at(i+2).tok == token.LPAREN {
					it.kind, it.keyword, it.name = itemDecl, "func", at(i+1).lit
					it.keys, it.method = []string{recvType + "." + at(i+1).lit}, true
				}
				break
			}
		}
	}
	return it
}

// specNames returns the names of an ungrouped spec, `a, _, c` in
// `var a, _, c = f()`, without the blank identifier; nil for a group.
func specNames(toks []scannedToken) []string {
	var names []string
	for i := 0; i < len(toks) && toks[i].tok == token.IDENT; i += 2 {
		if toks[i].lit != "_" {
			names = append(names, toks[i].lit)
		}
		if i+1 >= len(toks) || toks[i+1].tok != token.COMMA {
			break
		}
	}
	return names
}

// mainBody returns the statements of a GoNB `func main() { … }` declared in
// a cell without %%: GoNB runs that body like a %% cell.
func (c *chunker) mainBody(cell *parser.Cell, li lineIndex, lo int, toks []scannedToken) []*item {
	open := -1
	for i, t := range toks {
		if t.tok == token.LBRACE {
			open = i
			break
		}
	}
	last := toks[len(toks)-1]
	if open < 0 || last.tok != token.RBRACE {
		return nil
	}
	body := c.split(cell, li, lo+toks[open].off+1, lo+last.off, true)
	for _, it := range body {
		it.fromMain = true
	}
	return body
}

// cellItems returns the items of one code cell, honouring GoNB's %% split.
func (c *chunker) cellItems(cell *parser.Cell) []*item {
	li := newLineIndex(cell.Code)
	if c.nb.Dialect == parser.DialectGoNB && cell.MainLine > 0 {
		mainStart := li.lineStart(cell.MainLine)
		bodyStart := li.lineStart(cell.MainLine + 1)
		if cell.MainLine >= len(li) {
			bodyStart = len(cell.Code)
		}
		decls := c.split(cell, li, 0, mainStart, false)
		for _, it := range decls {
			if it.kind == itemStmt {
				c.errs.Add(c.nb.Pos(cell, it.line, it.col), "statement before %%%% in a GoNB cell").Hint =
					"GoNB runs only declarations before the %% line; move the statement below it"
			}
		}
		return append(decls, c.split(cell, li, bodyStart, len(cell.Code), true)...)
	}
	items := c.split(cell, li, 0, len(cell.Code), false)
	items = append(items, c.execCall(cell, li)...)
	if c.nb.Dialect == parser.DialectGoNB {
		for _, it := range items {
			if it.kind == itemStmt && !it.fromMain {
				c.errs.Add(c.nb.Pos(cell, it.line, it.col), "statement outside the body of main in a GoNB cell").Hint =
					"start the statements with a %% line, as GoNB requires"
				break
			}
		}
	}
	return items
}
