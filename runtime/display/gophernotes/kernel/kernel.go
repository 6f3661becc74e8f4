// Package kernel holds Display, the function gophernotes declares in every
// notebook. Generated code imports it with a dot, so that the notebook's
// Display(display.HTML(s)) stays as written.
package kernel

import display "github.com/zengen-dev/zengen/runtime/display/gophernotes"

// Display stores d as a display of the running step (display.Show). Its
// error result is gophernotes'; a display that cannot be stored panics
// instead, so that an ignored error cannot lose it.
func Display(d display.Data) error {
	display.Show(d)
	return nil
}
