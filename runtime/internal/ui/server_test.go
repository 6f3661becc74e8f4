package ui

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// Every response carries a strict Content-Security-Policy: no inline
// script or style, nothing from another origin.
func TestEveryPageHasTheSecurityHeaders(t *testing.T) {
	f := newFixture(t, Options{})
	f.run(time.Now(), meta.RunSucceeded, `{"lr":0.1}`, trained(0.5)...)
	for _, path := range []string{"/", "/assets/style.css", "/no/such/page"} {
		resp, _ := f.get(path)
		csp := resp.Header.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("GET %s: Content-Security-Policy %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("GET %s: Content-Security-Policy %q allows inline code", path, csp)
		}
		if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("GET %s: X-Content-Type-Options %q", path, got)
		}
	}
}

// A request that could change state is refused unless it comes from a
// page of this dashboard: same Origin and the pages' token. No page
// changes state on GET, so a POST that passes the checks finds no
// handler.
func TestStateChangingRequestsNeedOriginAndToken(t *testing.T) {
	f := newFixture(t, Options{})
	post := func(origin, token string) int {
		form := url.Values{}
		if token != "" {
			form.Set("token", token)
		}
		req := httptest.NewRequest("POST", "http://127.0.0.1:8765/", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, _ := f.do(req)
		return resp.StatusCode
	}
	cases := []struct {
		name, origin, token string
		want                int
	}{
		{"no origin, no token", "", "", http.StatusForbidden},
		{"no token", "http://127.0.0.1:8765", "", http.StatusForbidden},
		{"foreign origin", "http://evil.example", f.srv.csrf, http.StatusForbidden},
		{"wrong token", "http://127.0.0.1:8765", "guess", http.StatusForbidden},
		{"from the dashboard", "http://127.0.0.1:8765", f.srv.csrf, http.StatusMethodNotAllowed},
	}
	for _, c := range cases {
		if got := post(c.origin, c.token); got != c.want {
			t.Errorf("POST %s: status %d, want %d", c.name, got, c.want)
		}
	}
	// No page takes another method than GET, even with both.
	id := f.run(time.Now(), meta.RunSucceeded, `{}`, trained(0.5)...)
	for _, path := range []string{"/runs/" + id, "/runs/" + id + "/steps/train", "/runs/" + id + "/steps/train/explain",
		"/runs/" + id + "/events", "/pipelines/churn", "/assets/style.css"} {
		for _, method := range []string{"POST", "PUT", "DELETE", "PATCH"} {
			req := httptest.NewRequest(method, "http://127.0.0.1:8765"+path, nil)
			req.Header.Set("Origin", "http://127.0.0.1:8765")
			req.Header.Set("X-Zen-Token", f.srv.csrf)
			if resp, _ := f.do(req); resp.StatusCode != http.StatusMethodNotAllowed {
				t.Errorf("%s %s: %s, want 405", method, path, resp.Status)
			}
		}
	}
	// The pages carry the token for their own requests.
	if body := f.mustGet("/"); !strings.Contains(body, f.srv.csrf) {
		t.Errorf("the runs page does not carry the dashboard's token")
	}
}

// A server started with --token answers only with it: given once in the
// URL (then kept in a cookie and dropped from the address) or as the
// cookie.
func TestTokenIsRequired(t *testing.T) {
	f := newFixture(t, Options{Token: "s3cret"})
	if resp, _ := f.get("/"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET / without the token: %s, want 401", resp.Status)
	}
	if resp, _ := f.get("/?token=wrong"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET / with a wrong token: %s, want 401", resp.Status)
	}
	resp, _ := f.get("/?token=s3cret&status=failed")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/?status=failed" {
		t.Fatalf("GET /?token=…: %s to %q, want 303 to /?status=failed", resp.Status, resp.Header.Get("Location"))
	}
	cookies := resp.Cookies()
	if len(cookies) != 1 || !cookies[0].HttpOnly || cookies[0].SameSite != http.SameSiteStrictMode {
		t.Fatalf("cookies %+v: want one HttpOnly SameSite=Strict cookie", cookies)
	}
	req := httptest.NewRequest("GET", "http://127.0.0.1:8765/", nil)
	req.AddCookie(cookies[0])
	if resp, body := f.do(req); resp.StatusCode != http.StatusOK {
		t.Errorf("GET / with the cookie: %s\n%s", resp.Status, body)
	}
}

// On loopback the dashboard answers only to loopback names, so a page on
// another site cannot read it through a DNS name rebound to 127.0.0.1.
func TestLoopbackRefusesForeignHosts(t *testing.T) {
	f := newFixture(t, Options{Loopback: true})
	for host, want := range map[string]int{
		"127.0.0.1:8765": http.StatusOK, "localhost:8765": http.StatusOK, "[::1]:8765": http.StatusOK,
		"rebound.evil.example:8765": http.StatusMisdirectedRequest,
	} {
		req := httptest.NewRequest("GET", "http://"+host+"/", nil)
		if resp, _ := f.do(req); resp.StatusCode != want {
			t.Errorf("Host %s: %s, want %d", host, resp.Status, want)
		}
	}
}
