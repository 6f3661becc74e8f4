//go:build ignore

// ---
// jupyter:
//   jupytext:
//     formats: ipynb,go:percent
//   kernelspec:
//     display_name: Go
//     language: go
//     name: gophernotes
// ---

// %% [markdown]
// # Tally
//
// A percent script paired with tally.ipynb: Jupyter runs the notebook and
// saves its outputs there, and the parity test compares with them.

// %% tags=["parameters"]
n := 4

// %%
import "fmt"

// %% tags=["step:squares"]
squares := make([]int, n)
for i := range squares {
	squares[i] = i * i
}
fmt.Println("squares:", squares)

// %% tags=["step:total"]
total := 0
for _, s := range squares {
	total += s
}
fmt.Printf("total %d\n", total)
