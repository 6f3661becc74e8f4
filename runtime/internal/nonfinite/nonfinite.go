// Package nonfinite names the float values JSON lacks. The JSON codec
// stores NaN and the infinities under these names and cat shows them so;
// one spelling keeps the two in step.
package nonfinite

import "math"

// Name returns "NaN", "+Inf" or "-Inf" for a non-finite f, and false for
// a finite one.
func Name(f float64) (string, bool) {
	switch {
	case math.IsNaN(f):
		return "NaN", true
	case math.IsInf(f, 1):
		return "+Inf", true
	case math.IsInf(f, -1):
		return "-Inf", true
	}
	return "", false
}
