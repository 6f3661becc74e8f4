package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"github.com/zengen-dev/zengen/internal/browsertest"
	"github.com/zengen-dev/zengen/internal/gomodtest"
	"github.com/zengen-dev/zengen/internal/proctest"
)

// dashboardFixtures holds the notebooks the dashboard's browser tests
// generate: they are no golden cases (testdata/notebooks), since what they
// check is the pages, not the generated code.
const dashboardFixtures = repoRoot + "/testdata/ui"

var pictures = flag.Bool("pictures", false, "write the README's pictures of the dashboard's pages (docs/dashboard-*.png) while TestDashboardInABrowser looks at them")

// pictureWidth, pictureHeight and pictureLimit keep the README's pictures
// readable and the repository small.
const (
	pictureWidth  = 1280
	pictureHeight = 720
	pictureLimit  = 150 << 10
)

// picture saves what the page shows at the README's size as
// docs/dashboard-NAME.png, with -pictures: from the top, or from the
// element the CSS selector from picks.
func picture(t *testing.T, d *dashboard, p *browsertest.Page, name, from string) {
	t.Helper()
	if !*pictures {
		return
	}
	browsertest.Do(p, chromedp.EmulateViewport(pictureWidth, pictureHeight))
	if from != "" {
		browsertest.Eval[chromedp.Void](p, `window.scrollTo(0, document.querySelector(`+strconv.Quote(from)+`).getBoundingClientRect().top + window.scrollY - 12)`)
	}
	png := p.PNG()
	browsertest.Eval[chromedp.Void](p, `window.scrollTo(0, 0)`)
	browsertest.Do(p, chromedp.ResetViewport())
	if len(png) > pictureLimit {
		t.Errorf("the picture of the %s page takes %d KB, more than %d KB", name, len(png)>>10, pictureLimit>>10)
	}
	writeFile(t, filepath.Join(d.docs, "dashboard-"+name+".png"), string(png))
}

// dashboard is a generated pipeline with a store of its runs and, once
// served, a `NAME ui` process on 127.0.0.1.
type dashboard struct {
	t         *testing.T
	bin, home string
	url       string // the dashboard's root, with its trailing slash
	docs      string // the checkout's docs folder, for -pictures
}

// newDashboard generates and builds the fixture notebook name (a file of
// testdata/ui) with an empty store. It generates from inside the scratch
// module, as a user does, so that pages name the notebook as "fit.go";
// the test's working directory stays there.
func newDashboard(t *testing.T, name string) *dashboard {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs a generated pipeline and a browser; skipped with -short")
	}
	docs, err := filepath.Abs(filepath.Join(repoRoot, "docs"))
	if err != nil {
		t.Fatal(err)
	}
	source, err := os.ReadFile(filepath.Join(dashboardFixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	module := gomodtest.Module(t, "example.com/dashboard")
	writeFile(t, filepath.Join(module, name), string(source))
	t.Chdir(module)
	if status, _, stderr := runZengen(t, "generate", name, "-o", "pipeline"); status != exitOK {
		t.Fatalf("generate %s: exit %d\n%s", name, status, stderr)
	}
	pipeline := strings.TrimSuffix(name, ".go")
	bin := filepath.Join(t.TempDir(), pipeline)
	if out, err := goCommand(t, module, "build", "-o", bin, "./pipeline/cmd/"+pipeline); err != nil {
		t.Fatalf("go build of the generated command: %v\n%s", err, out)
	}
	return &dashboard{t: t, bin: bin, home: t.TempDir(), docs: docs}
}

// run runs the pipeline against the store with args; it returns the run's
// id and whether it succeeded.
func (d *dashboard) run(args ...string) (id string, ok bool) {
	d.t.Helper()
	out, err := runBinary(d.t, d.bin, append([]string{"run", "--home", d.home}, args...)...)
	m := regexp.MustCompile(`(?m)^run (\S+) (succeeded|failed)`).FindStringSubmatch(out)
	if m == nil {
		d.t.Fatalf("run %v: no run line in its output (%v):\n%s", args, err, out)
	}
	return m[1], err == nil
}

// start starts a run in the background and returns its id once the store
// records it as running; the test waits for the run at its end.
func (d *dashboard) start(args ...string) string {
	d.t.Helper()
	cmd := proctest.Command(d.t, d.bin, append([]string{"run", "--home", d.home}, args...)...)
	cmd.Dir = filepath.Dir(d.bin)
	if err := cmd.Start(); err != nil {
		d.t.Fatal(err)
	}
	d.t.Cleanup(func() {
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(pipelineTimeout):
			cmd.Process.Kill()
			d.t.Errorf("the background run %v hung", args)
		}
	})
	for deadline := time.Now().Add(pipelineTimeout); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		for _, r := range d.runs() {
			if r.Status == "running" {
				return r.ID
			}
		}
	}
	d.t.Fatalf("the run %v never showed as running", args)
	return ""
}

type listedRun struct {
	ID     string `json:"id"`
	Status string `json:"status"`
}

// runs lists the store's runs, newest first.
func (d *dashboard) runs() []listedRun {
	d.t.Helper()
	out, err := runBinary(d.t, d.bin, "runs", "--json", "--home", d.home)
	if err != nil {
		d.t.Fatalf("runs: %v\n%s", err, out)
	}
	var runs []listedRun
	if err := json.Unmarshal([]byte(out), &runs); err != nil {
		d.t.Fatalf("runs --json: %v\n%s", err, out)
	}
	return runs
}

// statuses maps each step of a run to its status as `show` says it.
func (d *dashboard) statuses(id string) map[string]string {
	d.t.Helper()
	out, err := runBinary(d.t, d.bin, "show", id, "--json", "--home", d.home)
	if err != nil {
		d.t.Fatalf("show %s: %v\n%s", id, err, out)
	}
	var shown struct {
		Steps []struct{ Step, Status string }
	}
	if err := json.Unmarshal([]byte(out), &shown); err != nil {
		d.t.Fatalf("show --json: %v\n%s", err, out)
	}
	m := map[string]string{}
	for _, s := range shown.Steps {
		m[s.Step] = s.Status
	}
	return m
}

// dashboardURL is the URL ui prints.
var dashboardURL = regexp.MustCompile(`http://127\.0\.0\.1:\d+/`)

// serve starts `NAME ui` on a free port of 127.0.0.1 and waits for the URL
// it prints; the process is stopped, by its PID, when the test ends.
func (d *dashboard) serve() {
	d.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, d.bin, "ui", "--addr", "127.0.0.1:0", "--home", d.home)
	cmd.Dir = filepath.Dir(d.bin)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) } // Ctrl-C, as a user stops it
	cmd.WaitDelay = 5 * time.Second
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		d.t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		d.t.Fatal(err)
	}
	d.t.Cleanup(func() {
		cancel()
		cmd.Wait()
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u := dashboardURL.FindString(sc.Text()); u != "" {
				found <- u
				break
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	select {
	case d.url = <-found:
	case <-time.After(30 * time.Second):
		cancel()
		cmd.Wait()
		d.t.Fatalf("ui printed no http://127.0.0.1 URL within 30s; stderr:\n%s", stderr.String())
	}
}

// TestDashboardInABrowser runs the fit fixture a few times (one run fails),
// serves its store with `NAME ui` and looks at every page in chromium: the
// runs with their metrics, each run's DAG with the status of every step,
// a run that updates while it is watched, the comparison's charts, an
// artifact's preview and the pipeline's documentation. The browser must
// report nothing (no console message, exception or CSP violation), and
// each page leaves a screenshot among the test's artifacts.
func TestDashboardInABrowser(t *testing.T) {
	d := newDashboard(t, "fit.go")
	var ids []string
	for _, lr := range []string{"0.1", "0.5", "1"} {
		id, ok := d.run("--lr", lr)
		if !ok {
			t.Fatalf("run --lr %s failed", lr)
		}
		ids = append(ids, id)
	}
	failed, ok := d.run("--lr", "5")
	if ok {
		t.Fatal("run --lr 5 succeeded; the fixture wants it to diverge")
	}
	d.serve()
	p := browsertest.Open(t)

	// One browser for every page, so no subtests: a failure in one page's
	// checks is the test's own.
	checkRunsPage(t, d, p)
	for _, id := range []string{ids[0], failed} {
		checkRunPage(t, d, p, id)
	}
	checkArtifactPages(t, d, p, ids[0])
	checkComparePage(t, d, p, append(ids, failed))
	checkPipelinePage(t, d, p)
	checkLiveRun(t, d, p)
	pages := crawl(t, d, p, func(u string) {
		if problems := p.Take(); len(problems) > 0 {
			t.Errorf("%s made the browser report:\n%s", u, strings.Join(problems, "\n"))
		}
	})
	t.Logf("visited %d pages", len(pages))
}

// checkArtifactPages: the run's residuals are previewed as numbers with
// their statistics and a histogram, its plot as the picture it is.
func checkArtifactPages(t *testing.T, d *dashboard, p *browsertest.Page, id string) {
	p.Go(d.url + "runs/" + id)
	residuals := browsertest.Eval[string](p, `[...document.querySelectorAll('#step-evaluate a.artifact')].find(a => a.textContent.trim() == 'residuals')?.href ?? ''`)
	if residuals == "" {
		t.Fatalf("the page of run %s links no artifact residuals in step evaluate", id)
	}
	p.Go(residuals)
	type numbers struct {
		Kind  string
		Count string
		Bars  int
	}
	got := browsertest.Eval[numbers](p, `({Kind: document.querySelector('#artifact')?.dataset.kind ?? '',
		Count: document.querySelector('#summary [data-stat=count]')?.textContent.trim() ?? '',
		Bars: document.querySelectorAll('svg#histogram rect.bar').length})`)
	if got.Kind != "numbers" || got.Count != "200" || got.Bars < 5 {
		t.Errorf("the residuals' page previews %+v, want numbers, a count of 200 and a histogram", got)
	}
	p.Screenshot("artifact-residuals")
	picture(t, d, p, "artifact", "")
	p.Go(d.url + "runs/" + id)
	plot := browsertest.Eval[string](p, `[...document.querySelectorAll('#step-plot a.artifact')].find(a => a.textContent.trim() == 'display.1')?.href ?? ''`)
	if plot == "" {
		t.Fatalf("the page of run %s links no display plot.display.1", id)
	}
	p.Go(plot)
	if w := browsertest.Eval[int](p, `document.querySelector('img#display')?.naturalWidth ?? 0`); w != 120 {
		t.Errorf("the plot's page shows an image %d pixels wide, want the step's 120", w)
	}
	p.Screenshot("artifact-plot")
	if problems := p.Take(); len(problems) > 0 {
		t.Errorf("the artifact pages made the browser report:\n%s", strings.Join(problems, "\n"))
	}
}

// checkRunsPage: every run, newest first, with its status and its metrics
// as columns.
func checkRunsPage(t *testing.T, d *dashboard, p *browsertest.Page) {
	p.Go(d.url)
	type row struct {
		ID, Status string
		Metrics    map[string]string
	}
	rows := browsertest.Eval[[]row](p, `[...document.querySelectorAll('#runs tr.run')].map(tr => ({
		ID: tr.dataset.run, Status: tr.dataset.status,
		Metrics: Object.fromEntries([...tr.querySelectorAll('td[data-metric]')].map(td => [td.dataset.metric, td.textContent.trim()]))}))`)
	runs := d.runs()
	if len(rows) != len(runs) {
		t.Fatalf("the runs page lists %d runs, the store holds %d: %+v", len(rows), len(runs), rows)
	}
	for i, r := range runs {
		got := rows[i]
		if got.ID != r.ID || got.Status != r.Status {
			t.Errorf("row %d is run %s (%s), want %s (%s), newest first", i+1, got.ID, got.Status, r.ID, r.Status)
		}
		for name, value := range d.metrics(r.ID) {
			if !sameNumber(got.Metrics[name], value) {
				t.Errorf("run %s: column %s shows %q, the run recorded %v", r.ID, name, got.Metrics[name], value)
			}
		}
	}
	p.Screenshot("runs")
	picture(t, d, p, "runs", "")
	if problems := p.Take(); len(problems) > 0 {
		t.Errorf("the runs page made the browser report:\n%s", strings.Join(problems, "\n"))
	}
}

// checkRunPage: the run's DAG has one node per step, each with the status
// the store records.
func checkRunPage(t *testing.T, d *dashboard, p *browsertest.Page, id string) {
	p.Go(d.url + "runs/" + id)
	want := d.statuses(id)
	got := dagStatuses(p)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("run %s: the DAG's nodes and statuses differ from show's (-show +page):\n%s", id, diff)
	}
	p.Screenshot("run-" + want["train"])
	if want["train"] == "succeeded" {
		picture(t, d, p, "run", "")
	}
	if problems := p.Take(); len(problems) > 0 {
		t.Errorf("the page of run %s made the browser report:\n%s", id, strings.Join(problems, "\n"))
	}
}

// dagStatuses reads the status of each node of the run page's DAG.
func dagStatuses(p *browsertest.Page) map[string]string {
	return browsertest.Eval[map[string]string](p, `Object.fromEntries(
		[...document.querySelectorAll('svg [data-step]')].map(n => [n.dataset.step, n.dataset.status]))`)
}

// checkLiveRun opens the page of a run whose train step takes its time and
// watches the DAG follow the run to its end without a reload, and the
// train step's section show what it printed before its pauses while it
// still runs, then its final log.
func checkLiveRun(t *testing.T, d *dashboard, p *browsertest.Page) {
	id := d.start("--lr", "0.2", "--pause-ms", "100") // 30 epochs: 3 s in train
	p.Go(d.url + "runs/" + id)
	browsertest.Eval[bool](p, `window.zenSamePage = true`)
	before := dagStatuses(p)
	p.Screenshot("run-live")
	if before["train"] != "running" {
		t.Fatalf("the page opened on a run whose train step is %q, not running: %v", before["train"], before)
	}
	// What train printed before its first pause shows while it runs.
	browsertest.Run(p, chromedp.Poll[bool](`(() => { const s = document.querySelector('#step-train');
		return s?.dataset.status == 'running' && (s.querySelector('pre.log')?.textContent ?? '').includes('training for 30 epochs') })()`,
		chromedp.WithPollingTimeout(30*time.Second)))
	p.Screenshot("run-live-log")
	// The page must reach the run's final state by itself.
	browsertest.Run(p, chromedp.Poll[bool](`[...document.querySelectorAll('svg [data-step]')].length == 4 &&
		[...document.querySelectorAll('svg [data-step]')].every(n => n.dataset.status == 'succeeded' || n.dataset.status == 'cached')`,
		chromedp.WithPollingTimeout(pipelineTimeout)))
	// Each step's section follows too: its log appears once it ended.
	browsertest.Run(p, chromedp.Poll[bool](`(document.querySelector('#step-plot pre.log')?.textContent ?? '').includes('plotted 200 samples')`,
		chromedp.WithPollingTimeout(30*time.Second)))
	// train's output so far gave way to its final log.
	browsertest.Run(p, chromedp.Poll[bool](`(() => { const s = document.querySelector('#step-train');
		return !s.textContent.includes('so far') && /training for 30 epochs at lr 0\.2\nw = [0-9.]+, loss/.test(s.querySelector('pre.log')?.textContent ?? '') })()`,
		chromedp.WithPollingTimeout(30*time.Second)))
	if !browsertest.Eval[bool](p, `window.zenSamePage === true`) {
		t.Error("the run page reloaded to show the run's progress")
	}
	if diff := cmp.Diff(d.statuses(id), dagStatuses(p)); diff != "" {
		t.Errorf("the live DAG ended differently from show (-show +page):\n%s", diff)
	}
	p.Screenshot("run-live-done")
	if problems := p.Take(); len(problems) > 0 {
		t.Errorf("the live run page made the browser report:\n%s", strings.Join(problems, "\n"))
	}
}

// metrics maps "step.metric" to the value a run recorded.
func (d *dashboard) metrics(id string) map[string]float64 {
	d.t.Helper()
	out, err := runBinary(d.t, d.bin, "show", id, "--json", "--home", d.home)
	if err != nil {
		d.t.Fatalf("show %s: %v\n%s", id, err, out)
	}
	return gomodtest.ParseShown(d.t, out).Metrics()
}

// sameNumber reports whether a page's text shows v, to the digits it
// shows.
func sameNumber(text string, v float64) bool {
	f, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
	return err == nil && math.Abs(f-v) <= 1e-3*math.Max(math.Abs(v), 1e-9)
}

// crawlLimit bounds a crawl of the dashboard: the fixtures' stores make a
// few dozen pages.
const crawlLimit = 120

// crawl visits every page of the dashboard that links lead to from its
// root and from the comparison of all its runs, calling visit on each
// once loaded; it returns the URLs visited. A link to a download is not
// followed (the browser would save it, not show it).
func crawl(t *testing.T, d *dashboard, p *browsertest.Page, visit func(url string)) []string {
	t.Helper()
	queue := []string{d.url, d.url + "compare?" + compareQuery(d)}
	seen := map[string]bool{}
	var visited []string
	for len(queue) > 0 && len(visited) < crawlLimit {
		u := queue[0]
		queue = queue[1:]
		if seen[u] {
			continue
		}
		seen[u] = true
		if err := chromedp.Do(p.Context(), chromedp.Navigate(u)); err != nil {
			if strings.Contains(err.Error(), "ERR_ABORTED") { // a download after all
				continue
			}
			t.Fatalf("GET %s: %v", u, err)
		}
		visited = append(visited, u)
		visit(u)
		links := browsertest.Eval[[]string](p, `[...document.querySelectorAll('a[href]')]
			.filter(a => !a.hasAttribute('download') && a.origin == location.origin)
			.map(a => a.href.split('#')[0])`)
		for _, l := range links {
			if !seen[l] && !strings.Contains(l, "/assets/") {
				queue = append(queue, l)
			}
		}
	}
	if len(queue) > 0 {
		t.Errorf("the crawl stopped at %d pages with %d links left; raise crawlLimit if the dashboard grew", crawlLimit, len(queue))
	}
	return visited
}

// compareQuery selects every run of the store for the compare page, as
// the runs page's form does.
func compareQuery(d *dashboard) string {
	var q []string
	for _, r := range d.runs() {
		q = append(q, "run="+r.ID)
	}
	return strings.Join(q, "&")
}

// TestDashboardRunsNoHostileScript serves the runs of the hostile fixture,
// whose markdown, params, logs, artifacts, displays and error message all
// try to run script, and visits every page of the dashboard: no payload
// may run (the tripwire each one calls stays silent, no dialog opens), no
// page may carry an element that could run one (an on* attribute, a
// javascript: URL, a script that is not the dashboard's own) and the
// browser reports nothing, not even a CSP violation, which would mean the
// escaping failed and only the policy stopped a payload. What the
// pipeline printed and computed is shown as text.
func TestDashboardRunsNoHostileScript(t *testing.T) {
	d := newDashboard(t, "hostile.go")
	if _, ok := d.run(); !ok {
		t.Fatal("the hostile fixture's first run failed")
	}
	if _, ok := d.run("--title", `<script>zenTripwire("param flag")</script>`); !ok {
		t.Fatal("the hostile fixture's run with --title failed")
	}
	if _, ok := d.run("--boom"); ok {
		t.Fatal("run --boom succeeded; the fixture wants it to fail")
	}
	d.serve()
	p := browsertest.Open(t)
	var text strings.Builder
	pages := crawl(t, d, p, func(u string) {
		type dangers struct {
			Handlers, URLs, Scripts, Frames []string
			Title                           string
			HTML                            bool
		}
		got := browsertest.Eval[dangers](p, `(() => {
			const all = [...document.querySelectorAll('*')];
			const attrs = all.flatMap(e => [...e.attributes].map(a => ({e, a})));
			return {
				Handlers: attrs.filter(({a}) => a.name.toLowerCase().startsWith('on')).map(({e, a}) => e.tagName + ' ' + a.name + '=' + a.value),
				URLs: attrs.filter(({a}) => /^\s*(javascript|vbscript|data:text\/html)/i.test(a.value.replace(/[\u0000-\u001f]/g, '')))
					.map(({e, a}) => e.tagName + ' ' + a.name + '=' + a.value),
				Scripts: [...document.scripts].filter(s => !s.src.startsWith(location.origin + '/assets/')).map(s => s.outerHTML),
				Frames: [...document.querySelectorAll('iframe, object, embed, frame')]
					.filter(e => !(e.tagName == 'IFRAME' && e.hasAttribute('sandbox') && !e.sandbox.contains('allow-scripts') && !e.sandbox.contains('allow-same-origin')))
					.map(e => e.outerHTML),
				Title: document.title,
				HTML: document.contentType == 'text/html',
			};
		})()`)
		for _, list := range [][]string{got.Handlers, got.URLs, got.Scripts} {
			for _, bad := range list {
				t.Errorf("%s holds %s", u, bad)
			}
		}
		for _, f := range got.Frames {
			t.Errorf("%s embeds %s, not in a sandbox that stops its scripts", u, f)
		}
		if got.HTML && !strings.HasSuffix(got.Title, "zengen") {
			t.Errorf("%s: the document's title became %q", u, got.Title)
		}
		var problems []string
		for _, problem := range p.Take() {
			// A display shown as it is runs in a sandbox, which blocks
			// its payloads and says so: the design at work.
			if !sandboxedDisplay.MatchString(problem) {
				problems = append(problems, problem)
			}
		}
		if len(problems) > 0 {
			t.Errorf("%s made the browser report:\n%s", u, strings.Join(problems, "\n"))
		}
		text.WriteString(browsertest.Eval[string](p, `document.body.innerText`))
		p.Screenshot(pageName(d, u))
	})
	t.Logf("visited %d pages", len(pages))
	for _, shown := range []string{
		"<script>zenTripwire('log')</script>",              // a step's log
		"<img src=x onerror=zenTripwire('param default')>", // a param's value
		`<script>zenTripwire("param flag")</script>`,       // a param given on the command line
		"panic: <img src=x onerror=zenTripwire('error')>",  // an error message
	} {
		if !strings.Contains(text.String(), shown) {
			t.Errorf("no page shows %q as text", shown)
		}
	}
}

// sandboxedDisplay matches what the browser reports of a display's own
// document, which the artifact page frames with a sandbox.
var sandboxedDisplay = regexp.MustCompile(`^browser log \(error, security\): (Blocked script execution in '[^']*/raw' because the document's frame is sandboxed.*|.*Content Security Policy.*) http://127\.0\.0\.1:\d+/runs/[^ ]+/artifacts/[^ ]+/raw$`)

// pageName names a screenshot after the page's path.
func pageName(d *dashboard, u string) string {
	name := strings.TrimPrefix(u, d.url)
	if i := strings.IndexByte(name, '?'); i >= 0 {
		name = name[:i] + "-query"
	}
	name = regexp.MustCompile(`[^A-Za-z0-9.]+`).ReplaceAllString(name, "-")
	if name == "" {
		return "root"
	}
	return name
}

// checkComparePage: comparing every run charts each metric with a point
// per run that recorded it.
func checkComparePage(t *testing.T, d *dashboard, p *browsertest.Page, ids []string) {
	p.Go(d.url)
	// As a user does: tick the runs, then compare.
	for _, id := range ids {
		browsertest.Do(p, chromedp.Click(chromedp.CSS(`input[type=checkbox][value="`+id+`"]`)))
	}
	browsertest.Run(p, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(`#compare button[type=submit]`))))
	points := browsertest.Eval[[]string](p, `[...document.querySelectorAll('svg circle.point[data-run]')].map(c => c.dataset.run)`)
	for _, id := range ids[:len(ids)-1] { // the last run failed before its metrics
		if n := strings.Count(strings.Join(points, " "), id); n != 2 {
			t.Errorf("the compare page charts run %s %d times, want once for each of its 2 metrics (points: %v)", id, n, points)
		}
	}
	p.Screenshot("compare")
	picture(t, d, p, "compare", "#compare-metrics")
	if problems := p.Take(); len(problems) > 0 {
		t.Errorf("the compare page made the browser report:\n%s", strings.Join(problems, "\n"))
	}
}

// checkPipelinePage: the markdown before each step of the notebook is
// the step's documentation, rendered, beside the pipeline's DAG.
func checkPipelinePage(t *testing.T, d *dashboard, p *browsertest.Page) {
	p.Go(d.url + "pipelines/fit")
	type doc struct {
		Headings, Strong, Code []string
		Links                  []string
		Nodes                  int
	}
	got := browsertest.Eval[doc](p, `(() => {
		const texts = sel => [...document.querySelectorAll('main ' + sel)].map(e => e.textContent.trim());
		return {Headings: texts('h1, h2, h3'), Strong: texts('strong'), Code: texts('code'),
			Links: [...document.querySelectorAll('main a[href^="https:"]')].map(a => a.href),
			Nodes: document.querySelectorAll('svg [data-step]').length};
	})()`)
	for _, want := range []struct {
		list []string
		item string
	}{{got.Headings, "Train"}, {got.Strong, "mean squared error"}, {got.Code, "pauseMs"},
		{got.Links, "https://github.com/zengen-dev/zengen#the-dashboard"}} {
		if !slices.Contains(want.list, want.item) {
			t.Errorf("the pipeline page does not render %q from the notebook's markdown: %q", want.item, want.list)
		}
	}
	if got.Nodes != 4 {
		t.Errorf("the pipeline page's DAG has %d nodes, want 4", got.Nodes)
	}
	p.Screenshot("pipeline")
	picture(t, d, p, "pipeline", "")
	if problems := p.Take(); len(problems) > 0 {
		t.Errorf("the pipeline page made the browser report:\n%s", strings.Join(problems, "\n"))
	}
}
