package analysis

import (
	"path/filepath"
	"strings"
	"testing"
)

// inZengen is an output folder inside this checkout, so that analysis
// loads zengen's own packages (runtime/display) from it, as in a module
// that requires zengen.
func inZengen(t *testing.T) Config {
	dir, err := filepath.Abs(filepath.Join("testdata", "out"))
	if err != nil {
		t.Fatal(err)
	}
	return Config{Dir: dir}
}

func TestKernelDisplayNamesResolveToZengensPackages(t *testing.T) {
	cases := []struct {
		name, kernel string
		cells        []cell
		imports      []string // "name path", name "" for the package's own
		body         string   // in the step's body
		alone        string   // prefix of the step's Alone
	}{
		{
			name:    "gonbui used without an import, as GoNB's goimports allows",
			kernel:  "gonb",
			cells:   []cell{code("//zen:step show\n%%\ngonbui.DisplayHTML(\"<b>x</b>\")")},
			imports: []string{" github.com/zengen-dev/zengen/runtime/display/gonbui"},
			body:    `gonbui.DisplayHTML("<b>x</b>")`,
			alone:   "gonbui.DisplayHTML at nb.ipynb:cell 1:3:1",
		},
		{
			name:    "gonbui's display function as a value",
			kernel:  "gonb",
			cells:   []cell{code("import ui \"github.com/janpfeifer/gonb/gonbui\""), code("//zen:step show\n%%\nshow := ui.DisplayMarkdown\nshow(\"*x*\")")},
			imports: []string{"ui github.com/zengen-dev/zengen/runtime/display/gonbui"},
			body:    "show := ui.DisplayMarkdown",
			alone:   "ui.DisplayMarkdown at nb.ipynb:cell 2:3:9",
		},
		{
			name:    "lgo's _ctx",
			kernel:  "lgo",
			cells:   []cell{code("//zen:step show\n_ctx.Display.Markdown(\"*x*\", nil)")},
			imports: []string{"_ctx github.com/zengen-dev/zengen/runtime/display/lgo"},
			body:    `_ctx.Display.Markdown("*x*", nil)`,
			alone:   "_ctx.Display.Markdown at nb.ipynb:cell 1:2:1",
		},
		{
			name:    "gophernotes: a Data ending the cell is shown, one before it is not",
			kernel:  "gophernotes",
			cells:   []cell{code("//zen:step show\ndisplay.Markdown(\"draft\")\nx := 1\ndisplay.HTML(fmt.Sprint(x))")},
			imports: []string{" github.com/zengen-dev/zengen/runtime/display/gophernotes"},
			body:    "display.Markdown(\"draft\")\nx := 1\ndisplay.Show(display.HTML(fmt.Sprint(x)))",
			alone:   "the value display.HTML(fmt.Sprint(x)) that ends the cell at nb.ipynb:cell 1:4:1",
		},
		{
			name:    "gophernotes: a Data variable ending the cell is shown",
			kernel:  "gophernotes",
			cells:   []cell{code("//zen:step show\nd := display.Markdown(\"*x*\")\nd")},
			imports: []string{" github.com/zengen-dev/zengen/runtime/display/gophernotes"},
			body:    "display.Show(d)",
			alone:   "the value d that ends the cell at nb.ipynb:cell 1:3:1",
		},
		{
			name:    "gophernotes' Display",
			kernel:  "gophernotes",
			cells:   []cell{code("//zen:step show\nDisplay(display.SVG(\"<svg/>\"))")},
			imports: []string{" github.com/zengen-dev/zengen/runtime/display/gophernotes", ". github.com/zengen-dev/zengen/runtime/display/gophernotes/kernel"},
			body:    `Display(display.SVG("<svg/>"))`,
			alone:   "Display at nb.ipynb:cell 1:2:1",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := analyze(t, notebook(t, c.kernel, c.cells...), inZengen(t))
			var got []string
			for _, imp := range p.Imports {
				if strings.Contains(imp.Path, "/runtime/display") {
					got = append(got, imp.Name+" "+imp.Path)
				}
			}
			if strings.Join(got, "\n") != strings.Join(c.imports, "\n") {
				t.Errorf("imports %q, want %q", got, c.imports)
			}
			s := stepNamed(t, p, "show")
			if body := bodyText(s); !strings.Contains(body, c.body) {
				t.Errorf("body %q lacks %q", body, c.body)
			}
			if !strings.HasPrefix(s.Alone, c.alone) {
				t.Errorf("Alone %q, want %q…", s.Alone, c.alone)
			}
		})
	}
}

// TestNotebooksWithoutDisplaysDoNotLoadZengen: a name like a kernel's,
// bound by the notebook itself, neither imports nor needs zengen.
func TestNotebooksWithoutDisplaysDoNotLoadZengen(t *testing.T) {
	nb := notebook(t, "gophernotes", code("type screen struct{}\n\nfunc (screen) Display() string { return \"x\" }"),
		code("//zen:step show\ndisplay := screen{}\nfmt.Println(display.Display())"))
	p := analyze(t, nb, Config{Dir: t.TempDir()})
	for _, imp := range p.Imports {
		if strings.Contains(imp.Path, "zengen") {
			t.Errorf("imports %s", imp.Path)
		}
	}
	if s := stepNamed(t, p, "show"); s.Alone != "" {
		t.Errorf("Alone %q", s.Alone)
	}
}

// TestKernelCallsZengenDoesNotProvide are errors at the call, with what is
// provided as a hint.
func TestKernelCallsZengenDoesNotProvide(t *testing.T) {
	for _, c := range []struct {
		kernel string
		cells  []cell
		want   string
	}{
		{"gonb", []cell{code("//zen:step show\n%%\ngonbui.UpdateHTML(\"id\", \"<b>1</b>\")")},
			"nb.ipynb:cell 1:3:8: undefined: gonbui.UpdateHTML\n\thint: zengen stores what a pipeline displays and provides gonbui's " + gonbuiProvided + "; UpdateHTML needs a live notebook: move it to a cell tagged skip or //zen:skip"},
		{"lgo", []cell{code("//zen:step show\n<-_ctx.Done()")},
			"nb.ipynb:cell 1:2:8: undefined: _ctx.Done\n\thint: zengen provides lgo's _ctx.Display only; Done belongs to the kernel's context of a cell: use the step's own logic, or move it to a cell tagged skip or //zen:skip"},
	} {
		_, err := Analyze(notebook(t, c.kernel, c.cells...), inZengen(t))
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: error\n%v\nwant\n%s", c.kernel, err, c.want)
		}
	}
}
