//go:build ignore

// %% [markdown]
// Request latencies: which requests were slow, and how slow on average.

// %%
import (
	"fmt"
	"strconv"
	"strings"
)

// requests slower than this many milliseconds are slow
slowMs := 250.0
source := "120 480 95 310 260 80"

// %% [markdown]
// # Parse the <span style="color:gray">raw</span> latencies, one number of milliseconds per request, as the load balancer logs them

// %%
var latencies []float64
for _, field := range strings.Fields(source) {
	ms, err := strconv.ParseFloat(field, 64)
	if err != nil {
		panic(err)
	}
	latencies = append(latencies, ms)
}
fmt.Println(len(latencies), "requests")

// %% [markdown]
// ## Slow requests

// %%
slow := 0
total := 0.0
for _, ms := range latencies {
	if ms > slowMs {
		slow++
		total += ms
	}
}
fmt.Printf("%d slow, %.1f ms on average\n", slow, total/float64(slow))
