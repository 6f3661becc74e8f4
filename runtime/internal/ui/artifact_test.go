package ui

import (
	"context"
	"encoding/binary"
	"io"
	"io/fs"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/zengen-dev/zengen/internal/servertest"
	"github.com/zengen-dev/zengen/runtime/internal/artifact"
	"github.com/zengen-dev/zengen/runtime/internal/blob"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
	textlayout "github.com/zengen-dev/zengen/runtime/internal/layout"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pgmeta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// hostile is text a notebook could put in an artifact, a param or a
// record, meant to run script in the dashboard if it were not escaped.
const hostile = `"><script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:alert(3)">x</a>`

// newArtifactFixture is a fixture whose store also keeps artifacts.
func newArtifactFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t, Options{})
	f.st.Artifacts = localArtifacts(t, f.st.Home) // the server shares f.st
	return f
}

func localArtifacts(t *testing.T, home string) artifact.Store {
	t.Helper()
	blobs, err := blob.OpenLocal(filepath.Join(home, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	return artifact.NewLocal(blobs)
}

// save stores b as an artifact and returns its record as output name.
func (f *fixture) save(name, codec, typ string, b []byte) meta.Artifact {
	f.t.Helper()
	w := f.st.Artifacts.Create(context.Background())
	if _, err := w.Write(b); err != nil {
		f.t.Fatal(err)
	}
	a, err := w.Commit()
	if err != nil {
		f.t.Fatal(err)
	}
	a.Name, a.Codec, a.Type = name, codec, typ
	return a
}

// numeric is the numeric layout of xs.
func numeric(xs []float64) []byte {
	b := make([]byte, textlayout.NumericHeaderSize, textlayout.NumericHeaderSize+8*len(xs))
	copy(b, textlayout.NumericMagic)
	b[4], b[5], b[6] = textlayout.NumericVersion, 'f', 8
	binary.LittleEndian.PutUint64(b[8:], uint64(len(xs)))
	for _, x := range xs {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
	}
	return b
}

func displayBytes(t *testing.T, mediaType, data string) []byte {
	b, err := textlayout.AppendDisplayHeader(nil, mediaType)
	if err != nil {
		t.Fatal(err)
	}
	return append(b, data...)
}

// record runs load, which writes outs, and train, which reads the first.
func (f *fixture) record(outs ...meta.Artifact) string {
	in := outs[0]
	in.FromStep = "load"
	in.Inline = nil
	return f.run(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC), meta.RunSucceeded, `{"lr":0.1}`,
		meta.StepRun{Step: "load", Status: meta.StepSucceeded, Outputs: outs},
		meta.StepRun{Step: "train", Status: meta.StepSucceeded, Inputs: []meta.Artifact{in}})
}

func mustContain(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

func TestArtifactPageSummarisesNumbers(t *testing.T) {
	f := newArtifactFixture(t)
	run := f.record(f.save("xs", "numeric", "[]float64", numeric([]float64{4, 1, math.NaN(), 3, 2})))
	body := f.mustGet(ArtifactPath(run, "load", "xs"))
	mustContain(t, body, `data-kind="numbers"`,
		`data-stat="count">5<`, `data-stat="nans">1<`, `data-stat="mean">2.5<`, `data-stat="min">1<`,
		`data-stat="q1">1.75<`, `data-stat="median">2.5<`, `data-stat="q3">3.25<`, `data-stat="max">4<`,
		`<svg id="histogram"`, `id="download" href="/runs/`+run+`/artifacts/load/xs/download"`,
		`class="reader" data-run="`+run+`" data-step="train"`)
	if n := strings.Count(body, `<rect class="bar"`); n != 40 {
		t.Errorf("histogram has %d bars, want 40", n)
	}
	if strings.Contains(body, "estimate-note") {
		t.Error("exact quartiles marked as estimated")
	}
}

// Lineage names the other runs that wrote the same bytes, not the run
// whose page it is, and the steps that read them, from either store.
func TestArtifactLineageListsOtherWriters(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testLineage(t, newArtifactFixture(t)) })
	t.Run("postgres", func(t *testing.T) {
		db, err := pgmeta.Open(t.Context(), servertest.Postgres(t))
		if err != nil {
			t.Fatal(err)
		}
		home := t.TempDir()
		testLineage(t, newFixtureOn(t, &engine.Store{Home: home, Meta: db, Artifacts: localArtifacts(t, home)}, Options{}))
	})
}

func testLineage(t *testing.T, f *fixture) {
	a := f.save("xs", "numeric", "[]float64", numeric([]float64{1}))
	first := f.record(a)
	second := f.run(time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC), meta.RunSucceeded, `{}`,
		meta.StepRun{Step: "load", Status: meta.StepCached, CachedFrom: first, Outputs: []meta.Artifact{a}})
	body := f.mustGet(ArtifactPath(second, "load", "xs"))
	mustContain(t, body, `reused from run <a href="/runs/`+first+`">`, `class="writer" data-run="`+first+`" data-step="load"`,
		`class="reader" data-run="`+first+`" data-step="train"`)
	if strings.Contains(body, `class="writer" data-run="`+second+`"`) {
		t.Error("the page's own run is listed as another writer")
	}
}

// Past the sample, quartiles carry ≈ and a note says they are estimated.
func TestArtifactPageMarksEstimatedQuartiles(t *testing.T) {
	f := newArtifactFixture(t)
	xs := make([]float64, 100_000)
	for i := range xs {
		xs[i] = float64(i)
	}
	run := f.record(f.save("xs", "numeric", "[]float64", numeric(xs)))
	body := f.mustGet(ArtifactPath(run, "load", "xs"))
	mustContain(t, body, `data-stat="mean">49999.5<`, `data-stat="median">≈ `, `id="estimate-note"`)
}

// Text, JSON and the recorded type are shown escaped: nothing in them
// becomes markup.
func TestArtifactPageEscapesHostileArtifacts(t *testing.T) {
	f := newArtifactFixture(t)
	run := f.record(f.save("s", "raw", hostile, []byte(hostile)), f.save("j", "json", "string", []byte(`{"k":"`+strings.ReplaceAll(hostile, `"`, `\"`)+`"}`+"\n")))
	for _, name := range []string{"s", "j"} {
		body := f.mustGet(ArtifactPath(run, "load", name))
		for _, bad := range []string{"<script>alert", "<img src=x", `href="javascript:`} {
			if strings.Contains(body, bad) {
				t.Errorf("%s: page holds %q unescaped", name, bad)
			}
		}
		mustContain(t, body, "&lt;script&gt;alert(1)&lt;/script&gt;")
	}
}

type person struct {
	Name string
	Age  float64
}

// valueOfPeople is the value codec's layout of people (runtime/codec_value.go).
func valueOfPeople(people []person) []byte {
	b := append([]byte("ZVAL"), 1)
	b = binary.AppendUvarint(b, uint64(len(people))+1)
	for _, p := range people {
		b = binary.AppendUvarint(b, uint64(len(p.Name)))
		b = append(b, p.Name...)
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(p.Age))
	}
	return b
}

// A slice of structs is a paged table with per-column statistics; the
// pipeline's Show hook decodes it.
func TestArtifactPagePagesTables(t *testing.T) {
	f := newArtifactFixture(t)
	people := make([]person, 120)
	for i := range people {
		people[i] = person{Name: "p" + string(rune('a'+i%26)), Age: float64(i)}
	}
	people[51].Name = hostile
	people[52].Age = math.NaN()
	f.p.Steps[0].Outputs = append(f.p.Steps[0].Outputs, pipeline.Output{Name: "people", Type: "[]person", Codec: "value",
		Show: func(codec string, r io.Reader) (any, error) {
			_, err := io.Copy(io.Discard, r)
			return people, err
		}})
	run := f.record(f.save("people", "value", "[]person", valueOfPeople(people)))
	body := f.mustGet(ArtifactPath(run, "load", "people") + "?page=2")
	mustContain(t, body, `data-kind="table"`, "120 rows", "page 2 of 3",
		`id="prev-page" href="/runs/`+run+`/artifacts/load/people?page=1"`,
		`id="next-page" href="/runs/`+run+`/artifacts/load/people?page=3"`,
		`<td class="num muted">50</td><td>py</td><td class="num">50</td>`,
		`<tr data-column="Age">`, "&lt;script&gt;")
	if n := strings.Count(body, `<tr class="row">`); n != 50 {
		t.Errorf("page 2 has %d rows, want 50", n)
	}
	if strings.Contains(body, "<script>alert") {
		t.Error("a cell is not escaped")
	}
	// Age is 0…119 without 52: the mean over 119 finite values.
	mustContain(t, body, `<td class="num">120</td><td class="num">1</td><td class="num">59.563</td>`)
	body = f.mustGet(ArtifactPath(run, "load", "people") + "?page=3")
	if n := strings.Count(body, `<tr class="row">`); n != 20 || strings.Contains(body, `id="next-page"`) {
		t.Errorf("last page: %d rows, want 20 and no next page", n)
	}
}

// A value is decoded only by the Go type that stored it: a run whose
// output was stored by another type (its hash differs) gets no preview,
// only the reason and the download, for today's type would decode the
// bytes into a value the code never computed; a record older than type
// hashes is decoded with a note that it could not be checked.
func TestArtifactPageRefusesAChangedType(t *testing.T) {
	f := newArtifactFixture(t)
	people := []person{{Name: "a", Age: 1}}
	f.p.Steps[0].Outputs = append(f.p.Steps[0].Outputs, pipeline.Output{Name: "people", Type: "[]person", Codec: "value",
		TypeHash: "today", Show: func(codec string, r io.Reader) (any, error) { return people, nil }})
	a := f.save("people", "value", "[]person", valueOfPeople(people))
	stored := func(hash string) meta.Artifact { a := a; a.TypeHash = hash; return a }
	same := f.run(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC), meta.RunSucceeded, `{}`,
		meta.StepRun{Step: "load", Status: meta.StepSucceeded, Outputs: []meta.Artifact{stored("today")}})
	changed := f.run(time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC), meta.RunSucceeded, `{}`,
		meta.StepRun{Step: "load", Status: meta.StepSucceeded, Outputs: []meta.Artifact{stored("yesterday")}})
	unknown := f.run(time.Date(2026, 11, 30, 7, 0, 0, 0, time.UTC), meta.RunSucceeded, `{}`,
		meta.StepRun{Step: "load", Status: meta.StepSucceeded, Outputs: []meta.Artifact{stored("")}})

	body := f.mustGet(ArtifactPath(same, "load", "people"))
	mustContain(t, body, `data-kind="table"`)
	if strings.Contains(body, `id="type-note"`) || strings.Contains(body, `id="problem"`) {
		t.Error("a run of today's type is warned about")
	}
	body = f.mustGet(ArtifactPath(changed, "load", "people"))
	mustContain(t, body, `id="problem"`, "stored by a Go type []person that has changed since", `id="download"`)
	if strings.Contains(body, `id="artifact"`) || strings.Contains(body, "<td>a</td>") {
		t.Errorf("an artifact of a changed type is decoded:\n%s", body)
	}
	mustContain(t, f.mustGet(ArtifactPath(unknown, "load", "people")), `data-kind="table"`, `id="type-note"`, "could not be checked")
}

// An HTML display is framed in a sandbox and served with a sandboxing
// policy of its own, so its script never runs in the dashboard's origin;
// an image is an <img> of its own bytes.
func TestArtifactPageSandboxesHTMLDisplays(t *testing.T) {
	f := newArtifactFixture(t)
	run := f.record(
		f.save("display.1", "display", "display", displayBytes(t, "text/html", "<script>parent.document.title='owned'</script>")),
		f.save("display.2", "display", "display", displayBytes(t, "image/png", "\x89PNG")),
		f.save("display.3", "display", "display", displayBytes(t, "application/x-evil", "<script>")))
	resp, body := f.get(ArtifactPath(run, "load", "display.1"))
	mustContain(t, body, `<iframe id="display" class="display" sandbox src="/runs/`+run+`/artifacts/load/display.1/raw"`)
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-src 'self'") || !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("page CSP %q", csp)
	}
	if strings.Contains(body, "parent.document") {
		t.Error("the display's HTML is in the page itself")
	}
	resp, body = f.get(ArtifactPath(run, "load", "display.1") + "/raw")
	h := resp.Header
	if resp.StatusCode != 200 || body != "<script>parent.document.title='owned'</script>" ||
		h.Get("Content-Type") != "text/html; charset=utf-8" || !strings.HasPrefix(h.Get("Content-Security-Policy"), "sandbox;") ||
		h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "SAMEORIGIN" || h.Get("Content-Disposition") != "" {
		t.Errorf("raw HTML display: %s %v %q", resp.Status, h, body)
	}
	body = f.mustGet(ArtifactPath(run, "load", "display.2"))
	mustContain(t, body, `<img id="display" class="display" src="/runs/`+run+`/artifacts/load/display.2/raw"`)
	resp, _ = f.get(ArtifactPath(run, "load", "display.2") + "/raw")
	if resp.Header.Get("Content-Type") != "image/png" {
		t.Errorf("image served as %q", resp.Header.Get("Content-Type"))
	}
	body = f.mustGet(ArtifactPath(run, "load", "display.3"))
	mustContain(t, body, `id="no-embed"`)
	resp, _ = f.get(ArtifactPath(run, "load", "display.3") + "/raw")
	if resp.Header.Get("Content-Type") != "application/octet-stream" {
		t.Errorf("unknown media type served as %q", resp.Header.Get("Content-Type"))
	}
}

// Downloads are attachments of the stored bytes (a display's: its call's
// bytes) that a browser may not sniff or run.
func TestArtifactDownload(t *testing.T) {
	f := newArtifactFixture(t)
	xs := numeric([]float64{1, 2})
	run := f.record(f.save("xs", "numeric", "[]float64", xs), f.save("display.1", "display", "display", displayBytes(t, "text/html", "<b>hi</b>")))
	for _, c := range []struct{ name, body, typ, file string }{
		{"xs", string(xs), "application/octet-stream", `attachment; filename=load.xs.bin`},
		{"display.1", "<b>hi</b>", "text/html; charset=utf-8", `attachment; filename=load.display.1.html`},
	} {
		resp, body := f.get(ArtifactPath(run, "load", c.name) + "/download")
		h := resp.Header
		if resp.StatusCode != 200 || body != c.body || h.Get("Content-Type") != c.typ || h.Get("Content-Disposition") != c.file ||
			h.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(h.Get("Content-Security-Policy"), "sandbox;") {
			t.Errorf("%s: %s %v %q", c.name, resp.Status, h, body)
		}
	}
	resp, _ := f.get(ArtifactPath(run, "load", "xs") + "/raw")
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("a numeric artifact served inline: %s", resp.Status)
	}
}

// A damaged blob is neither previewed nor served.
func TestArtifactPageRefusesADamagedBlob(t *testing.T) {
	f := newArtifactFixture(t)
	xs := make([]float64, 4096) // past the inline threshold: a blob
	run := f.record(f.save("xs", "numeric", "[]float64", numeric(xs)))
	var damaged bool
	filepath.WalkDir(filepath.Join(f.st.Home, "blobs"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && regexp.MustCompile(`[0-9a-f]{32}`).MatchString(d.Name()) {
			b, _ := os.ReadFile(path)
			b[len(b)-1] ^= 1
			os.Chmod(path, 0o644)
			damaged = os.WriteFile(path, b, 0o644) == nil
		}
		return nil
	})
	if !damaged {
		t.Fatal("found no blob to damage")
	}
	body := f.mustGet(ArtifactPath(run, "load", "xs"))
	mustContain(t, body, `id="problem"`)
	if strings.Contains(body, `id="summary"`) {
		t.Error("a damaged artifact was summarised")
	}
	if resp, _ := f.get(ArtifactPath(run, "load", "xs") + "/download"); resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("download of a damaged artifact: %s", resp.Status)
	}
}

// A link by digest leads to the output named with it, or to the newest
// step run that wrote it; a digest nothing wrote, or one the named output
// does not hold, is not found.
func TestArtifactLinksByDigest(t *testing.T) {
	f := newArtifactFixture(t)
	a := f.save("xs", "numeric", "[]float64", numeric([]float64{1}))
	first := f.record(a)
	second := f.record(a)
	for path, want := range map[string]string{
		"/artifacts/" + a.Digest + "?run=" + first + "&step=load&name=xs": ArtifactPath(first, "load", "xs"),
		"/artifacts/" + a.Digest: ArtifactPath(second, "load", "xs"),
	} {
		resp, _ := f.get(path)
		if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != want {
			t.Errorf("GET %s: %s to %q, want a redirect to %s", path, resp.Status, resp.Header.Get("Location"), want)
		}
	}
	other := "sha256:" + strings.Repeat("0", 64)
	for _, path := range []string{"/artifacts/" + other, "/artifacts/" + other + "?run=" + first + "&step=load&name=xs"} {
		if resp, _ := f.get(path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %s, want 404", path, resp.Status)
		}
	}
}

func TestArtifactPageOfAMissingArtifact(t *testing.T) {
	f := newArtifactFixture(t)
	run := f.record(f.save("xs", "numeric", "[]float64", numeric(nil)))
	for _, path := range []string{ArtifactPath(run, "load", "nope"), ArtifactPath(run, "nope", "xs"), ArtifactPath("nope", "load", "xs") + "/download"} {
		if resp, _ := f.get(path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %s, want 404", path, resp.Status)
		}
	}
}
