package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestParamsShowAsTheUserWroteThem changes the hostile fixture's string
// param to one with <, > and &: explain (the CLI's and the dashboard's "Why
// it ran"), runs and show must print those characters, not the \u003c,
// \u003e and \u0026 that the canonical JSON of params holds.
func TestParamsShowAsTheUserWroteThem(t *testing.T) {
	d := newDashboard(t, "hostile.go")
	if _, ok := d.run(); !ok {
		t.Fatal("the hostile fixture's first run failed")
	}
	const title = `<b>A & B</b>`
	id, ok := d.run("--title", title)
	if !ok {
		t.Fatal("the run with --title failed")
	}
	check := func(what, output, want string) {
		t.Helper()
		if strings.Contains(output, `\u00`) || !strings.Contains(output, want) {
			t.Errorf("%s does not show %s as given:\n%s", what, want, output)
		}
	}
	explain, err := runBinary(t, d.bin, "explain", id, "shout", "--home", d.home)
	if err != nil {
		t.Fatalf("explain: %v\n%s", err, explain)
	}
	check("explain", explain, `param title changed: "<img src=x onerror=zenTripwire('param default')>" → "`+title+`"`)
	for _, args := range [][]string{{"runs"}, {"show", id}} {
		output, err := runBinary(t, d.bin, append(args, "--home", d.home)...)
		if err != nil {
			t.Fatalf("%s: %v\n%s", args[0], err, output)
		}
		check(args[0], output, `"`+title+`"`)
	}
	d.serve()
	resp, err := http.Get(d.url + "runs/" + id + "/steps/shout/explain")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET the explanation: %d %v\n%s", resp.StatusCode, err, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("the explanation is served as %q, not as text", ct)
	}
	check("the dashboard's explanation", string(body), `→ "`+title+`"`)
}
