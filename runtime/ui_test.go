package runtime

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// ui serves the dashboard of the store and prints its URL; the runs page
// at that URL lists what the pipeline ran, and Ctrl-C (the context's end)
// stops it with status 0.
func TestUIServesTheStoresRuns(t *testing.T) {
	home := t.TempDir()
	p := paramPipeline(&cacheParams{Epochs: 3, Seed: 1})
	mustRun(t, p, home)
	run, _ := statuses(t, p, home, "latest")

	url, stop := startUI(t, p, home, "--addr", "127.0.0.1:0")
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `data-run="`+run.ID+`"`) {
		t.Errorf("GET %s: %s, want the runs page listing run %s:\n%s", url, resp.Status, run.ID, body)
	}
	if code := stop(); code != 0 {
		t.Errorf("ui stopped with status %d", code)
	}
}

// Listening beyond loopback without --token, ui makes a token up and
// prints the URL with it; a request without it is refused.
func TestUIBeyondLoopbackNeedsAToken(t *testing.T) {
	home := t.TempDir()
	p := paramPipeline(&cacheParams{Epochs: 3, Seed: 1})
	mustRun(t, p, home)
	url, stop := startUI(t, p, home, "--addr", "0.0.0.0:0")
	defer stop()
	host, _ := os.Hostname()
	m := regexp.MustCompile(`^http://` + regexp.QuoteMeta(host) + `:([0-9]+)/\?token=[0-9a-f]{32}$`).FindStringSubmatch(url)
	if m == nil {
		t.Fatalf("URL %q does not name this host or carries no generated token", url)
	}
	bare := "http://127.0.0.1:" + m[1] + "/"
	resp, err := http.Get(bare)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET %s without the token: %s, want 401", bare, resp.Status)
	}
}

// A taken port is refused with the way to choose another.
func TestUIOnATakenPort(t *testing.T) {
	home := t.TempDir()
	p := paramPipeline(&cacheParams{Epochs: 3, Seed: 1})
	mustRun(t, p, home)
	url, _ := startUI(t, p, home, "--addr", "127.0.0.1:0")
	addr := strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/")
	r := execIn(t, context.Background(), p, home, "ui", "--addr", addr)
	if r.code != 1 || !strings.Contains(r.stderr, "address already in use (--addr HOST:PORT chooses another address; port 0 takes a free one)") {
		t.Errorf("ui on a taken port: exit %d, stderr %q", r.code, r.stderr)
	}
}

// startUI runs ui with args against home until stop, which returns its
// exit status; url is the URL it printed.
func startUI(t *testing.T, p *Pipeline, home string, args ...string) (url string, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	var stderr strings.Builder
	go func() {
		done <- Exec(ctx, p, append([]string{"ui", "--home", home}, args...), pw, &stderr)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	go io.Copy(io.Discard, pr)
	if err != nil {
		cancel()
		t.Fatalf("ui printed no URL: %v; stderr:\n%s", err, stderr.String())
	}
	url = regexp.MustCompile(`http://\S+`).FindString(line)
	if url == "" {
		cancel()
		t.Fatalf("ui printed %q, no URL", line)
	}
	var once bool
	stop = func() int {
		if once {
			return 0
		}
		once = true
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(5 * time.Second):
			t.Fatal("ui did not stop")
			return -1
		}
	}
	t.Cleanup(func() { stop() })
	return url, stop
}
