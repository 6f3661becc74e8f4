//go:build ignore

// %% [markdown]
// # Talk
//
// A step for the Temporal orchestrator's streaming test: it prints two
// lines, then waits for a file named go in $ZEN_TEST_MARK (which the test
// creates once the submitting terminal has shown those lines), then prints
// more, the last line without its newline.

// %%
import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// %% tags=["step:talk"]
fmt.Println("ready 1")
fmt.Println("ready 2")
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
fmt.Println("went")
fmt.Print("bye")
