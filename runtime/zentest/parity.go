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
	// Steps, set instead of Step, names several steps whose outputs,
	// joined in this order, the cell recorded: a pipeline cell that calls
	// function steps prints what each call prints, one after the other.
	Steps []string
	Cell  string // where the cell is, for messages: "churn.ipynb:cell 4"
	Text  string // the recorded output: stdout and text results
	Skip  bool   // the cell's output is not compared (//zen:nocheck)
}

// stepsName is how messages name the step or steps of e.
func (e Expect) stepsName() string {
	if len(e.Steps) > 0 {
		return strings.Join(e.Steps, ", ")
	}
	return e.Step
}

// Parity compares each step's printed output with the outputs its cells
// recorded. want is grouped by Step (or by Steps, whose outputs are joined
// in order); steps with no entry are not checked.
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
		var got strings.Builder
		for _, step := range group.steps {
			got.WriteString(r.Stdout(step))
		}
		if msg := compareStep(group.name, group.cells, got.String()); msg != "" {
			t.Errorf("%s", msg)
		}
	}
}

// stepExpect is the expectations of one step (or of several steps' joined
// outputs), in notebook order.
type stepExpect struct {
	name  string
	steps []string
	cells []Expect
}

// groupByStep keeps the order in which steps first appear in want.
func groupByStep(want []Expect) []stepExpect {
	var groups []stepExpect
	index := map[string]int{}
	for _, e := range want {
		name := e.stepsName()
		i, ok := index[name]
		if !ok {
			i = len(groups)
			index[name] = i
			steps := e.Steps
			if len(steps) == 0 {
				steps = []string{e.Step}
			}
			groups = append(groups, stepExpect{name: name, steps: steps})
		}
		groups[i].cells = append(groups[i].cells, e)
	}
	return groups
}

// compareStep checks one step's output against its cells and returns the
// failure message, or "" when the output matches. step names the step, or
// the steps whose outputs got joins.
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
	texts := make([]string, len(checked))
	var whole strings.Builder
	for i, c := range checked {
		texts[i] = cellText(c.Text)
		whole.WriteString(texts[i])
	}
	expected := normalize(whole.String())
	if partial {
		if bad, ok := missingCell(cells, actual); !ok {
			return failure(step, bad, "does not appear in order in the step's output (the step has unchecked cells, so only the checked cells' lines are looked for)", expected, actual)
		}
		return ""
	}
	if expected == actual {
		return ""
	}
	bad, how := firstDifferentCell(checked, texts, expected, actual)
	return failure(step, bad, how, expected, actual)
}

// cellText is a cell's text normalised as far as joining it with the next
// cell's allows: escapes removed, CRLF turned into LF and trailing blanks
// cut from every finished line. An unfinished last line keeps its blanks
// and stays unfinished, since the next cell's text may continue it ("a "
// then "b\n" is the line "a b").
func cellText(text string) string {
	text = strings.ReplaceAll(stripANSI(text), "\r\n", "\n")
	ls := strings.Split(text, "\n")
	for i := range len(ls) - 1 {
		ls[i] = strings.TrimRight(ls[i], " \t\r")
	}
	return strings.Join(ls, "\n")
}

// missingCell looks for the checked cells, in order, in actual: each run of
// checked cells between unchecked ones must appear there as a block of
// whole lines, after the previous run's block. A run whose text ends in an
// unfinished line needs only the start of that line, since the unchecked
// cell after it may continue the line. It returns the first cell of the
// first run it cannot find.
func missingCell(cells []Expect, actual string) (Expect, bool) {
	have := lines(actual)
	at := 0
	var run []Expect
	find := func() bool {
		if len(run) == 0 {
			return true
		}
		var text strings.Builder
		for _, c := range run {
			text.WriteString(cellText(c.Text))
		}
		unfinished := text.Len() > 0 && !strings.HasSuffix(text.String(), "\n")
		block := lines(normalize(text.String()))
		i := indexBlock(have[at:], block, unfinished)
		if i < 0 {
			return false
		}
		at += i + len(block)
		return true
	}
	for _, c := range cells {
		if !c.Skip {
			run = append(run, c)
			continue
		}
		if !find() {
			return run[0], false
		}
		run = run[:0]
	}
	if !find() {
		return run[0], false
	}
	return Expect{}, true
}

// indexBlock returns where block starts in have as consecutive lines, or -1.
// With openEnd, the block's last line need only start the line of have.
func indexBlock(have, block []string, openEnd bool) int {
	for i := 0; i+len(block) <= len(have); i++ {
		match := true
		for j, l := range block {
			last := j == len(block)-1
			if have[i+j] != l && !(last && openEnd && strings.HasPrefix(have[i+j], l)) {
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

// firstDifferentCell maps the first byte where the expected and the actual
// output part to the cell whose text holds it, and says how they part.
// texts are the cells' texts as cellText gives them, which joined are
// expected before the final normalisation.
func firstDifferentCell(checked []Expect, texts []string, expected, actual string) (Expect, string) {
	d := 0
	for d < len(expected) && d < len(actual) && expected[d] == actual[d] {
		d++
	}
	if d == len(expected) {
		// The step printed everything the cells recorded, and more after
		// the last checked cell.
		return checked[len(checked)-1], "is followed by output that no cell recorded"
	}
	i, start := 0, 0
	for i < len(texts)-1 && d >= start+len(texts[i]) {
		start += len(texts[i])
		i++
	}
	if d == len(actual) {
		return checked[i], "was not printed: the step's output ends before it"
	}
	line := 1 + strings.Count(texts[i][:min(d-start, len(texts[i]))], "\n")
	return checked[i], fmt.Sprintf("differs from the step's output at line %d of the cell's text", line)
}

// failure formats one step's parity failure.
func failure(step string, cell Expect, how, expected, actual string) string {
	label := "step " + step
	if len(cell.Steps) > 1 {
		label = "steps " + step
	}
	var b strings.Builder
	fmt.Fprintf(&b, "parity: %s: %s: the output recorded by the cell %s\n", label, cellName(cell), how)
	fmt.Fprintf(&b, "recorded by %s:\n%s\n", cellName(cell), indent(normalize(cell.Text)))
	fmt.Fprintf(&b, "printed by %s:\n%s\n", label, indent(actual))
	fmt.Fprintf(&b, "diff (- notebook, + pipeline):\n%s", udiff.Unified("notebook", label, expected, actual))
	return strings.TrimRight(b.String(), "\n")
}

func cellName(c Expect) string {
	if c.Cell == "" {
		return "a cell of step " + c.stepsName()
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
