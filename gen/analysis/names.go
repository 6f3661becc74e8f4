package analysis

import (
	"go/token"
	"path/filepath"
	"strings"
	"unicode"
)

// slug turns free text (a heading, a percent title, a file name) into a step
// or pipeline name [a-z][a-z0-9_]*: runs of other characters become one
// underscore, and a leading digit gets an "s_" prefix so the result stays a
// valid name. It returns "" when nothing usable remains.
func slug(text string) string {
	var b strings.Builder
	pendingUnderscore := false
	for _, r := range strings.ToLower(text) {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if pendingUnderscore && b.Len() > 0 {
				b.WriteByte('_')
			}
			pendingUnderscore = false
			b.WriteRune(r)
			continue
		}
		pendingUnderscore = true
	}
	s := b.String()
	if s != "" && s[0] >= '0' && s[0] <= '9' {
		s = "s_" + s
	}
	return s
}

// maxDerivedName is the longest step name made from a heading or a cell
// title: a name is typed on command lines (`--only NAME`, `cat RUN
// NAME.x`) and makes a file and function name, and a heading is often a
// sentence.
const maxDerivedName = 32

// derivedName makes a step name from a heading or a cell title: its slug,
// cut after the last whole word that fits in maxDerivedName bytes (a
// long word that would leave less than half of that is cut at the limit).
func derivedName(text string) string {
	s := slug(text)
	if len(s) <= maxDerivedName {
		return s
	}
	cut := s[:maxDerivedName]
	if s[maxDerivedName] != '_' {
		if i := strings.LastIndexByte(cut, '_'); i >= maxDerivedName/2 {
			cut = cut[:i]
		}
	}
	return strings.TrimRight(cut, "_")
}

// fileSlug names a pipeline after its notebook file: "Churn Model.ipynb" and
// "churn.zen.go" become "churn_model" and "churn".
func fileSlug(path string) string {
	base := filepath.Base(path)
	if i := strings.IndexByte(base, '.'); i > 0 {
		base = base[:i]
	}
	return slug(base)
}

// camel turns a step or parameter name into its exported Go form:
// "load_data" → "LoadData", "learningRate" → "LearningRate".
func camel(name string) string {
	var b strings.Builder
	upper := true
	for _, r := range name {
		if r == '_' || r == '-' {
			upper = true
			continue
		}
		if upper {
			r = unicode.ToUpper(r)
			upper = false
		}
		b.WriteRune(r)
	}
	s := b.String()
	if s == "" || !unicode.IsLetter([]rune(s)[0]) {
		s = "X" + s
	}
	return s
}

// snake turns a Go identifier into a step name: "LoadData" → "load_data",
// "fitHTTPModel" → "fit_http_model".
func snake(ident string) string {
	rs := []rune(ident)
	var b strings.Builder
	for i, r := range rs {
		if unicode.IsUpper(r) {
			prevLower := i > 0 && (unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1]))
			nextLower := i > 0 && i+1 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsUpper(rs[i-1])
			if prevLower || nextLower {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		b.WriteRune(r)
	}
	return slug(b.String())
}

// kebab turns a parameter name into its flag: "learningRate" and
// "learning_rate" → "learning-rate".
func kebab(name string) string {
	return strings.ReplaceAll(snake(name), "_", "-")
}

// validStepName reports whether name has the form [a-z][a-z0-9_]*.
func validStepName(name string) bool {
	if name == "" || name[0] < 'a' || name[0] > 'z' {
		return false
	}
	for i := 1; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// badPackageName says why name cannot be the package of generated code
// that cmd/NAME imports, or returns "".
func badPackageName(name string) string {
	switch {
	case token.IsKeyword(name):
		return "a Go keyword"
	case !token.IsIdentifier(name) || name == "_":
		return "not a Go identifier"
	case name == "main":
		return "package main is a program, which the command cannot import"
	case name == "init":
		return "init can only name a function"
	}
	return ""
}
