package runtime_test

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	zen "github.com/zengen-dev/zengen/runtime"
)

func ExampleJSON() {
	var buf bytes.Buffer
	// Map keys come out sorted and "&" is not HTML-escaped, so the same
	// value always has the same bytes and so the same digest.
	zen.JSON[map[string]string]().Encode(&buf, map[string]string{"b": "x&y", "a": "<z>"})
	fmt.Print(buf.String())
	// Output: {"a":"<z>","b":"x&y"}
}

func ExampleNumeric() {
	var buf bytes.Buffer
	zen.Numeric[[]float64]().Encode(&buf, []float64{0.5, 1.5})
	fmt.Println(buf.Len(), "bytes: a 16-byte header and two 8-byte floats")

	// The header names the element type, so a mismatched decode fails
	// instead of reinterpreting the bits.
	_, err := zen.Numeric[[]int32]().Decode(&buf)
	fmt.Println(err)
	// Output:
	// 32 bytes: a 16-byte header and two 8-byte floats
	// numeric: artifact holds float64 elements, cannot decode them as int32
}

// Label is a notebook type with its own storage format.
type Label string

// labelCodec stores labels as lines of text, for the sake of the example.
type labelCodec struct{}

func (labelCodec) Name() string { return "label-v1" }

func (labelCodec) Encode(w io.Writer, l Label) error {
	_, err := io.WriteString(w, "label:"+string(l)+"\n")
	return err
}

func (labelCodec) Decode(r io.Reader) (Label, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return "", err
	}
	s, ok := strings.CutPrefix(strings.TrimSuffix(string(b), "\n"), "label:")
	if !ok {
		return "", fmt.Errorf("label-v1: unexpected artifact %q", b)
	}
	return Label(s), nil
}

func ExampleRegister() {
	// In an init function of a file beside the notebook: every artifact of
	// type Label is stored with labelCodec, whatever zengen generated.
	zen.Register[Label](labelCodec{})
	fmt.Println("registered")
	// Output: registered
}
