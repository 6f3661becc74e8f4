package gen

import (
	"regexp"
	"strings"
)

// ansiEscape matches terminal colour and cursor sequences, which kernels
// record in outputs but steps do not print when captured.
var ansiEscape = regexp.MustCompile(`\x1b\[[0-9;?]*[ -/]*[@-~]`)

// expectations records what each executed cell of a step printed, for the
// generated parity test.
func (a *analysis) expectations() {
	for _, sb := range a.allSteps() {
		for _, c := range sb.cells {
			if !c.Executed || sb.fn != nil {
				continue
			}
			var b strings.Builder
			for _, o := range c.Outputs {
				if o.Type == "stream" && o.Name == "stdout" || o.Type == "execute_result" || o.Type == "display_data" {
					b.WriteString(normaliseOutput(o.Text))
				}
			}
			sb.step.Expect = append(sb.step.Expect, &Expect{
				Cell: a.cellNumber(c),
				Pos:  a.nb.Pos(c, 1, 0),
				Text: b.String(),
				Skip: directive(c, "nocheck") != nil,
			})
		}
	}
}

// normaliseOutput strips ANSI escapes and trailing spaces and ends the text
// with a newline.
func normaliseOutput(text string) string {
	if text == "" {
		return ""
	}
	text = ansiEscape.ReplaceAllString(text, "")
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	return strings.Join(lines, "\n") + "\n"
}
