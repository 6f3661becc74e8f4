package ui

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zengen-dev/zengen/internal/servertest"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pgmeta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// benchDirs are the stores benchmarks built, removed after every test.
var benchDirs []string

func TestMain(m *testing.M) {
	code := m.Run()
	for _, d := range benchDirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}

// fixture is a store with a pipeline's records, written as the engine
// writes them, and the dashboard serving it.
type fixture struct {
	t   testing.TB
	db  engine.MetadataStore
	st  *engine.Store
	p   *pipeline.Pipeline
	srv *Server
}

// churn is the pipeline the fixtures record: load → train → report, with
// a metric in train and two params.
func churn() *pipeline.Pipeline {
	return &pipeline.Pipeline{Name: "churn", Notebook: "churn.ipynb", Steps: []*pipeline.Step{
		{Name: "load", Doc: "# Load\nReads the **customers**.", Pos: "churn.ipynb:cell 2",
			Outputs: []pipeline.Output{{Name: "rows", Type: "[]float64", Codec: "numeric"}}, Params: []string{"seed"}},
		{Name: "train", Doc: "## Train\nFits the model.", Pos: "churn.ipynb:cell 4",
			Inputs:  []pipeline.Input{{Name: "rows", Type: "[]float64", From: "load"}},
			Outputs: []pipeline.Output{{Name: "loss", Type: "float64", Codec: "json"}}, Params: []string{"lr"}, Metrics: []string{"loss"}},
		{Name: "report", Pos: "churn.ipynb:cell 6", Inputs: []pipeline.Input{{Name: "loss", Type: "float64", From: "train"}}},
	}}
}

// newFixture serves a store in SQLite.
func newFixture(t testing.TB, opts Options) *fixture {
	t.Helper()
	home := t.TempDir()
	db, err := meta.Open(context.Background(), filepath.Join(home, "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	return newFixtureOn(t, &engine.Store{Home: home, Meta: engine.SQLiteMetadata(db)}, opts)
}

// storeFixture serves a store of the kind named: "sqlite", or "postgres"
// (a database of the test's own on $ZEN_TEST_POSTGRES; skipped without).
func storeFixture(t *testing.T, kind string, opts Options) *fixture {
	t.Helper()
	if kind == "sqlite" {
		return newFixture(t, opts)
	}
	db, err := pgmeta.Open(t.Context(), servertest.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	return newFixtureOn(t, &engine.Store{Home: t.TempDir(), Meta: db}, opts)
}

// newFixtureOn serves the store st, which it closes at the test's end.
func newFixtureOn(t testing.TB, st *engine.Store, opts Options) *fixture {
	t.Helper()
	ctx := context.Background()
	db := st.Meta
	f := &fixture{t: t, db: db, p: churn(), st: st}
	t.Cleanup(func() { db.Close() })
	if err := db.EnsurePipeline(ctx, "churn", "churn.ipynb", map[string]string{"load": "h1", "train": "h2", "report": "h3"}); err != nil {
		t.Fatal(err)
	}
	var err error
	if f.srv, err = New(f.st, f.p, opts); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.srv.Close)
	return f
}

// run records a run of churn started at start, with steps recorded as
// given (their RunID, Pipeline and times filled in), and finishes it with
// status unless status is running.
func (f *fixture) run(start time.Time, status, params string, steps ...meta.StepRun) string {
	f.t.Helper()
	ctx := context.Background()
	r := &meta.Run{ID: meta.NewRunID(start), Pipeline: "churn", Params: params, Args: "[]", StartedAt: start}
	if err := f.db.CreateRun(ctx, r); err != nil {
		f.t.Fatal(err)
	}
	tx, err := f.db.Begin(ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	for i := range steps {
		sr := steps[i]
		sr.RunID, sr.Pipeline = r.ID, "churn"
		sr.StartedAt = start.Add(time.Duration(i) * time.Second)
		if sr.Status == meta.StepRunning {
			err = tx.StartStep(ctx, &sr)
		} else {
			sr.EndedAt = sr.StartedAt.Add(time.Second)
			err = tx.FinishStep(ctx, &sr)
		}
		if err != nil {
			f.t.Fatal(err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		f.t.Fatal(err)
	}
	if status != meta.RunRunning {
		if err := f.db.FinishRun(ctx, r.ID, status, "", start.Add(time.Duration(len(steps))*time.Second)); err != nil {
			f.t.Fatal(err)
		}
	}
	return r.ID
}

// trained is the step records of a succeeded run of churn with loss.
func trained(loss float64) []meta.StepRun {
	rows := meta.Artifact{Name: "rows", Digest: "sha256:" + strings.Repeat("a", 64), Size: 24, Codec: "numeric", Type: "[]float64"}
	lossOut := meta.Artifact{Name: "loss", Digest: fmt.Sprintf("sha256:%064x", int(loss*1000)), Size: 8, Codec: "json", Type: "float64"}
	rowsIn, lossIn := rows, lossOut
	rowsIn.FromStep, lossIn.FromStep = "load", "train"
	return []meta.StepRun{
		{Step: "load", Status: meta.StepSucceeded, Log: "read 3 rows\n", Outputs: []meta.Artifact{rows}},
		{Step: "train", Status: meta.StepSucceeded, Metrics: []meta.Metric{{Name: "loss", Value: loss}},
			Inputs: []meta.Artifact{rowsIn}, Outputs: []meta.Artifact{lossOut}},
		{Step: "report", Status: meta.StepSucceeded, Inputs: []meta.Artifact{lossIn}},
	}
}

// get requests path from the dashboard and returns the response and its
// body.
func (f *fixture) get(path string) (*http.Response, string) {
	f.t.Helper()
	return f.do(httptest.NewRequest("GET", "http://127.0.0.1:8765"+path, nil))
}

func (f *fixture) do(req *http.Request) (*http.Response, string) {
	f.t.Helper()
	w := httptest.NewRecorder()
	f.srv.ServeHTTP(w, req)
	resp := w.Result()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// mustGet is get that fails the test unless the status is 200.
func (f *fixture) mustGet(path string) string {
	f.t.Helper()
	resp, body := f.get(path)
	if resp.StatusCode != http.StatusOK {
		f.t.Fatalf("GET %s: %s\n%s", path, resp.Status, body)
	}
	return body
}
