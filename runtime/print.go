package runtime

import (
	"fmt"
	"io"
	"reflect"
	"strconv"
)

// Print writes args to w as the builtin print writes them to the process's
// standard error: operands with no separator, each formatted as the Go
// runtime formats a value of its basic type. Generated code calls it for
// the notebook's print(…), with the step's stderr, so that the output is
// the step's. It panics on an operand of a non-basic type, which zengen
// never routes here.
func Print(w io.Writer, args ...any) {
	var b []byte
	for _, a := range args {
		b = appendBuiltin(b, a)
	}
	w.Write(b)
}

// Println is Print for println: operands separated by spaces, then a
// newline.
func Println(w io.Writer, args ...any) {
	var b []byte
	for i, a := range args {
		if i > 0 {
			b = append(b, ' ')
		}
		b = appendBuiltin(b, a)
	}
	w.Write(append(b, '\n'))
}

// appendBuiltin formats one operand as runtime/print.go does.
func appendBuiltin(b []byte, a any) []byte {
	v := reflect.ValueOf(a)
	switch v.Kind() {
	case reflect.Bool:
		return strconv.AppendBool(b, v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(b, v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.AppendUint(b, v.Uint(), 10)
	case reflect.Float32:
		return strconv.AppendFloat(b, v.Float(), 'g', -1, 32)
	case reflect.Float64:
		return strconv.AppendFloat(b, v.Float(), 'g', -1, 64)
	case reflect.Complex64:
		return append(b, strconv.FormatComplex(v.Complex(), 'g', -1, 64)...)
	case reflect.Complex128:
		return append(b, strconv.FormatComplex(v.Complex(), 'g', -1, 128)...)
	case reflect.String:
		return append(b, v.String()...)
	}
	panic(fmt.Sprintf("zen.Print: %T is not a basic type", a))
}
