package ir

import (
	"fmt"
	"unicode"
)

// Exported returns ident with its first letter upper-cased, the name a
// function step gets in the generated package.
func Exported(ident string) string {
	if ident == "" {
		return ident
	}
	rs := []rune(ident)
	rs[0] = unicode.ToUpper(rs[0])
	return string(rs)
}

// OutputNamed and InputNamed find a step's port by its notebook name, nil
// when it has none.
func OutputNamed(s *Step, name string) *Port {
	for _, p := range s.Outputs {
		if p.Name == name {
			return p
		}
	}
	return nil
}

func InputNamed(s *Step, name string) *Port {
	for _, p := range s.Inputs {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// LineDirective is `//line NB:cell N:L` for a notebook position and
// `//line script.go:L` for a script: the one spelling of the directive,
// used by the check source of analysis and by the generated files.
func LineDirective(pos Pos) string {
	line := pos.Line
	if line < 1 {
		line = 1
	}
	file := pos.File
	if pos.Cell > 0 {
		file = fmt.Sprintf("%s:cell %d", pos.File, pos.Cell)
	}
	return fmt.Sprintf("//line %s:%d", file, line)
}
