//go:build ignore

// %% [markdown]
// # Comments
//
// The comments of a step's code are the notebook's text: they stay in the
// generated step, where they are comments and nothing else.

// %%
import "fmt"

// %% tags=["step:load"]
//zen:output xs
// Readings, in metres. This step prints nothing, so it needs no zg_out.
xs := []float64{1, 2, 3}

// %% tags=["step:total"]
// Sum the readings.
total := 0.0 // metres
for _, x := range xs {
	total += x // no overflow at this size
}

/* Report it. */
fmt.Println("total:", total)
// The end of the cell.
