package emit

import (
	"bytes"
	"go/format"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tableContexts place a table's body where generated code holds tables:
// in a step body, one level deeper in a call, in an aligned var block,
// behind a key and in a struct.
var tableContexts = []struct{ before, after string }{
	{"package p\n\nfunc f() {\n\tdata := []float64{\n", "\n\t}\n\t_ = data\n}\n"},
	{"package p\n\nfunc f() {\n\tif true {\n\t\tg([]string{\n", "\n\t\t}...)\n\t}\n}\n"},
	{"package p\n\nvar (\n\ta   = 1 // one\n\tbcd = []int{\n", "\n\t} // two\n\te = 2 // three\n)\n"},
	{"package p\n\nvar m = map[string][]int{\n\t\"k\": {\n", "\n\t},\n}\n"},
	{"package p\n\nvar t = T{\n", "\n}\n"},
}

// tableSeeds are table bodies in gofmt's form and near it, with whether
// they are set aside: the form a table must have, and every way to miss it.
var tableSeeds = []struct {
	body  string
	aside bool
}{
	{"\t0.000, 1.000, 2.000, 3.000,\n\t1.001, 2.001, 3.001, 4.001,", true},
	{"1, 2, 3,\n4, 5, 6,", true},
	{"  1, 2,\n        3,", true},
	{"\t\"a\", `b`, 'c', \"d\\\"e, f\",\n\t\"g\",", true},
	{"\t1,  2,\n\t3,", false},
	{"\t1, 2, \n\t3,", false},
	{"\t1, 2,\n\n\t3,", false},
	{"\t1, 2, // c\n\t3,", false},
	{"\t1, /* c */ 2,\n\t3,", false},
	{"\t1E5, 0X1F, 0x1P-2, 0O17, 0B1,\n\t2,", false},
	{"\t1e5, 0x1F, 0x1p-2, 0o17, 0b1, 1_000, 0777,\n\t2,", true},
	{"\t1i, 2,\n\t3,", false},
	{"\t`a\nb`, 1,\n\t2,", false},
	{"\t{1, 2},\n\t{3, 4},", false},
	{"\t{\n\t\t1, 2,\n\t\t3, 4,\n\t},\n\t{\n\t\t5,\n\t},", true},
	{"\t1, 2,\r\n\t3,", false},
	{"\t1, 2,\n\t3", false},
	{"\tx, 2,\n\t3,", false},
	{"\t-1, +2.5, -0.5e-3, -0,\n\t3, -4,", true},
	{"\t- 1, 2,\n\t3,", false},
	{"\t-\n1, 2,\n\t3,", false},
	{"\t- -1, 2,\n\t3,", false},
	{"\t-\"x\", 1,\n\t2,", false},
	{"\t-1E5, 2,\n\t3,", false},
	{"\t1,2,\n\t3,", false},
}

// checkTableFormatting fails when formatting src with its tables set aside
// differs from gofmt's output, and reports whether a table was set aside.
func checkTableFormatting(t *testing.T, src []byte) bool {
	t.Helper()
	want, err := format.Source(src)
	if err != nil {
		return false
	}
	got, err := formatGo(src, nil, false)
	if err != nil {
		t.Fatalf("formatGo: %v\n%s", err, src)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("with tables set aside:\n%s\ngofmt:\n%s\nsource:\n%s", got, want, src)
	}
	_, aside := setAsideData(src)
	return aside != nil
}

func FuzzTablesSetAside(f *testing.F) {
	defer setMinDataBytes(0)()
	for _, seed := range tableSeeds {
		for i := range tableContexts {
			f.Add(seed.body, i)
		}
	}
	f.Fuzz(func(t *testing.T, body string, context int) {
		if context < 0 || context >= len(tableContexts) {
			return
		}
		c := tableContexts[context]
		checkTableFormatting(t, []byte(c.before+body+c.after))
	})
}

// TestTablesSetAsideAsGofmt checks the seeds in every context, and that
// the tables in gofmt's form are set aside, so that the comparison tests
// the path large notebooks take.
func TestTablesSetAsideAsGofmt(t *testing.T) {
	defer setMinDataBytes(0)()
	for _, seed := range tableSeeds {
		for _, c := range tableContexts {
			if aside := checkTableFormatting(t, []byte(c.before+seed.body+c.after)); aside != seed.aside {
				t.Errorf("table %q set aside: %v, want %v", seed.body, aside, seed.aside)
			}
		}
	}
}

// TestGoldenFilesStayAsGofmt formats every generated file of the golden
// trees with any literal list set aside as a table: each is gofmt's
// output already, so it must come back unchanged.
func TestGoldenFilesStayAsGofmt(t *testing.T) {
	defer setMinDataBytes(0)()
	set := 0
	err := filepath.WalkDir("../../golden", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") {
			return err
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if checkTableFormatting(t, src) {
			set++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if set == 0 {
		t.Error("no golden file has a table to set aside")
	}
}

// setMinDataBytes sets minDataBytes for a test and returns what restores it.
func setMinDataBytes(n int) func() {
	old := minDataBytes
	minDataBytes = n
	return func() { minDataBytes = old }
}
