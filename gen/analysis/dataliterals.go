package analysis

import (
	"go/ast"
	"go/token"
	"go/types"
	"math"
	"strconv"
	"strings"
)

// Notebooks embed data tables as Go: one cell of megabytes holding a slice
// literal of a million numbers. go/types spends most of a generate on such
// a cell, parsing every constant into an exact value and recording its type,
// which nothing after the check reads. So the check sees only the first
// element of a large slice literal of plain constants, and each hidden
// element is then proved to be one go/types accepts: a decimal number
// that fits the element type (a float by a margin no rounding can cross),
// or a string. When any hidden element cannot be proved so (a hex literal, an
// int that does not fit, a literal whose type is not a slice of a basic
// type), the whole file is checked again with every element, so that a
// type error and its wording are go/types' own.

// minDataElements is the element count from which a literal is checked by
// proof: below it go/types' cost does not matter, and ordinary notebooks
// keep the plain check.
const minDataElements = 256

// dataLiterals are the literals whose elements a check does not see.
type dataLiterals []hiddenElements

type hiddenElements struct {
	lit  *ast.CompositeLit
	elts []ast.Expr
}

// hideData hides from a type check all elements but the first of every
// large literal in file whose elements are basic literals, signed or not,
// and whose type may be a slice: written as one, or elided or named, which
// restore checks (an array's type depends on its element count, so one
// written as an array is never hidden). restore must follow the check.
func hideData(file *ast.File) dataLiterals {
	var hidden dataLiterals
	ast.Inspect(file, func(n ast.Node) bool {
		lit, ok := n.(*ast.CompositeLit)
		if !ok || len(lit.Elts) < minDataElements {
			return true
		}
		if at, ok := lit.Type.(*ast.ArrayType); ok && at.Len != nil {
			return true
		}
		for _, e := range lit.Elts {
			if _, _, ok := signedLiteral(e); !ok {
				return true
			}
		}
		hidden = append(hidden, hiddenElements{lit: lit, elts: lit.Elts})
		lit.Elts = lit.Elts[:1]
		return false
	})
	return hidden
}

// restore gives the literals their elements back and reports whether
// go/types would have accepted every hidden one, given what the check of
// the rest recorded in info. When it reports false, the file must be
// checked again in full.
func (d dataLiterals) restore(info *types.Info) bool {
	ok := true
	for _, h := range d {
		h.lit.Elts = h.elts
		if ok && !elementsAccepted(info.Types[h.lit].Type, h.elts[1:]) {
			ok = false
		}
	}
	return ok
}

// elementsAccepted reports whether every element, each a basic literal
// with or without a sign, is provably assignable to the element type of a literal of type t.
func elementsAccepted(t types.Type, elts []ast.Expr) bool {
	if t == nil {
		return false
	}
	slice, ok := t.Underlying().(*types.Slice)
	if !ok {
		return false
	}
	elem, ok := slice.Elem().Underlying().(*types.Basic)
	if !ok {
		return false
	}
	for _, e := range elts {
		if sign, lit, _ := signedLiteral(e); !constantFits(sign, lit, elem) {
			return false
		}
	}
	return true
}

// signedLiteral splits a data element, a basic literal with or without a
// sign: -1.5 is a unary minus on 1.5. sign is "", "-" or "+".
func signedLiteral(e ast.Expr) (sign string, lit *ast.BasicLit, ok bool) {
	if u, isUnary := e.(*ast.UnaryExpr); isUnary && (u.Op == token.SUB || u.Op == token.ADD) {
		sign, e = u.Op.String(), u.X
	}
	lit, ok = e.(*ast.BasicLit)
	return sign, lit, ok
}

// constantFits reports whether the untyped constant lit, with its sign,
// is representable as t. It answers false whenever it is not sure: the
// caller then asks go/types.
func constantFits(sign string, lit *ast.BasicLit, t *types.Basic) bool {
	switch {
	case t.Info()&types.IsString != 0:
		if sign != "" || lit.Kind != token.STRING {
			return false
		}
		_, err := strconv.Unquote(lit.Value)
		return err == nil
	case t.Info()&types.IsInteger != 0:
		if lit.Kind != token.INT || !plainDecimal(lit.Kind, lit.Value) {
			return false
		}
		bits := integerBits(t.Kind())
		if bits == 0 {
			return false
		}
		var err error
		switch {
		case t.Info()&types.IsUnsigned == 0:
			_, err = strconv.ParseInt(sign+lit.Value, 10, bits)
		case sign == "-":
			// Only -0 fits; rare enough to leave to go/types.
			return false
		default:
			_, err = strconv.ParseUint(lit.Value, 10, bits)
		}
		return err == nil
	case t.Kind() == types.Float64 || t.Kind() == types.Float32:
		if lit.Kind != token.INT && lit.Kind != token.FLOAT || !plainDecimal(lit.Kind, lit.Value) {
			return false
		}
		// Far from the largest finite value, no difference in rounding
		// between strconv and go/constant can overflow; underflow to zero
		// is no error in either.
		limit := 1e300
		if t.Kind() == types.Float32 {
			limit = 1e38
		}
		f, err := strconv.ParseFloat(lit.Value, 64)
		return err == nil && math.Abs(f) < limit
	}
	return false
}

// plainDecimal reports whether a number literal is written in decimal
// digits, without underscores: digits with at most one point and an
// optional exponent. An integer with a leading zero is octal, so it is not.
func plainDecimal(kind token.Token, s string) bool {
	mantissa, exponent, hasExponent := s, "", false
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mantissa, exponent, hasExponent = s[:i], s[i+1:], true
	}
	whole, fraction, _ := strings.Cut(mantissa, ".")
	if whole+fraction == "" || !allDigits(whole) || !allDigits(fraction) {
		return false
	}
	if kind == token.INT && len(s) > 1 && s[0] == '0' {
		return false
	}
	if hasExponent {
		if exponent != "" && (exponent[0] == '+' || exponent[0] == '-') {
			exponent = exponent[1:]
		}
		return exponent != "" && allDigits(exponent)
	}
	return true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// integerBits is the size of an integer kind for strconv, 0 for the kinds
// it leaves to go/types.
func integerBits(k types.BasicKind) int {
	switch k {
	case types.Int, types.Int64, types.Uint, types.Uint64, types.Uintptr:
		return 64
	case types.Int32, types.Uint32:
		return 32
	case types.Int16, types.Uint16:
		return 16
	case types.Int8, types.Uint8:
		return 8
	}
	return 0
}
