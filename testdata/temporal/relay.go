//go:build ignore

// %% [markdown]
// # Relay
//
// Three steps for the Temporal orchestrator's tests: a source, a slow step
// that says which process runs it (a file named slow.PID.TIME
// in $ZEN_TEST_MARK) so a test can kill that worker, and a report.

// %% tags=["parameters"]
n := 4
pause := 3

// %%
import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// %% tags=["step:source"]
values := make([]int, n)
for i := range values {
	values[i] = i * i
}
fmt.Println("source", len(values))

// %% tags=["step:slow"]
if dir := os.Getenv("ZEN_TEST_MARK"); dir != "" {
	os.WriteFile(filepath.Join(dir, "slow."+strconv.Itoa(os.Getpid())+"."+strconv.FormatInt(time.Now().UnixNano(), 10)), nil, 0o644)
}
time.Sleep(time.Duration(pause) * time.Second)
total := 0
for _, v := range values {
	total += v
}
fmt.Println("total", total)

// %% tags=["step:report"]
report := fmt.Sprintf("n=%d total=%d", n, total)
fmt.Println(report)
