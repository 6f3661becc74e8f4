//go:build ignore

// %% [markdown]
// # Retries
//
// Steps for the Temporal orchestrator's test of retries (retries=2): each
// fails its first attempt, without printing, and succeeds on the next.
// flaky's next attempt waits for a file named go in $ZEN_TEST_MARK (which
// the test creates once the submitting terminal has shown the retry); quick
// ends at once, so that its retry may reach the terminal only with its
// final record.

// %%
import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// %%
//zen:step flaky retries=2
tried := filepath.Join(os.Getenv("ZEN_TEST_MARK"), "flaky tried")
if _, err := os.Stat(tried); err != nil {
	os.WriteFile(tried, nil, 0o644)
	panic("flaky: first try")
}
waited := 0
for ; waited < 600; waited++ {
	if _, err := os.Stat(filepath.Join(os.Getenv("ZEN_TEST_MARK"), "go")); err == nil {
		break
	}
	time.Sleep(50 * time.Millisecond)
}
if waited == 600 {
	panic("no go within 30 s: the terminal never showed the retry")
}
fmt.Println("flaky ok")

// %%
//zen:step quick retries=2
quickTried := filepath.Join(os.Getenv("ZEN_TEST_MARK"), "quick tried")
if _, err := os.Stat(quickTried); err != nil {
	os.WriteFile(quickTried, nil, 0o644)
	panic("quick: first try")
}
fmt.Println("quick ok")
