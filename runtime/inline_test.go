package runtime

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"io"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zengen-dev/zengen/runtime/internal/artifact"
	"github.com/zengen-dev/zengen/runtime/internal/blob"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

func sha256Digest(b []byte) string {
	sum := sha256.Sum256(b)
	return blob.DigestPrefix + hex.EncodeToString(sum[:])
}

// blobObjects lists the digests of every blob in the store in home.
func blobObjects(t *testing.T, home string) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(home, "blobs", "objects", "*", "*"))
	if err != nil {
		t.Fatal(err)
	}
	var digests []string
	for _, p := range paths {
		digests = append(digests, blob.DigestPrefix+filepath.Base(filepath.Dir(p))+filepath.Base(p))
	}
	return digests
}

// chunkedRaw writes its value a few bytes at a time, as a streaming encoder
// does, so that the threshold is crossed in the middle of a write.
type chunkedRaw struct{}

func (chunkedRaw) Name() string { return "raw" }

func (chunkedRaw) Encode(w io.Writer, v string) error {
	for len(v) > 0 {
		n := min(len(v), 1000)
		if _, err := w.Write([]byte(v[:n])); err != nil {
			return err
		}
		v = v[n:]
	}
	return nil
}

func (chunkedRaw) Decode(r io.Reader) (string, error) { return Raw[string]().Decode(r) }

func TestArtifactPlacementAtTheThreshold(t *testing.T) {
	tests := []struct {
		name   string
		size   int
		codec  Codec[string]
		inline bool
	}{
		{"empty", 0, Raw[string](), true},
		{"small", 10, Raw[string](), true},
		{"at the threshold", artifact.InlineThreshold, Raw[string](), true},
		{"one byte over", artifact.InlineThreshold + 1, Raw[string](), false},
		{"over in small writes", 3*artifact.InlineThreshold + 7, chunkedRaw{}, false},
		{"at the threshold in small writes", artifact.InlineThreshold, chunkedRaw{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := t.TempDir()
			st, err := engine.OpenStore(t.Context(), home)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			sc := pipeline.NewStepContext(t.Context(), &Step{Name: "s"}, st.Artifacts, nil, nil)
			v := strings.Repeat("x", tt.size)
			if err := Save(sc, "v", tt.codec, v); err != nil {
				t.Fatal(err)
			}
			outs, _ := pipeline.Finish(sc)
			a := outs[0]
			if got := a.Inline != nil; got != tt.inline {
				t.Errorf("inline = %v, want %v", got, tt.inline)
			}
			if want := sha256Digest([]byte(v)); a.Digest != want || a.Size != int64(tt.size) {
				t.Errorf("artifact %s of %d bytes, want %s of %d: the digest must not depend on where the bytes live",
					a.Digest, a.Size, want, tt.size)
			}
			var wantBlobs []string
			if !tt.inline {
				wantBlobs = []string{a.Digest}
			}
			if diff := cmp.Diff(wantBlobs, blobObjects(t, home)); diff != "" {
				t.Errorf("blob store (-want +got):\n%s", diff)
			}
			a.FromStep = "s"
			reader := pipeline.NewStepContext(t.Context(), &Step{Name: "r"}, st.Artifacts, map[string]meta.Artifact{"v": a}, nil)
			got, err := Load(reader, "v", tt.codec)
			if err != nil || got != v {
				t.Errorf("Load: %d bytes, %v; want the %d saved", len(got), err, tt.size)
			}
		})
	}
}

func TestInlineArtifactsThroughAPipeline(t *testing.T) {
	home := t.TempDir()
	var na, nb, nc atomic.Int32
	p := &Pipeline{Name: "inline", Steps: []*Step{
		counted(intStep("a", 40), &na),
		counted(intStep("b", 1, "a.a_out"), &nb),
		counted(intStep("c", 100, "b.b_out"), &nc),
	}}
	first := mustRun(t, p, home)
	if got := catInt(t, p, home, "latest", "c.c_out"); got != 141 {
		t.Fatalf("c = %d, want 141\n%s", got, first.stderr)
	}
	if objects := blobObjects(t, home); len(objects) != 0 {
		t.Errorf("small artifacts went to the blob store: %v", objects)
	}
	db := openTestDB(t, home)
	run, err := db.ResolveRun(t.Context(), "inline", "latest")
	if err != nil {
		t.Fatal(err)
	}
	steps, err := db.StepRuns(t.Context(), run.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range steps {
		for _, o := range s.Outputs {
			if o.Inline == nil || sha256Digest(o.Inline) != o.Digest {
				t.Errorf("%s.%s: inline bytes %q do not hash to %s", s.Step, o.Name, o.Inline, o.Digest)
			}
		}
	}
	db.Close()

	if r := execIn(t, t.Context(), p, home, "artifacts", "latest"); r.code != 0 || !strings.Contains(r.stdout, "b.b_out") {
		t.Errorf("artifacts: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	counts := func() [3]int32 { return [3]int32{na.Swap(0), nb.Swap(0), nc.Swap(0)} }
	counts()
	tests := []struct {
		name string
		args []string
		want [3]int32 // runs of a, b, c
	}{
		{"every step cached", nil, [3]int32{0, 0, 0}},
		{"--only reads its input inline", []string{"--only", "c", "--no-cache"}, [3]int32{0, 0, 1}},
		{"--from reuses upstream inline outputs", []string{"--from", "b"}, [3]int32{0, 1, 1}},
		{"--resume reuses finished steps", []string{"--resume", run.ID, "--no-cache"}, [3]int32{0, 0, 0}},
	}
	for _, tt := range tests {
		mustRun(t, p, home, tt.args...)
		if got := counts(); got != tt.want {
			t.Errorf("%s: steps a, b, c ran %v times, want %v", tt.name, got, tt.want)
		}
		if got := catInt(t, p, home, "latest", "c.c_out"); got != 141 {
			t.Errorf("%s: c = %d, want 141", tt.name, got)
		}
	}

	if r := execIn(t, t.Context(), p, home, "diff", run.ID, "latest"); r.code != 0 {
		t.Errorf("diff: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestStoreMigratedFromVersion2 turns a store back into what schema 2 made
// of it — every artifact a blob, no inline table — and checks that the
// runs it holds stay readable and cached once a binary migrates it.
func TestStoreMigratedFromVersion2(t *testing.T) {
	home := t.TempDir()
	var na atomic.Int32
	p := &Pipeline{Name: "old", Steps: []*Step{counted(intStep("a", 41), &na), intStep("b", 1, "a.a_out")}}
	mustRun(t, p, home)

	blobs, err := blob.OpenLocal(filepath.Join(home, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", filepath.Join(home, "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := raw.Query(`SELECT digest, bytes FROM inline_artifacts`)
	if err != nil {
		t.Fatal(err)
	}
	moved := 0
	for rows.Next() {
		var digest string
		var b []byte
		if err := rows.Scan(&digest, &b); err != nil {
			t.Fatal(err)
		}
		w, err := blobs.Create(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
		if got, _, err := w.Commit(); err != nil || got != digest {
			t.Fatalf("blob of %s: %s, %v", digest, got, err)
		}
		moved++
	}
	rows.Close()
	if moved != 2 {
		t.Fatalf("%d inline artifacts, want 2", moved)
	}
	for _, q := range []string{`DROP TABLE inline_artifacts`, `ALTER TABLE step_logs DROP COLUMN stdout`, `ALTER TABLE step_logs DROP COLUMN displays`, `ALTER TABLE step_logs DROP COLUMN streams`, `ALTER TABLE step_logs DROP COLUMN retries`,
		`ALTER TABLE runs DROP COLUMN orchestrator`, `ALTER TABLE runs DROP COLUMN cancel_requested_at`,
		`DROP INDEX runs_by_start`, `DROP INDEX step_runs_by_step_id`, `DROP TABLE live_step_logs`, `ALTER TABLE step_outputs DROP COLUMN type_hash`,
		`PRAGMA user_version = 2`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()

	if got := catInt(t, p, home, "latest", "b.b_out"); got != 42 {
		t.Errorf("cat of a run from schema 2: b = %d, want 42", got)
	}
	raw, err = sql.Open("sqlite", filepath.Join(home, "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	var version int
	if err := raw.QueryRow(`PRAGMA user_version`).Scan(&version); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if version != meta.SchemaVersion() {
		t.Errorf("schema version %d after migration, want %d", version, meta.SchemaVersion())
	}
	na.Store(0)
	mustRun(t, p, home)
	if na.Load() != 0 {
		t.Error("a re-ran: its output in the blob store no longer counts as cached")
	}
	mustRun(t, p, home, "--only", "b")
	if got := catInt(t, p, home, "latest", "b.b_out"); got != 42 {
		t.Errorf("--only b from a blob input: b = %d, want 42", got)
	}
}
