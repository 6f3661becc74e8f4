package parser

import (
	"encoding/json"
	"regexp"
	"strings"
)

// The jupytext light format.
//
// A light script marks cells only where it has to. A paragraph made only
// of "//" comments is a markdown cell; other paragraphs are code cells,
// separated by blank lines; a cell that a blank line would split, or that
// has metadata, is written between "// + OPTIONS" and "// -". jupytext
// splits a code paragraph at a blank line followed by unindented code;
// zengen also requires the brackets to be closed, so that a blank line
// followed by "}" inside a hand-written function does not split it.

// lightStart is jupytext's start-of-cell marker: "// +" and the options.
var lightStart = regexp.MustCompile(`^//\s*\+(.*)$`)

// ReadLight parses a jupytext light-format Go script, whatever its header
// says the format is.
func ReadLight(path string, data []byte) (*Notebook, error) {
	return readScript(path, data, "light")
}

// readLightCells splits lines[start:] into cells as jupytext reads the
// light format. Blank lines between cells belong to no cell (jupytext
// reads a run of extra blank lines as an empty code cell, which holds
// nothing to run).
func readLightCells(nb *Notebook, lines []string, start int, errs *ErrorList) {
	for i := start; i < len(lines); {
		if isBlank(lines[i]) {
			i++
			continue
		}
		if m := lightStart.FindStringSubmatch(lines[i]); m != nil {
			i = readExplicitLightCell(nb, lines, i, m[1], errs)
			continue
		}
		c := &Cell{Kind: Code, FirstLine: i + 1}
		var end int
		if paragraphIsComment(lines[i:]) {
			c.Kind = Markdown
			end = i
			for end < len(lines) && !isBlank(lines[end]) {
				end++
			}
		} else {
			end = lightCodeEnd(lines, i)
		}
		addScriptCell(nb, c, lines[i:end], errs)
		i = end
	}
}

// readExplicitLightCell reads the cell whose "// +" marker is lines[at]
// (options are the text after "+") and returns the line after it: after
// its end marker "// -" (or "// " and the endofcell option), or the next
// start marker, or the end of the file.
func readExplicitLightCell(nb *Notebook, lines []string, at int, options string, errs *ErrorList) int {
	c := &Cell{Kind: Code, FirstLine: at + 2}
	metadata := readMarkerOptions(nb, c, options, errs)
	endMark := "-"
	if raw, ok := metadata["endofcell"]; ok && !isNull(raw) {
		if json.Unmarshal(raw, &endMark) != nil || strings.TrimSpace(endMark) == "" {
			errs.Add(nb.Pos(c, 0, 1), "cell metadata: endofcell must be a non-empty JSON string")
			endMark = "-"
		}
	}
	end := regexp.MustCompile(`^// ` + regexp.QuoteMeta(endMark) + `\s*$`)
	var scan goScanner
	for j := at + 1; j < len(lines); j++ {
		if !scan.inside() {
			if end.MatchString(lines[j]) {
				addScriptCell(nb, c, lines[at+1:j], errs)
				return j + 1
			}
			if lightStart.MatchString(lines[j]) {
				addScriptCell(nb, c, lines[at+1:j], errs)
				return j
			}
		}
		if c.Kind == Code {
			scan.scan(lines[j])
		}
	}
	addScriptCell(nb, c, lines[at+1:], errs)
	return len(lines)
}

// lightCodeEnd returns the line that ends the code cell starting at
// lines[start]: a start marker, or a blank line where the code is complete
// (outside raw strings, comments and brackets) and the next code is not
// indented.
func lightCodeEnd(lines []string, start int) int {
	var scan goScanner
	for j := start; j < len(lines); j++ {
		if j > start && !scan.inside() {
			if lightStart.MatchString(lines[j]) {
				return j
			}
			if isBlank(lines[j]) && scan.depth <= 0 && !nextCodeIsIndented(lines[j:]) {
				return j
			}
		}
		scan.scan(lines[j])
	}
	return len(lines)
}

// nextCodeIsIndented reports whether the first non-blank line of lines
// starts with white space: jupytext keeps it in the cell above.
func nextCodeIsIndented(lines []string) bool {
	for _, l := range lines {
		if !isBlank(l) {
			return l[0] == ' ' || l[0] == '\t'
		}
	}
	return false
}

// paragraphIsComment reports whether the paragraph starting at lines[0]
// (up to a blank line or the end) is all "//" comments, none of them a
// commented magic such as "// %env": jupytext reads it as a markdown cell.
func paragraphIsComment(lines []string) bool {
	for i, l := range lines {
		rest, ok := strings.CutPrefix(l, "//")
		if !ok {
			return i > 0 && isBlank(l)
		}
		if strings.HasPrefix(strings.TrimLeft(rest, " \t"), "//") {
			continue
		}
		if commentedMagic.MatchString(l) {
			return false
		}
	}
	return true
}
