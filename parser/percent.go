package parser

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// A percent-format cell marker, as jupytext reads it: "// %%" alone, or
// followed by whitespace and options. "// %%%" opens a sub-cell (Spyder's
// depth), which zengen treats as a cell. "// %%writefile" is not a marker:
// it is a commented cell magic.
var (
	cellMarker      = regexp.MustCompile(`^\s*//\s*%%(%*)\s(.*)$`)
	cellMarkerAlone = regexp.MustCompile(`^\s*//\s*%%%*\s*$`)
)

// commentedMagic is jupytext's test for a Go magic escaped zero or more
// times: "// %env", "//!*go get", "// // %%bash".
var commentedMagic = regexp.MustCompile(`^(// |//)*(!|!\*|%|%%|%%%)[a-zA-Z]`)

// escapedMain is how jupytext writes GoNB's "%%" (which is not a letter
// magic) in scripts: "//gonb:%%", possibly behind further comments.
var escapedMain = regexp.MustCompile(`^((//\s*)*)//\s*gonb:%%`)

// ReadScript parses a jupytext Go script in the format its header names:
// the light format (format_name: light, or nomarker, which jupytext reads
// the same way), or else the percent format, which a script without a
// header is read as. A header naming any other format is refused. A
// non-nil error is always an ErrorList; the notebook is returned only when
// there is no error.
func ReadScript(path string, data []byte) (*Notebook, error) {
	return readScript(path, data, "")
}

// ReadPercent parses a jupytext percent-format Go script, whatever its
// header says the format is.
func ReadPercent(path string, data []byte) (*Notebook, error) {
	return readScript(path, data, "percent")
}

// readScript reads a script in format, or in the format its header names
// when format is "".
//
// A first line "//go:build ignore" (any build constraint), and the blank
// line after it, belong to no cell: scratch files carry it so that
// `go build ./...` of the module they sit in skips them.
func readScript(path string, data []byte, format string) (*Notebook, error) {
	if err := CheckPath(path); err != nil {
		return nil, err
	}
	var errs ErrorList
	lines := splitLines(normalizeNewlines(string(withoutBOM(data))))
	nb := &Notebook{Path: path, Format: FormatPercent}

	i := 0
	if i < len(lines) && strings.HasPrefix(lines[i], "//go:build ") {
		i++
		if i < len(lines) && isBlank(lines[i]) {
			i++
		}
	}
	// jupytext writes an Emacs coding line first when the notebook had one.
	if i < len(lines) && strings.HasPrefix(lines[i], "// -*-") && strings.HasSuffix(strings.TrimSpace(lines[i]), "-*-") {
		i++
	}
	var header scriptHeader
	if end := headerEnd(lines, i); end > i {
		header = readHeader(path, lines, i, end, &errs)
		nb.Kernel = header.kernel.Name
		i = end + 1
		if i < len(lines) && isBlank(lines[i]) {
			i++
		}
	}
	dialect, decided, problem := dialectOf(header.kernel)
	if problem != "" {
		errs.Add(Pos{File: path}, "%s", problem)
		return nil, errs.Err()
	}
	if format == "" {
		switch header.format {
		case "", "percent", "hydrogen":
			format = "percent"
		case "light", "nomarker":
			format = "light"
		default:
			errs.Add(Pos{File: path, Line: header.formatLine}, "jupytext format %q is not one zengen reads", header.format).Hint =
				"zengen reads the percent and light formats: convert with jupytext --to go:percent"
			return nil, errs.Err()
		}
	}
	if format == "light" {
		readLightCells(nb, lines, i, &errs)
	} else {
		readPercentCells(nb, lines, i, &errs)
	}
	return finishNotebook(nb, dialect, decided, errs)
}

// readPercentCells splits lines[start:] into cells at "// %%" markers.
func readPercentCells(nb *Notebook, lines []string, start int, errs *ErrorList) {
	// Split into cells: [start, end) line ranges and the marker, if any.
	type span struct {
		marker     int // 0-based line of "// %%", -1 for code before the first marker
		start, end int
	}
	var spans []span
	cur := span{marker: -1, start: start}
	for j := start; j < len(lines); j++ {
		if cellMarker.MatchString(lines[j]) || cellMarkerAlone.MatchString(lines[j]) {
			cur.end = j
			spans = append(spans, cur)
			cur = span{marker: j, start: j + 1}
		}
	}
	cur.end = len(lines)
	spans = append(spans, cur)

	for _, s := range spans {
		body := lines[s.start:s.end]
		if s.marker < 0 && len(trimBlankEnd(body)) == 0 {
			continue
		}
		c := &Cell{Kind: Code, FirstLine: s.start + 1}
		if s.marker < 0 {
			// Code before the first marker starts at its first non-blank line.
			for len(body) > 0 && isBlank(body[0]) {
				body = body[1:]
				c.FirstLine++
			}
		} else if m := cellMarker.FindStringSubmatch(lines[s.marker]); m != nil {
			readMarkerOptions(nb, c, m[2], errs)
		}
		addScriptCell(nb, c, body, errs)
	}
}

// trimBlankEnd drops the blank lines at the end of body: before the next
// marker they separate cells and are not content.
func trimBlankEnd(body []string) []string {
	for len(body) > 0 && isBlank(body[len(body)-1]) {
		body = body[:len(body)-1]
	}
	return body
}

// addScriptCell numbers c, gives it body (without its trailing blank
// lines) as its source, reads its tags and code, and appends it to nb.
func addScriptCell(nb *Notebook, c *Cell, body []string, errs *ErrorList) {
	c.Number, c.ID = len(nb.Cells)+1, fallbackID(len(nb.Cells))
	c.Source = unescapeScriptCell(c.Kind, trimBlankEnd(body))
	parseTags(nb, c, errs)
	if c.Kind == Code {
		analyzeCode(nb, c, errs)
	}
	nb.Cells = append(nb.Cells, c)
}

// headerEnd returns the line of the "// ---" closing a YAML header that
// opens at lines[start], or start when there is none.
func headerEnd(lines []string, start int) int {
	isFence := func(l string) bool { return strings.TrimRight(l, " \t") == "// ---" }
	if start >= len(lines) || !isFence(lines[start]) {
		return start
	}
	for j := start + 1; j < len(lines); j++ {
		if isFence(lines[j]) {
			return j
		}
		if !strings.HasPrefix(lines[j], "//") {
			return start
		}
	}
	return start
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// scriptHeader is what a script's YAML header says.
type scriptHeader struct {
	kernel     kernelInfo
	format     string // jupytext.text_representation.format_name
	formatLine int    // the file line that names the format
}

// readHeader parses the commented YAML between lines[start] and lines[end]
// (the fences).
func readHeader(path string, lines []string, start, end int, errs *ErrorList) scriptHeader {
	var text strings.Builder
	for _, l := range lines[start+1 : end] {
		text.WriteString(uncommentLine(l))
		text.WriteByte('\n')
	}
	var header struct {
		Jupyter struct {
			Kernelspec struct {
				Name     string `yaml:"name"`
				Language string `yaml:"language"`
			} `yaml:"kernelspec"`
			Jupytext struct {
				TextRepresentation struct {
					FormatName string `yaml:"format_name"`
				} `yaml:"text_representation"`
			} `yaml:"jupytext"`
		} `yaml:"jupyter"`
	}
	if err := yaml.Unmarshal([]byte(text.String()), &header); err != nil {
		msg := err.Error()
		pos := Pos{File: path, Line: start + 1}
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			n, _ := strconv.Atoi(m[1])
			pos.Line = start + 1 + n
			msg = strings.TrimPrefix(msg, m[0])
		}
		msg = strings.TrimPrefix(msg, "yaml: ")
		errs.Add(pos, "header: %s", msg)
		return scriptHeader{}
	}
	h := scriptHeader{
		kernel: kernelInfo{Name: header.Jupyter.Kernelspec.Name, Language: header.Jupyter.Kernelspec.Language},
		format: strings.TrimSpace(header.Jupyter.Jupytext.TextRepresentation.FormatName),
	}
	for j := start + 1; j < end && h.format != ""; j++ {
		if strings.Contains(lines[j], "format_name:") {
			h.formatLine = j + 1
			break
		}
	}
	return h
}

// uncommentLine removes one "// " (or "//") from the start of l.
func uncommentLine(l string) string {
	if rest, ok := strings.CutPrefix(l, "// "); ok {
		return rest
	}
	return strings.TrimPrefix(l, "//")
}

// unescapeScriptCell turns the lines of a script cell back into the cell's
// source as jupytext does: escaped magics lose one level of comment,
// "//gonb:%%" becomes "%%", and markdown and raw cells are un-commented.
func unescapeScriptCell(kind CellKind, body []string) string {
	out := make([]string, len(body))
	var scan goScanner
	for i, l := range body {
		if kind != Code || !scan.inside() {
			if commentedMagic.MatchString(l) {
				l = uncommentLine(l)
			}
		}
		l = escapedMain.ReplaceAllString(l, "${1}%%")
		if kind != Code {
			l = uncommentLine(l)
		} else if _, magic := parseMagicLine(l); !magic || scan.inside() {
			scan.scan(l)
		}
		out[i] = l
	}
	if len(out) == 0 {
		return ""
	}
	return strings.Join(out, "\n") + "\n"
}

// readMarkerOptions applies the options of a cell marker, the
// "TITLE [markdown] key=value" after "// %%" or "// +", to c, and returns
// the metadata.
func readMarkerOptions(nb *Notebook, c *Cell, options string, errs *ErrorList) map[string]json.RawMessage {
	pos := nb.Pos(c, 0, 1)
	options = strings.TrimSpace(options)
	title, meta := splitMarkerOptions(options)
	metadata, err := parseMarkerMetadata(meta)
	if err != "" && !strings.Contains(meta, "tags") && !strings.Contains(meta, "title") {
		// Like jupytext, a title such as "f(x)=x^2" that merely contains
		// "=" is a title, not broken metadata.
		title, metadata, err = options, nil, ""
	}
	for _, kind := range []struct {
		mark string
		kind CellKind
	}{{"[markdown]", Markdown}, {"[md]", Markdown}, {"[raw]", Raw}} {
		if strings.Contains(title, kind.mark) {
			title = strings.TrimSpace(strings.Replace(title, kind.mark, "", 1))
			c.Kind = kind.kind
			break
		}
	}
	c.Title = title
	if err != "" {
		errs.Add(pos, "cell metadata: %s", err).Hint = `write options as key=JSON, e.g. tags=["step:load"] title="Load"`
		return nil
	}
	if raw, ok := metadata["title"]; ok && c.Title == "" {
		if json.Unmarshal(raw, &c.Title) != nil {
			errs.Add(pos, "cell metadata: title must be a JSON string")
		}
	}
	if raw, ok := metadata["tags"]; ok && !isNull(raw) {
		if json.Unmarshal(raw, &c.Tags) != nil {
			errs.Add(pos, "cell metadata: tags must be a JSON list of strings").Hint = `for example tags=["step:load"]`
			c.Tags = nil
		}
	}
	return metadata
}

// splitMarkerOptions splits the text after "%%" into the title and the
// metadata, as jupytext does: metadata starts at the key of the first
// key=value pair, or at a JSON object.
func splitMarkerOptions(text string) (title, meta string) {
	brace := strings.IndexByte(text, '{')
	eq := strings.IndexByte(text, '=')
	if brace >= 0 && (eq < 0 || brace < eq) {
		return strings.TrimSpace(text[:brace]), text[brace:]
	}
	if eq < 0 {
		return text, ""
	}
	words := strings.Split(text[:eq], " ")
	for len(words) > 0 && words[len(words)-1] == "" {
		words = words[:len(words)-1]
	}
	if len(words) > 0 {
		words = words[:len(words)-1] // the key of the first pair
	}
	title = strings.TrimSpace(strings.Join(words, " "))
	return title, strings.TrimSpace(text[len(strings.Join(words, " ")):])
}

var metadataKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.\-]*`)

// parseMarkerMetadata reads "key=JSON key2=JSON" (or one JSON object) into
// raw values. A key alone stands for null, as jupytext writes it.
func parseMarkerMetadata(meta string) (map[string]json.RawMessage, string) {
	out := map[string]json.RawMessage{}
	if meta == "" {
		return out, ""
	}
	if strings.HasPrefix(meta, "{") {
		if err := json.Unmarshal([]byte(meta), &out); err != nil {
			return nil, "not a JSON object: " + meta
		}
		return out, ""
	}
	rest := meta
	for {
		rest = strings.TrimLeft(rest, " \t")
		if rest == "" {
			return out, ""
		}
		key := metadataKey.FindString(rest)
		if key == "" {
			return nil, "cannot read " + strconv.Quote(rest)
		}
		rest = rest[len(key):]
		if !strings.HasPrefix(rest, "=") {
			out[key] = json.RawMessage("null")
			continue
		}
		rest = rest[1:]
		dec := json.NewDecoder(strings.NewReader(rest))
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil, "the value of " + key + " is not JSON: " + strconv.Quote(rest)
		}
		out[key] = bytes.Clone(value)
		rest = rest[dec.InputOffset():]
		if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
			return nil, "the value of " + key + " is not JSON: " + strconv.Quote(rest)
		}
	}
}
