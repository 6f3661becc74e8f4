package runtime

import (
	"bytes"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zengen-dev/zengen/runtime/internal/cli"
	"gonum.org/v1/gonum/mat"
)

// TestCatShowsValueArtifacts: cat decodes a value artifact and shows every
// field, the numbers of a matrix behind MarshalBinary included.
func TestCatShowsValueArtifacts(t *testing.T) {
	type split struct {
		XTrain *mat.Dense
		Labels []string
		Names  map[string]int
		Loss   float64
		raw    string
	}
	v := split{
		XTrain: mat.NewDense(2, 2, []float64{1, 2.5, math.NaN(), -4}),
		Labels: []string{},
		Loss:   math.Inf(1),
		raw:    "\xff",
	}
	var buf bytes.Buffer
	if err := Value[split]().Encode(&buf, v); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := cli.DisplayArtifact(&out, "value", &buf, Shower(Value[split]())); err != nil {
		t.Fatal(err)
	}
	want := `{
  "XTrain": {
    "mat": {
      "Rows": 2,
      "Cols": 2,
      "Data": [
        1,
        2.5,
        "NaN",
        -4
      ],
      "Stride": 2
    },
    "capRows": 2,
    "capCols": 2
  },
  "Labels": [],
  "Names": null,
  "Loss": "+Inf",
  "raw": "\xff"
}
`
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("cat of a value artifact (-want +got):\n%s", diff)
	}
}
