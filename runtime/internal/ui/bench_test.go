//go:build unix

package ui

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// The targets of issue 14: with 10,000 runs of a 20-step pipeline in the
// store, the runs page renders server-side in ≤ 50 ms and ≤ 300 KB, a
// run page in ≤ 30 ms. Each benchmark reports the page's bytes.

const (
	benchRuns  = 10000
	benchSteps = 20
)

// bigStore is a store of benchRuns runs of a chain of benchSteps steps,
// each step with an input, an output, a metric and a line of log, built
// once for every benchmark (in a folder TestMain removes).
var bigStore = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "ui-bench-")
	if err != nil {
		return "", err
	}
	benchDirs = append(benchDirs, dir)
	ctx := context.Background()
	db, err := meta.Open(ctx, filepath.Join(dir, "meta.db"))
	if err != nil {
		return "", err
	}
	defer db.Close()
	p := chain()
	hashes := map[string]string{}
	for _, s := range p.Steps {
		hashes[s.Name] = "h"
	}
	if err := db.EnsurePipeline(ctx, p.Name, p.Notebook, hashes); err != nil {
		return "", err
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range benchRuns {
		start := t0.Add(time.Duration(i) * time.Minute)
		r := &meta.Run{ID: meta.NewRunID(start), Pipeline: p.Name, StartedAt: start, Args: "[]",
			Params: fmt.Sprintf(`{"epochs":%d,"lr":0.%03d,"optimizer":"adam"}`, i%7, i%1000)}
		if err := db.CreateRun(ctx, r); err != nil {
			return "", err
		}
		tx, err := db.Begin(ctx)
		if err != nil {
			return "", err
		}
		for j, s := range p.Steps {
			out := meta.Artifact{Name: "v", Digest: fmt.Sprintf("sha256:%058x%06d", i, j), Size: 8, Codec: "json", Type: "float64"}
			sr := &meta.StepRun{RunID: r.ID, Pipeline: p.Name, Step: s.Name, Status: meta.StepSucceeded,
				StartedAt: start.Add(time.Duration(j) * time.Second), EndedAt: start.Add(time.Duration(j+1) * time.Second),
				CacheKey: fmt.Sprintf("%064x", i*benchSteps+j), Components: `{}`, Outputs: []meta.Artifact{out},
				Metrics: []meta.Metric{{Name: "m", Value: float64(i) / float64(j+1)}}, Log: fmt.Sprintf("step %d of run %d\n", j, i)}
			if j > 0 {
				in := meta.Artifact{Name: "v", Digest: fmt.Sprintf("sha256:%058x%06d", i, j-1), FromStep: p.Steps[j-1].Name}
				sr.Inputs = []meta.Artifact{in}
			}
			if err := tx.FinishStep(ctx, sr); err != nil {
				return "", err
			}
		}
		if err := tx.Commit(ctx); err != nil {
			return "", err
		}
		if err := db.FinishRun(ctx, r.ID, meta.RunSucceeded, "", start.Add(benchSteps*time.Second)); err != nil {
			return "", err
		}
	}
	return dir, nil
})

// chain is a pipeline of benchSteps steps, each reading the previous
// one's output and recording a metric.
func chain() *pipeline.Pipeline {
	p := &pipeline.Pipeline{Name: "chain", Notebook: "chain.ipynb"}
	for j := range benchSteps {
		s := &pipeline.Step{Name: fmt.Sprintf("s%02d", j), Metrics: []string{"m"},
			Outputs: []pipeline.Output{{Name: "v", Type: "float64", Codec: "json"}}}
		if j > 0 {
			s.Inputs = []pipeline.Input{{Name: "v", Type: "float64", From: p.Steps[j-1].Name}}
		}
		p.Steps = append(p.Steps, s)
	}
	return p
}

// benchServer serves the big store as ui would: opened as a reader opens it.
func benchServer(b *testing.B, opts Options) *Server {
	dir, err := bigStore()
	if err != nil {
		b.Fatal(err)
	}
	st, err := engine.ReadStore(context.Background(), dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	s, err := New(st, chain(), opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(s.Close)
	return s
}

// benchPage reports, beside the wall time, the process's CPU time per
// page: on a machine shared with other work the wall time counts the
// waits for a core too.
func benchPage(b *testing.B, s *Server, path string) {
	b.Helper()
	var size, n int
	cpu0 := cpuTime()
	for b.Loop() {
		n++
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest("GET", "http://127.0.0.1:8765"+path, nil))
		if w.Code != 200 {
			b.Fatalf("GET %s: %d\n%s", path, w.Code, w.Body)
		}
		size = w.Body.Len()
	}
	b.ReportMetric(float64(size), "bytes/page")
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(n)/1e6, "cpu-ms/page")
}

// cpuTime is the user and system time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkRunsPage(b *testing.B) {
	s := benchServer(b, Options{})
	b.Run("newest", func(b *testing.B) { benchPage(b, s, "/") })
	b.Run("filtered", func(b *testing.B) { benchPage(b, s, "/?status=succeeded&param=epochs%3D3&metric=s05.m%3E800") })
	// The worst case: a filter no run passes reads every run.
	b.Run("nomatch", func(b *testing.B) { benchPage(b, s, "/?status=succeeded&param=optimizer%3Dadam&metric=s05.m%3E9000") })
	b.Run("deep", func(b *testing.B) {
		runs, err := s.db.QueryRuns(context.Background(), meta.RunQuery{Limit: 5000})
		if err != nil {
			b.Fatal(err)
		}
		benchPage(b, s, "/?before="+runs[len(runs)-1].ID)
	})
}

func BenchmarkRunPage(b *testing.B) {
	s, run := explainServer(b)
	benchPage(b, s, "/runs/"+run)
}

// BenchmarkExplainPage is what the run page loads when one opens "Why it
// ran" of a step of the newest run: the store's part of explain.
func BenchmarkExplainPage(b *testing.B) {
	s, run := explainServer(b)
	benchPage(b, s, "/runs/"+run+"/steps/s10/explain")
}

// explainServer serves the big store with the store's part of explain,
// the step's previous keyed run that the CLI's explain compares the
// components with, and names the newest run.
func explainServer(b *testing.B) (*Server, string) {
	var s *Server
	s = benchServer(b, Options{Explain: func(ctx context.Context, sr meta.StepRun) (string, error) {
		prev, err := s.db.PreviousKeyed(ctx, sr)
		if err != nil || prev == nil {
			return "ran: no previous run", err
		}
		return "ran: compared with " + prev.RunID, nil
	}})
	runs, err := s.db.QueryRuns(context.Background(), meta.RunQuery{Limit: 1})
	if err != nil {
		b.Fatal(err)
	}
	return s, runs[0].ID
}
