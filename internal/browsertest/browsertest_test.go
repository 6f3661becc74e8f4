package browsertest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

// TestPageReportsWhatAPageDoesWrong opens pages that each do one thing a
// dashboard page must never do, and checks that the harness reports it,
// so that a browser test that passes means the page did none of them.
func TestPageReportsWhatAPageDoesWrong(t *testing.T) {
	const csp = "default-src 'self'; frame-src 'self'"
	pages := map[string]string{
		"/clean":      `<p id=p>before</p><script src=/own.js></script>`,
		"/own.js":     `document.getElementById('p').textContent = 'after';`,
		"/console":    `<script src=/console.js></script>`,
		"/console.js": `console.error('broken', 7);`,
		"/exception":  `<script src=/throw.js></script>`,
		"/throw.js":   `null.x;`,
		"/inline":     `<script>document.title = 'ran'</script>`,
		"/alert":      `<script src=/alert.js></script>`,
		"/alert.js":   `alert('hi');`,
		"/framed":     `<iframe sandbox src=/display></iframe>`,
		"/display":    `<script>zenTripwire('display')</script>`,
		"/payload":    `<svg><image href=/own.js onerror="zenTripwire('svg image')"/></svg><img src=/own.js onerror="zenTripwire('img', 2)">`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/favicon.ico" {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		body, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if r.URL.Path == "/display" {
			w.Header().Set("Content-Security-Policy", "sandbox; default-src 'none'")
		}
		if strings.HasSuffix(r.URL.Path, ".js") {
			w.Header().Set("Content-Type", "text/javascript")
		} else {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		}
		if r.URL.Path != "/payload" && r.URL.Path != "/display" {
			w.Header().Set("Content-Security-Policy", csp)
		}
		fmt.Fprint(w, body)
	}))
	defer srv.Close()

	p := Open(t)
	cases := []struct{ path, want string }{
		{"/clean", ""},
		{"/console", `console.error("broken", 7) at ` + srv.URL + `/console.js:1:9`},
		{"/exception", "uncaught exception: Uncaught TypeError"},
		{"/inline", "Content-Security-Policy violation: script-src-elem blocked inline"},
		{"/alert", `a alert dialog opened: "hi"`},
		{"/payload", `a payload ran: zenTripwire("img",2)`},
		{"/framed", "Blocked script execution in '" + srv.URL + "/display' because the document's frame is sandboxed"},
	}
	for _, c := range cases {
		p.Go(srv.URL + c.path)
		got := strings.Join(p.Take(), "\n")
		t.Logf("%s: %s", c.path, got)
		if c.want == "" && got != "" {
			t.Errorf("%s: reported problems on a clean page:\n%s", c.path, got)
		}
		if !strings.Contains(got, c.want) {
			t.Errorf("%s: reported\n%s\nwant a problem holding %q", c.path, got, c.want)
		}
	}
	p.Go(srv.URL + "/clean")
	if got := Eval[string](p, `document.getElementById('p').textContent`); got != "after" {
		t.Errorf("the page's own script did not run under its CSP: text %q", got)
	}
	shot := p.Screenshot("clean")
	b, err := os.ReadFile(shot)
	if err != nil || !strings.HasPrefix(string(b), "\x89PNG") {
		t.Errorf("screenshot %s is not a PNG (%v)", shot, err)
	}
}
