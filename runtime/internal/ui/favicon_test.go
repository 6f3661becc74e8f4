package ui

import (
	"net/http"
	"strings"
	"testing"
)

// TestFaviconIsServed: a browser asks for /favicon.ico on every answer
// that names no icon (an artifact's raw bytes, a plain-text explain), and
// a 404 there is an error in its console, which the browser tests count.
func TestFaviconIsServed(t *testing.T) {
	f := newFixture(t, Options{})
	resp, body := f.get("/favicon.ico")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(body, "<svg") {
		t.Errorf("GET /favicon.ico: %s, %s\n%s", resp.Status, resp.Header.Get("Content-Type"), body)
	}
}
