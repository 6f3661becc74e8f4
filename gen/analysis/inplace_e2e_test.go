package analysis

import "testing"

// TestInPlaceChangesReachLaterSteps runs a step that sorts and clears
// variables an earlier step defined: the step that prints them must see
// them changed, as the notebook did, on the first run and the cached one.
// The pipeline used to pass the earlier step's values on unchanged
// (`xs [3 1 2] ys [b a] m map[a:1]`).
func TestInPlaceChangesReachLaterSteps(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command on generated modules")
	}
	p := analyze(t, notebook(t, "gophernotes",
		code("import (\n\t\"fmt\"\n\t\"slices\"\n\t\"sort\"\n)"),
		code("//zen:step load\nxs := []int{3, 1, 2}\nys := []string{\"b\", \"a\"}\nm := map[string]int{\"a\": 1}\nfmt.Println(\"loaded\")"),
		code("//zen:step change\nsort.Ints(xs)\nslices.Sort(ys)\nclear(m)\nfmt.Println(\"changed\")"),
		code("//zen:step show\nfmt.Println(\"xs\", xs, \"ys\", ys, \"m\", m)"),
	), Config{})
	want := "xs [1 2 3] ys [a b] m map[]\n"
	runPrintsCheck(t, p, 2, nil, 0, []printsWant{{"show", want, "", want}})
}

// TestChangesThroughCopiesReachLaterSteps runs a step that changes
// variables an earlier step defined through copies sharing their memory:
// a pointer copied to a local and the rows of a slice of slices. The
// pipeline used to pass the earlier values on (`n 0 grid [[1] [2]]`).
func TestChangesThroughCopiesReachLaterSteps(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command on generated modules")
	}
	p := analyze(t, notebook(t, "gophernotes",
		code("import \"fmt\"\n\ntype box struct{ N int }"),
		code("//zen:step load\nb := &box{}\ngrid := [][]int{{1}, {2}}\nfmt.Println(\"loaded\")"),
		code("//zen:step change\np := b\np.N = 7\nfor _, row := range grid {\n\trow[0] *= 10\n}\nfmt.Println(\"changed\")"),
		code("//zen:step show\nfmt.Println(\"n\", b.N, \"grid\", grid)"),
	), Config{})
	want := "n 7 grid [[10] [20]]\n"
	runPrintsCheck(t, p, 2, nil, 0, []printsWant{{"show", want, "", want}})
}
