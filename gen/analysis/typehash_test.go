package analysis

import (
	"testing"
)

// TestTypeHash pins what an output's type hash covers: a change to the
// fields, the methods (MarshalBinary decides the bytes) or what those
// reach changes it; a comment, a step's other code or another type does
// not; an input has its producer's.
func TestTypeHash(t *testing.T) {
	const (
		point   = "type Point struct {\n\tX, Y int\n}"
		marshal = "func (p Point) MarshalBinary() ([]byte, error) { return []byte{byte(p.X), byte(scale)}, nil }"
		scale   = "const scale = 2"
		load    = "//zen:step load\np := Point{X: 1, Y: 2}\nn := 3"
		use     = "//zen:step use\nfmt.Println(p, n)"
	)
	hashes := func(t *testing.T, cells ...string) (p, n, in string) {
		t.Helper()
		var cs []cell
		for _, c := range append([]string{"import \"fmt\""}, cells...) {
			cs = append(cs, code(c))
		}
		pl := analyze(t, notebook(t, "gophernotes", cs...), Config{})
		l, u := stepNamed(t, pl, "load"), stepNamed(t, pl, "use")
		for _, o := range l.Outputs {
			switch o.Name {
			case "p":
				p = o.TypeHash
			case "n":
				n = o.TypeHash
			}
		}
		for _, i := range u.Inputs {
			if i.Name == "p" {
				in = i.TypeHash
			}
		}
		if len(p) != 64 || len(n) != 64 {
			t.Fatalf("type hashes %q %q", p, n)
		}
		return p, n, in
	}
	base, baseN, in := hashes(t, point, marshal, scale, load, use)
	if in != base {
		t.Errorf("input p has type hash %s, its producer's output %s", in, base)
	}
	if base == baseN {
		t.Error("Point and int have the same type hash")
	}
	for _, c := range []struct {
		what  string
		cells []string
		same  bool
	}{
		{"a comment", []string{"// where\n" + point, marshal, scale, load, use}, true},
		{"the step's other code", []string{point, marshal, scale, load + "\nn++", use}, true},
		{"fields renamed", []string{"type Point struct {\n\tA, Y int\n}", "func (p Point) MarshalBinary() ([]byte, error) { return []byte{byte(p.A), byte(scale)}, nil }", scale, "//zen:step load\np := Point{A: 1, Y: 2}\nn := 3", use}, false},
		{"fields swapped", []string{"type Point struct {\n\tY, X int\n}", marshal, scale, load, use}, false},
		{"a method", []string{point, "func (p Point) MarshalBinary() ([]byte, error) { return []byte{byte(p.Y), byte(scale)}, nil }", scale, load, use}, false},
		{"what a method reaches", []string{point, marshal, "const scale = 3", load, use}, false},
	} {
		p, n, _ := hashes(t, c.cells...)
		if (p == base) != c.same {
			t.Errorf("%s: Point's type hash equal = %v, want %v", c.what, p == base, c.same)
		}
		if n != baseN {
			t.Errorf("%s: int's type hash changed", c.what)
		}
	}
}
