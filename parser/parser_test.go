package parser

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// notebookJSON builds an nbformat 4.5 notebook with one code cell per source.
func notebookJSON(kernel string, sources ...string) []byte {
	type cell struct {
		CellType string         `json:"cell_type"`
		Metadata map[string]any `json:"metadata"`
		Outputs  []any          `json:"outputs"`
		Source   string         `json:"source"`
	}
	nb := map[string]any{"nbformat": 4, "nbformat_minor": 5, "metadata": map[string]any{}}
	if kernel != "" {
		nb["metadata"] = map[string]any{"kernelspec": map[string]string{"name": kernel, "language": "go"}}
	}
	cells := []cell{}
	for _, s := range sources {
		cells = append(cells, cell{CellType: "code", Metadata: map[string]any{}, Outputs: []any{}, Source: s})
	}
	nb["cells"] = cells
	data, err := json.Marshal(nb)
	if err != nil {
		panic(err)
	}
	return data
}

func readOneCell(t *testing.T, src string) *Cell {
	t.Helper()
	nb, err := ReadIPYNB("nb.ipynb", notebookJSON("gonb", src))
	if err != nil {
		t.Fatalf("ReadIPYNB: %v", err)
	}
	return nb.Cells[0]
}

func errorLines(err error) []string {
	if err == nil {
		return nil
	}
	return strings.Split(err.Error(), "\n")
}

func TestMagics(t *testing.T) {
	pos := func(line int) Pos { return Pos{File: "nb.ipynb", Cell: 1, Line: line, Col: 1} }
	tests := []struct {
		name      string
		src       string
		wantCode  string
		wantMain  int
		wantMagic []Magic
		wantFile  *ShippedFile
	}{
		{"plain Go", "x := 1\nfmt.Println(x)", "x := 1\nfmt.Println(x)", 0, nil, nil},
		{"main alone", "func f() {}\n%%\nf()\n", "func f() {}\n\nf()\n", 2,
			[]Magic{{Pos: pos(2), Kind: MagicMain, Name: "main", Text: "%%"}}, nil},
		{"main with flags", "%% --x=1 -v\n", "\n", 1,
			[]Magic{{Pos: pos(1), Kind: MagicMain, Name: "main", Args: []string{"--x=1", "-v"}, Text: "%% --x=1 -v"}}, nil},
		{"percent main", "%main\nf()", "\nf()", 1,
			[]Magic{{Pos: pos(1), Kind: MagicMain, Name: "main", Text: "%main"}}, nil},
		{"gonb prefix", "//gonb:%%\nf()", "\nf()", 1,
			[]Magic{{Pos: pos(1), Kind: MagicMain, Name: "main", Text: "//gonb:%%"}}, nil},
		{"env key value", "%env K some value", "",
			0, []Magic{{Pos: pos(1), Kind: MagicEnv, Name: "env", Args: []string{"K", "some value"}, Text: "%env K some value"}}, nil},
		{"env key=value", "%env K=v", "",
			0, []Magic{{Pos: pos(1), Kind: MagicEnv, Name: "env", Args: []string{"K", "v"}, Text: "%env K=v"}}, nil},
		{"goflags", "%goflags -race -cover", "",
			0, []Magic{{Pos: pos(1), Kind: MagicGoFlags, Name: "goflags", Args: []string{"-race", "-cover"}, Text: "%goflags -race -cover"}}, nil},
		{"go get", "!go get a.b/c@v1.0.0", "",
			0, []Magic{{Pos: pos(1), Kind: MagicGoGet, Name: "go", Args: []string{"a.b/c@v1.0.0"}, Text: "!go get a.b/c@v1.0.0"}}, nil},
		{"go get star and flags", "!*go get -u a.b/c@v1 d.e/f", "",
			0, []Magic{{Pos: pos(1), Kind: MagicGoGet, Name: "go", Args: []string{"a.b/c@v1", "d.e/f"}, Text: "!*go get -u a.b/c@v1 d.e/f"}}, nil},
		{"go get chained is shell", "!go get a.b/c && go mod tidy", "",
			0, []Magic{{Pos: pos(1), Kind: MagicShell, Name: "go", Args: strings.Fields("get a.b/c && go mod tidy"), Text: "!go get a.b/c && go mod tidy"}}, nil},
		{"shell", "!ls -l\nx := 1", "\nx := 1",
			0, []Magic{{Pos: pos(1), Kind: MagicShell, Name: "ls", Args: []string{"-l"}, Text: "!ls -l"}}, nil},
		{"shell continued", "!echo a \\\n  b\nx := 1", "\n\nx := 1",
			0, []Magic{{Pos: pos(1), Kind: MagicShell, Name: "echo", Args: []string{"a", "b"}, Text: "!echo a \\\n  b"}}, nil},
		{"other magic", "%rm f g", "",
			0, []Magic{{Pos: pos(1), Kind: MagicOther, Name: "rm", Args: []string{"f", "g"}, Text: "%rm f g"}}, nil},
		{"indented is Go", "if x {\n  !done\n}", "if x {\n  !done\n}", 0, nil, nil},
		{"inside raw string", "s := `\n%env A B\n!ls\n`", "s := `\n%env A B\n!ls\n`", 0, nil, nil},
		{"inside block comment", "/*\n%%\n*/ x := 1\n%%", "/*\n%%\n*/ x := 1\n", 4,
			[]Magic{{Pos: pos(4), Kind: MagicMain, Name: "main", Text: "%%"}}, nil},
		{"backquote in string is not raw", "s := \"`\"\n%%", "s := \"`\"\n", 2,
			[]Magic{{Pos: pos(2), Kind: MagicMain, Name: "main", Text: "%%"}}, nil},
		{"writefile", "%%writefile out/a.txt\nline 1\n%% not main\n", "\n\n\n", 0,
			[]Magic{{Pos: pos(1), Kind: MagicWriteFile, Name: "writefile", Args: []string{"out/a.txt"}, Text: "%%writefile out/a.txt"}},
			&ShippedFile{Pos: pos(1), Name: "out/a.txt", Content: "line 1\n%% not main\n"}},
		{"writefile not first", "x := 1\n%%writefile a.txt", "x := 1\n", 0,
			[]Magic{{Pos: pos(2), Kind: MagicOther, Name: "writefile", Args: []string{"a.txt"}, Text: "%%writefile a.txt"}}, nil},
		{"bash cell", "%%bash\necho $HOME", "\n", 0,
			[]Magic{{Pos: pos(1), Kind: MagicOther, Name: "bash", Text: "%%bash"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := readOneCell(t, tt.src)
			if diff := cmp.Diff(tt.wantCode, c.Code); diff != "" {
				t.Errorf("Code (-want +got):\n%s", diff)
			}
			if c.MainLine != tt.wantMain {
				t.Errorf("MainLine = %d, want %d", c.MainLine, tt.wantMain)
			}
			if diff := cmp.Diff(tt.wantMagic, c.Magics); diff != "" {
				t.Errorf("Magics (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantFile, c.WriteFile); diff != "" {
				t.Errorf("WriteFile (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDirectives(t *testing.T) {
	at := func(line, col int) Pos { return Pos{File: "nb.ipynb", Cell: 1, Line: line, Col: col} }
	tests := []struct {
		name    string
		src     string
		want    []Directive
		wantErr []string
	}{
		{"step with options", "//zen:step train cache=off retries=3 timeout=2m cache_version=v2\nx := 1",
			[]Directive{{Pos: at(1, 1), Line: 1, Name: "step", Args: []string{"train"},
				Options: map[string]string{"cache": "off", "retries": "3", "timeout": "2m", "cache_version": "v2"}}}, nil},
		{"indented in doc comment", "// Train fits.\n\t//zen:step\nfunc Train() {}",
			[]Directive{{Pos: at(2, 2), Line: 2, Name: "step"}}, nil},
		{"all the others", "//zen:params\n//zen:skip\n//zen:after load\n//zen:output w b\n//zen:metric loss\n//zen:pipeline churn\n//zen:pipeline\n//zen:nocheck",
			[]Directive{
				{Pos: at(1, 1), Line: 1, Name: "params"},
				{Pos: at(2, 1), Line: 2, Name: "skip"},
				{Pos: at(3, 1), Line: 3, Name: "after", Args: []string{"load"}},
				{Pos: at(4, 1), Line: 4, Name: "output", Args: []string{"w", "b"}},
				{Pos: at(5, 1), Line: 5, Name: "metric", Args: []string{"loss"}},
				{Pos: at(6, 1), Line: 6, Name: "pipeline", Args: []string{"churn"}},
				{Pos: at(7, 1), Line: 7, Name: "pipeline"},
				{Pos: at(8, 1), Line: 8, Name: "nocheck"},
			}, nil},
		{"space after slashes is a comment", "// zen:step x\nx := 1", nil, nil},
		{"inside raw string", "s := `\n//zen:step x\n`", nil, nil},
		{"unknown", "//zen:setp load", nil, []string{
			"nb.ipynb:cell 1:1:1: unknown directive //zen:setp",
			"\thint: did you mean //zen:step? known directives: //zen:step, //zen:params, //zen:skip, //zen:after, //zen:output, //zen:metric, //zen:pipeline, //zen:nocheck, //zen:codec"}},
		{"unknown far", "//zen:frobnicate", nil, []string{
			"nb.ipynb:cell 1:1:1: unknown directive //zen:frobnicate",
			"\thint: known directives: //zen:step, //zen:params, //zen:skip, //zen:after, //zen:output, //zen:metric, //zen:pipeline, //zen:nocheck, //zen:codec"}},
		{"invalid step name", "//zen:step Load-Data", nil, []string{
			`nb.ipynb:cell 1:1:12: invalid step name "Load-Data": step names are [a-z][a-z0-9_]*`,
			`	hint: for example "load_data"`}},
		{"camel step name", "//zen:step LoadData", nil, []string{
			`nb.ipynb:cell 1:1:12: invalid step name "LoadData": step names are [a-z][a-z0-9_]*`,
			`	hint: for example "load_data"`}},
		{"step without name outside func", "//zen:step cache=on\nx := 1", nil, []string{
			"nb.ipynb:cell 1:1:1: //zen:step needs a step name",
			"\thint: write //zen:step NAME, or put //zen:step in the doc comment of a func to make that func a step"}},
		{"bad timeout", "//zen:step a timeout=-1s", nil, []string{
			"nb.ipynb:cell 1:1:14: step option timeout=-1s: want a positive Go duration",
			"\thint: for example timeout=90s or timeout=1h30m"}},
		{"option typo", "//zen:step a retrys=2", nil, []string{
			`nb.ipynb:cell 1:1:14: unknown step option "retrys"`,
			"\thint: did you mean retries? known options: cache, retries, timeout, cache_version"}},
		{"duplicate option", "//zen:step a cache=on cache=off", nil, []string{
			`nb.ipynb:cell 1:1:23: step option "cache" given twice`}},
		{"output needs names", "//zen:output", nil, []string{
			"nb.ipynb:cell 1:1:1: //zen:output needs the names of one or more variables"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nb, err := ReadIPYNB("nb.ipynb", notebookJSON("gonb", tt.src))
			if diff := cmp.Diff(tt.wantErr, errorLines(err)); diff != "" {
				t.Fatalf("errors (-want +got):\n%s", diff)
			}
			if err != nil {
				return
			}
			if diff := cmp.Diff(tt.want, nb.Cells[0].Directives, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Directives (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTags(t *testing.T) {
	cellPos := Pos{File: "nb.ipynb", Cell: 1}
	tests := []struct {
		tags    []string
		want    []Directive
		wantErr []string
	}{
		{[]string{"step:load"}, []Directive{{Pos: cellPos, Name: "step", Args: []string{"load"}, FromTag: true}}, nil},
		{[]string{"parameters", "skip", "nbval-skip", "raises-exception"}, []Directive{
			{Pos: cellPos, Name: "params", FromTag: true},
			{Pos: cellPos, Name: "skip", FromTag: true},
			{Pos: cellPos, Name: "nocheck", FromTag: true},
			{Pos: cellPos, Name: "nocheck", FromTag: true},
		}, nil},
		{[]string{"after:load", "prev:clean"}, []Directive{
			{Pos: cellPos, Name: "after", Args: []string{"load"}, FromTag: true},
			{Pos: cellPos, Name: "after", Args: []string{"clean"}, FromTag: true},
		}, nil},
		{[]string{"zen:step:fit", "zen:skip"}, []Directive{
			{Pos: cellPos, Name: "step", Args: []string{"fit"}, FromTag: true},
			{Pos: cellPos, Name: "skip", FromTag: true},
		}, nil},
		{[]string{"hide-input", "remove-cell", "colab:xyz", "papermill-error-cell-tag"}, nil, nil},
		{[]string{"step:"}, nil, []string{`nb.ipynb:cell 1: invalid step name "": step names are [a-z][a-z0-9_]*`, `	hint: for example "step"`}},
		{[]string{"step:Bad-Name"}, nil, []string{`nb.ipynb:cell 1: invalid step name "Bad-Name": step names are [a-z][a-z0-9_]*`, `	hint: for example "bad_name"`}},
		{[]string{"stepp:x"}, nil, []string{`nb.ipynb:cell 1: unknown tag "stepp:x"`, `	hint: did you mean "step:x"?`}},
		{[]string{"zen:output"}, nil, []string{`nb.ipynb:cell 1: unknown tag "zen:output"`,
			`	hint: //zen:output has no tag form: write it as a comment in the cell`}},
		{[]string{"zen:skp"}, nil, []string{`nb.ipynb:cell 1: unknown tag "zen:skp"`,
			`	hint: did you mean "zen:skip"? zen: tags are zen:step:NAME, zen:after:NAME, zen:params, zen:skip, zen:nocheck`}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.tags, ","), func(t *testing.T) {
			nb := map[string]any{
				"nbformat": 4, "nbformat_minor": 5,
				"metadata": map[string]any{"kernelspec": map[string]string{"name": "gonb"}},
				"cells":    []any{map[string]any{"cell_type": "code", "metadata": map[string]any{"tags": tt.tags}, "outputs": []any{}, "source": "x := 1"}},
			}
			data, _ := json.Marshal(nb)
			got, err := ReadIPYNB("nb.ipynb", data)
			if diff := cmp.Diff(tt.wantErr, errorLines(err)); diff != "" {
				t.Fatalf("errors (-want +got):\n%s", diff)
			}
			if err != nil {
				return
			}
			if diff := cmp.Diff(tt.want, got.Cells[0].Directives, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Directives (-want +got):\n%s", diff)
			}
		})
	}
}
