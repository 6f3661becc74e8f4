package analysis

import (
	"go/ast"
	goparser "go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"
)

// dataElementTypes are the element types a data literal's proof knows,
// and some it must leave to go/types.
var dataElementTypes = []string{
	"float64", "float32", "int", "int8", "int16", "int32", "int64",
	"uint", "uint8", "uint16", "uint32", "uint64", "uintptr", "byte", "rune",
	"string", "complex128", "bool", "any", "celsius",
}

// dataLiteralSeeds are literals near every edge of the proof: bases,
// underscores, octal zeros, exponents, signs, the limits of each size,
// runes, imaginaries and strings.
var dataLiteralSeeds = []string{
	"0", "1", "00", "07", "08.5", "0777", "0x1F", "0X1p-2", "0b101", "0o17", "1_000", "1_000.5",
	"1.5", ".5", "5.", "1e3", "1E3", "1e+3", "1e-3", "2.5e-3", "1e308", "1e309", "1.8e308", "1e300", "9.99e299",
	"1e38", "3.4e38", "3.5e38", "1e39", "1e-400", "1e-50",
	"127", "128", "-1", "255", "256", "32767", "32768", "65535", "65536",
	"2147483647", "2147483648", "4294967295", "4294967296",
	"9223372036854775807", "9223372036854775808", "18446744073709551615", "18446744073709551616",
	"123456789012345678901234567890", "1.0", "2.000", "'a'", "'\\n'", "1i", "0i", "1.5i",
	`"x"`, "`raw`", `"tab\t"`, `"\u00e9"`, `""`, "\"\\xff\"", "true", "nil",
	"-1", "+1", "-0", "+0", "-128", "-129", "-32768", "-32769", "-2147483648", "-2147483649",
	"-9223372036854775808", "-9223372036854775809", "-1.5", "-.5", "-1e308", "-1e309", "-3.5e38",
	"-0x1F", "-07", "-'a'", "-1i", `-"x"`, "+1.5",
}

// TestDataLiteralProofAgreesWithGoTypes checks, for every seed and element
// type, that a literal the proof accepts is one go/types accepts: the proof
// may only ever answer "ask go/types".
func TestDataLiteralProofAgreesWithGoTypes(t *testing.T) {
	proved := 0
	for _, lit := range dataLiteralSeeds {
		for _, typ := range dataElementTypes {
			if checkDataElement(t, lit, typ) {
				proved++
			}
		}
	}
	// The proof must also be worth having: decimal numbers and strings
	// in their types.
	if proved < 150 {
		t.Errorf("the proof accepted only %d literal and type pairs", proved)
	}
}

func FuzzDataLiteralProof(f *testing.F) {
	for _, lit := range dataLiteralSeeds {
		for i := range dataElementTypes {
			f.Add(lit, i)
		}
	}
	f.Fuzz(func(t *testing.T, lit string, typ int) {
		if typ < 0 || typ >= len(dataElementTypes) {
			return
		}
		checkDataElement(t, lit, dataElementTypes[typ])
	})
}

// checkDataElement reports whether the proof accepts lit as an element of
// a []typ literal, and fails the test when it does and go/types does not.
func checkDataElement(t *testing.T, lit, typ string) bool {
	t.Helper()
	e, err := goparser.ParseExpr(lit)
	if err != nil {
		return false
	}
	sign, basic, ok := signedLiteral(e)
	if !ok || sign+basic.Value != lit {
		return false
	}
	src := "package p\ntype celsius float64\nvar _ = []" + typ + "{" + lit + "}\n"
	fset := token.NewFileSet()
	file, err := goparser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		return false
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}}
	var errs []string
	conf := types.Config{Error: func(err error) { errs = append(errs, err.Error()) }}
	if _, err := conf.Check("p", fset, []*ast.File{file}, info); err != nil && len(errs) == 0 {
		return false
	}
	var composite *ast.CompositeLit
	ast.Inspect(file, func(n ast.Node) bool {
		if c, ok := n.(*ast.CompositeLit); ok {
			composite = c
		}
		return composite == nil
	})
	if !elementsAccepted(info.Types[composite].Type, composite.Elts) {
		return false
	}
	if len(errs) > 0 {
		t.Errorf("the proof accepts %s in a []%s, go/types does not: %s", lit, typ, strings.Join(errs, "; "))
	}
	return true
}

// TestDataLiteralsKeepTypesAndErrors analyses notebooks with literals large
// enough to be proved rather than checked: an array's length still comes
// from every element, and an element go/types refuses is still reported
// as go/types words it, once, at its place.
func TestDataLiteralsKeepTypesAndErrors(t *testing.T) {
	list := func(n int, bad map[int]string) string {
		var b strings.Builder
		for i := range n {
			v := bad[i]
			if v == "" {
				v = strings.Repeat("1", 1+i%3)
			}
			b.WriteString(v + ", ")
		}
		return b.String()
	}
	nb := notebook(t, "gophernotes",
		code("//zen:step load\nxs := []float64{"+list(minDataElements, map[int]string{7: "-2.5", 8: "+1"})+"}\ngrid := [...]int8{"+list(minDataElements+1, nil)+"}"),
		code("//zen:step use\nprintln(len(xs), len(grid))"))
	p := analyze(t, nb, Config{})
	if got := strings.Join(portSummary(stepNamed(t, p, "use").Inputs), " "); got != "xs []float64 numeric from=load grid [257]int8 value from=load" {
		t.Errorf("inputs of use: %s, want xs []float64 numeric from=load grid [257]int8 value from=load", got)
	}
	analyzeError(t, "", []cell{code("//zen:step load\nxs := []int8{" + list(minDataElements, map[int]string{100: "-128", 200: "128", 210: "-129"}) + "}\nprintln(len(xs))")},
		"nb.ipynb:cell 1:2:815: cannot use 128 (untyped int constant) as int8 value in array or slice literal (overflows)\n"+
			"nb.ipynb:cell 1:2:856: cannot use -129 (untyped int constant) as int8 value in array or slice literal (overflows)")
}
