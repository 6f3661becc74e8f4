package ui

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	textlayout "github.com/zengen-dev/zengen/runtime/internal/layout"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
	"github.com/zengen-dev/zengen/runtime/internal/ui/preview"
)

// The artifact page shows one output of one step run: a preview chosen by
// its codec (package preview), a download link, and its lineage.
//
// DOM hooks for browser tests: section#artifact[data-kind=KIND] around
// the preview; pre#text for text, JSON and values; table#summary with a
// td[data-stat=NAME] per statistic; svg#histogram with a rect.bar per
// bin; table#rows with tr.row per row, p#table-pager with a#prev-page
// and a#next-page, table#columns with per-column statistics; img#display
// or iframe#display[sandbox] for displays; a#download; section#lineage
// with li.writer and li.reader[data-run][data-step].
//
// /artifacts/DIGEST[?run=&step=&name=] redirects to the page of the output
// that holds DIGEST, for links that know the digest.

// artifactRoutes adds the artifact page and its bytes.
func (s *Server) artifactRoutes() {
	s.mux.HandleFunc("GET /runs/{run}/artifacts/{step}/{name}", s.artifactPage)
	s.mux.HandleFunc("GET /runs/{run}/artifacts/{step}/{name}/raw", s.artifactRaw)
	s.mux.HandleFunc("GET /runs/{run}/artifacts/{step}/{name}/download", s.artifactDownload)
	s.mux.HandleFunc("GET /artifacts/{digest}", s.artifactByDigest)
}

// artifactByDigest sends a link by digest to the page of the output that
// holds it: the one named by ?run=&step=&name= when it holds that digest,
// else the newest step run that wrote it (a step's input names only the
// digest and the step it came from).
func (s *Server) artifactByDigest(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	digest := r.PathValue("digest")
	q := r.URL.Query()
	if run, step, name := q.Get("run"), q.Get("step"), q.Get("name"); run != "" && step != "" && name != "" {
		_, _, a, err := s.findOutput(ctx, run, step, name)
		if err != nil {
			s.outputFailure(w, r, err)
			return
		}
		if a.Digest != digest {
			s.fail(w, r, http.StatusNotFound, fmt.Sprintf("output %s.%s of run %s is %s, not %s", step, name, run, a.Digest, digest))
			return
		}
		http.Redirect(w, r, ArtifactPath(run, step, name), http.StatusFound)
		return
	}
	if ls, ok := s.db.(lineageStore); ok {
		uses, err := ls.ArtifactUses(ctx, digest)
		if err != nil {
			s.fail(w, r, http.StatusInternalServerError, err.Error())
			return
		}
		for _, u := range uses {
			if !u.Read {
				http.Redirect(w, r, ArtifactPath(u.Run, u.Step, u.Name), http.StatusFound)
				return
			}
		}
	}
	s.fail(w, r, http.StatusNotFound, fmt.Sprintf("no step run wrote artifact %s", digest))
}

// ArtifactPath is the page of output name of step in run; the run page
// links its artifacts here.
func ArtifactPath(run, step, name string) string {
	return "/runs/" + url.PathEscape(run) + "/artifacts/" + url.PathEscape(step) + "/" + url.PathEscape(name)
}

// displayPolicy is the Content-Security-Policy of a display's bytes served
// inline: a sandbox (an opaque origin, no script, no forms), and nothing
// loaded but inline styles and data: images, which notebook HTML uses. An
// HTML display that tries to run script in the dashboard's origin cannot,
// even when opened by its own URL.
const displayPolicy = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"

type artifactData struct {
	Run         meta.Run
	Step        string
	Art         meta.Artifact
	CachedFrom  string
	Preview     *preview.Preview
	Problem     string // why there is no preview
	TypeNote    string // why a decoded value may not be the one stored
	Stats       []stat
	StatsNote   string
	Histogram   *chart
	Rows        []numberedRow
	ColumnStats []columnStat
	PrevPage    string
	NextPage    string
	RawURL      string
	DownloadURL string
	Writers     []meta.ArtifactUse // other step runs that wrote the same bytes
	Readers     []meta.ArtifactUse
	LineageNote string
}

// numberedRow is a table row with its index in the artifact, from 0.
type numberedRow struct {
	N     int
	Cells []tableCell
}

// tableCell is a cell's text and whether its column holds numbers, which
// are aligned right.
type tableCell struct {
	Text string
	Num  bool
}

// columnStat is the statistics of a numeric table column.
type columnStat struct {
	Name string
	S    preview.Summary
}

// stat is one row of a summary table.
type stat struct{ Name, Label, Value string }

// lineageStore is what a store needs for the lineage section: the step
// runs that wrote or read an artifact.
type lineageStore interface {
	ArtifactUses(ctx context.Context, digest string) ([]meta.ArtifactUse, error)
}

// findOutput reads the record of output name of step in run.
func (s *Server) findOutput(ctx context.Context, runID, step, name string) (meta.Run, meta.StepRun, meta.Artifact, error) {
	run, _, err := s.db.RunState(ctx, runID)
	if err != nil {
		return run, meta.StepRun{}, meta.Artifact{}, err
	}
	sr, err := s.db.StepRun(ctx, runID, step)
	if err != nil {
		return run, sr, meta.Artifact{}, err
	}
	for _, o := range sr.Outputs {
		if o.Name == name {
			return run, sr, o, nil
		}
	}
	return run, sr, meta.Artifact{}, fmt.Errorf("step %s of run %s has no artifact %q: %w", step, runID, name, meta.ErrNotFound)
}

// outputFailure answers a request for an artifact that could not be found
// or read.
func (s *Server) outputFailure(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, meta.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, err.Error())
		return
	}
	s.fail(w, r, http.StatusInternalServerError, err.Error())
}

// shower is the Show hook that may decode output a of step run sr: the
// hook of this binary's output when the run is of its pipeline and it
// still has that output, with the verdict on the type that wrote a (see
// pipeline.Output.TypeCheck); nil and TypeSame when there is none, for
// the preview then shows the bytes as hex.
func (s *Server) shower(pipelineName string, sr meta.StepRun, a meta.Artifact) (func(string, io.Reader) (any, error), pipeline.TypeVerdict) {
	if s.p == nil || s.p.Name != pipelineName {
		return nil, pipeline.TypeSame
	}
	for _, st := range s.p.Steps {
		if st.Name != sr.Step {
			continue
		}
		for _, o := range st.Outputs {
			if o.Name == a.Name && o.Show != nil {
				return o.TypeCheck(a.Codec, a.TypeHash)
			}
		}
	}
	return nil, pipeline.TypeSame
}

func (s *Server) artifactPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	runID, step, name := r.PathValue("run"), r.PathValue("step"), r.PathValue("name")
	run, sr, a, err := s.findOutput(ctx, runID, step, name)
	if err != nil {
		s.outputFailure(w, r, err)
		return
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	base := ArtifactPath(run.ID, step, name)
	d := artifactData{Run: run, Step: step, Art: a, CachedFrom: sr.CachedFrom, RawURL: base + "/raw", DownloadURL: base + "/download"}
	show, verdict := s.shower(run.Pipeline, sr, a)
	if verdict == pipeline.TypeChanged {
		// Decoded by today's type, the bytes would show a value the code
		// never computed: no preview at all.
		d.Problem = fmt.Sprintf("No preview: %s.%s of this run was stored by a Go type %s that has changed since, "+
			"so this binary would decode it into a value the code did not compute. Download its stored bytes, "+
			"or open it with the binary built from that run's code.", step, name, a.Type)
	} else {
		d.Preview, err = preview.Build(preview.Input{
			Codec: a.Codec, Page: page, Show: show,
			Open: func() (io.ReadCloser, error) { return s.st.Artifacts.Open(ctx, a) },
		})
		if err != nil {
			d.Preview, d.Problem = nil, "no preview: "+err.Error()
		}
	}
	if verdict == pipeline.TypeUnknown && d.Preview != nil && (d.Preview.Kind == preview.KindTable || d.Preview.Kind == preview.KindValue) {
		d.TypeNote = fmt.Sprintf("Decoded with this binary's type for %s.%s (%s). The record of this run predates type hashes, "+
			"so whether that type has changed since could not be checked.", step, name, a.Type)
	}
	d.fill(base)
	if ls, ok := s.db.(lineageStore); ok {
		uses, err := ls.ArtifactUses(ctx, a.Digest)
		if err != nil {
			d.LineageNote = "lineage unavailable: " + err.Error()
		}
		for _, u := range uses {
			switch {
			case u.Read:
				d.Readers = append(d.Readers, u)
			case u.Run != run.ID || u.Step != step:
				d.Writers = append(d.Writers, u)
			}
		}
		if len(uses) == meta.LineageLimit {
			d.LineageNote = fmt.Sprintf("the latest %d uses", meta.LineageLimit)
		}
	} else {
		d.LineageNote = "this store cannot list the steps that read an artifact"
	}
	if d.Preview != nil && d.Preview.Display != nil && d.Preview.Display.Embed == "frame" {
		// The page frames the display's own URL, which its sandbox keeps
		// in an origin of its own.
		w.Header().Set("Content-Security-Policy", contentSecurityPolicy+"; frame-src 'self'")
	}
	s.render(w, r, "artifact.html", layout{Title: step + "." + name, Nav: run.Pipeline, Data: d})
}

// fill lays out the parts of the preview that the template only places:
// statistics, histogram and pager.
func (d *artifactData) fill(base string) {
	p := d.Preview
	if p == nil {
		return
	}
	if n := p.Numbers; n != nil {
		d.Stats = summaryStats(n.Summary)
		d.StatsNote = estimateNote(n.Summary)
		d.Histogram = histogramChart(n.Histogram, !strings.HasPrefix(n.Element, "float"))
	}
	if t := p.Table; t != nil {
		for i, texts := range t.Rows {
			row := numberedRow{N: t.First + i}
			for j, text := range texts {
				row.Cells = append(row.Cells, tableCell{text, t.Columns[j].Stats != nil})
			}
			d.Rows = append(d.Rows, row)
		}
		for _, c := range t.Columns {
			if c.Stats != nil {
				d.ColumnStats = append(d.ColumnStats, columnStat{c.Name, *c.Stats})
			}
		}
		if t.Page > 1 {
			d.PrevPage = base + "?page=" + strconv.Itoa(t.Page-1)
		}
		if t.Page < t.Pages {
			d.NextPage = base + "?page=" + strconv.Itoa(t.Page+1)
		}
	}
}

// summaryStats lists a summary's statistics in the order people read
// them; estimated quartiles carry "≈".
func summaryStats(s preview.Summary) []stat {
	q := ""
	if s.Estimated {
		q = "≈ "
	}
	out := []stat{{"count", "count", strconv.FormatInt(s.Count, 10)}, {"nans", "NaNs", strconv.FormatInt(s.NaNs, 10)}}
	if s.PosInf+s.NegInf > 0 {
		out = append(out, stat{"infs", "±Inf", fmt.Sprintf("+%d / −%d", s.PosInf, s.NegInf)})
	}
	return append(out,
		stat{"mean", "mean", metricText(s.Mean)},
		stat{"std", "std", metricText(s.Std)},
		stat{"min", "min", metricText(s.Min)},
		stat{"q1", "25%", q + metricText(s.Q1)},
		stat{"median", "50%", q + metricText(s.Median)},
		stat{"q3", "75%", q + metricText(s.Q3)},
		stat{"max", "max", metricText(s.Max)},
	)
}

func estimateNote(s preview.Summary) string {
	if !s.Estimated {
		return ""
	}
	return fmt.Sprintf("Quartiles (≈) are estimated from a uniform sample of %d of the %d finite values; the other statistics and the histogram are exact.",
		preview.SampleSize, s.Finite)
}

// artifactRaw serves a display's bytes, for the page's <img> or sandboxed
// <iframe>, under the media type the page chose for it.
func (s *Server) artifactRaw(w http.ResponseWriter, r *http.Request) {
	s.serveBytes(w, r, false)
}

// artifactDownload serves an artifact's bytes as an attachment: a display
// as the bytes its call got, anything else as stored.
func (s *Server) artifactDownload(w http.ResponseWriter, r *http.Request) {
	s.serveBytes(w, r, true)
}

func (s *Server) serveBytes(w http.ResponseWriter, r *http.Request, attachment bool) {
	ctx := r.Context()
	step, name := r.PathValue("step"), r.PathValue("name")
	_, _, a, err := s.findOutput(ctx, r.PathValue("run"), step, name)
	if err != nil {
		s.outputFailure(w, r, err)
		return
	}
	if !attachment && a.Codec != textlayout.Display {
		s.fail(w, r, http.StatusNotFound, "only displays are served inline; download the artifact instead")
		return
	}
	// The whole artifact is checked before any of it is sent, as cat
	// does: a browser would keep the start of a damaged one.
	if err := s.st.Artifacts.Verify(ctx, a); err != nil {
		s.fail(w, r, http.StatusInternalServerError, err.Error())
		return
	}
	rc, err := s.st.Artifacts.Open(ctx, a)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, err.Error())
		return
	}
	defer rc.Close()
	var body io.Reader = rc
	size := a.Size
	contentType, ext := storedType(a.Codec)
	if a.Codec == textlayout.Display {
		br := bufio.NewReader(rc)
		mt, err := textlayout.ReadDisplayHeader(br)
		if err != nil {
			s.fail(w, r, http.StatusInternalServerError, err.Error())
			return
		}
		body, size = br, a.Size-textlayout.DisplayHeaderSize(mt)
		contentType, ext = preview.ServedMediaType(mt), displayExtension(mt)
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.FormatInt(size, 10))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", displayPolicy)
	h.Set("Cache-Control", "private, no-cache")
	if attachment {
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": step + "." + name + ext}))
	} else {
		h.Set("X-Frame-Options", "SAMEORIGIN")
	}
	if r.Method == http.MethodHead {
		return
	}
	if _, err := io.Copy(w, body); err != nil {
		// Headers are gone: cut the response short, so the client sees an
		// incomplete body rather than a complete one.
		panic(http.ErrAbortHandler)
	}
}

// storedType is the Content-Type and file extension of an artifact's
// stored bytes by codec.
func storedType(codec string) (string, string) {
	switch codec {
	case textlayout.JSON:
		return "application/json", ".json"
	case textlayout.Raw, textlayout.Error:
		return "application/octet-stream", ".txt"
	}
	return "application/octet-stream", ".bin"
}

// displayExtension is the file extension of a display's media type.
func displayExtension(mediaType string) string {
	switch preview.BaseMediaType(mediaType) {
	case "image/png":
		return ".png"
	case "image/jpeg":
		return ".jpg"
	case "image/gif":
		return ".gif"
	case "image/webp":
		return ".webp"
	case "image/svg+xml":
		return ".svg"
	case "text/html":
		return ".html"
	case "text/markdown":
		return ".md"
	case "application/json":
		return ".json"
	case "text/csv":
		return ".csv"
	case "text/plain":
		return ".txt"
	}
	return ".bin"
}
