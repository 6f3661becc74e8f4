package ui

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// eventStream reads server-sent events.
type eventStream struct {
	t    *testing.T
	resp *http.Response
	r    *bufio.Reader
}

func openEvents(t *testing.T, url string) *eventStream {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || ct != "text/event-stream" {
		t.Fatalf("GET %s: %s, %s", url, resp.Status, ct)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return &eventStream{t: t, resp: resp, r: bufio.NewReader(resp.Body)}
}

// next returns the next event's name and data.
func (e *eventStream) next() (string, string) {
	e.t.Helper()
	var name, data string
	for {
		line, err := e.r.ReadString('\n')
		if err != nil {
			e.t.Fatalf("event stream ended: %v", err)
		}
		line = strings.TrimRight(line, "\n")
		switch {
		case line == "" && name != "":
			return name, data
		case strings.HasPrefix(line, "event: "):
			name = line[len("event: "):]
		case strings.HasPrefix(line, "data: "):
			data = line[len("data: "):]
		}
	}
}

// nextState waits for a state event whose steps satisfy ok.
func (e *eventStream) nextState(ok func(liveState, map[string]string) bool) liveState {
	e.t.Helper()
	for {
		name, data := e.next()
		if name != "state" {
			e.t.Fatalf("event %s %s, want a state", name, data)
		}
		var st liveState
		if err := json.Unmarshal([]byte(data), &st); err != nil {
			e.t.Fatal(err)
		}
		steps := map[string]string{}
		for _, s := range st.Steps {
			steps[s.Step] = s.Status
		}
		if ok(st, steps) {
			return st
		}
	}
}

// A page open on a running run gets each change the run's process
// records, from one watcher however many pages are open, and an end event
// when the run ends.
func TestLiveEventsFollowTheStore(t *testing.T) {
	f := newFixture(t, Options{Poll: 10 * time.Millisecond})
	srv := httptest.NewServer(f.srv)
	defer srv.Close()
	steps := trained(0.5)[:1]
	steps = append(steps, meta.StepRun{Step: "train", Status: meta.StepRunning})
	id := f.run(time.Now(), meta.RunRunning, `{}`, steps...)

	a := openEvents(t, srv.URL+"/runs/"+id+"/events")
	b := openEvents(t, srv.URL+"/runs/"+id+"/events")
	a.nextState(func(st liveState, s map[string]string) bool { return s["train"] == "running" })
	b.nextState(func(st liveState, s map[string]string) bool { return s["train"] == "running" })
	f.srv.live.mu.Lock()
	watchers, subs := len(f.srv.live.runs), len(f.srv.live.runs[id].subs)
	f.srv.live.mu.Unlock()
	if watchers != 1 || subs != 2 {
		t.Errorf("two pages on one run: %d watchers with %d subscribers, want 1 with 2", watchers, subs)
	}

	// The running step's output so far comes with the states, as the run
	// saves it.
	ctx := context.Background()
	train, err := f.db.StepRun(ctx, id, "train")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.db.SaveLiveLog(ctx, train.ID, "epoch 1\n", nil, 0, nil); err != nil {
		t.Fatal(err)
	}
	trainLog := func(st liveState) liveStep {
		for _, s := range st.Steps {
			if s.Step == "train" {
				return s
			}
		}
		return liveStep{}
	}
	a.nextState(func(st liveState, s map[string]string) bool { return trainLog(st).Log == "epoch 1\n" })
	if err := f.db.SaveLiveLog(ctx, train.ID, "epoch 2\n", nil, 2048, nil); err != nil {
		t.Fatal(err)
	}
	st := a.nextState(func(st liveState, s map[string]string) bool { return trainLog(st).Log == "epoch 2\n" })
	if got := trainLog(st).LeftOut; got != "2.0 KiB" {
		t.Errorf("the running step's left-out output reads %q, want 2.0 KiB", got)
	}

	train.Status, train.EndedAt = meta.StepSucceeded, time.Now()
	train.Log, train.Stdout = "epoch 1\nepoch 2\n", "epoch 1\nepoch 2\n"
	tx, err := f.db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.FinishStep(ctx, &train); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	st = a.nextState(func(st liveState, s map[string]string) bool { return s["train"] == "succeeded" })
	if got := trainLog(st).Log; got != "" {
		t.Errorf("an ended step's state carries the output %q saved while it ran", got)
	}

	if err := f.db.FinishRun(ctx, id, meta.RunSucceeded, "", time.Now()); err != nil {
		t.Fatal(err)
	}
	a.nextState(func(st liveState, s map[string]string) bool { return st.Status == meta.RunSucceeded })
	if name, _ := a.next(); name != "end" {
		t.Errorf("after the run's last state: event %s, want end", name)
	}
	// The fragment a live page swaps in for a step that ended.
	body := f.mustGet("/runs/" + id + "/steps/train")
	if !strings.HasPrefix(body, `<section class="step" id="step-train" data-step="train" data-status="succeeded">`) ||
		!strings.Contains(body, "<pre class=\"log\">epoch 1\nepoch 2\n</pre>") || strings.Contains(body, "so far") {
		t.Errorf("step fragment:\n%s", body)
	}
}

// Events of a run that has ended: its state, then the end, at once.
func TestLiveEventsOfAnEndedRun(t *testing.T) {
	f := newFixture(t, Options{Poll: 10 * time.Millisecond})
	srv := httptest.NewServer(f.srv)
	defer srv.Close()
	id := f.run(time.Now(), meta.RunSucceeded, `{}`, trained(0.5)...)
	e := openEvents(t, srv.URL+"/runs/"+id+"/events")
	e.nextState(func(st liveState, s map[string]string) bool { return st.Status == meta.RunSucceeded })
	if name, _ := e.next(); name != "end" {
		t.Errorf("event %s, want end", name)
	}
	if resp, _ := f.get("/runs/nope/events"); resp.StatusCode != 404 {
		t.Errorf("events of no run: %s, want 404", resp.Status)
	}
}
