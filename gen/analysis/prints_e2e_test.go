package analysis

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zengen-dev/zengen/gen/emit"
	"github.com/zengen-dev/zengen/gen/ir"
)

// printsCheck is a test file written into a generated module: it runs the
// pipeline runs times with args and compares, for each step, what `logs`
// shows (both streams), what `logs --stdout` shows, and the step's
// labelled lines on the terminal with the exact text the step printed.
const printsCheck = `package PKG

import (
	"strings"
	"testing"

	"github.com/zengen-dev/zengen/runtime/zentest"
)

type want struct{ step, stdout, stderr, log string }

func TestPrints(t *testing.T) {
	for run := 0; run < RUNS; run++ {
		r := zentest.Run(t, Pipeline(), ARGS)
		for _, w := range WANTS {
			if got := r.Stdout(w.step); got != w.stdout {
				t.Errorf("run %d: logs %s --stdout:\n%s\nwant:\n%s", run, w.step, got, w.stdout)
			}
			if got := r.Log(w.step); got != w.log {
				t.Errorf("run %d: logs %s:\n%s\nwant:\n%s", run, w.step, got, w.log)
			}
			if got := labelled(r.Terminal, w.step); got != w.stdout {
				t.Errorf("run %d: [%s] lines on the terminal's stdout:\n%s\nwant:\n%s\nterminal:\n%s", run, w.step, got, w.stdout, r.Terminal)
			}
			if got := labelled(r.Progress, w.step); got != w.stderr {
				t.Errorf("run %d: [%s] lines on the terminal's stderr:\n%s\nwant:\n%s\nstderr:\n%s", run, w.step, got, w.stderr, r.Progress)
			}
		}
		if strings.Count(r.Progress, "note: ") != NOTES {
			t.Errorf("run %d: want NOTES notes on stderr:\n%s", run, r.Progress)
		}
		if t.Failed() {
			t.FailNow()
		}
	}
}

// labelled returns the lines of text behind "[step] ", without the label.
func labelled(text, step string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(text, "\n") {
		if rest, ok := strings.CutPrefix(line, "[" + step + "] "); ok {
			b.WriteString(rest)
		}
	}
	return b.String()
}
`

// printsWant is what one step must print.
type printsWant struct{ step, stdout, stderr, log string }

// runPrintsCheck generates p as a module, adds printsCheck and runs it.
func runPrintsCheck(t *testing.T, p *ir.Pipeline, runs int, args []string, notes int, wants []printsWant) {
	t.Helper()
	dir := emitModule(t, p, emit.Options{})
	var ws []string
	for _, w := range wants {
		ws = append(ws, "{"+goQuote(w.step)+", "+goQuote(w.stdout)+", "+goQuote(w.stderr)+", "+goQuote(w.log)+"}")
	}
	var as []string
	for _, a := range args {
		as = append(as, goQuote(a))
	}
	src := strings.NewReplacer("PKG", p.Name, "RUNS", itoa(runs), "ARGS", strings.Join(as, ", "),
		"WANTS", "[]want{"+strings.Join(ws, ", ")+"}", "NOTES", itoa(notes)).Replace(printsCheck)
	if err := os.WriteFile(filepath.Join(dir, "prints_check_test.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := goCommand(t, dir, "test", "-run", "TestPrints", "-count", "1", ".")
	if err != nil {
		t.Fatalf("go test: %v\n%s", err, out)
	}
}

func goQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

func itoa(n int) string {
	s := ""
	for {
		s = string(rune('0'+n%10)) + s
		n /= 10
		if n == 0 {
			return s
		}
	}
}

// printingCells are two independent cell steps that print between their
// own prints through a shared helper (two levels deep), the log package
// and println. n is how many lines the helper prints per call.
func printingCells(n string) []cell {
	return []cell{
		code("import (\n\t\"fmt\"\n\t\"log\"\n)"),
		code("func init() { log.SetFlags(0) }"),
		code("func shout(who string, n int) {\n\tfor i := 0; i < n; i++ {\n\t\tfmt.Println(who, \"helper\", i)\n\t}\n}\n\nfunc twice(who string) {\n\tshout(who, " + n + ")\n\tshout(who, " + n + ")\n}"),
		code("//zen:step left\nfmt.Println(\"left 1\")\ntwice(\"left\")\nlog.Println(\"left log\")\nfmt.Println(\"left 2\")\nprintln(\"left println\", 7, 2.5, true)\nfmt.Println(\"left 3\")"),
		code("//zen:step right\nfmt.Println(\"right 1\")\ntwice(\"right\")\nlog.Println(\"right log\")\nfmt.Println(\"right 2\")\nprintln(\"right println\", 7, 2.5, true)\nfmt.Println(\"right 3\")"),
	}
}

// printingWant is what printingCells' step who prints.
func printingWant(who string, n int) printsWant {
	var helper strings.Builder
	for range 2 {
		for i := range n {
			helper.WriteString(who + " helper " + itoa(i) + "\n")
		}
	}
	stdout := who + " 1\n" + helper.String() + who + " 2\n" + who + " 3\n"
	stderr := who + " log\n" + who + " println 7 2.5 true\n"
	log := who + " 1\n" + helper.String() + who + " log\n" + who + " 2\n" + who + " println 7 2.5 true\n" + who + " 3\n"
	return printsWant{who, stdout, stderr, log}
}

// TestPrintsInOrderAtParallel1 runs a step whose helper prints between the
// step's own prints thirty times one step at a time: the helper's lines
// used to reach the step's log through a pipe that raced the step's own
// writer, so they came out in another order now and then.
func TestPrintsInOrderAtParallel1(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command on generated modules")
	}
	p := analyze(t, notebook(t, "gophernotes", printingCells("40")...), Config{})
	runPrintsCheck(t, p, 30, []string{"--parallel", "1"}, 0,
		[]printsWant{printingWant("left", 40), printingWant("right", 40)})
}

// TestPrintsAttributedInParallel runs two steps at once that call the same
// printing helper: each step's log and labelled lines hold exactly its
// own prints, the helper's, log's and println's included.
func TestPrintsAttributedInParallel(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command on generated modules")
	}
	p := analyze(t, notebook(t, "gophernotes", printingCells("200")...), Config{})
	runPrintsCheck(t, p, 10, []string{"--parallel", "2"}, 0,
		[]printsWant{printingWant("left", 200), printingWant("right", 200)})
}

// TestFunctionStepPrints runs GoNB function steps at the default
// parallelism: what they and their helper print used to go to the
// process's stdout unlabelled and miss `logs`.
func TestFunctionStepPrints(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command on generated modules")
	}
	step := func(who string) string {
		return "//zen:step " + who + "\nfunc " + strings.ToUpper(who[:1]) + who[1:] + "(n int) int {\n\tfmt.Println(\"" + who + " 1\")\n\ttwice(\"" + who + "\", n)\n\tlog.Println(\"" + who + " log\")\n\tfmt.Println(\"" + who + " 2\")\n\tprintln(\"" + who + " println\", 7, 2.5, true)\n\tfmt.Println(\"" + who + " 3\")\n\treturn n\n}"
	}
	p := analyze(t, notebook(t, "gonb",
		code("import (\n\t\"fmt\"\n\t\"log\"\n)\n\nfunc init() { log.SetFlags(0) }"),
		code("func shout(who string, n int) {\n\tfor i := 0; i < n; i++ {\n\t\tfmt.Println(who, \"helper\", i)\n\t}\n}\n\nfunc twice(who string, n int) {\n\tshout(who, n)\n\tshout(who, n)\n}"),
		code(step("left")),
		code(step("right")),
		code("//zen:pipeline fs\n%%\na := Left(200)\nb := Right(200)"),
	), Config{})
	runPrintsCheck(t, p, 10, nil, 0, []printsWant{printingWant("left", 200), printingWant("right", 200)})
}

// TestUnroutablePrintsRunAlone runs a step that prints through a method
// and os.Stdout directly, which analysis cannot route to the step, beside
// a step that can run in parallel: the first never overlaps another step,
// the run says so once, and its output is exact and in order.
func TestUnroutablePrintsRunAlone(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command on generated modules")
	}
	p := analyze(t, notebook(t, "gophernotes",
		code("import (\n\t\"fmt\"\n\t\"os\"\n)"),
		code("type reporter struct{ who string }\n\nfunc (r reporter) say(s string) {\n\tfor i := 0; i < 50; i++ {\n\t\tfmt.Println(r.who, s, i)\n\t}\n}"),
		code("func shout(who string, n int) {\n\tfor i := 0; i < n; i++ {\n\t\tfmt.Println(who, \"helper\", i)\n\t}\n}"),
		code("//zen:step left\nfmt.Println(\"left 1\")\nreporter{\"left\"}.say(\"method\")\nos.Stdout.WriteString(\"left raw\\n\")\nfmt.Println(\"left 2\")"),
		code("//zen:step right\nfmt.Println(\"right 1\")\nshout(\"right\", 100)\nfmt.Println(\"right 2\")"),
	), Config{})
	if got, want := stepNamed(t, p, "left").Alone, "fmt.Println at nb.ipynb:cell 2:5:3"; got != want {
		t.Errorf("left.Alone = %q, want %q", got, want)
	}
	if got := stepNamed(t, p, "right").Alone; got != "" {
		t.Errorf("right.Alone = %q, want none", got)
	}
	var left, right strings.Builder
	left.WriteString("left 1\n")
	for i := range 50 {
		left.WriteString("left method " + itoa(i) + "\n")
	}
	left.WriteString("left raw\nleft 2\n")
	right.WriteString("right 1\n")
	for i := range 100 {
		right.WriteString("right helper " + itoa(i) + "\n")
	}
	right.WriteString("right 2\n")
	runPrintsCheck(t, p, 30, []string{"--parallel", "2"}, 1, []printsWant{
		{"left", left.String(), "", left.String()},
		{"right", right.String(), "", right.String()},
	})
}

// TestPrintsOutsideSteps covers the code that has no step context: a
// method calling a printing helper makes the steps that reach it run
// alone, and init's call of the helper prints to the process as before,
// while the helper keeps printing to the step that calls it directly.
func TestPrintsOutsideSteps(t *testing.T) {
	p := analyze(t, notebook(t, "gophernotes",
		code("import \"fmt\""),
		code("func shout(s string) { fmt.Println(s) }\n\nfunc init() { shout(\"init\") }"),
		code("type t struct{}\n\nfunc (t) say() { shout(\"method\") }"),
		code("//zen:step a\nshout(\"a\")"),
		code("//zen:step b\nt{}.say()"),
	), Config{})
	body := func(name string) string { return bodyText(stepNamed(t, p, name)) }
	if got := body("a"); got != `shout(zg_ctx, "a")` {
		t.Errorf("step a: %s", got)
	}
	var decls []string
	for _, c := range p.Decls {
		decls = append(decls, c.Code)
	}
	all := strings.Join(decls, "\n")
	for _, want := range []string{`func shout(zg_ctx zg_context, s string) { fmt.Fprintln(zg_stdout(zg_ctx), s) }`,
		`func init() { shout(zg_outside, "init") }`, `func (t) say() { shout(zg_outside, "method") }`} {
		if !strings.Contains(all, want) {
			t.Errorf("declarations lack %s:\n%s", want, all)
		}
	}
	if got := stepNamed(t, p, "a").Alone; got != "" {
		t.Errorf("a.Alone = %q, want none", got)
	}
	if got, want := stepNamed(t, p, "b").Alone, "a call of shout at nb.ipynb:cell 3:3:18"; got != want {
		t.Errorf("b.Alone = %q, want %q", got, want)
	}
}
