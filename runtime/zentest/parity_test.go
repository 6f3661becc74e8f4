package zentest

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"only blank lines", "\n\n  \n", ""},
		{"adds the final newline", "a", "a\n"},
		{"colour codes", "\x1b[1;31merror\x1b[0m: \x1b[32mok\x1b[0m\n", "error: ok\n"},
		{"cursor codes", "\x1b[2K\x1b[?25lloading\x1b[?25h\n", "loading\n"},
		{"lone ESC stays", "a\x1bb\n", "a\x1bb\n"},
		{"cut-off sequence stays", "a\x1b[31", "a\x1b[31\n"},
		{"title ended by BEL", "\x1b]0;title\x07done\n", "done\n"},
		{"hyperlink", "\x1b]8;;https://go.dev\x1b\\go.dev\x1b]8;;\x1b\\\n", "go.dev\n"},
		{"trailing spaces and tabs", "a  \nb\t\t\nc \t \n", "a\nb\nc\n"},
		{"leading spaces stay", "  a\n\tb\n", "  a\n\tb\n"},
		{"CRLF", "a\r\nb\r\n", "a\nb\n"},
		{"trailing blank lines", "a\n\n\n", "a\n"},
		{"inner blank lines stay", "a\n\nb\n", "a\n\nb\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, normalize(tt.in)); diff != "" {
				t.Errorf("normalize(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestCompareStep(t *testing.T) {
	cell := func(n, text string) Expect { return Expect{Step: "train", Cell: "demo.ipynb:cell " + n, Text: text} }
	skipped := func(n, text string) Expect {
		e := cell(n, text)
		e.Skip = true
		return e
	}
	tests := []struct {
		name  string
		cells []Expect
		got   string
		// wantCell is the cell the failure names, "" when the step passes.
		wantCell string
		wantHow  string
	}{
		{"equal", []Expect{cell("4", "loss 0.5\n")}, "loss 0.5\n", "", ""},
		{"cells concatenate", []Expect{cell("4", "a\n"), cell("5", "b\n")}, "a\nb\n", "", ""},
		{"a cell printing without newline", []Expect{cell("4", "a "), cell("5", "b\n")}, "a b\n", "", ""},
		{"ANSI and trailing spaces on both sides", []Expect{cell("4", "\x1b[32mok\x1b[0m   \r\n\n")}, "ok\t\n\x1b[0m", "", ""},
		{"empty text means nothing printed", []Expect{cell("4", "")}, "", "", ""},
		{"no checked cells", []Expect{skipped("4", "random 0.1\n")}, "random 0.7\n", "", ""},
		{"no expectations", nil, "anything\n", "", ""},
		{"different", []Expect{cell("4", "loss 0.5\n")}, "loss 0.6\n", "demo.ipynb:cell 4", "differs from the step's output at line 1"},
		{"second cell differs", []Expect{cell("4", "a\n"), cell("5", "b\nc\n")}, "a\nb\nX\n", "demo.ipynb:cell 5", "at line 2 of the cell's text"},
		{"output ends early", []Expect{cell("4", "a\n"), cell("5", "b\n")}, "a\n", "demo.ipynb:cell 5", "was not printed"},
		{"extra output", []Expect{cell("4", "a\n"), cell("5", "b\n")}, "a\nb\nc\n", "demo.ipynb:cell 5", "is followed by output that no cell recorded"},
		{"empty text but the step printed", []Expect{cell("4", "")}, "surprise\n", "demo.ipynb:cell 4", "is followed by output"},
		{"skipped cell: checked cells in order", []Expect{cell("3", "start\n"), skipped("4", "t=0.1s\n"), cell("5", "done\n")}, "start\nt=0.3s\ndone\n", "", ""},
		{"skipped cell: whole lines only", []Expect{skipped("3", ""), cell("4", "1\n")}, "11\n", "demo.ipynb:cell 4", "does not appear in order"},
		{"skipped cell: order matters", []Expect{cell("3", "b\n"), skipped("4", ""), cell("5", "a\n")}, "a\nb\n", "demo.ipynb:cell 5", "does not appear in order"},
		{"skipped cell: missing text", []Expect{cell("3", "start\n"), skipped("4", ""), cell("5", "done\n")}, "start\n", "demo.ipynb:cell 5", "does not appear in order"},
		{"unfinished line: the next cell differs", []Expect{cell("4", "a"), cell("5", "b\nc\n")}, "ab\nX\n", "demo.ipynb:cell 5", "at line 2 of the cell's text"},
		{"unfinished line: the cell itself differs", []Expect{cell("4", "a"), cell("5", "b\n")}, "Xb\n", "demo.ipynb:cell 4", "at line 1 of the cell's text"},
		{"skipped cell: checked cells joined", []Expect{cell("3", "n="), cell("4", "3\n"), skipped("5", ""), cell("6", "done\n")}, "n=3\nt=1s\ndone\n", "", ""},
		{"skipped cell: unfinished line continued by it", []Expect{cell("3", "took "), skipped("4", "3s\n"), cell("5", "done\n")}, "took 5s\ndone\n", "", ""},
		{"skipped cell: unfinished line must start the line", []Expect{cell("3", "took "), skipped("4", "3s\n")}, "it took 5s\n", "demo.ipynb:cell 3", "does not appear in order"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := compareStep("train", tt.cells, tt.got)
			if tt.wantCell == "" {
				if msg != "" {
					t.Fatalf("want a match, got:\n%s", msg)
				}
				return
			}
			head := "parity: step train: " + tt.wantCell + ": "
			if !strings.HasPrefix(msg, head) || !strings.Contains(msg, tt.wantHow) {
				t.Fatalf("want a failure starting %q and saying %q, got:\n%s", head, tt.wantHow, msg)
			}
		})
	}
}

func TestParityPassesOnEqualOutput(t *testing.T) {
	r := Run(t, twoSteps("\x1b[1mhello\x1b[0m  \n"))
	want := []Expect{
		{Step: "load", Cell: "demo.ipynb:cell 3", Text: "hello\n"},
		{Step: "train", Cell: "demo.ipynb:cell 4", Text: "epochs 3\n"},
		{Step: "train", Cell: "demo.ipynb:cell 5", Text: "sum 7.5\n\n"},
	}
	rec := record(t, func(tb testing.TB) { Parity(tb, r, want) })
	if rec.Failed() {
		t.Errorf("Parity failed on equal output:\n%s", rec.messages())
	}
}

func TestParityFailsNamingTheCell(t *testing.T) {
	r := Run(t, twoSteps("hello\n"))
	want := []Expect{
		{Step: "load", Cell: "demo.ipynb:cell 3", Text: "hello\n"},
		{Step: "train", Cell: "demo.ipynb:cell 4", Text: "epochs 3\n"},
		{Step: "train", Cell: "demo.ipynb:cell 5", Text: "sum 8\n"},
	}
	rec := record(t, func(tb testing.TB) { Parity(tb, r, want) })
	if len(rec.errors) != 1 {
		t.Fatalf("want one failure (for train), got %d:\n%s", len(rec.errors), rec.messages())
	}
	msg := rec.errors[0]
	for _, want := range []string{
		"parity: step train: demo.ipynb:cell 5:",
		"recorded by demo.ipynb:cell 5:\n\tsum 8\n",
		"printed by step train:\n\tepochs 3\n\tsum 7.5\n",
		"--- notebook\n+++ step train\n",
		"-sum 8\n+sum 7.5",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("failure does not contain %q:\n%s", want, msg)
		}
	}
}

// TestParityJoinsSteps checks a cell that recorded several steps' output,
// as a pipeline cell of function steps does: their outputs are joined in
// the order Steps gives.

// TestParityJoinsSteps checks a cell that recorded several steps' output,
// as a pipeline cell of function steps does: their outputs are joined in
// the order Steps gives.
func TestParityJoinsSteps(t *testing.T) {
	r := Run(t, twoSteps("hello\n"))
	tests := []struct {
		name     string
		text     string
		wantFail []string
	}{
		{"in call order", "hello\nepochs 3\nsum 7.5\n", nil},
		{"a step prints other text", "hello\nepochs 3\nsum 8\n", []string{
			"parity: steps load, train: demo.ipynb:cell 6: the output recorded by the cell differs from the step's output at line 3",
			"printed by steps load, train:\n\thello\n\tepochs 3\n\tsum 7.5\n",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := []Expect{{Steps: []string{"load", "train"}, Cell: "demo.ipynb:cell 6", Text: tt.text}}
			rec := record(t, func(tb testing.TB) { Parity(tb, r, want) })
			if tt.wantFail == nil {
				if rec.Failed() {
					t.Fatalf("Parity failed:\n%s", rec.messages())
				}
				return
			}
			for _, w := range tt.wantFail {
				if !strings.Contains(rec.messages(), w) {
					t.Errorf("failure does not contain %q:\n%s", w, rec.messages())
				}
			}
		})
	}
}

func TestParityReportsEveryFailingStep(t *testing.T) {
	r := Run(t, twoSteps("hello\n"))
	want := []Expect{
		{Step: "load", Cell: "demo.ipynb:cell 3", Text: "goodbye\n"},
		{Step: "train", Cell: "demo.ipynb:cell 4", Text: "epochs 4\nsum 7.5\n"},
	}
	rec := record(t, func(tb testing.TB) { Parity(tb, r, want) })
	var got []string
	for _, m := range rec.errors {
		got = append(got, strings.SplitN(m, ":", 3)[1])
	}
	if diff := cmp.Diff([]string{" step load", " step train"}, got); diff != "" {
		t.Errorf("failing steps (-want +got):\n%s\n%s", diff, rec.messages())
	}
}
