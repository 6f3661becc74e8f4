package parser

import "strings"

// bareTags are the cell tags that map to a directive without an argument.
// "parameters" is papermill's, "nbval-skip" and "raises-exception" are
// nbval's and Jupyter Book's ways of saying the output is not comparable.
var bareTags = map[string]string{
	"parameters":       "params",
	"skip":             "skip",
	"nbval-skip":       "nocheck",
	"raises-exception": "nocheck",
}

// argTags are the "KEY:ARG" cell tags and the directive each stands for.
var argTags = map[string]string{
	"step":  "step",
	"after": "after",
	"prev":  "after",
}

// argTagKeys is argTags' keys in a fixed order, for suggestions.
var argTagKeys = []string{"step", "after", "prev", "zen"}

// parseTags turns the cell's tags into directives. Tags that are not
// zengen's are ignored (notebooks carry many: hide-input, remove-cell…),
// but a tag that looks like one of ours and is malformed is an error, so
// that a typo never silently drops a step.
func parseTags(nb *Notebook, c *Cell, errs *ErrorList) {
	pos := nb.Pos(c, 0, 0)
	for _, tag := range c.Tags {
		d, ours := tagDirective(pos, tag, errs)
		if !ours || d == nil {
			continue
		}
		if c.Kind != Code {
			errs.Add(pos, "tag %q on a %s cell has no effect", tag, c.Kind).Hint = "put it on a code cell"
			continue
		}
		c.Directives = append(c.Directives, *d)
	}
}

// tagDirective parses one tag. ours reports whether the tag is zengen's
// (or malformed like one); d is nil when it was reported as an error.
func tagDirective(pos Pos, tag string, errs *ErrorList) (d *Directive, ours bool) {
	if name, ok := bareTags[tag]; ok {
		return &Directive{Pos: pos, Name: name, FromTag: true}, true
	}
	key, arg, hasArg := strings.Cut(tag, ":")
	if !hasArg {
		return nil, false
	}
	if key == "zen" {
		return zenTag(pos, tag, arg, errs), true
	}
	name, known := argTags[key]
	if !known {
		if near := closest(key, argTagKeys); near != "" {
			errs.Add(pos, "unknown tag %q", tag).Hint = "did you mean \"" + near + ":" + arg + "\"?"
			return nil, true
		}
		return nil, false
	}
	if !checkStepName(pos, arg, errs) {
		return nil, true
	}
	return &Directive{Pos: pos, Name: name, Args: []string{arg}, FromTag: true}, true
}

// zenTag parses "zen:NAME" and "zen:NAME:ARG", the tag spelling of every
// argument-free directive plus step and after.
func zenTag(pos Pos, tag, rest string, errs *ErrorList) *Directive {
	name, arg, hasArg := strings.Cut(rest, ":")
	switch name {
	case "params", "skip", "nocheck":
		if hasArg {
			errs.Add(pos, "tag %q: zen:%s takes no argument", tag, name)
			return nil
		}
		return &Directive{Pos: pos, Name: name, FromTag: true}
	case "step", "after":
		if !checkStepName(pos, arg, errs) {
			return nil
		}
		return &Directive{Pos: pos, Name: name, Args: []string{arg}, FromTag: true}
	}
	e := errs.Add(pos, "unknown tag %q", tag)
	e.Hint = "zen: tags are zen:step:NAME, zen:after:NAME, zen:params, zen:skip, zen:nocheck"
	switch near := closest(name, []string{"step", "after", "params", "skip", "nocheck"}); {
	case name == "output" || name == "metric" || name == "pipeline":
		e.Hint = directivePrefix + name + " has no tag form: write it as a comment in the cell"
	case near != "":
		e.Hint = "did you mean \"zen:" + near + "\"? " + e.Hint
	}
	return nil
}
