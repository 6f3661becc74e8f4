package parser

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden reads every input in testdata/ and testdata/errors/ and
// compares the notebook (as JSON) or the error list with NAME.golden. On a
// mismatch it writes NAME.golden.actual beside it. Scripts are stored as
// NAME.go.txt and read as NAME.go: they are not Go source, and gofmt and
// go vet walk testdata folders.
func TestGolden(t *testing.T) {
	var inputs []string
	for _, pattern := range []string{"testdata/*.ipynb", "testdata/*.go.txt", "testdata/errors/*.ipynb", "testdata/errors/*.go.txt"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, m...)
	}
	if len(inputs) == 0 {
		t.Fatal("no inputs in testdata")
	}
	for _, in := range inputs {
		t.Run(in, func(t *testing.T) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			nb, err := Read(strings.TrimSuffix(filepath.Base(in), ".txt"), data)
			wantErr := strings.HasPrefix(in, filepath.Join("testdata", "errors"))
			var got []byte
			switch {
			case err != nil && !wantErr:
				t.Fatalf("unexpected error:\n%v", err)
			case err == nil && wantErr:
				t.Fatalf("no error for %s", in)
			case err != nil:
				got = []byte(err.Error() + "\n")
			default:
				got, err = json.MarshalIndent(nb, "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, '\n')
			}
			golden := in + ".golden"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				if err := os.WriteFile(golden+".actual", got, 0o644); err != nil {
					t.Fatal(err)
				}
				t.Errorf("%s differs from %s.actual (-want +got):\n%s", golden, golden, cmp.Diff(string(want), string(got)))
			}
		})
	}
}
