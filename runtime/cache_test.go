package runtime

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zengen-dev/zengen/runtime/internal/artifact"
	"github.com/zengen-dev/zengen/runtime/internal/cli"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

type cacheParams struct {
	Epochs int    `zen:"epochs" help:"training epochs"`
	Seed   int64  `zen:"seed"`
	Label  string `zen:"label"`
}

// paramPipeline: load uses seed, train reads load's output and uses epochs.
func paramPipeline(params *cacheParams) *Pipeline {
	load := intStep("load", 0)
	load.Params = []string{"seed"}
	load.Run = func(ctx context.Context, sc *StepContext) error {
		return Save(sc, "load_out", JSON[int](), int(params.Seed))
	}
	train := intStep("train", 0, "load.load_out")
	train.Params = []string{"epochs"}
	train.Metrics = []string{"loss"}
	train.Run = func(ctx context.Context, sc *StepContext) error {
		v, err := Load(sc, "load_out", JSON[int]())
		if err != nil {
			return err
		}
		sc.Metric("loss", 1/float64(params.Epochs))
		return Save(sc, "train_out", JSON[int](), v*params.Epochs)
	}
	return &Pipeline{Name: "cached", Notebook: "cached.ipynb", Params: params, Steps: []*Step{load, train}}
}

func TestCacheExplainsEachComponent(t *testing.T) {
	tests := []struct {
		name        string
		change      func(p *Pipeline)
		args        []string
		wantStatus  string
		wantVerdict string
		wantChanges []string
	}{
		{name: "nothing changed", wantStatus: "cached", wantVerdict: "cached: same key as run FIRST"},
		{name: "code", change: func(p *Pipeline) { p.Steps[1].CodeHash = "code-train-v2" }, wantStatus: "succeeded",
			wantVerdict: "ran: 1 change(s) since run FIRST", wantChanges: []string{"code changed: code-train → code-train-v"}},
		{name: "input", args: []string{"--seed", "2"}, wantStatus: "succeeded",
			wantVerdict: "ran: 1 change(s) since run FIRST",
			wantChanges: []string{"input load_out changed: sha256:4355a46b19d3 → sha256:53c234e5e847"}},
		{name: "param", args: []string{"--epochs", "5"}, wantStatus: "succeeded",
			wantVerdict: "ran: 1 change(s) since run FIRST", wantChanges: []string{"param epochs changed: 3 → 5"}},
		{name: "unused param", args: []string{"--label", "x"}, wantStatus: "cached",
			wantVerdict: "cached: same key as run FIRST"},
		{name: "codec", change: func(p *Pipeline) { p.Steps[1].Outputs[0].Codec = "raw" }, wantStatus: "succeeded",
			wantVerdict: "ran: 1 change(s) since run FIRST", wantChanges: []string{"codec of output train_out changed: json → raw"}},
		{name: "salt", change: func(p *Pipeline) { p.Steps[1].Options.CacheVersion = "v2" }, wantStatus: "succeeded",
			wantVerdict: "ran: 1 change(s) since run FIRST", wantChanges: []string{`cache_version changed: "" → "v2"`}},
		{name: "--no-cache", args: []string{"--no-cache"}, wantStatus: "succeeded",
			wantVerdict: "ran with an unchanged key: cache disabled by --no-cache"},
		{name: "cache=off", change: func(p *Pipeline) { p.Steps[1].Options.NoCache = true }, wantStatus: "succeeded",
			wantVerdict: "ran with an unchanged key: cache disabled for this step (cache=off)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			p := paramPipeline(&cacheParams{Epochs: 3, Seed: 1})
			mustRun(t, p, home)
			first, _ := statuses(t, p, home, "latest")
			if e := explainJSON(t, p, home, "train"); e.Verdict != "ran: no previous run of this step" {
				t.Errorf("first run verdict %q", e.Verdict)
			}
			p = paramPipeline(&cacheParams{Epochs: 3, Seed: 1})
			if tc.change != nil {
				tc.change(p)
			}
			mustRun(t, p, home, tc.args...)
			_, st := statuses(t, p, home, "latest")
			if st["train"] != tc.wantStatus {
				t.Errorf("train %s, want %s", st["train"], tc.wantStatus)
			}
			e := explainJSON(t, p, home, "train")
			want := cli.Explanation{Step: "train", Status: tc.wantStatus, Verdict: strings.ReplaceAll(tc.wantVerdict, "FIRST", first.ID),
				Changes: tc.wantChanges}
			if want.Changes == nil {
				want.Changes = []string{}
			}
			if tc.wantStatus != "cached" {
				want.Previous = first.ID
			}
			e.Run = ""
			if len(e.Key) == 0 || e.Key[0].Name != "code" {
				t.Errorf("explain lists no key components: %v", e.Key)
			}
			e.Key = nil
			if diff := cmp.Diff(want, e); diff != "" {
				t.Errorf("explain (-want +got):\n%s", diff)
			}
		})
	}
}

func explainJSON(t *testing.T, p *Pipeline, home, step string) cli.Explanation {
	t.Helper()
	r := execIn(t, t.Context(), p, home, "explain", "latest", step, "--json")
	if r.code != 0 {
		t.Fatalf("explain: exit %d: %s", r.code, r.stderr)
	}
	var e cli.Explanation
	if err := json.Unmarshal([]byte(r.stdout), &e); err != nil {
		t.Fatal(err)
	}
	return e
}

// blobPath is where the local blob store keeps digest.
func blobPath(home, digest string) string {
	hex := strings.TrimPrefix(digest, "sha256:")
	return filepath.Join(home, "blobs", "objects", hex[:2], hex[2:])
}

// flipFirstByte corrupts a stored artifact of a step run in place, where
// it lives: its blob file or its inline row ("41" becomes "51").
func flipFirstByte(t *testing.T, home string, a meta.Artifact) {
	t.Helper()
	if a.Inline == nil {
		path := blobPath(home, a.Digest)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		b[0] ^= 0x01
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	db, err := sql.Open("sqlite", filepath.Join(home, "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := append([]byte(nil), a.Inline...)
	b[0] ^= 0x01
	res, err := db.Exec(`UPDATE inline_artifacts SET bytes = ? WHERE digest = ?`, b, a.Digest)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("corrupting inline artifact %s: %d rows changed", a.Digest, n)
	}
}

// paddedIntStep is intStep saving add as JSON text padded with spaces past
// artifact.InlineThreshold, so its output goes to the blob store.
func paddedIntStep(name string, add int) *Step {
	s := intStep(name, add)
	s.Run = func(ctx context.Context, sc *StepContext) error {
		return Save(sc, name+"_out", paddedJSON{}, add)
	}
	return s
}

// paddedJSON is the JSON codec of an int, padded with spaces past
// artifact.InlineThreshold; it has JSON's name since JSON reads its bytes.
type paddedJSON struct{}

func (paddedJSON) Name() string { return "json" }
func (paddedJSON) Encode(w io.Writer, v int) error {
	_, err := io.WriteString(w, strconv.Itoa(v)+strings.Repeat(" ", artifact.InlineThreshold))
	return err
}
func (paddedJSON) Decode(r io.Reader) (int, error) { return JSON[int]().Decode(r) }

func TestCorruptArtifactIsNeverServed(t *testing.T) {
	tests := []struct {
		name   string
		a      func(name string, add int) *Step
		inline bool
	}{
		{"inline", func(name string, add int) *Step { return intStep(name, add) }, true},
		{"blob", paddedIntStep, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := t.TempDir()
			var na, nb atomic.Int32
			p := &Pipeline{Name: "corrupt", Steps: []*Step{counted(tt.a("a", 41), &na), counted(intStep("b", 1, "a.a_out"), &nb)}}
			mustRun(t, p, home)
			db := openTestDB(t, home)
			run, _ := db.ResolveRun(t.Context(), "corrupt", "latest")
			sr, _ := db.StepRun(t.Context(), run.ID, "a")
			if got := sr.Outputs[0].Inline != nil; got != tt.inline {
				t.Fatalf("output of a stored inline: %v, want %v", got, tt.inline)
			}
			flipFirstByte(t, home, sr.Outputs[0])
			if r := execIn(t, t.Context(), p, home, "cat", "latest", "a.a_out"); r.code != 1 || !strings.Contains(r.stderr, "corrupt") {
				t.Errorf("cat of a corrupt artifact: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
			}
			if r := execIn(t, t.Context(), p, home, "run", "--only", "b"); r.code != 1 {
				t.Errorf("--only b on a corrupt input: exit %d, want 1", r.code)
			}
			na.Store(0)
			nb.Store(0)
			mustRun(t, p, home)
			if na.Load() != 1 || nb.Load() != 0 {
				t.Errorf("after corruption a ran %d times, b %d; want a re-run and b cached", na.Load(), nb.Load())
			}
			if got := catInt(t, p, home, "latest", "b.b_out"); got != 42 {
				t.Errorf("b = %d, want 42", got)
			}
			e := explainJSON(t, p, home, "a")
			if !strings.Contains(e.Verdict, "unusable") || !strings.Contains(e.Verdict, "corrupt") {
				t.Errorf("explain a: %q, want the corrupt cached output named", e.Verdict)
			}
			// The re-run repaired the stored copy: the next run is all hits.
			na.Store(0)
			mustRun(t, p, home)
			if na.Load() != 0 || nb.Load() != 0 {
				t.Errorf("after the repair a ran %d times, b %d; want both cached", na.Load(), nb.Load())
			}
		})
	}
}

func TestLoadDetectsCorruptionEvenWhenTheDecoderStopsEarly(t *testing.T) {
	// JSON decoding of "7 " stops after the number; the corrupt tail must
	// still be noticed, however far past the number it is.
	tests := []struct {
		name    string
		padding int
	}{
		{"inline", 3},
		{"blob", artifact.InlineThreshold},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := t.TempDir()
			st, err := engine.OpenStore(t.Context(), home)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			s := &Step{Name: "s", Outputs: []Output{{Name: "v", Type: "int", Codec: "json"}}}
			sc := pipeline.NewStepContext(t.Context(), s, st.Artifacts, nil, nil)
			saved := "7" + strings.Repeat(" ", tt.padding)
			if err := Save(sc, "v", Raw[string](), saved); err != nil {
				t.Fatal(err)
			}
			outs, _ := pipeline.Finish(sc)
			in := outs[0]
			in.Codec = "json" // the bytes are valid JSON of an int, written raw to pad them
			corrupt := []byte(saved)
			corrupt[len(corrupt)-1] = 'x'
			if in.Inline != nil {
				in.Inline = corrupt
			} else if err := os.WriteFile(blobPath(home, in.Digest), corrupt, 0o644); err != nil {
				t.Fatal(err)
			}
			in.FromStep = "s"
			reader := pipeline.NewStepContext(t.Context(), &Step{Name: "r"}, st.Artifacts, map[string]meta.Artifact{"v": in}, nil)
			if _, err := Load(reader, "v", JSON[int]()); err == nil || !strings.Contains(err.Error(), "corrupt") {
				t.Errorf("Load of a corrupt artifact: %v, want a corruption error", err)
			}
		})
	}
}
