package ui

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// components is the stored cache-key parts of a step with code and lr.
func components(t *testing.T, code, lr string) string {
	b, err := json.Marshal(engine.Components{Code: code, Params: []engine.NamedPart{{Name: "lr", Value: lr}}, GoVersion: "go1.26.0"})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// compareRuns records three runs of churn: lr 0.3, 0.1, 0.2 and losses
// 0.5, 0.4, 0.45; the third run's train has new code; label is hostile.
func compareRuns(t *testing.T, f *fixture) []string {
	var ids []string
	for i, c := range []struct {
		lr   string
		loss float64
		code string
	}{{"0.3", 0.5, "t1"}, {"0.1", 0.4, "t1"}, {"0.2", 0.45, "t2"}} {
		params, _ := json.Marshal(map[string]any{"lr": json.RawMessage(c.lr), "label": hostile})
		ids = append(ids, f.run(time.Date(2026, 11, 30, 9, i, 0, 0, time.UTC), meta.RunSucceeded, string(params),
			meta.StepRun{Step: "load", Status: meta.StepSucceeded, CodeHash: "l1", Components: components(t, "l1", "")},
			meta.StepRun{Step: "train", Status: meta.StepSucceeded, CodeHash: c.code, Components: components(t, c.code, c.lr),
				Metrics: []meta.Metric{{Name: "loss", Value: c.loss}}}))
	}
	return ids
}

func compareURL(x string, ids ...string) string {
	v := url.Values{"run": ids}
	if x != "" {
		v.Set("x", x)
	}
	return "/compare?" + v.Encode()
}

func TestComparePageMarksWhatDiffers(t *testing.T) {
	f := newFixture(t, Options{})
	ids := compareRuns(t, f)
	// Chosen in any order, runs are shown oldest first: the first is the
	// baseline.
	body := f.mustGet(compareURL("", ids[2], ids[0], ids[1]))
	mustContain(t, body, "Compare 3 runs",
		`<th data-run="`+ids[0]+`">#1 `, `<th data-run="`+ids[2]+`">#3 `,
		`<tr class="param differs" data-param="lr">`,
		`<td class="v changed" data-run="`+ids[1]+`"><code>0.1</code></td>`,
		`<tr class="param" data-param="label">`,
		`<tr class="metric differs" data-metric="train.loss">`,
		`<td class="v num changed" data-run="`+ids[2]+`">0.45</td>`,
		`<svg class="metric-chart" data-metric="train.loss"`,
		`<tr class="step differs" data-step="train">`,
		`<tr class="step" data-step="load">`,
		`<li class="change">param lr changed: 0.3 → 0.1</li>`,
		`<li class="change">code changed: t1 → t2</li>`)
	if n := strings.Count(body, `<circle class="point"`); n != 3 {
		t.Errorf("the loss chart has %d points, want 3", n)
	}
	for _, bad := range []string{"<script>alert", "<img src=x", `href="javascript:`} {
		if strings.Contains(body, bad) {
			t.Errorf("page holds %q unescaped", bad)
		}
	}
}

// Params and metrics are rows of the table whose header names the runs,
// so each run's values sit under its column: as tables of their own they
// sized their columns apart and drifted from the header.
func TestCompareValuesShareTheRunsColumns(t *testing.T) {
	f := newFixture(t, Options{})
	ids := compareRuns(t, f)
	body := f.mustGet(compareURL("", ids...))
	table := regexp.MustCompile(`(?s)<table id="compare-runs".*?</table>`).FindString(body)
	for _, row := range []string{`<th data-run="` + ids[0] + `">`, `data-param="lr"`, `data-param="label"`, `data-metric="train.loss"`} {
		if !strings.Contains(table, row) {
			t.Errorf("the runs' table holds no %s:\n%s", row, table)
		}
	}
	if n := strings.Count(body, "<table"); n != 2 {
		t.Errorf("the page has %d tables, want 2: the runs with their params and metrics, and the steps", n)
	}
}

// Along a param, the chart orders the runs by its value: the line goes
// from lr 0.1 to 0.2 to 0.3, left to right.
func TestCompareChartsAlongAParam(t *testing.T) {
	f := newFixture(t, Options{})
	ids := compareRuns(t, f)
	body := f.mustGet(compareURL("lr", ids...))
	mustContain(t, body, `<option selected>lr</option>`, `class="xtitle"`)
	xs := map[string]string{}
	for _, m := range regexp.MustCompile(`<circle class="point" data-run="([^"]+)" cx="([0-9.]+)"`).FindAllStringSubmatch(body, -1) {
		xs[m[1]] = m[2]
	}
	// lr 0.1 at the left edge, 0.3 at the right, 0.2 in the middle.
	axis := regexp.MustCompile(`<line class="axis" x1="([0-9]+)" y1="[0-9]+" x2="([0-9]+)"`).FindStringSubmatch(body)
	if axis == nil {
		t.Fatal("no x axis")
	}
	left, _ := strconv.ParseFloat(axis[1], 64)
	right, _ := strconv.ParseFloat(axis[2], 64)
	if xs[ids[1]] != num(left) || xs[ids[0]] != num(right) || xs[ids[2]] != num((left+right)/2) {
		t.Errorf("x of runs lr=0.3, 0.1, 0.2: %s, %s, %s", xs[ids[0]], xs[ids[1]], xs[ids[2]])
	}
	line := regexp.MustCompile(`<polyline class="line" points="([^"]+)"`).FindStringSubmatch(body)
	if line == nil || !strings.HasPrefix(line[1], num(left)+",") {
		t.Errorf("line %q does not start at the smallest lr", line)
	}
	// An x that is no param is ignored, not echoed into the page.
	body = f.mustGet(compareURL("<script>", ids...))
	if strings.Contains(body, "<script>") || strings.Contains(body, "option selected") {
		t.Error("an unknown x reached the page")
	}
}

func TestComparePageWithoutEnoughRuns(t *testing.T) {
	f := newFixture(t, Options{})
	ids := compareRuns(t, f)
	body := f.mustGet(compareURL("", ids[0]))
	mustContain(t, body, `id="pick"`)
	body = f.mustGet(compareURL("", ids[0], `<script>alert(1)</script>`))
	mustContain(t, body, `id="problem"`, "&lt;script&gt;")
	if strings.Contains(body, "<script>alert") {
		t.Error("an unknown run id reached the page unescaped")
	}
}
