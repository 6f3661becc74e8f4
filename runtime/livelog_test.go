package runtime

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// TestRunningStepOutputReachesTheStore: what a step has printed is in the
// store while it still runs, for the dashboard to show; once the step ends
// its final record alone holds its log, all of it.
func TestRunningStepOutputReachesTheStore(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	slow := &Step{Name: "slow", Func: "Slow", CodeHash: "code-slow", Pos: "test.ipynb:cell 1",
		Run: func(ctx context.Context, sc *StepContext) error {
			fmt.Println("epoch 1 of 2")
			close(started)
			select {
			case <-release:
			case <-time.After(time.Minute):
				return fmt.Errorf("never released")
			}
			fmt.Println("epoch 2 of 2")
			return nil
		}}
	p := &Pipeline{Name: "livelog", Steps: []*Step{slow}}
	home := t.TempDir()
	ran := make(chan result, 1)
	go func() { ran <- execIn(t, context.Background(), p, home, "run") }()
	<-started
	db := openTestDB(t, home)
	var live []meta.LiveLog
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		run, err := db.ResolveRun(t.Context(), p.Name, "latest")
		if err != nil {
			t.Fatal(err)
		}
		if live, err = db.LiveLogs(t.Context(), run.ID); err != nil {
			t.Fatal(err)
		}
		if len(live) > 0 {
			break
		}
	}
	close(release)
	if diff := cmp.Diff([]meta.LiveLog{{Step: "slow", Text: "epoch 1 of 2\n"}}, live); diff != "" {
		t.Errorf("the store's output of the running step (-want +got):\n%s", diff)
	}
	if r := <-ran; r.code != 0 {
		t.Fatalf("run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	run, _ := db.ResolveRun(t.Context(), p.Name, "latest")
	if live, err := db.LiveLogs(t.Context(), run.ID); err != nil || len(live) != 0 {
		t.Errorf("live logs once the run ended: %+v, %v; want none", live, err)
	}
	if got := execIn(t, t.Context(), p, home, "logs", "latest", "slow").stdout; got != "epoch 1 of 2\nepoch 2 of 2\n" {
		t.Errorf("logs latest slow = %q, want both epochs", got)
	}
}
