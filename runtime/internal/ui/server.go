// Package ui is the dashboard that `NAME ui` serves: server-rendered pages
// of the runs in a store (runs, one run with its DAG, a pipeline with its
// notebook's documentation, artifacts, comparisons), read from the
// metadata store and updated live from it.
//
// It is safe by construction: every page is an html/template, markdown is
// rendered without raw HTML and with only http(s), mailto and relative
// links, the Content-Security-Policy allows only the binary's own scripts
// and styles (no inline ones), assets are embedded, no GET changes
// anything, and any other method needs the page's token and a same-origin
// Origin. It reads the store and never writes it.
//
// It knows records and the pipeline's description, not notebooks or the
// engine's scheduling: a run it shows may be executed by another process,
// on another host for a team stack.
package ui

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

//go:embed assets templates
var files embed.FS

// Store is what the dashboard reads: the metadata store of the engine and
// the dashboard's own queries, which page and filter in the store.
type Store interface {
	engine.MetadataStore
	QueryRuns(ctx context.Context, q meta.RunQuery) ([]meta.Run, error)
	RunMetrics(ctx context.Context, runIDs []string) ([]meta.RunMetric, error)
	Pipelines(ctx context.Context) ([]meta.PipelineRecord, error)
	RunState(ctx context.Context, runID string) (meta.Run, []meta.StepState, error)
	StepHistory(ctx context.Context, pipeline string, limit int) ([]meta.StepState, error)
}

// Options configure a Server.
type Options struct {
	// Token, when set, is required of every request: as ?token= once (the
	// server then keeps it in a cookie) or as that cookie.
	Token string
	// Explain says why a step run ran or was cached (explain's verdict).
	Explain func(ctx context.Context, sr meta.StepRun) (string, error)
	// Poll is how often a watched run's state is read (default 500ms).
	Poll time.Duration
	// Loopback is set when the server listens on a loopback address only:
	// requests must then name a loopback host, so a web page cannot reach
	// the dashboard through a DNS name rebound to 127.0.0.1.
	Loopback bool
}

// Server is the dashboard of one store.
type Server struct {
	st    *engine.Store
	db    Store
	p     *pipeline.Pipeline
	opts  Options
	csrf  string // the token state-changing requests carry
	pages map[string]*template.Template
	live  *hub
	mux   *http.ServeMux
}

// New returns the dashboard of st for pipeline p (the binary's own; the
// store may hold runs of others, which are shown from their records).
func New(st *engine.Store, p *pipeline.Pipeline, opts Options) (*Server, error) {
	db, ok := st.Meta.(Store)
	if !ok {
		return nil, fmt.Errorf("the metadata store %T cannot serve the dashboard", st.Meta)
	}
	if opts.Poll <= 0 {
		opts.Poll = 500 * time.Millisecond
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	s := &Server{st: st, db: db, p: p, opts: opts, csrf: randomToken(), pages: pages}
	s.live = newHub(db, opts.Poll)
	s.routes()
	return s, nil
}

// routes lists every page. Patterns name GET (which also serves HEAD): a
// page never changes state, and the mux answers other methods with 405.
func (s *Server) routes() {
	s.mux = http.NewServeMux()
	assets, _ := fs.Sub(files, "assets")
	s.mux.Handle("GET /assets/", http.StripPrefix("/assets/", assetServer(assets)))
	s.mux.Handle("GET /favicon.ico", faviconServer(assets))
	s.mux.HandleFunc("GET /{$}", s.runsPage)
	s.mux.HandleFunc("GET /runs/{id}", s.runPage)
	s.mux.HandleFunc("GET /runs/{id}/steps/{step}", s.stepFragment)
	s.mux.HandleFunc("GET /runs/{id}/steps/{step}/explain", s.explainPage)
	s.mux.HandleFunc("GET /runs/{id}/events", s.events)
	s.mux.HandleFunc("GET /pipelines/{name}", s.pipelinePage)
	s.artifactRoutes()
	s.compareRoutes()
}

// ServeHTTP guards every request (host, token, method) and sets the
// security headers before the page handles it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	if s.opts.Loopback && !loopbackHost(r.Host) {
		http.Error(w, "this dashboard answers only to 127.0.0.1, ::1 and localhost", http.StatusMisdirectedRequest)
		return
	}
	if s.opts.Token != "" && !s.authorized(w, r) {
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		if err := s.checkChange(r); err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
	}
	s.mux.ServeHTTP(w, r)
}

// contentSecurityPolicy lets a page load only the binary's own scripts,
// styles and images, and nothing inline: a string that escaped escaping
// still could not run.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// tokenCookie keeps --token in the browser after the URL that carried it.
const tokenCookie = "zen_token"

// authorized checks the token of a server started with one. A valid
// ?token= is moved into a cookie and the request redirected without it,
// so the token leaves the address bar and the history.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	if t := r.URL.Query().Get("token"); t != "" && equal(t, s.opts.Token) {
		http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: t, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
		u := *r.URL
		q := u.Query()
		q.Del("token")
		u.RawQuery = q.Encode()
		http.Redirect(w, r, u.RequestURI(), http.StatusSeeOther)
		return false
	}
	if c, err := r.Cookie(tokenCookie); err == nil && equal(c.Value, s.opts.Token) {
		return true
	}
	http.Error(w, "this dashboard needs its token: open the URL it printed", http.StatusUnauthorized)
	return false
}

// checkChange admits a request that may change state only from a page of
// this dashboard: its Origin is this server, and it carries the token the
// pages embed (in the X-Zen-Token header or the form field "token").
func (s *Server) checkChange(r *http.Request) error {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return errors.New("refused: a request that changes state must say its Origin")
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host != r.Host || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Errorf("refused: Origin %q is not this dashboard", origin)
	}
	t := r.Header.Get("X-Zen-Token")
	if t == "" {
		t = r.PostFormValue("token")
	}
	if !equal(t, s.csrf) {
		return errors.New("refused: the request does not carry the dashboard's token")
	}
	return nil
}

func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

func randomToken() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// loopbackHost reports whether a Host header names this machine.
func loopbackHost(hostport string) bool {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// assetServer serves the embedded assets, which change only with the
// binary.
func assetServer(assets fs.FS) http.Handler {
	fsrv := http.FileServerFS(assets)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		fsrv.ServeHTTP(w, r)
	})
}

// faviconServer answers /favicon.ico with the dashboard's icon: a browser
// asks for it on an answer that is not a page (plain text, an artifact's
// raw bytes), and a 404 there is an error in its console.
func faviconServer(assets fs.FS) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/svg+xml")
		w.Header().Set("Cache-Control", "public, max-age=3600")
		http.ServeFileFS(w, r, assets, "favicon.svg")
	})
}

// Close stops the live watchers.
func (s *Server) Close() { s.live.close() }

// Serve listens on addr and serves the dashboard until ctx ends, printing
// its URL to out. A non-loopback addr needs a token: token, or one it
// generates and prints in the URL. With open set it opens the URL in a
// browser.
func Serve(ctx context.Context, st *engine.Store, p *pipeline.Pipeline, addr, token string, open bool,
	explain func(context.Context, meta.StepRun) (string, error), out io.Writer) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("%w (--addr HOST:PORT chooses another address; port 0 takes a free one)", err)
	}
	loopback := loopbackListener(ln.Addr())
	if !loopback && token == "" {
		token = randomToken()
	}
	s, err := New(st, p, Options{Token: token, Explain: explain, Loopback: loopback})
	if err != nil {
		ln.Close()
		return err
	}
	defer s.Close()
	link := "http://" + linkHost(ln.Addr()) + "/"
	if token != "" {
		link += "?token=" + url.QueryEscape(token)
	}
	fmt.Fprintf(out, "dashboard of %s at %s\n", storeName(st), link)
	if !loopback {
		fmt.Fprintf(out, "listening beyond this machine: anyone with the URL above can read every run in the store\n")
	}
	if open {
		openBrowser(link)
	}
	// Requests live in ctx, so that Ctrl-C also ends the event streams
	// of open pages instead of waiting for them.
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return ctx }}
	go func() {
		<-ctx.Done()
		s.Close()
		shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// linkHost is the host:port a browser can reach the listener at: for
// every address (0.0.0.0, ::), this machine's name.
func linkHost(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return a.String()
	}
	host, err := os.Hostname()
	if err != nil {
		return a.String()
	}
	return net.JoinHostPort(host, strconv.Itoa(tcp.Port))
}

func loopbackListener(a net.Addr) bool {
	tcp, ok := a.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

func storeName(st *engine.Store) string {
	if st.DB != "" {
		return "the team stack"
	}
	return st.Home
}

// openBrowser opens link with the platform's opener; a failure leaves the
// printed URL to the user.
func openBrowser(link string) {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", link)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", link)
	default:
		cmd = exec.Command("xdg-open", link)
	}
	if cmd.Start() == nil {
		go cmd.Wait()
	}
}
