package zentest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aymanbagabas/go-udiff"
)

// Expect is one notebook cell's recorded output, emitted by zengen into the
// parity test.
//
// Text is what the cell printed. An empty Text is a promise that the cell
// printed nothing: cells that never ran in the notebook recorded nothing
// either way, so the emitter leaves them out instead of passing an empty
// Text (or marks them Skip).
type Expect struct {
	Step string // the step the cell belongs to
	Cell string // where the cell is, for messages: "churn.ipynb:cell 4"
	Text string // the recorded output: stdout and text results
	Skip bool   // the cell's output is not compared (//zen:nocheck)
}

// Parity compares each step's printed output with the outputs its cells
// recorded. want is grouped by Step; steps with no entry are not checked.
//
// Both sides are normalised first: ANSI escape sequences removed, trailing
// spaces and tabs cut from every line, CRLF turned into LF and trailing
// blank lines dropped. A step's output must then equal its checked cells'
// texts concatenated in order. When any cell of the step is skipped — its
// output may be anything, or is not reproducible — each checked cell's text
// must instead appear as whole lines in the output, in order.
//
// Each failing step is reported separately, naming the first cell that
// differs, with the expected and actual text and a unified diff.
func Parity(t testing.TB, r *Result, want []Expect) {
	t.Helper()
	for _, group := range groupByStep(want) {
		got := r.Stdout(group.step)
		if msg := compareStep(group.step, group.cells, got); msg != "" {
			t.Errorf("%s", msg)
		}
	}
}

// stepExpect is the expectations of one step, in notebook order.
type stepExpect struct {
	step  string
	cells []Expect
}

// groupByStep keeps the order in which steps first appear in want.
func groupByStep(want []Expect) []stepExpect {
	var groups []stepExpect
	index := map[string]int{}
	for _, e := range want {
		i, ok := index[e.Step]
		if !ok {
			i = len(groups)
			index[e.Step] = i
			groups = append(groups, stepExpect{step: e.Step})
		}
		groups[i].cells = append(groups[i].cells, e)
	}
	return groups
}

// compareStep checks one step's output against its cells and returns the
// failure message, or "" when the output matches.
func compareStep(step string, cells []Expect, got string) string {
	var checked []Expect
	partial := false
	for _, c := range cells {
		if c.Skip {
			partial = true
			continue
		}
		checked = append(checked, c)
	}
	if len(checked) == 0 {
		return ""
	}
	actual := normalize(got)
	var whole strings.Builder
	for _, c := range checked {
		whole.WriteString(c.Text)
	}
	expected := normalize(whole.String())
	if partial {
		if bad, ok := missingCell(checked, actual); !ok {
			return failure(step, bad, "does not appear in order in the step's output (the step has unchecked cells, so only the checked cells' lines are looked for)", expected, actual)
		}
		return ""
	}
	if expected == actual {
		return ""
	}
	bad, how := firstDifferentCell(checked, actual)
	return failure(step, bad, how, expected, actual)
}

// missingCell finds each checked cell's lines, as a block of whole lines, in
// actual after the previous cell's block. It returns the first cell it
// cannot find.
func missingCell(checked []Expect, actual string) (Expect, bool) {
	have := lines(actual)
	at := 0
	for _, c := range checked {
		block := lines(normalize(c.Text))
		i := indexBlock(have[at:], block)
		if i < 0 {
			return c, false
		}
		at += i + len(block)
	}
	return Expect{}, true
}

// indexBlock returns where block starts in have as consecutive lines, or -1.
func indexBlock(have, block []string) int {
	for i := 0; i+len(block) <= len(have); i++ {
		match := true
		for j, l := range block {
			if have[i+j] != l {
				match = false
				break
			}
		}
		if match {
			return i
		}
	}
	return -1
}

// firstDifferentCell maps the first line where the concatenated texts and
// the actual output part to the cell that recorded it, and says how they
// part.
func firstDifferentCell(checked []Expect, actual string) (Expect, string) {
	have := lines(actual)
	at := 0
	for _, c := range checked {
		block := lines(normalize(c.Text))
		for j, l := range block {
			if at+j >= len(have) {
				return c, "was not printed: the step's output ends before it"
			}
			if have[at+j] != l {
				return c, fmt.Sprintf("differs from the step's output at line %d of the cell's text", j+1)
			}
		}
		at += len(block)
	}
	// Every cell matched its lines, so the step printed more than its cells
	// recorded; the extra text comes after the last checked cell.
	return checked[len(checked)-1], "is followed by output that no cell recorded"
}

// failure formats one step's parity failure.
func failure(step string, cell Expect, how, expected, actual string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "parity: step %s: %s: the output recorded by the cell %s\n", step, cellName(cell), how)
	fmt.Fprintf(&b, "recorded by %s:\n%s\n", cellName(cell), indent(normalize(cell.Text)))
	fmt.Fprintf(&b, "printed by step %s:\n%s\n", step, indent(actual))
	fmt.Fprintf(&b, "diff (- notebook, + pipeline):\n%s", udiff.Unified("notebook", "step "+step, expected, actual))
	return strings.TrimRight(b.String(), "\n")
}

func cellName(c Expect) string {
	if c.Cell == "" {
		return "a cell of step " + c.Step
	}
	return c.Cell
}

// stripANSI removes terminal control sequences: CSI sequences (colours,
// cursor movement: ESC [ parameters intermediates final) and OSC sequences
// (window titles, hyperlinks: ESC ] text, ended by BEL or ESC \). An ESC
// that starts neither, or a sequence cut off before its end, is kept: it is
// text the comparison should show. A scanner instead of a regular
// expression keeps long outputs cheap.
func stripANSI(text string) string {
	if !strings.Contains(text, "\x1b") {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	for {
		i := strings.IndexByte(text, 0x1b)
		if i < 0 {
			b.WriteString(text)
			return b.String()
		}
		b.WriteString(text[:i])
		n := escapeLen(text[i:])
		if n == 0 {
			b.WriteByte(0x1b)
			n = 1
		}
		text = text[i+n:]
	}
}

// escapeLen returns the length of the control sequence at the start of s,
// which starts with ESC, or 0 when there is no complete one.
func escapeLen(s string) int {
	if len(s) < 2 {
		return 0
	}
	switch s[1] {
	case '[':
		i := 2
		for i < len(s) && s[i] >= 0x30 && s[i] <= 0x3f {
			i++
		}
		for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
			i++
		}
		if i < len(s) && s[i] >= 0x40 && s[i] <= 0x7e {
			return i + 1
		}
	case ']':
		for i := 2; i < len(s); i++ {
			switch {
			case s[i] == 0x07:
				return i + 1
			case s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\':
				return i + 2
			}
		}
	}
	return 0
}

// normalize is the form in which Parity compares outputs: ANSI escape
// sequences removed, CRLF turned into LF, trailing spaces and tabs cut from
// every line (a stray CR at a line end too) and trailing blank lines
// dropped. A non-empty result ends with exactly one newline.
func normalize(text string) string {
	text = stripANSI(text)
	text = strings.ReplaceAll(text, "\r\n", "\n")
	ls := strings.Split(text, "\n")
	for i, l := range ls {
		ls[i] = strings.TrimRight(l, " \t\r")
	}
	for len(ls) > 0 && ls[len(ls)-1] == "" {
		ls = ls[:len(ls)-1]
	}
	if len(ls) == 0 {
		return ""
	}
	return strings.Join(ls, "\n") + "\n"
}

// lines splits normalised text into its lines, without the newlines.
func lines(normalized string) []string {
	if normalized == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(normalized, "\n"), "\n")
}
