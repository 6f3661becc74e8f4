//go:build ignore

// %% [markdown]
// # Streams
//
// A step for the Temporal orchestrator's test of stdout and stderr: it
// prints to both, a stdout line in two writes around a stderr line, then
// waits for a file named go in $ZEN_TEST_MARK (which the test creates once
// the submitting terminal has shown those lines), then prints more to
// both, the last line of each without its newline.

// %%
import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// %% tags=["step:streams"]
fmt.Println("out 1")
fmt.Fprintln(os.Stderr, "err 1")
fmt.Print("out ")
fmt.Fprintln(os.Stderr, "err 2")
fmt.Println("2")
waited := 0
for ; waited < 600; waited++ {
	if _, err := os.Stat(filepath.Join(os.Getenv("ZEN_TEST_MARK"), "go")); err == nil {
		break
	}
	time.Sleep(50 * time.Millisecond)
}
if waited == 600 {
	panic("no go within 30 s: the terminal never showed the lines printed before")
}
fmt.Fprintln(os.Stderr, "err 3")
fmt.Println("out 3")
fmt.Fprint(os.Stderr, "err 4")
fmt.Print("out 4")
