package parser

import (
	"go/token"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// directiveNames are the //zen: directives, in the order the docs list them.
var directiveNames = []string{"step", "params", "skip", "after", "output", "metric", "pipeline", "nocheck", "codec"}

// stepOptions are the key=value options of //zen:step.
var stepOptions = []string{"cache", "retries", "timeout", "cache_version"}

const directivePrefix = "//zen:"

// directiveComment returns the text after "//zen:" when line is a
// directive comment, possibly indented (as in a func's doc comment).
func directiveComment(line string) (string, bool) {
	return strings.CutPrefix(strings.TrimLeft(line, " \t"), directivePrefix)
}

// field is a whitespace-separated word and its 1-based column.
type field struct {
	text string
	col  int
}

// fieldsAt splits s like strings.Fields, remembering where each word
// starts; col is the column of s[0].
func fieldsAt(s string, col int) []field {
	var out []field
	start := -1
	for i, r := range s + " " {
		if unicode.IsSpace(r) {
			if start >= 0 {
				out = append(out, field{s[start:i], col + start})
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	return out
}

// parseDirective parses the //zen: comment at cell-relative line and
// column col; text follows the prefix. following holds the cell's lines
// after the comment, to see whether it documents a func.
func parseDirective(nb *Notebook, c *Cell, line, col int, text string, following []string, errs *ErrorList) Directive {
	pos := nb.Pos(c, line, col)
	words := fieldsAt(text, col+len(directivePrefix))
	d := Directive{Pos: pos, Line: line}
	if len(words) > 0 {
		d.Name = words[0].text
		words = words[1:]
	}
	args := make([]string, 0, len(words))
	for _, w := range words {
		args = append(args, w.text)
	}
	if len(args) > 0 {
		d.Args = args
	}
	at := func(w field) Pos { return nb.Pos(c, line, w.col) }

	switch d.Name {
	case "step":
		d.Args = nil
		for _, w := range words {
			key, value, isOption := strings.Cut(w.text, "=")
			if !isOption {
				if d.Args != nil {
					errs.Add(at(w), "//zen:step takes one step name, found another: %q", w.text).Hint =
						"write options as key=value: " + strings.Join(stepOptions, ", ")
					continue
				}
				checkStepName(at(w), w.text, errs)
				d.Args = []string{w.text}
				continue
			}
			if d.Options == nil {
				d.Options = map[string]string{}
			}
			if _, dup := d.Options[key]; dup {
				errs.Add(at(w), "step option %q given twice", key)
				continue
			}
			if checkStepOption(at(w), key, value, errs) {
				d.Options[key] = value
			}
		}
		if d.Args == nil && !documentsFunc(following) {
			errs.Add(pos, "//zen:step needs a step name").Hint =
				"write //zen:step NAME, or put //zen:step in the doc comment of a func to make that func a step"
		}
	case "params", "skip", "nocheck", "codec":
		if len(words) > 0 {
			errs.Add(at(words[0]), "//zen:%s takes no arguments", d.Name)
		}
	case "after":
		if len(words) == 0 {
			errs.Add(pos, "//zen:after needs the name of the step to run after")
		}
		for _, w := range words {
			checkStepName(at(w), w.text, errs)
		}
	case "output", "metric":
		if len(words) == 0 {
			errs.Add(pos, "//zen:%s needs the names of one or more variables", d.Name)
		}
		for _, w := range words {
			if !token.IsIdentifier(w.text) || w.text == "_" {
				errs.Add(at(w), "//zen:%s: %q is not a variable name", d.Name, w.text)
			}
		}
	case "pipeline":
		switch {
		case len(words) > 1:
			errs.Add(at(words[1]), "//zen:pipeline takes at most one name, found another: %q", words[1].text)
		case len(words) == 1 && !IsStepName(words[0].text):
			errs.Add(at(words[0]), "invalid pipeline name %q: pipeline names are [a-z][a-z0-9_]*", words[0].text).Hint =
				"for example //zen:pipeline " + suggestStepName(words[0].text)
		}
	default:
		e := errs.Add(pos, "unknown directive %s%s", directivePrefix, d.Name)
		e.Hint = "known directives: " + directivePrefix + strings.Join(directiveNames, ", "+directivePrefix)
		if near := closest(d.Name, directiveNames); near != "" {
			e.Hint = "did you mean " + directivePrefix + near + "? " + e.Hint
		}
	}
	return d
}

// documentsFunc reports whether the comment block that the directive is
// part of is the doc comment of a func: the first line after the block
// declares one.
func documentsFunc(following []string) bool {
	for _, l := range following {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "//") {
			continue
		}
		return strings.HasPrefix(t, "func ") || strings.HasPrefix(t, "func(")
	}
	return false
}

// checkStepName reports an invalid step name at pos.
func checkStepName(pos Pos, name string, errs *ErrorList) bool {
	if IsStepName(name) {
		return true
	}
	errs.Add(pos, "invalid step name %q: step names are [a-z][a-z0-9_]*", name).Hint =
		"for example " + strconv.Quote(suggestStepName(name))
	return false
}

// checkStepOption validates one key=value step option.
func checkStepOption(pos Pos, key, value string, errs *ErrorList) bool {
	switch key {
	case "cache":
		if value == "on" || value == "off" {
			return true
		}
		errs.Add(pos, "step option cache=%s: want cache=on or cache=off", value)
	case "retries":
		if n, err := strconv.Atoi(value); err == nil && n >= 0 {
			return true
		}
		errs.Add(pos, "step option retries=%s: want a whole number of retries, 0 or more", value)
	case "timeout":
		d, err := time.ParseDuration(value)
		if err == nil && d > 0 {
			return true
		}
		errs.Add(pos, "step option timeout=%s: want a positive Go duration", value).Hint = "for example timeout=90s or timeout=1h30m"
	case "cache_version":
		if value != "" {
			return true
		}
		errs.Add(pos, "step option cache_version needs a value")
	default:
		e := errs.Add(pos, "unknown step option %q", key)
		e.Hint = "known options: " + strings.Join(stepOptions, ", ")
		if near := closest(key, stepOptions); near != "" {
			e.Hint = "did you mean " + near + "? " + e.Hint
		}
	}
	return false
}

// suggestStepName turns an invalid name into a valid one the user probably
// meant: "Load-Data" and "LoadData" become "load_data".
func suggestStepName(s string) string {
	var b strings.Builder
	prevLower := false
	for _, r := range s {
		switch {
		case r >= 'A' && r <= 'Z':
			if prevLower {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
			prevLower = false
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			prevLower = true
		default:
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "_") {
				b.WriteByte('_')
			}
			prevLower = false
		}
	}
	name := strings.Trim(b.String(), "_")
	name = strings.TrimLeft(name, "0123456789_")
	if name == "" {
		return "step"
	}
	return name
}

// closest returns the candidate nearest to s when it is near enough to be
// a likely typo, "" otherwise.
func closest(s string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		limit := 2
		if len(c) <= 4 {
			limit = 1
		}
		if d := editDistance(s, c); d <= limit && d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the optimal string alignment distance: insertions,
// deletions, substitutions and transpositions of adjacent bytes each count
// one ("setp" is one edit from "step").
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 1 << 30
	}
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
