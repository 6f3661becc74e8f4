package parser

import "strings"

// programMagics are GoNB's line magics that set the arguments the cell's
// program runs with (%% and %main aside, which also open main's body).
var programMagics = map[string]MagicKind{"args": MagicArgs, "exec": MagicExec, "test": MagicTest}

// programArgs splits the arguments of %%, %main, %args, %exec and %test as
// GoNB does (its specialcmd.splitCmd): at spaces and tabs outside double
// quotes; a quoted part may be empty, and inside quotes a backslash escapes
// the next byte (\n and \t stand for a newline and a tab).
func programArgs(rest string) []string {
	var parts []string
	var part strings.Builder
	started, quoted := false, false
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		switch {
		case !quoted && (c == ' ' || c == '\t' || c == '\n'):
			if started {
				parts = append(parts, part.String())
			}
			part.Reset()
			started = false
			continue
		case c == '"':
			quoted = !quoted
			started = true
			continue
		case c == '\\' && quoted:
			if i == len(rest)-1 {
				continue
			}
			i++
			switch c = rest[i]; c {
			case 'n':
				c = '\n'
			case 't':
				c = '\t'
			}
		}
		part.WriteByte(c)
		started = true
	}
	if started {
		parts = append(parts, part.String())
	}
	return parts
}
