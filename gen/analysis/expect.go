package analysis

import (
	"regexp"
	"slices"
	"strings"

	"github.com/zengen-dev/zengen/gen/ir"
	"github.com/zengen-dev/zengen/parser"
)

// What the parity test compares.
//
// The generated test runs the pipeline once with its default parameters and
// compares what each step printed with what the step's cells recorded when
// the notebook ran. A cell's recorded text is, in output order:
//
//   - its stdout streams: what the cell printed;
//   - its execute_result text/plain: gophernotes records a cell's printing
//     there too, and the values of its last expression, which the step
//     shows (shown.go). The kernel also shows the results of a trailing
//     print call there ("12 <nil>", the byte count and error of
//     fmt.Printf; lgo prints them into stdout); Go discards those
//     results, so they are left out.
//
// Not compared: stderr streams (the log package and println write there,
// and the runtime captures stdout only), display_data (images, HTML and
// their text/plain descriptions, which the pipeline does not render), and
// error tracebacks.
//
// A cell is recorded with Skip, so that its text is not compared and the
// step's other cells need only appear in order in the step's output, when:
//
//   - it carries //zen:nocheck (or the nbval-skip or raises-exception tag);
//   - it never ran (no execution count and no outputs): whatever it prints
//     is unknown. A cell with outputs but a null execution count ran; tools
//     that clear counts (nbstripout --keep-output, some exporters) leave
//     the outputs, which are compared;
//   - it recorded an error: the kernel stopped it midway, so its text is
//     not what the step prints when it runs to the end.
//
// The notebook's own code prints to the step's writers (prints.go routes
// it), so its output is exact even when steps run in parallel. Packages it
// imports that print to os.Stdout themselves are captured for a step only
// while no other step runs; the generated test therefore runs the
// pipeline with --parallel 1.
//
// Function steps run in a pipeline cell that holds only their calls, so
// that cell's recording is everything the called steps printed, one after
// the other: it is compared with the steps' outputs joined in call order.
// The declaration cells of function steps print nothing in the pipeline's
// run (their main bodies, if any, are exploration).

// ansiEscape matches terminal colour and cursor sequences (CSI) and
// operating system commands (OSC: titles, hyperlinks), which kernels record
// in outputs but which carry no text.
var ansiEscape = regexp.MustCompile(`\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)`)

// printResults matches how a kernel shows the results of a trailing
// fmt.Print call: the byte count and a nil error.
var printResults = regexp.MustCompile(`^[0-9]+ <nil>\n?$`)

// trailingPrint matches a last source line that is a fmt print call.
var trailingPrint = regexp.MustCompile(`^\s*fmt\.(Print|Printf|Println)\(.*\)\s*(//.*)?$`)

// expectations records what each step's cells printed, for the generated
// parity test.
func (a *analysis) expectations() {
	for _, sb := range a.cellSteps {
		for _, c := range sb.cells {
			if e := a.cellExpect(c); e != nil {
				sb.step.Expect = append(sb.step.Expect, e)
			}
		}
	}
	var called []*stepBuild
	for _, sb := range a.funcSteps {
		if sb.callItem != nil {
			called = append(called, sb)
		}
	}
	if len(called) == 0 || a.pipelineCell == nil {
		return
	}
	slices.SortFunc(called, func(x, y *stepBuild) int { return x.callItem.off - y.callItem.off })
	e := a.recordedExpect(a.pipelineCell, false)
	if e == nil {
		return
	}
	for _, sb := range called {
		e.Steps = append(e.Steps, sb.step.Name)
	}
	called[0].step.Expect = append(called[0].step.Expect, e)
}

// cellExpect is the recorded output of one code cell.
func (a *analysis) cellExpect(c *parser.Cell) *ir.Expect {
	return a.recordedExpect(c, true)
}

// recordedExpect is the recorded output of one code cell, with its
// execute_result text when withResults is set. A pipeline cell holds only
// step calls, so its execute_result is the REPL showing the last call's
// results ("9 2"), which the pipeline does not print.
func (a *analysis) recordedExpect(c *parser.Cell, withResults bool) *ir.Expect {
	if c.Kind != parser.Code {
		return nil
	}
	e := &ir.Expect{Cell: a.cellNumber(c), Pos: a.nb.Pos(c, 1, 0), Skip: directive(c, "nocheck") != nil}
	if !c.Executed && len(c.Outputs) == 0 {
		e.Skip = true
		return e
	}
	e.Text = recordedText(c, withResults, a.shows())
	for _, o := range c.Outputs {
		if o.Type == "error" {
			e.Skip = true
		}
	}
	return e
}

// recordedText joins a cell's stdout and text results and normalises them.
// Streams may break a line anywhere, so normalising happens after joining.
func recordedText(c *parser.Cell, withResults bool, shows *cellShows) string {
	var b strings.Builder
	for _, o := range c.Outputs {
		switch {
		case o.Type == "stream" && o.Name == "stdout":
			b.WriteString(o.Text)
		case o.Type == "execute_result" && withResults:
			if printResults.MatchString(o.Text) && (shows.hidesPrintResults(c) || trailingPrint.MatchString(lastLine(c.Code))) {
				continue
			}
			b.WriteString(shows.resultText(c, o.Text))
		}
	}
	return normaliseOutput(shows.withoutPrintResults(c, b.String()))
}

// lastLine is the last non-blank line of src.
func lastLine(src string) string {
	lines := strings.Split(strings.TrimRight(src, " \t\n"), "\n")
	return lines[len(lines)-1]
}

// normaliseOutput removes ANSI escapes, turns CRLF into LF and cuts
// trailing spaces from every finished line. An unfinished last line keeps
// its spaces: the next cell's text may continue it ("a " then "b\n"). The
// parity test normalises again on both sides; doing it here keeps the
// generated literals readable.
func normaliseOutput(text string) string {
	text = ansiEscape.ReplaceAllString(text, "")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	lines := strings.Split(text, "\n")
	for i := range len(lines) - 1 {
		lines[i] = strings.TrimRight(lines[i], " \t\r")
	}
	return strings.Join(lines, "\n")
}
