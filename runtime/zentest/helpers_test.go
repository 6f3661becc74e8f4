package zentest

import (
	"context"
	"errors"
	"fmt"
	goruntime "runtime"
	"strings"
	"sync"
	"testing"

	zen "github.com/zengen-dev/zengen/runtime"
)

// recordingTB is a testing.TB that records failures instead of failing the
// real test, so that tests can prove zentest fails when it should. Fatal
// ends the goroutine like the real one, so checks run through do.
type recordingTB struct {
	testing.TB
	mu     sync.Mutex
	errors []string
	fatal  bool
}

func (r *recordingTB) Helper() {}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recordingTB) Error(args ...any) { r.Errorf("%s", fmt.Sprint(args...)) }

func (r *recordingTB) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	r.mu.Lock()
	r.fatal = true
	r.mu.Unlock()
	goruntime.Goexit()
}

func (r *recordingTB) Fatal(args ...any) { r.Fatalf("%s", fmt.Sprint(args...)) }

func (r *recordingTB) Failed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.errors) > 0
}

// do runs f against the recorder on its own goroutine, as the testing
// package runs a test, so that Fatalf can end it.
func (r *recordingTB) do(f func(tb testing.TB)) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
}

func (r *recordingTB) messages() string { return strings.Join(r.errors, "\n") }

// record runs f with a recording TB wrapped around t.
func record(t *testing.T, f func(tb testing.TB)) *recordingTB {
	t.Helper()
	rec := &recordingTB{TB: t}
	rec.do(f)
	return rec
}

// testParams is the Params struct of the hand-built pipeline.
type testParams struct {
	Epochs int `zen:"epochs"`
}

// twoSteps is a pipeline as zengen would generate it: load prints and
// stores xs, train reads xs and prints a result that depends on epochs.
func twoSteps(loadPrints string) *zen.Pipeline {
	params := &testParams{Epochs: 3}
	return &zen.Pipeline{Name: "demo", Notebook: "demo.ipynb", Params: params, Steps: []*zen.Step{
		{
			Name: "load", Func: "Load", CodeHash: "aa",
			Outputs: []zen.Output{{Name: "xs", Type: "[]float64", Codec: "json"}},
			Run: func(ctx context.Context, sc *zen.StepContext) error {
				fmt.Fprint(zen.Stdout(ctx), loadPrints)
				return zen.Save(sc, "xs", zen.JSON[[]float64](), []float64{1, 2.5, 4})
			},
		},
		{
			Name: "train", Func: "Train", CodeHash: "bb", Params: []string{"epochs"},
			Inputs:  []zen.Input{{Name: "xs", Type: "[]float64", Codec: "json", From: "load"}},
			Outputs: []zen.Output{{Name: "model", Type: "map[string]float64", Codec: "json"}},
			Run: func(ctx context.Context, sc *zen.StepContext) error {
				xs, err := zen.Load(sc, "xs", zen.JSON[[]float64]())
				if err != nil {
					return err
				}
				sum := 0.0
				for _, x := range xs {
					sum += x
				}
				fmt.Fprintf(zen.Stdout(ctx), "epochs %d\nsum %g\n", params.Epochs, sum)
				return zen.Save(sc, "model", zen.JSON[map[string]float64](), map[string]float64{"w": sum, "b": float64(params.Epochs)})
			},
		},
	}}
}

// failing is a pipeline whose only step fails.
func failing() *zen.Pipeline {
	return &zen.Pipeline{Name: "broken", Notebook: "broken.ipynb", Steps: []*zen.Step{{
		Name: "boom", Func: "Boom", CodeHash: "cc",
		Run: func(ctx context.Context, sc *zen.StepContext) error {
			return errors.New("the disk is full of cats")
		},
	}}}
}
