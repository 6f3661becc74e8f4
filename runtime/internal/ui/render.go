package ui

import (
	"bytes"
	"html/template"
	"io/fs"
	"log"
	"net/http"
	"path"
	"strconv"
	"time"

	"github.com/zengen-dev/zengen/runtime/internal/engine"
	textlayout "github.com/zengen-dev/zengen/runtime/internal/layout"
)

// The templates: templates/base.html is the layout every page shares (it
// defines "base" and calls the page's "content"), templates/parts/*.html
// hold pieces pages share (the DAG), and every other templates/*.html is a
// page, parsed into its own copy of the layout. A page is rendered by its
// file name: s.render(w, r, "runs.html", layout{…}).

func parsePages() (map[string]*template.Template, error) {
	parts, err := fs.Glob(files, "templates/parts/*.html")
	if err != nil {
		return nil, err
	}
	base, err := template.New("base.html").Funcs(funcs).ParseFS(files, append([]string{"templates/base.html"}, parts...)...)
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, name := range names {
		if path.Base(name) == "base.html" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(files, name)
		if err != nil {
			return nil, err
		}
		pages[path.Base(name)] = t
	}
	return pages, nil
}

// layout is what base.html needs of every page; Data is the page's own.
type layout struct {
	Title string
	// Nav names the navigation entry to mark current: "runs" or a
	// pipeline's name.
	Nav       string
	Pipelines []string
	// Token is the token a state-changing request must carry; pages put
	// it in their forms.
	Token string
	Data  any
}

// render writes a page, or a 500 when its template fails: rendered into
// a buffer first, so a failure never leaves half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, page string, l layout) {
	s.renderStatus(w, r, http.StatusOK, page, l)
}

// renderStatus is render with another status than 200.
func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, code int, page string, l layout) {
	t := s.pages[page]
	if t == nil {
		http.Error(w, "no page "+page, http.StatusInternalServerError)
		return
	}
	l.Token = s.csrf
	if l.Pipelines == nil {
		if ps, err := s.db.Pipelines(r.Context()); err == nil {
			for _, p := range ps {
				l.Pipelines = append(l.Pipelines, p.Name)
			}
		}
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "base", l); err != nil {
		log.Printf("ui: page %s: %v", page, err)
		http.Error(w, "the page could not be rendered", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	w.Write(b.Bytes())
}

// renderPart writes one named template of a page alone (a fragment that
// a live page swaps in).
func (s *Server) renderPart(w http.ResponseWriter, page, name string, data any) {
	var b bytes.Buffer
	if err := s.pages[page].ExecuteTemplate(&b, name, data); err != nil {
		log.Printf("ui: %s of page %s: %v", name, page, err)
		http.Error(w, "the fragment could not be rendered", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(b.Bytes())
}

// fail answers a request with a plain error page.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, code int, msg string) {
	s.renderStatus(w, r, code, "error.html", layout{Title: http.StatusText(code), Data: msg})
}

var funcs = template.FuncMap{
	"when":     when,
	"duration": duration,
	"metric":   metricText,
	"short":    engine.Short,
	"bytes":    byteSize,
	"label":    nodeLabel,
	// metricCell is one metric of a run, "–" when the run lacks it.
	"metricCell": func(ms map[string]float64, key string) string {
		if v, ok := ms[key]; ok {
			return metricText(v)
		}
		return "–"
	},
}

// when shows a time to the second, in the server's zone.
func when(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return t.Local().Format("2006-01-02 15:04:05")
}

// duration is the time between two instants, "–" while the second is
// unknown.
func duration(start, end time.Time) string {
	if start.IsZero() || end.IsZero() {
		return "–"
	}
	return engine.FormatDuration(end.Sub(start))
}

// metricText shows a metric in at most 6 significant digits, as runs does.
func metricText(v float64) string {
	if s, ok := textlayout.NonFiniteName(v); ok {
		return s
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}

func byteSize(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return strconv.FormatFloat(float64(n)/float64(div), 'f', 1, 64) + " " + string("KMGTPE"[exp]) + "iB"
}

// statusWords are the statuses a filter offers, in the order shown.
var statusWords = []string{"running", "succeeded", "failed", "cancelled", "interrupted"}
