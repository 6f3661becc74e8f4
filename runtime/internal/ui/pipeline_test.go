package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

func TestPipelinePageDocumentsEachStep(t *testing.T) {
	f := newFixture(t, Options{})
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	a := f.run(t0, meta.RunSucceeded, `{}`, trained(0.5)...)
	b := f.run(t0.Add(time.Hour), meta.RunFailed, `{}`, meta.StepRun{Step: "load", Status: meta.StepFailed, Error: "x"})
	body := f.mustGet("/pipelines/churn")
	for _, want := range []string{
		`<section class="step pipeline-step" id="doc-load" data-step="load">`,
		"<h1>Load</h1>\n\n<p>Reads the <strong>customers</strong>.</p>",
		`<g class="node status-failed" id="node-load" data-step="load" data-status="failed"><a href="#doc-load">`,
		`<g class="node status-succeeded" id="node-train" data-step="train" data-status="succeeded">`,
		`href="/runs/` + b + `#step-load" data-run="` + b + `" data-status="failed"`,
		`href="/runs/` + a + `#step-load" data-run="` + a + `" data-status="succeeded"`,
		`<a href="/?pipeline=churn">Its runs</a>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("pipeline page lacks %s", want)
		}
	}
	// Newest first.
	if strings.Index(body, `data-run="`+b+`"`) > strings.Index(body, `data-run="`+a+`"`) {
		t.Errorf("history is not newest first")
	}
	if resp, _ := f.get("/pipelines/nope"); resp.StatusCode != 404 {
		t.Errorf("GET /pipelines/nope: %s, want 404", resp.Status)
	}
}

// A notebook's markdown is the notebook author's, and a shared notebook
// is anyone's: nothing in it may run script or load anything.
func TestPipelinePageSanitisesHostileMarkdown(t *testing.T) {
	f := newFixture(t, Options{})
	f.p.Doc = "Intro <script>alert(1)</script>"
	f.p.Steps[0].Doc = strings.Join([]string{
		"# Load <img src=x onerror=alert(2)>",
		"[click](javascript:alert(3)) [data](data:text/html;base64,PHNjcmlwdD4=) [vb](vbscript:x)",
		"![pic](javascript:alert(4)) ![remote](https://example.com/p.png)",
		"<a href=\"javascript:alert(5)\" onclick=\"alert(6)\">raw</a>",
		"<div style=\"background:url(x)\" onmouseover=\"alert(7)\">div</div>",
		"[ok](https://example.com/docs) `<b>code</b>`",
		"{onclick=\"alert(8)\"}\n# Attributed",
	}, "\n\n")
	body := f.mustGet("/pipelines/churn")
	doc := body[strings.Index(body, `<main id="main">`):]
	// Attributes follow a space inside a tag; the text of a paragraph may
	// well say "{onclick=…}".
	for _, bad := range []string{"<script", "<img", " onerror", "javascript:", "data:text", "vbscript:", " onclick", " onmouseover", " style=", "<b>code"} {
		if strings.Contains(doc, bad) {
			t.Errorf("pipeline page holds %q", bad)
		}
	}
	for _, want := range []string{
		`<a href="https://example.com/docs" rel="nofollow noreferrer">ok</a>`,
		`<a href="https://example.com/p.png" rel="nofollow noreferrer">image: remote</a>`,
		"<code>&lt;b&gt;code&lt;/b&gt;</code>",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("pipeline page lacks %s", want)
		}
	}
}

// Another pipeline in a shared store is shown from its records.
func TestPipelinePageOfAnotherPipeline(t *testing.T) {
	f := newFixture(t, Options{})
	f.run(time.Now(), meta.RunSucceeded, `{}`, trained(0.5)...)
	f.p.Name = "other"
	body := f.mustGet("/pipelines/churn")
	if !strings.Contains(body, `id="undescribed"`) || !strings.Contains(body, `id="doc-train" data-step="train"`) {
		t.Errorf("pipeline page of a pipeline the binary does not describe:\n%s", body)
	}
}

// The allowlist behind gomarkdown keeps only markdown's elements and
// inert attributes, whatever HTML reaches it.
func TestSanitizeKeepsOnlyMarkdownsHTML(t *testing.T) {
	in := `<p onclick="x" style="color:red">hi<script>alert(1)</script><a href="javascript:alert(2)" title="t">a</a>` +
		`<a href="https://e.example/x?a=1&amp;b=2">b</a><img src=x onerror=y><iframe src="https://e.example"></iframe>` +
		`<code class="language-go">x</code><code class="x onload">y</code><td align="left">c</td><!-- c --></p>`
	want := `<p>hialert(1)<a title="t" rel="nofollow noreferrer">a</a>` +
		`<a href="https://e.example/x?a=1&amp;b=2" rel="nofollow noreferrer">b</a>` +
		`<code class="language-go">x</code><code>y</code><td align="left">c</td></p>`
	if got := sanitize([]byte(in)); got != want {
		t.Errorf("sanitize:\n got %s\nwant %s", got, want)
	}
}
