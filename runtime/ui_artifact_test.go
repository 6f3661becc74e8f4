package runtime

import (
	"context"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/zengen-dev/zengen/runtime/display/gonbui"
)

// hostileText is what a notebook could put in an artifact or a param to
// run script in the dashboard, were it not escaped.
const hostileText = `"><script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:alert(3)">x</a>`

type galleryParams struct {
	Lr    float64 `zen:"lr"`
	Label string  `zen:"label"`
}

type galleryRow struct {
	Name  string
	Score float64
}

// galleryPipeline makes one artifact of each kind the artifact page
// previews, and use reads xs and records a metric that depends on lr.
func galleryPipeline(params *galleryParams) *Pipeline {
	produce := displayStep("make", func(ctx context.Context, sc *StepContext) error {
		gonbui.DisplayHTML(`<p>table</p><script>parent.document.title='owned'</script>`)
		gonbui.DisplaySVG(`<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20" onload="alert(1)"><circle cx="10" cy="10" r="8"/></svg>`)
		xs := []float64{4, 1, math.NaN(), 3, 2}
		rows := []galleryRow{{"a", 1}, {params.Label, math.NaN()}, {"c", 3}}
		if err := Save(sc, "xs", Numeric[[]float64](), xs); err != nil {
			return err
		}
		if err := Save(sc, "rows", Value[[]galleryRow](), rows); err != nil {
			return err
		}
		return Save(sc, "note", Raw[string](), params.Label)
	})
	produce.Params = []string{"label"}
	produce.Outputs = []Output{
		{Name: "xs", Type: "[]float64", Codec: "numeric"},
		{Name: "rows", Type: "[]runtime.galleryRow", Codec: "value", Show: Shower(Value[[]galleryRow]())},
		{Name: "note", Type: "string", Codec: "raw"},
	}
	use := &Step{Name: "use", Func: "Use", CodeHash: "code-use", Pos: "test.ipynb:cell 2",
		Inputs: []Input{{Name: "xs", Type: "[]float64", Codec: "numeric", From: "make"}}, Params: []string{"lr"}, Metrics: []string{"score"},
		Run: func(ctx context.Context, sc *StepContext) error {
			xs, err := Load(sc, "xs", Numeric[[]float64]())
			if err != nil {
				return err
			}
			sc.Metric("score", params.Lr*float64(len(xs)))
			return nil
		}}
	return &Pipeline{Name: "gallery", Notebook: "gallery.ipynb", Params: params, Steps: []*Step{produce, use}}
}

func get(t *testing.T, u string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// The artifact pages of a real run show each kind of artifact, escaped,
// with displays sandboxed, and the compare page lines up two runs that
// differ in lr and in a hostile label.
func TestUIShowsArtifactsAndComparesRuns(t *testing.T) {
	home := t.TempDir()
	p := galleryPipeline(&galleryParams{Lr: 0.5, Label: hostileText})
	mustRun(t, p, home)
	first, _ := statuses(t, p, home, "latest")
	mustRun(t, p, home, "--lr", "0.25")
	second, _ := statuses(t, p, home, "latest")

	base, stop := startUI(t, p, home, "--addr", "127.0.0.1:0")
	defer stop()
	base = strings.TrimSuffix(base, "/")
	page := func(path string) string {
		t.Helper()
		resp, body := get(t, base+path)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %s\n%s", path, resp.Status, body)
		}
		for _, bad := range []string{"<script>alert", "<img src=x", `href="javascript:`, "parent.document"} {
			if strings.Contains(body, bad) {
				t.Errorf("GET %s: page holds %q", path, bad)
			}
		}
		return body
	}
	art := "/runs/" + first.ID + "/artifacts/make/"
	checks := map[string][]string{
		"xs":        {`data-kind="numbers"`, `data-stat="mean">2.5<`, `data-stat="nans">1<`, `<svg id="histogram"`, `class="reader" data-run="` + first.ID + `" data-step="use"`},
		"rows":      {`data-kind="table"`, "3 rows", "&lt;script&gt;", `<tr data-column="Score">`},
		"note":      {`data-kind="text"`, "&lt;script&gt;alert(1)&lt;/script&gt;"},
		"display.1": {`<iframe id="display" class="display" sandbox src="` + art + `display.1/raw"`},
		"display.2": {`<img id="display" class="display" src="` + art + `display.2/raw"`},
	}
	for name, wants := range checks {
		body := page(art + name)
		for _, w := range wants {
			if !strings.Contains(body, w) {
				t.Errorf("%s: page lacks %q", name, w)
			}
		}
	}
	resp, _ := get(t, base+art+"display.1/raw")
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "sandbox;") {
		t.Errorf("HTML display served with CSP %q", csp)
	}
	resp, body := get(t, base+art+"xs/download")
	if resp.Header.Get("Content-Disposition") != "attachment; filename=make.xs.bin" || len(body) != 16+5*8 {
		t.Errorf("download: %v, %d bytes", resp.Header, len(body))
	}

	body = page("/compare?" + url.Values{"run": {first.ID, second.ID}}.Encode())
	for _, w := range []string{`<tr class="param differs" data-param="lr">`, `<tr class="param" data-param="label">`,
		`<tr class="metric differs" data-metric="use.score">`, `<svg class="metric-chart" data-metric="use.score"`,
		`<tr class="step differs" data-step="use">`, `param lr changed: 0.5 → 0.25`, `<tr class="step" data-step="make">`} {
		if !strings.Contains(body, w) {
			t.Errorf("compare: page lacks %q", w)
		}
	}
}
