package pipeline

import (
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/zengen-dev/zengen/runtime/internal/artifact"
	"github.com/zengen-dev/zengen/runtime/internal/layout"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// Displays are the rich output of a notebook's kernel API (GoNB's gonbui,
// lgo's _ctx.Display, gophernotes' Display), which zengen provides with the
// kernels' own function names and signatures (runtime/display/…). Those
// functions take no context, so they cannot say which step calls them:
// they reach the one step that may display, the one the engine runs with
// nothing beside it (generated code marks every step that displays
// Alone). Its sink is installed for the attempt and removed after it.

// DisplaySink takes the displays of one attempt of a step.
type DisplaySink struct {
	sc *StepContext
	// offsets returns how much the step has printed so far, to its log
	// and to stdout alone, once everything printed before is in.
	offsets func() (log, stdout int)
	// shown hears of each display stored.
	shown func(name, mediaType string, size int)

	mu     sync.Mutex
	placed []meta.DisplayAt
}

// current is the sink of the step running alone, if any.
var current atomic.Pointer[DisplaySink]

// InstallDisplaySink makes sc's attempt the one that displays go to, and
// returns the sink and the function that removes it. shown hears of each
// display stored.
func InstallDisplaySink(sc *StepContext, offsets func() (log, stdout int), shown func(name, mediaType string, size int)) (*DisplaySink, func()) {
	s := &DisplaySink{sc: sc, offsets: offsets, shown: shown}
	current.Store(s)
	return s, func() { current.CompareAndSwap(s, nil) }
}

// Placed returns where the attempt's displays came in its output, in the
// order displayed.
func (s *DisplaySink) Placed() []meta.DisplayAt {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]meta.DisplayAt(nil), s.placed...)
}

// ErrNoDisplaySink is what a display outside a step that may display
// returns: code that runs before any step (an init, a package variable's
// initialiser), or a goroutine that outlived its step.
var ErrNoDisplaySink = errors.New("display outside a running step: zengen stores a display only while the step that displays runs")

// noSinkWhy is what the process knows better of why a display finds no
// sink (see ExplainNoDisplaySink).
var noSinkWhy atomic.Pointer[string]

// ExplainNoDisplaySink adds why to the error of every display that finds
// no sink in this process: a process whose steps never run alone says so.
func ExplainNoDisplaySink(why string) { noSinkWhy.Store(&why) }

// Display stores data, of mediaType, as the next display of the running
// step: an output named display.N (N from 1, in the order displayed),
// placed in the step's log where its output stood at the call.
func Display(mediaType string, data []byte) error {
	s := current.Load()
	if s == nil {
		if why := noSinkWhy.Load(); why != nil {
			return fmt.Errorf("%w; %s", ErrNoDisplaySink, *why)
		}
		return ErrNoDisplaySink
	}
	return s.display(mediaType, data)
}

func (s *DisplaySink) display(mediaType string, data []byte) error {
	head, err := layout.AppendDisplayHeader(nil, mediaType)
	if err != nil {
		return err
	}
	// One display at a time, so that numbers follow the order of the
	// positions.
	s.mu.Lock()
	defer s.mu.Unlock()
	log, stdout := s.offsets()
	name := "display." + strconv.Itoa(len(s.placed)+1)
	step := StepOf(s.sc)
	w := ArtifactsOf(s.sc).Create(ContextOf(s.sc))
	if _, err := w.Write(head); err == nil {
		_, err = w.Write(data)
	}
	if err != nil {
		w.Abort()
		return fmt.Errorf("step %s: %s: %w", step.Name, name, artifact.StoreErr(err))
	}
	a, err := w.Commit()
	if err != nil {
		return fmt.Errorf("step %s: %s: %w", step.Name, name, artifact.StoreErr(err))
	}
	a.Name, a.Codec, a.Type = name, layout.Display, mediaType
	if err := Keep(s.sc, a); err != nil {
		return err
	}
	s.placed = append(s.placed, meta.DisplayAt{Name: name, Log: log, Stdout: stdout})
	s.shown(name, mediaType, len(data))
	return nil
}
