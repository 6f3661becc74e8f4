package runtime

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zengen-dev/zengen/runtime/internal/artifact"
)

// damageTable overwrites the root page of table in the store's meta.db
// with garbage, as a failing disk might: with few rows, that page holds
// them all.
func damageTable(t *testing.T, home, table string) {
	t.Helper()
	path := filepath.Join(home, "meta.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	var root, pageSize int64
	if err := db.QueryRow(`SELECT rootpage FROM sqlite_schema WHERE name = ?`, table).Scan(&root); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`PRAGMA page_size`).Scan(&pageSize); err != nil {
		t.Fatal(err)
	}
	// The last connection to close folds the WAL into the file.
	db.Close()
	if _, err := os.Stat(path + "-wal"); err == nil {
		t.Fatal("meta.db-wal still exists: the damage would be hidden")
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte(strings.Repeat("\xff", int(pageSize))), (root-1)*pageSize); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

// A damaged meta.db says what is damaged and what to do; doctor finds it;
// recover rebuilds the records that can be read and keeps the artifacts.
func TestDamagedMetaDB(t *testing.T) {
	home := t.TempDir()
	p := &Pipeline{Name: "st", Steps: []*Step{intStep("a", 1), wrap(intStep("b", 2, "a.a_out"),
		func(ctx context.Context, sc *StepContext, next func() error) error {
			if err := next(); err != nil {
				return err
			}
			return Save(sc, "big", Raw[[]byte](), []byte(strings.Repeat("x", 2*artifact.InlineThreshold)))
		})}}
	p.Steps[1].Outputs = append(p.Steps[1].Outputs, Output{Name: "big", Type: "[]byte", Codec: "raw"})
	mustRun(t, p, home)
	mustRun(t, p, home, "--no-cache")
	if r := execIn(t, t.Context(), p, home, "doctor"); r.code != 0 || !strings.HasSuffix(r.stdout, "blobs: 1 artifacts, all intact\n") {
		t.Fatalf("doctor on a sound store: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	before := execIn(t, t.Context(), p, home, "runs").stdout
	damageTable(t, home, "step_logs")

	r := execIn(t, t.Context(), p, home, "logs", "latest", "b")
	want := "st logs: database disk image is malformed (11)\n" +
		"The store's records in HOME/meta.db are damaged; its artifacts in HOME/blobs are not affected.\n" +
		"'st doctor' shows what is damaged; 'st recover' rebuilds the records from what can still be read.\n"
	if got := strings.ReplaceAll(r.stderr, home, "HOME"); r.code != 1 || got != want {
		t.Errorf("logs on a damaged store: exit %d, stderr:\n%s\nwant:\n%s", r.code, got, want)
	}

	r = execIn(t, t.Context(), p, home, "doctor")
	if r.code != 1 || !strings.Contains(r.stdout, "meta.db: damaged\n") || !strings.Contains(r.stdout, "'st recover' rebuilds it") {
		t.Errorf("doctor on a damaged store: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	t.Logf("doctor:\n%s", r.stdout)

	r = execIn(t, t.Context(), p, home, "recover")
	if r.code != 0 {
		t.Fatalf("recover: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	t.Logf("recover:\n%s", r.stdout)
	for _, line := range []string{"runs              2     2     0        -", "step_runs         4     4     0        -",
		"step_logs         0     0     0        database disk image is malformed (11)"} {
		if !strings.Contains(r.stdout, line) {
			t.Errorf("recover's report lacks %q", line)
		}
	}
	damaged, _ := filepath.Glob(filepath.Join(home, "meta.db.damaged-*Z"))
	if len(damaged) != 1 {
		t.Errorf("damaged files kept: %v, want one", damaged)
	}
	// Everything but the logs is back, the artifacts with it.
	if after := execIn(t, t.Context(), p, home, "runs").stdout; after != before {
		t.Errorf("runs after recover:\n%s\nbefore the damage:\n%s", after, before)
	}
	if got := execIn(t, t.Context(), p, home, "cat", "latest", "b.big").stdout; got != strings.Repeat("x", 2*artifact.InlineThreshold)+"\n" {
		t.Errorf("cat b.big after recover: %.40q…", got)
	}
	if got := catInt(t, p, home, "latest", "b.b_out"); got != 3 {
		t.Errorf("b = %d after recover, want 3", got)
	}
	if r := execIn(t, t.Context(), p, home, "doctor"); r.code != 0 {
		t.Errorf("doctor after recover: exit %d\n%s", r.code, r.stdout)
	}
	// The cache still serves what it can prove.
	r = mustRun(t, p, home)
	if _, st := statuses(t, p, home, "latest"); cmp.Diff(map[string]string{"a": "cached", "b": "cached"}, st) != "" {
		t.Errorf("run after recover: %v\n%s", st, r.stderr)
	}
}

// A meta.db with nothing readable left is not replaced by an empty one.
func TestUnreadableMetaDB(t *testing.T) {
	home := t.TempDir()
	p := storePipeline()
	mustRun(t, p, home)
	db := filepath.Join(home, "meta.db")
	if err := os.WriteFile(db, []byte(strings.Repeat("not a database ", 1000)), 0o644); err != nil {
		t.Fatal(err)
	}
	r := execIn(t, t.Context(), p, home, "runs")
	want := "st runs: metadata store at HOME/meta.db: file is not a database (26)\n" +
		"The store's records in HOME/meta.db are damaged; its artifacts in HOME/blobs are not affected.\n" +
		"'st doctor' shows what is damaged; 'st recover' rebuilds the records from what can still be read.\n"
	if got := strings.ReplaceAll(r.stderr, home, "HOME"); r.code != 1 || got != want {
		t.Errorf("runs: exit %d, stderr:\n%s\nwant:\n%s", r.code, got, want)
	}
	r = execIn(t, t.Context(), p, home, "recover")
	want = "st recover: HOME/meta.db: no record can be read (file is not a database (26)); it is left as it was.\n" +
		"The artifacts in HOME/blobs are intact, but no record names them any more: move HOME/meta.db aside and the next run starts a new history\n"
	if got := strings.ReplaceAll(r.stderr, home, "HOME"); r.code != 1 || got != want {
		t.Errorf("recover: exit %d, stderr:\n%s\nwant:\n%s", r.code, got, want)
	}
	if b, _ := os.ReadFile(db); !strings.HasPrefix(string(b), "not a database") {
		t.Error("recover changed the unreadable meta.db")
	}
}
