package proctest

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// TestHelperProcess is the hanging Go program of TestHungGoProgramShowsItsStacks.
func TestHelperProcess(t *testing.T) {
	if os.Getenv("PROCTEST_HANG") == "" {
		t.Skip("run by TestHungGoProgramShowsItsStacks")
	}
	time.Sleep(time.Hour)
}

// A Go program past its deadline prints its goroutines into the output the
// test shows, which then tells where it hung.
func TestHungGoProgramShowsItsStacks(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	cmd := CommandContext(ctx, os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), "PROCTEST_HANG=1")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("a hung program ended well:\n%s", out)
	}
	for _, want := range []string{"SIGQUIT", "goroutine ", "TestHelperProcess"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the output of a hung program lacks %q:\n%s", want, out)
		}
	}
}

// A process that leaves a child holding its output does not hold the test:
// the output closes WaitDelay after the process ended, not when the child
// does.
func TestOrphanHoldingTheOutputDoesNotHang(t *testing.T) {
	start := time.Now()
	out, err := Command(t, "sh", "-c", "sleep 120 & echo started").CombinedOutput()
	if waited := time.Since(start); waited > WaitDelay+30*time.Second {
		t.Fatalf("waited %s for a process whose child holds its output", waited)
	}
	if !strings.Contains(string(out), "started") {
		t.Errorf("output %q (%v), want the process's line", out, err)
	}
}
