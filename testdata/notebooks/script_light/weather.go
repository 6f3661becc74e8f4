//go:build ignore

// ---
// jupyter:
//   jupytext:
//     formats: ipynb,go:light
//     text_representation:
//       extension: .go
//       format_name: light
//       format_version: '1.5'
//       jupytext_version: 1.16.4
//   kernelspec:
//     display_name: Go
//     language: go
//     name: gophernotes
// ---

// # Weekly temperatures
//
// Summarises a week of readings: the mean, and the days warmer than it.
// The `//go:build ignore` line keeps this scratch file out of `go build ./...`.

// + tags=["parameters"]
readings := "12.5 14 9.5 17 21.5 18 11"

margin := 0.5
// -

// %env LC_ALL C
import (
	"fmt"
	"strconv"
	"strings"
)

// + tags=["step:parse"]
var temps []float64
for _, f := range strings.Fields(readings) {
	v, err := strconv.ParseFloat(f, 64)
	if err != nil {
		panic(err)
	}

	temps = append(temps, v)
}
fmt.Println("readings:", len(temps))
// -

// The mean of the week; a blank line inside the function does not split
// the cell.

func mean(xs []float64) float64 {
	sum := 0.0
	for _, x := range xs {
		sum += x

	}

	return sum / float64(len(xs))
}

// + tags=["step:summarize"]
m := mean(temps)
fmt.Printf("mean %.2f\n", m)

warm := 0
for i, t := range temps {
	if t > m+margin {
		fmt.Printf("day %d: %.1f\n", i+1, t)
		warm++
	}
}
// -

// ## Report

fmt.Println("warm days:", warm)
