package ui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"sync"
	"time"

	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// Live updates of a running run. The run executes in another process (on
// another host, for a team stack), so its state comes from the store: one
// watcher per watched run reads it (one run row and its step rows, by
// index, and the output so far of its running steps) every poll interval and hands each change to every page open on
// the run as a server-sent event. A hundred open pages cost one query per
// interval, and browsers never poll. The watcher stops when the run ends
// or its last page closes.

// hub owns the watchers, one per run.
type hub struct {
	db     Store
	poll   time.Duration
	mu     sync.Mutex
	runs   map[string]*watcher
	ctx    context.Context
	cancel context.CancelFunc
}

// watcher reads one run's state for its subscribers.
type watcher struct {
	subs map[chan liveState]bool
	last *liveState
}

// liveState is what a page needs to redraw a run: the event's data.
type liveState struct {
	Status   string     `json:"status"`
	Duration string     `json:"duration"`
	Steps    []liveStep `json:"steps"`
	Error    string     `json:"error,omitempty"`
	final    bool       // the run has ended: the last event
	raw      []byte     // the JSON, computed once for every subscriber
}

type liveStep struct {
	Step     string `json:"step"`
	Status   string `json:"status"`
	Duration string `json:"duration"`
	// Log is a running step's output so far, the end of it as the run
	// saved it, and LeftOut the size of what came before, when anything
	// did.
	Log     string `json:"log,omitempty"`
	LeftOut string `json:"left_out,omitempty"`
}

func newHub(db Store, poll time.Duration) *hub {
	ctx, cancel := context.WithCancel(context.Background())
	return &hub{db: db, poll: poll, runs: map[string]*watcher{}, ctx: ctx, cancel: cancel}
}

func (h *hub) close() { h.cancel() }

// subscribe returns a channel of the run's states, starting with the
// latest known, and a function that ends the subscription. The channel
// holds one state: a slow page skips to the newest, never blocks the
// watcher. It is closed after the run's final state.
func (h *hub) subscribe(run string) (<-chan liveState, func()) {
	ch := make(chan liveState, 1)
	h.mu.Lock()
	w := h.runs[run]
	if w == nil {
		w = &watcher{subs: map[chan liveState]bool{}}
		h.runs[run] = w
		go h.watch(run, w)
	}
	w.subs[ch] = true
	if w.last != nil {
		ch <- *w.last
	}
	h.mu.Unlock()
	return ch, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if w.subs[ch] {
			delete(w.subs, ch)
			close(ch)
		}
	}
}

// watch reads the run's state until the run ends, it has no subscriber
// left, or the server closes.
func (h *hub) watch(run string, w *watcher) {
	t := time.NewTicker(h.poll)
	defer t.Stop()
	var lastErr string
	for {
		st, err := h.read(run)
		h.mu.Lock()
		if err == nil && (w.last == nil || string(w.last.raw) != string(st.raw)) {
			w.last = &st
			for ch := range w.subs {
				select {
				case <-ch: // drop the state the page has not taken yet
				default:
				}
				ch <- st
			}
		}
		if err != nil && err.Error() != lastErr {
			// Once per kind of failure, not once per poll.
			log.Printf("ui: watching run %s: %v", run, err)
		}
		if err != nil {
			lastErr = err.Error()
		}
		if len(w.subs) == 0 || st.final || errors.Is(err, meta.ErrNotFound) {
			if st.final {
				for ch := range w.subs {
					delete(w.subs, ch)
					close(ch)
				}
			}
			delete(h.runs, run)
			h.mu.Unlock()
			return
		}
		h.mu.Unlock()
		select {
		case <-h.ctx.Done():
			return
		case <-t.C:
		}
	}
}

// read is the one query of a watcher's turn.
func (h *hub) read(run string) (liveState, error) {
	r, steps, err := h.db.RunState(h.ctx, run)
	if err != nil {
		return liveState{}, err
	}
	st := liveState{Status: r.Status, Duration: duration(r.StartedAt, r.EndedAt), Error: r.Error, Steps: []liveStep{}}
	if r.Status == meta.RunRunning {
		st.Duration = duration(r.StartedAt, time.Now()) + " so far"
	}
	live := map[string]meta.LiveLog{}
	if r.Status == meta.RunRunning {
		logs, err := h.db.LiveLogs(h.ctx, run)
		if err != nil {
			return liveState{}, err
		}
		for _, l := range logs {
			live[l.Step] = l
		}
	}
	for _, s := range steps {
		ls := liveStep{Step: s.Step, Status: s.Status,
			Duration: duration(meta.FromNanos(s.StartedAt), meta.FromNanos(s.EndedAt))}
		if l, ok := live[s.Step]; ok && s.Status == meta.StepRunning {
			ls.Log = l.Text
			if l.LeftOut > 0 {
				ls.LeftOut = byteSize(l.LeftOut)
			}
		}
		st.Steps = append(st.Steps, ls)
	}
	st.final = r.Status != meta.RunRunning
	st.raw, err = json.Marshal(st)
	return st, err
}

// events streams a run's states to a page as server-sent events: "state"
// for each change, "end" once the run has ended.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming is not supported here", http.StatusInternalServerError)
		return
	}
	id := r.PathValue("id")
	if _, _, err := s.db.RunState(r.Context(), id); err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	ch, stop := s.live.subscribe(id)
	defer stop()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	fmt.Fprintf(w, "retry: 5000\n\n")
	flusher.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case st, open := <-ch:
			if !open {
				fmt.Fprintf(w, "event: end\ndata: {}\n\n")
				flusher.Flush()
				return
			}
			fmt.Fprintf(w, "event: state\ndata: %s\n\n", st.raw)
			flusher.Flush()
			if st.final {
				fmt.Fprintf(w, "event: end\ndata: {}\n\n")
				flusher.Flush()
				return
			}
		}
	}
}
