package parser

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Format is the container a notebook was read from.
type Format string

const (
	FormatIPYNB Format = "ipynb"
	// FormatPercent is a jupytext script, in the percent or the light
	// format: its positions are file lines.
	FormatPercent Format = "percent"
)

// Dialect is how the kernel treats top-level code.
type Dialect string

const (
	// DialectGoNB: only declarations persist between cells; a %% line opens
	// the body of main.
	DialectGoNB Dialect = "gonb"
	// DialectREPL (gophernotes, lgo, gomacro, plain scratch files):
	// top-level statements run in order and their variables persist.
	DialectREPL Dialect = "repl"
)

// CellKind is the nbformat cell type.
type CellKind string

const (
	Code     CellKind = "code"
	Markdown CellKind = "markdown"
	Raw      CellKind = "raw"
)

// Notebook is one parsed input file.
type Notebook struct {
	Path    string // as given on the command line; used in every position
	Format  Format
	Dialect Dialect
	Kernel  string // kernelspec name, or "" for scripts without one
	Cells   []*Cell
}

// Cell is one notebook cell (or one percent-format cell of a script).
type Cell struct {
	Number int    // 1-based, as Jupyter shows it (index in the cells list + 1)
	ID     string // nbformat 4.5 cell id; before 4.5 and in scripts, the 0-based index in the cells list
	Kind   CellKind
	Title  string // percent-format title after "// %%"
	Tags   []string
	// Source is the cell text with "\n" line endings. For percent scripts it
	// is already un-commented (markdown "// " removed, commented magics
	// un-escaped). Line 1 of Source is FirstLine of the file.
	Source string
	// FirstLine is the file line of Source's first line for scripts, and 1
	// for notebooks (positions inside notebooks are cell-relative).
	FirstLine int
	// Code is Source with every magic and shell line replaced by an empty
	// line, so that line numbers are preserved. Directives stay: they are Go
	// comments. For a GoNB cell with a %% line, Code before MainLine holds
	// declarations and Code after it the body of main.
	Code string
	// MainLine is the cell-relative line (1-based) of the %%/%main line that
	// opens the body of main in GoNB, 0 if none.
	MainLine   int
	Magics     []Magic
	Directives []Directive
	// WriteFile is set for a %%writefile cell: the file name and content.
	WriteFile *ShippedFile
	Outputs   []Output
	Executed  bool // execution_count was set (the cell ran)
}

// Output is one recorded output of a code cell, reduced to text.
type Output struct {
	Type string // "stream", "execute_result", "display_data", "error"
	Name string // "stdout"/"stderr" for streams, ename for errors
	// Text is the stream text or the text/plain data ("" when an output has
	// none), with "\n" line endings; for "error" outputs it is evalue and
	// Name is ename.
	Text string
}

// MagicKind classifies magic and shell lines.
type MagicKind string

const (
	MagicMain      MagicKind = "main"      // %% / %main (GoNB), args may carry flags
	MagicArgs      MagicKind = "args"      // %args FLAGS… (GoNB): the cell's program arguments
	MagicExec      MagicKind = "exec"      // %exec FUNC FLAGS… (GoNB): main calls FUNC; Args[0] is FUNC
	MagicTest      MagicKind = "test"      // %test [FLAGS…] (GoNB): the cell runs under go test
	MagicEnv       MagicKind = "env"       // %env KEY VALUE
	MagicGoFlags   MagicKind = "goflags"   // %goflags ...
	MagicGoGet     MagicKind = "goget"     // !go get M@V, !*go get M@V
	MagicWriteFile MagicKind = "writefile" // %%writefile NAME
	MagicShell     MagicKind = "shell"     // any other ! line
	MagicOther     MagicKind = "other"     // any other % line or cell magic
)

// Magic is one magic or shell line.
type Magic struct {
	Pos  Pos
	Kind MagicKind
	Name string // the magic word without % or !, e.g. "env", "goflags", "go"
	// Args are the arguments: whitespace-split, and for main, args, exec
	// and test split as GoNB splits them ("…" quotes a part, \" and \n
	// inside); for goget, the module@version list.
	Args []string
	// Text is the line as written (after un-escaping in scripts); for a
	// line continued with a trailing backslash, all its lines joined by "\n".
	Text string
}

// ShippedFile is a file written by a %%writefile cell.
type ShippedFile struct {
	Pos     Pos
	Name    string
	Content string
}

// Directive is one //zen: marker, from a comment line or a cell tag.
type Directive struct {
	Pos  Pos
	Name string // step, params, skip, after, output, metric, pipeline, nocheck, codec
	Args []string
	// Options holds key=value step options (cache, retries, timeout,
	// cache_version), validated by the parser.
	Options map[string]string
	// FromTag reports that the directive came from a cell tag, not a comment.
	FromTag bool
	// Line is the cell-relative line (1-based) of the comment; 0 for tags.
	Line int
}

// Pos is a position in a notebook or script.
type Pos struct {
	File string
	Cell int // Jupyter cell number from 1; 0 for scripts (Line is a file line)
	Line int // cell-relative line for notebooks, file line for scripts; 0 unknown
	Col  int // 1-based byte column; 0 unknown
}

// String formats the position as errors print it:
// "nb.ipynb:cell 4:3:7" for notebooks and "scratch.go:12:7" for scripts.
func (p Pos) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Cell > 0 {
		fmt.Fprintf(&b, ":cell %d", p.Cell)
	}
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
		if p.Col > 0 {
			fmt.Fprintf(&b, ":%d", p.Col)
		}
	}
	return b.String()
}

// Less orders positions by file, cell, line, column.
func (p Pos) Less(q Pos) bool {
	if p.File != q.File {
		return p.File < q.File
	}
	if p.Cell != q.Cell {
		return p.Cell < q.Cell
	}
	if p.Line != q.Line {
		return p.Line < q.Line
	}
	return p.Col < q.Col
}

// Pos returns the position of a cell-relative line and column inside c:
// "cell N:LINE:COL" for notebooks, a file line for scripts.
func (nb *Notebook) Pos(c *Cell, line, col int) Pos {
	if nb.Format == FormatPercent {
		return Pos{File: nb.Path, Line: c.FirstLine + line - 1, Col: col}
	}
	return Pos{File: nb.Path, Cell: c.Number, Line: line, Col: col}
}

// Error is one problem in user input.
type Error struct {
	Pos  Pos
	Msg  string
	Hint string // optional, printed on the next line indented
}

func (e *Error) Error() string {
	if e.Hint == "" {
		return e.Pos.String() + ": " + printable(e.Msg)
	}
	return e.Pos.String() + ": " + printable(e.Msg) + "\n\thint: " + printable(e.Hint)
}

// printable escapes what messages may quote from a notebook but a terminal
// must not receive raw: control characters other than line breaks and
// tabs (NUL, escape sequences, a carriage return that overwrites the
// line), a byte order mark and invalid UTF-8, written as Go escapes.
func printable(s string) string {
	clean := utf8.ValidString(s) && strings.IndexFunc(s, unprintableInMessage) < 0
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unprintableInMessage(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func unprintableInMessage(r rune) bool {
	return r != '\n' && r != '\t' && unicode.IsControl(r) || r == '\uFEFF' || r == '\u2028' || r == '\u2029'
}

// ErrorList collects every problem found; it is itself an error.
type ErrorList []*Error

// Add appends an error at pos.
func (l *ErrorList) Add(pos Pos, format string, args ...any) *Error {
	e := &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
	*l = append(*l, e)
	return e
}

// Sort orders the list by position, then message, and drops exact duplicates.
func (l *ErrorList) Sort() {
	s := *l
	sort.SliceStable(s, func(i, j int) bool {
		if s[i].Pos != s[j].Pos {
			return s[i].Pos.Less(s[j].Pos)
		}
		return s[i].Msg < s[j].Msg
	})
	out := s[:0]
	for i, e := range s {
		if i > 0 && e.Pos == s[i-1].Pos && e.Msg == s[i-1].Msg {
			continue
		}
		out = append(out, e)
	}
	*l = out
}

func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Err returns nil for an empty list and the sorted list otherwise.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	l.Sort()
	return l
}
