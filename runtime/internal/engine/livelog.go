package engine

import (
	"context"
	"slices"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// LiveLogEvery is how often the output of a running step is saved to the
// metadata store, for the dashboard to show while the step runs.
var LiveLogEvery = 500 * time.Millisecond

// saveLiveLog saves the end of a running step's output (at most
// meta.MaxLiveLog bytes) and its retries every LiveLogEvery, when either
// has grown (a retry is saved even when the step printed nothing), until the
// returned stop is called; stop returns once no save is under way, so the
// step's final record, which replaces the saved output, comes after the
// last save. The step's writers never wait for it: a save copies the end
// of the output under the lock they take, once per interval. A save that
// fails is not retried or reported: the final record is what counts. row
// returns the step's record's row, which a save needs: none (0) skips it.
func (r *Runner) saveLiveLog(ctx context.Context, row func() int64, out *stepOutput) (stop func()) {
	ctx = context.WithoutCancel(ctx)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(LiveLogEvery)
		defer t.Stop()
		var saved liveMark
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			l, now := out.tail(meta.MaxLiveLog, saved)
			if now == saved {
				continue
			}
			id := row()
			if id == 0 {
				// Its start is not recorded: there is no row to attach it to.
				continue
			}
			if r.st.Meta.SaveLiveLog(ctx, id, l.Text, l.Streams, l.LeftOut, l.Retries) == nil {
				saved = now
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
	}
}

// liveMark is how far a step has gone: the bytes it has written in all,
// and its retries.
type liveMark struct{ n, retries int }

// tail returns the last limit bytes the step has written to both streams,
// cut at a rune's start, which stream each was written to, how many bytes
// came before them and its retries so far, and how far it has gone; when
// that is still seen, it copies nothing.
func (o *stepOutput) tail(limit int, seen liveMark) (l meta.LiveLog, now liveMark) {
	o.mu.Lock()
	defer o.mu.Unlock()
	b := o.all.Bytes()
	now = liveMark{len(b), len(o.retries)}
	if now == seen {
		return l, now
	}
	cut := max(0, len(b)-limit)
	for cut < len(b) && cut > 0 && !utf8.RuneStart(b[cut]) {
		cut++
	}
	return meta.LiveLog{Text: string(b[cut:]), Streams: slices.Clone(o.streams.From(cut)), LeftOut: int64(cut),
		Retries: slices.Clone(o.retries)}, now
}
