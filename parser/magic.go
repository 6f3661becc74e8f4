package parser

import (
	"strings"
)

// cellMagicNames are the %%NAME magics whose cell body is not Go: the whole
// cell is their input. %%writefile is the one zengen understands; the others
// are recorded so that analysis (gen/analysis) can reject them inside steps.
var cellMagicNames = map[string]bool{"writefile": true, "script": true, "bash": true, "sh": true}

// analyzeCode fills in Code, Magics, MainLine, WriteFile and Directives of a
// code cell from its Source. Magic and shell lines are recognised only at
// column 0 (optionally behind "//gonb:", as GoNB accepts) and only outside
// raw strings and block comments, so Go text that happens to start with %
// or ! inside a backquoted string is left alone.
func analyzeCode(nb *Notebook, c *Cell, errs *ErrorList) {
	lines := splitLines(c.Source)
	code := make([]string, len(lines))
	copy(code, lines)
	blank := func(i int) { code[i] = "" }

	if len(lines) > 0 {
		if m, ok := parseMagicLine(lines[0]); ok && m.cellMagic && cellMagicNames[m.word] {
			analyzeCellMagic(nb, c, lines, m)
			c.Code = joinLike(make([]string, len(lines)), c.Source)
			return
		}
	}

	var scan goScanner
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if scan.inside() {
			scan.scan(line)
			continue
		}
		if m, ok := parseMagicLine(line); ok {
			first := i
			joined := strings.TrimPrefix(line, gonbPrefix)
			// A trailing backslash continues a magic or shell line, as in GoNB.
			for strings.HasSuffix(joined, `\`) && i+1 < len(lines) {
				blank(i)
				i++
				joined = strings.TrimRight(strings.TrimSuffix(joined, `\`), " \t") + " " +
					strings.TrimLeft(strings.TrimPrefix(lines[i], gonbPrefix), " \t")
			}
			blank(i)
			if i > first {
				m, _ = parseMagicLine(joined)
			}
			magic := m.magic(nb.Pos(c, first+1, 1), strings.Join(lines[first:i+1], "\n"), first == 0)
			if magic.Kind == MagicMain && c.MainLine == 0 {
				c.MainLine = first + 1
			}
			c.Magics = append(c.Magics, magic)
			continue
		}
		if d, ok := directiveComment(line); ok {
			col := strings.Index(line, "//") + 1
			c.Directives = append(c.Directives, parseDirective(nb, c, i+1, col, d, lines[i+1:], errs))
		}
		scan.scan(line)
	}
	c.Code = joinLike(code, c.Source)
}

// joinLike joins lines with "\n", ending with a newline exactly when src
// does, so that Code and Source have the same shape.
func joinLike(lines []string, src string) string {
	s := strings.Join(lines, "\n")
	if strings.HasSuffix(src, "\n") {
		s += "\n"
	}
	return s
}

// analyzeCellMagic handles a cell whose first line is a %%NAME cell magic.
func analyzeCellMagic(nb *Notebook, c *Cell, lines []string, m magicLine) {
	pos := nb.Pos(c, 1, 1)
	text := strings.TrimPrefix(lines[0], gonbPrefix)
	magic := m.magic(pos, text, true)
	c.Magics = append(c.Magics, magic)
	if magic.Kind != MagicWriteFile {
		return
	}
	body := strings.Join(lines[1:], "\n")
	if len(lines) > 1 && strings.HasSuffix(c.Source, "\n") {
		body += "\n"
	}
	c.WriteFile = &ShippedFile{Pos: pos, Name: writeFileName(magic.Args), Content: body}
}

// writeFileName is the file argument of %%writefile [-a] NAME.
func writeFileName(args []string) string {
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			return a
		}
	}
	return ""
}

const gonbPrefix = "//gonb:"

// magicLine is a recognised magic or shell line before classification.
type magicLine struct {
	shell     bool   // starts with ! or !*
	cellMagic bool   // starts with %%NAME
	word      string // the word after %, %% or !
	rest      string // what follows the word
	main      bool   // %% alone (or with flags) or %main
}

// parseMagicLine recognises a magic or shell line at column 0, also behind
// "//gonb:".
func parseMagicLine(line string) (magicLine, bool) {
	if rest, ok := strings.CutPrefix(line, gonbPrefix); ok {
		line = rest
	}
	var m magicLine
	switch {
	case strings.HasPrefix(line, "!"):
		m.shell = true
		line = strings.TrimPrefix(strings.TrimPrefix(line, "!"), "*")
	case strings.HasPrefix(line, "%%"):
		line = line[2:]
		if line == "" || line[0] == ' ' || line[0] == '\t' {
			m.main = true
			m.rest = strings.TrimSpace(line)
			return m, true
		}
		m.cellMagic = true
	case strings.HasPrefix(line, "%"):
		line = line[1:]
	default:
		return m, false
	}
	m.word = strings.TrimLeft(line, " \t")
	if i := strings.IndexAny(m.word, " \t"); i >= 0 {
		m.word, m.rest = m.word[:i], strings.TrimSpace(m.word[i+1:])
	}
	if !m.shell && !m.cellMagic && m.word == "main" {
		m.main = true
	}
	return m, true
}

// magic classifies the line. first reports whether it is the cell's first
// line: %%writefile and the other cell magics only count there.
func (m magicLine) magic(pos Pos, text string, first bool) Magic {
	args := strings.Fields(m.rest)
	if len(args) == 0 {
		args = nil
	}
	mg := Magic{Pos: pos, Name: m.word, Args: args, Text: text}
	switch {
	case m.main:
		mg.Kind, mg.Name, mg.Args = MagicMain, "main", programArgs(m.rest)
	case !m.shell && !m.cellMagic && programMagics[m.word] != "":
		mg.Kind, mg.Args = programMagics[m.word], programArgs(m.rest)
	case m.shell:
		mg.Kind = MagicShell
		if mods, ok := goGetModules(m.word, args); ok {
			mg.Kind, mg.Args = MagicGoGet, mods
		}
	case m.cellMagic:
		mg.Kind = MagicOther
		if m.word == "writefile" && first {
			mg.Kind = MagicWriteFile
		}
	case m.word == "env":
		mg.Kind, mg.Args = MagicEnv, envArgs(m.rest)
	case m.word == "goflags":
		mg.Kind = MagicGoFlags
	default:
		mg.Kind = MagicOther
	}
	return mg
}

// goGetModules returns the module arguments of a plain "go get" command
// line. Lines that chain other commands (&&, ;, |) are shell lines: zengen
// cannot honour the rest of them.
func goGetModules(word string, args []string) ([]string, bool) {
	if word != "go" || len(args) == 0 || args[0] != "get" {
		return nil, false
	}
	var mods []string
	for _, a := range args[1:] {
		if strings.ContainsAny(a, "&;|<>`$") {
			return nil, false
		}
		if !strings.HasPrefix(a, "-") {
			mods = append(mods, a)
		}
	}
	return mods, len(mods) > 0
}

// envArgs splits "%env KEY VALUE" or "%env KEY=VALUE" into [KEY, VALUE].
func envArgs(rest string) []string {
	key, value, _ := strings.Cut(rest, " ")
	if k, v, ok := strings.Cut(key, "="); ok && strings.TrimSpace(value) == "" {
		key, value = k, v
	}
	if key == "" {
		return nil
	}
	return []string{key, strings.TrimSpace(value)}
}

// goScanner tracks whether a line of Go begins inside a raw string or a
// block comment, the two constructs that span lines, and how deep inside
// brackets ({, (, [) it is.
type goScanner struct {
	inRaw, inBlock bool
	depth          int
}

func (s *goScanner) inside() bool { return s.inRaw || s.inBlock }

func (s *goScanner) scan(line string) {
	for i := 0; i < len(line); i++ {
		switch {
		case s.inRaw:
			j := strings.IndexByte(line[i:], '`')
			if j < 0 {
				return
			}
			i += j
			s.inRaw = false
		case s.inBlock:
			j := strings.Index(line[i:], "*/")
			if j < 0 {
				return
			}
			i += j + 1
			s.inBlock = false
		case line[i] == '`':
			s.inRaw = true
		case line[i] == '"' || line[i] == '\'':
			i = skipQuoted(line, i)
		case strings.HasPrefix(line[i:], "//"):
			return
		case strings.HasPrefix(line[i:], "/*"):
			s.inBlock = true
			i++
		case line[i] == '{' || line[i] == '(' || line[i] == '[':
			s.depth++
		case line[i] == '}' || line[i] == ')' || line[i] == ']':
			s.depth--
		}
	}
}

// skipQuoted returns the index of the quote closing the interpreted string
// or rune literal opened at line[open], or the last index if unterminated.
func skipQuoted(line string, open int) int {
	q := line[open]
	for i := open + 1; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++
		case q:
			return i
		}
	}
	return len(line) - 1
}
