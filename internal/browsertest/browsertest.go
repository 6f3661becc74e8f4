// Package browsertest opens pages in Debian's chromium, headless, for tests
// of what zengen serves to a browser. A page fails its test on anything it
// reports: a console message, an uncaught exception, a Content-Security-
// Policy violation, a dialog (alert, confirm, prompt), or a call of the
// tripwire function that hostile fixtures call from their payloads. Full-page
// screenshots go to the test's artifact directory (go test -artifacts keeps
// them).
//
// Without chromium a test skips, except in CI ($CI set), where it fails:
// .ci/run installs chromium. Only tests import it.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Tripwire is the name of a global function every page has: a fixture's
// hostile payload calls it (`<img src=x onerror=zenTripwire('img')>`), so
// a payload that runs is a reported problem even if it does nothing else.
const Tripwire = "zenTripwire"

// actionTimeout bounds one action: pages of a local server load in
// milliseconds, so anything near this is a hang.
const actionTimeout = time.Minute

// The bindings behind the tripwire and the CSP listener.
const (
	tripwireBinding  = "zenTripwireBinding"
	violationBinding = "zenViolationBinding"
)

// Width and Height are the window's size: wide enough for a table of runs
// with a few metric columns, as on a laptop.
const (
	Width  = 1280
	Height = 800
)

// Page is one tab of a chromium of its own (a fresh profile, no network
// but 127.0.0.1 in practice, no background requests).
type Page struct {
	t   testing.TB
	ctx context.Context

	mu       sync.Mutex
	problems []string
	shots    int
}

// Open starts chromium and opens an empty tab; both end with the test,
// which then fails on every problem the pages reported.
func Open(t testing.TB) *Page {
	t.Helper()
	bin := Chromium(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(Width, Height),
		chromedp.NoSandbox, // tests run as root in CI, where the sandbox refuses to start
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("no-first-run", true),
		// A sandboxed iframe (a display shown as it is) would otherwise be
		// a target of its own, whose console this tab never hears.
		chromedp.Flag("disable-features", "Translate,BlinkGenPropertyTrees,IsolateSandboxedIframes"),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	p := &Page{t: t}
	ctx, cancel := chromedp.NewContext(alloc, chromedp.WithListener(p.listen))
	t.Cleanup(func() {
		problems := p.Take()
		cancel()
		cancelAlloc()
		for _, problem := range problems {
			t.Errorf("the browser reported: %s", problem)
		}
	})
	p.ctx = ctx
	// The tripwire and the CSP listener exist in every document before its
	// own scripts run. They report through bindings, whose calls arrive as
	// events in order with the console's, so that settle sees them all.
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		for _, name := range []string{tripwireBinding, violationBinding} {
			if _, err := cdp.Call(ctx, tg, runtime.AddBinding, runtime.AddBindingParams{Name: name}); err != nil {
				return err
			}
		}
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
			Source: `window.` + Tripwire + ` = (...args) => ` + tripwireBinding + `(JSON.stringify(args));
document.addEventListener('securitypolicyviolation', e => ` + violationBinding + `(
	e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline code') + ' in ' + e.sourceFile + ':' + e.lineNumber));`,
		})
		return err
	}))
	if err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	return p
}

// Chromium returns the path of Debian's chromium, or skips t without it
// (fails it in CI).
func Chromium(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("chromium")
	if err == nil {
		return bin
	}
	msg := "no chromium on $PATH to test pages in; apt-get install chromium (.ci/run does)"
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// listen runs in the tab's message loop: it only records.
func (p *Page) listen(ev any) {
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		var args []string
		for _, a := range ev.Args {
			args = append(args, remoteText(a))
		}
		p.report(fmt.Sprintf("console.%s(%s)%s", ev.Type, strings.Join(args, ", "), stackPlace(ev.StackTrace)))
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		if d.Exception != nil && d.Exception.Description != "" { // the error with its stack
			p.report(fmt.Sprintf("uncaught exception: %s %s", d.Text, d.Exception.Description))
			break
		}
		p.report(fmt.Sprintf("uncaught exception: %s at %s:%d:%d", d.Text, d.URL, d.LineNumber+1, d.ColumnNumber+1))
	case *log.EventEntryAdded:
		e := ev.Entry
		p.report(fmt.Sprintf("browser log (%s, %s): %s %s", e.Level, e.Source, e.Text, e.URL))
	case *runtime.EventBindingCalled:
		switch ev.Name {
		case tripwireBinding:
			p.report(fmt.Sprintf("a payload ran: %s(%s)", Tripwire, strings.Trim(ev.Payload, "[]")))
		case violationBinding:
			p.report("Content-Security-Policy violation: " + ev.Payload)
		}
	case *page.EventJavascriptDialogOpening:
		p.report(fmt.Sprintf("a %s dialog opened: %q", ev.Type, ev.Message))
		// A dialog blocks the page until it is answered; the answer is a
		// command, which the message loop cannot wait for.
		go chromedp.Call(p.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
	}
}

func remoteText(o *runtime.RemoteObject) string {
	if o.Value != nil {
		return string(o.Value)
	}
	return o.Description
}

func stackPlace(st *runtime.StackTrace) string {
	if st == nil || len(st.CallFrames) == 0 {
		return ""
	}
	f := st.CallFrames[0]
	return fmt.Sprintf(" at %s:%d:%d", f.URL, f.LineNumber+1, f.ColumnNumber+1)
}

func (p *Page) report(problem string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.problems = append(p.problems, problem)
}

// Take waits until the page has settled, then returns what the pages
// reported since the last Take and forgets it, for a test that expects a
// problem; the test fails on the rest when it ends.
func (p *Page) Take() []string {
	p.t.Helper()
	p.settle()
	p.mu.Lock()
	defer p.mu.Unlock()
	problems := p.problems
	p.problems = nil
	return problems
}

// settle waits for two frames and a moment after them, so that what a
// page does once loaded (an image's error handler, a late script) has
// happened, and for the reply, after which every event the page sent
// before has been recorded.
func (p *Page) settle() {
	p.t.Helper()
	Run(p, chromedp.Evaluate[chromedp.Void](`new Promise(done =>
	requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50))))`, chromedp.EvalAwaitPromise))
}

// Context is the tab's context, for chromedp actions this package does not
// wrap.
func (p *Page) Context() context.Context { return p.ctx }

// Go navigates to url and waits until the page has loaded.
func (p *Page) Go(url string) {
	p.t.Helper()
	Do(p, chromedp.Navigate(url))
}

// Do runs actions in the tab, failing the test on an error.
func Do(p *Page, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.t.Fatalf("in the browser: %v", err)
	}
}

// Run runs one action in the tab and returns its value, failing the test
// on an error.
func Run[T any](p *Page, action chromedp.Action[T]) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, action)
	if err != nil {
		p.t.Fatalf("in the browser: %v", err)
	}
	return v
}

// Eval evaluates a JavaScript expression in the page and decodes its value.
func Eval[T any](p *Page, expression string) T {
	p.t.Helper()
	return Run(p, chromedp.Evaluate[T](expression))
}

// Screenshot saves a PNG of the whole page as NN-name.png in the test's
// artifact directory, logs its path and returns it.
func (p *Page) Screenshot(name string) string {
	p.t.Helper()
	png := Run(p, chromedp.FullScreenshot(100))
	p.mu.Lock()
	p.shots++
	n := p.shots
	p.mu.Unlock()
	path := filepath.Join(p.t.ArtifactDir(), fmt.Sprintf("%02d-%s.png", n, name))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Fatal(err)
	}
	p.t.Logf("screenshot: %s", path)
	return path
}

// PNG returns a PNG of the visible part of the page (Width × Height), for
// pictures of a page such as the README's.
func (p *Page) PNG() []byte {
	p.t.Helper()
	return Run(p, chromedp.CaptureScreenshot())
}
