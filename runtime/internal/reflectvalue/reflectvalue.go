// Package reflectvalue reaches values through reflect the way both the value
// codec and cat's renderer need: unexported fields included. It knows
// nothing about codecs or artifacts.
package reflectvalue

import (
	"reflect"
	"unsafe"
)

// Settable returns v without the read-only mark reflect puts on unexported
// fields, so that their methods can be called and their values set. v must
// be addressable.
func Settable(v reflect.Value) reflect.Value {
	if v.CanSet() {
		return v
	}
	return reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
}

// Addressable returns v itself when it is addressable, else a copy that is.
func Addressable(v reflect.Value) reflect.Value {
	if v.CanAddr() {
		return v
	}
	c := reflect.New(v.Type()).Elem()
	c.Set(v)
	return c
}
