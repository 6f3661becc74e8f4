package ui

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// runOrder is the data-run attributes of a runs page, in page order.
func runOrder(body string) []string {
	var ids []string
	for _, m := range regexp.MustCompile(`<tr class="run" data-run="([^"]+)"`).FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

func TestRunsPageListsRunsNewestFirstWithParamsAndMetrics(t *testing.T) {
	f := newFixture(t, Options{})
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	old := f.run(t0, meta.RunSucceeded, `{"lr":0.1,"optimizer":"adam"}`, trained(0.75)...)
	failed := f.run(t0.Add(time.Hour), meta.RunFailed, `{"lr":0.2,"optimizer":"sgd"}`,
		meta.StepRun{Step: "load", Status: meta.StepFailed, Error: "boom", Position: "churn.ipynb:cell 2:3"})
	newest := f.run(t0.Add(2*time.Hour), meta.RunSucceeded, `{"lr":0.3,"optimizer":"adam"}`, trained(0.25)...)
	body := f.mustGet("/")
	if got, want := strings.Join(runOrder(body), " "), strings.Join([]string{newest, failed, old}, " "); got != want {
		t.Fatalf("runs in order %s, want %s", got, want)
	}
	for _, want := range []string{
		`data-run="` + failed + `" data-status="failed"`,
		`<th class="num metric first" title="train.loss">loss</th>`,
		`<td class="num metric first" data-metric="train.loss">0.25</td>`,
		`<td class="param" data-param="optimizer">sgd</td>`,
		`<td class="param first" data-param="lr">0.3</td>`,
		`<a href="/runs/` + newest + `">`,
		`<form id="compare" method="get" action="/compare">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("runs page lacks %s", want)
		}
	}
}

func TestRunsPageFiltersInTheStore(t *testing.T) {
	for _, store := range []string{"sqlite", "postgres"} {
		t.Run(store, func(t *testing.T) { testRunsFilters(t, storeFixture(t, store, Options{})) })
	}
}

func testRunsFilters(t *testing.T, f *fixture) {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	a := f.run(t0, meta.RunSucceeded, `{"lr":0.1,"optimizer":"adam"}`, trained(0.75)...)
	b := f.run(t0.Add(time.Minute), meta.RunFailed, `{"lr":0.2,"optimizer":"sgd"}`)
	c := f.run(t0.Add(2*time.Minute), meta.RunSucceeded, `{"lr":0.3,"optimizer":"adam"}`, trained(0.25)...)
	cases := map[string][]string{
		"/?status=failed":               {b},
		"/?status=succeeded":            {c, a},
		"/?param=optimizer%3Dadam":      {c, a},
		"/?param=optimizer%3D%22sgd%22": {b},
		"/?param=lr%3D0.10":             {a},
		"/?metric=train.loss%3C0.5":     {c},
		"/?metric=train.loss%3E%3D0.25": {c, a},
		"/?metric=report.loss%3E0":      nil,
		"/?pipeline=other":              nil,
	}
	for path, want := range cases {
		if got := runOrder(f.mustGet(path)); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("GET %s: runs %v, want %v", path, got, want)
		}
	}
	// A filter that cannot be read says why, and lists nothing.
	body := f.mustGet("/?metric=loss%3Dlow")
	if !strings.Contains(body, `id="problem"`) || len(runOrder(body)) != 0 {
		t.Errorf("a bad metric filter: no problem shown or runs listed")
	}
}

func TestRunsPagePagesOlderRuns(t *testing.T) {
	f := newFixture(t, Options{})
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	var ids []string
	for i := range 5 {
		ids = append([]string{f.run(t0.Add(time.Duration(i)*time.Minute), meta.RunSucceeded, `{}`)}, ids...)
	}
	var seen []string
	path := "/?limit=2"
	for range 5 {
		body := f.mustGet(path)
		seen = append(seen, runOrder(body)...)
		m := regexp.MustCompile(`id="older" href="([^"]+)"`).FindStringSubmatch(body)
		if m == nil {
			break
		}
		path = strings.ReplaceAll(m[1], "&amp;", "&")
	}
	if strings.Join(seen, " ") != strings.Join(ids, " ") {
		t.Errorf("pages showed %v, want %v", seen, ids)
	}
}

// Strings from the store (params, errors, even a pipeline's name in a
// store another tool wrote) are text on the page, never markup.
func TestRunsPageEscapesHostileStrings(t *testing.T) {
	f := newFixture(t, Options{})
	hostile := `<script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:alert(3)">x</a>`
	params := `{"note":"` + strings.ReplaceAll(hostile, `"`, `\"`) + `","<b>name</b>":1}`
	f.run(time.Now(), meta.RunSucceeded, params, trained(0.5)...)
	body := f.mustGet("/?param=note%3D" + "x")
	body += f.mustGet("/")
	for _, bad := range []string{"<script>alert", "<img src=x", `href="javascript:`, "<b>name</b>"} {
		if strings.Contains(body, bad) {
			t.Errorf("runs page holds %q unescaped", bad)
		}
	}
	if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("runs page does not show the hostile param as text")
	}
}
