package ui

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// node is the DAG node of step on a run page, as its status reads.
func nodeStatus(body, step string) string {
	m := regexp.MustCompile(`<g class="node status-[a-z]+" id="node-` + step + `" data-step="` + step + `" data-status="([a-z]+)">`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

func TestRunPageDrawsTheDAGAndEachStep(t *testing.T) {
	f := newFixture(t, Options{Explain: func(ctx context.Context, sr meta.StepRun) (string, error) {
		return "explained " + sr.Step, nil
	}})
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	first := f.run(t0, meta.RunSucceeded, `{"lr":0.1,"seed":7}`, trained(0.5)...)
	steps := trained(0.25)
	steps[0].Status, steps[0].CachedFrom, steps[0].Log = meta.StepCached, first, ""
	steps[2] = meta.StepRun{Step: "report", Status: meta.StepFailed, Error: "index out of range", Position: "churn.ipynb:cell 6:4"}
	id := f.run(t0.Add(time.Hour), meta.RunFailed, `{"lr":0.2,"seed":7}`, steps...)
	body := f.mustGet("/runs/" + id)
	for step, want := range map[string]string{"load": "cached", "train": "succeeded", "report": "failed"} {
		if got := nodeStatus(body, step); got != want {
			t.Errorf("DAG node %s: status %q, want %q", step, got, want)
		}
	}
	for _, want := range []string{
		`<path class="edge" data-from="load" data-to="train"`,
		`<path class="edge" data-from="train" data-to="report"`,
		`<section class="step" id="step-train" data-step="train" data-status="succeeded">`,
		`<tr data-metric="loss"><td>loss</td><td class="num">0.25</td></tr>`,
		`<p class="decision">explained train</p>`,
		`<code>lr=0.2</code>`,
		`<span class="mono">churn.ipynb:cell 6:4</span>: index out of range`,
		`href="/artifacts/sha256:` + strings.Repeat("a", 64) + `?run=` + id + `&amp;step=load&amp;name=rows"`,
		// A cached step shows the log of the run it reused.
		"read 3 rows\n</pre>",
		`in run <a class="mono" href="/runs/` + first + `">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("run page lacks %s", want)
		}
	}
	if strings.Contains(body, `data-live=`) {
		t.Errorf("a finished run's page listens for live updates")
	}
	if resp, body := f.get("/runs/nope"); resp.StatusCode != 404 || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" ||
		!strings.Contains(body, `<p class="error" id="error">run &#34;nope&#34;: not found</p>`) {
		t.Errorf("GET /runs/nope: %s %s, want a 404 page saying why:\n%s", resp.Status, resp.Header.Get("Content-Type"), body)
	}
}

// A run in progress: steps not started yet are pending, the running one
// shows its output so far, and the page listens for events.
func TestRunningRunPageIsLive(t *testing.T) {
	f := newFixture(t, Options{})
	steps := trained(0.5)[:1]
	steps = append(steps, meta.StepRun{Step: "train", Status: meta.StepRunning})
	id := f.run(time.Now(), meta.RunRunning, `{}`, steps...)
	train, err := f.db.StepRun(t.Context(), id, "train")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.db.SaveLiveLog(t.Context(), train.ID, "epoch 7 <b>\n", nil, 1<<20, nil); err != nil {
		t.Fatal(err)
	}
	body := f.mustGet("/runs/" + id)
	for step, want := range map[string]string{"load": "succeeded", "train": "running", "report": "pending"} {
		if got := nodeStatus(body, step); got != want {
			t.Errorf("DAG node %s: status %q, want %q", step, got, want)
		}
	}
	for _, want := range []string{`data-live="/runs/` + id + `/events"`, "Not started yet.",
		"Log so far", `The first <span class="left-out">1.0 MiB</span> are left out.`, `<pre class="log">epoch 7 &lt;b&gt;`} {
		if !strings.Contains(body, want) {
			t.Errorf("running run's page lacks %s", want)
		}
	}
}

// Logs, errors and stacks are the notebook's code's output: shown as
// text, whatever they hold.
func TestRunPageEscapesHostileStrings(t *testing.T) {
	f := newFixture(t, Options{})
	hostile := `<script>alert(1)</script><img src=x onerror=alert(2)>`
	steps := trained(0.5)
	steps[0].Log = hostile
	steps[2] = meta.StepRun{Step: "report", Status: meta.StepFailed, Error: hostile, Position: hostile, Stack: hostile}
	id := f.run(time.Now(), meta.RunFailed, `{"note":"<script>alert(3)</script>"}`, steps...)
	body := f.mustGet("/runs/" + id)
	for _, bad := range []string{"<script>alert", "<img src=x"} {
		if strings.Contains(body, bad) {
			t.Errorf("run page holds %q unescaped", bad)
		}
	}
	if !strings.Contains(body, "&lt;img src=x onerror=alert(2)&gt;") {
		t.Errorf("run page does not show the hostile log as text")
	}
}

// A run of an older version of the pipeline, with a step the binary no
// longer has, shows every step it recorded.
func TestRunOfAnOlderVersionShowsWhatItRecorded(t *testing.T) {
	f := newFixture(t, Options{})
	steps := trained(0.5)
	steps[2].Step = "summarise"
	id := f.run(time.Now(), meta.RunSucceeded, `{}`, steps...)
	body := f.mustGet("/runs/" + id)
	if nodeStatus(body, "summarise") != "succeeded" || !strings.Contains(body, `id="step-summarise"`) {
		t.Errorf("the run's recorded step summarise is not shown")
	}
	if nodeStatus(body, "report") != "" {
		t.Errorf("the run shows step report, which it did not record")
	}
}

// A run of a pipeline this binary does not describe (another pipeline in
// a shared store) is drawn from its records.
func TestRunOfAnotherPipelineIsDrawnFromItsRecords(t *testing.T) {
	f := newFixture(t, Options{})
	f.p.Name = "other"
	id := f.run(time.Now(), meta.RunSucceeded, `{}`, trained(0.5)...)
	body := f.mustGet("/runs/" + id)
	if nodeStatus(body, "train") != "succeeded" || !strings.Contains(body, `data-from="load" data-to="train"`) {
		t.Errorf("the run's DAG is not drawn from its records:\n%s", body)
	}
}

// Why a keyed step ran takes a lookup of its previous run: the run page
// links it, and it is read when asked.
func TestWhyAStepRanIsReadWhenAsked(t *testing.T) {
	calls := 0
	f := newFixture(t, Options{Explain: func(ctx context.Context, sr meta.StepRun) (string, error) {
		calls++
		return "ran: param lr changed: 0.1 → <b>0.2</b>", nil
	}})
	steps := trained(0.5)
	for i := range steps {
		steps[i].Components, steps[i].CacheKey = `{"code":"h"}`, "k"
	}
	id := f.run(time.Now(), meta.RunSucceeded, `{}`, steps...)
	body := f.mustGet("/runs/" + id)
	if calls != 0 {
		t.Errorf("the run page explained %d steps, want none", calls)
	}
	link := `/runs/` + id + `/steps/train/explain`
	if !strings.Contains(body, `<details class="explain" data-explain="`+link+`">`) {
		t.Errorf("run page lacks the explain link of train")
	}
	resp, why := f.get(link)
	if resp.Header.Get("Content-Type") != "text/plain; charset=utf-8" || why != "ran: param lr changed: 0.1 → <b>0.2</b>\n" {
		t.Errorf("GET %s: %s %q", link, resp.Header.Get("Content-Type"), why)
	}
}

// A run whose process died while the dashboard was open reads as
// interrupted, on every page and in its live events, though no writer
// has recorded it yet.
func TestDeadRunReadsInterrupted(t *testing.T) {
	for _, store := range []string{"sqlite", "postgres"} {
		t.Run(store, func(t *testing.T) {
			f := storeFixture(t, store, Options{Poll: 10 * time.Millisecond})
			steps := trained(0.5)[:1]
			steps = append(steps, meta.StepRun{Step: "train", Status: meta.StepRunning})
			id := f.run(time.Now().Add(-time.Hour), meta.RunRunning, `{}`, steps...)
			if err := f.db.Heartbeat(context.Background(), id, time.Now().Add(-time.Hour)); err != nil {
				t.Fatal(err)
			}
			if body := f.mustGet("/"); !strings.Contains(body, `data-run="`+id+`" data-status="interrupted"`) {
				t.Errorf("runs page does not show the dead run interrupted")
			}
			body := f.mustGet("/runs/" + id)
			if nodeStatus(body, "train") != "interrupted" || strings.Contains(body, "data-live=") ||
				!strings.Contains(body, meta.InterruptedError) {
				t.Errorf("run page of a dead run: train %q, live %v", nodeStatus(body, "train"), strings.Contains(body, "data-live="))
			}
		})
	}
}

// A run of another orchestrator (Temporal) goes on without the process
// that submitted it and writes no local heartbeat, so the dashboard must
// not read it as interrupted, as the stores' own liveness rules do not.
func TestRemoteRunIsNotReadAsDead(t *testing.T) {
	for _, store := range []string{"sqlite", "postgres"} {
		t.Run(store, func(t *testing.T) {
			f := storeFixture(t, store, Options{Poll: 10 * time.Millisecond})
			ctx := context.Background()
			start := time.Now().Add(-time.Hour)
			r := &meta.Run{ID: meta.NewRunID(start), Pipeline: "churn", Params: `{}`, Args: "[]", StartedAt: start,
				Orchestrator: "temporal://127.0.0.1:7233/default"}
			if err := f.db.CreateRun(ctx, r); err != nil {
				t.Fatal(err)
			}
			if err := f.db.Heartbeat(ctx, r.ID, start); err != nil {
				t.Fatal(err)
			}
			if body := f.mustGet("/"); !strings.Contains(body, `data-run="`+r.ID+`" data-status="running"`) {
				t.Errorf("runs page does not show the Temporal run running")
			}
			if body := f.mustGet("/runs/" + r.ID); !strings.Contains(body, "data-live=") || strings.Contains(body, meta.InterruptedError) {
				t.Errorf("run page reads the Temporal run as dead")
			}
		})
	}
}
