package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestPipelinePageShowsTheNotebooksIntro generates the fit fixture, whose
// opening markdown (title and introduction, before its parameters cell)
// belongs to no step, and expects the dashboard's Pipeline page to show it
// rendered, above the DAG, and the hostile fixture's to stay markup-free.
func TestPipelinePageShowsTheNotebooksIntro(t *testing.T) {
	for _, c := range []struct {
		notebook, pipeline string
		want               []string
		unwanted           []string
	}{
		{"fit.go", "fit", []string{
			`<div class="doc"><h1`,
			`Fitting a line</h1>`,
			`<li><code>--lr 5</code> diverges, and the run fails.</li>`,
		}, nil},
		{"hostile.go", "hostile", []string{`<div class="doc"><h1`, `Hostile`}, []string{
			"<script>zenTripwire", "onerror=", "<iframe", "javascript:zenTripwire",
		}},
	} {
		t.Run(c.pipeline, func(t *testing.T) {
			d := newDashboard(t, c.notebook)
			if _, ok := d.run(); !ok {
				t.Fatalf("the %s fixture's run failed", c.pipeline)
			}
			d.serve()
			resp, err := http.Get(d.url + "pipelines/" + c.pipeline)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("GET /pipelines/%s: %d %v\n%s", c.pipeline, resp.StatusCode, err, body)
			}
			page, _, _ := strings.Cut(string(body), "<h2>DAG</h2>")
			for _, w := range c.want {
				if !strings.Contains(page, w) {
					t.Errorf("the Pipeline page above its DAG does not hold %q:\n%s", w, page)
				}
			}
			for _, u := range c.unwanted {
				if strings.Contains(string(body), u) {
					t.Errorf("the Pipeline page holds %q", u)
				}
			}
		})
	}
}
