package meta

import (
	"database/sql"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Recover copies tables in recoverOrder: a table missing from it would be
// lost by every recovery.
func TestRecoverKnowsEveryTable(t *testing.T) {
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.db.Query(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	want := append([]string(nil), recoverOrder...)
	sort.Strings(tables)
	sort.Strings(want)
	if diff := cmp.Diff(want, tables); diff != "" {
		t.Errorf("recoverOrder does not match the schema (-recoverOrder +schema):\n%s", diff)
	}
}

// A damaged page in the middle of a table loses the rows on it, not the
// rows after it.
func TestRecoverReadsPastDamage(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	path := filepath.Join(dir, "meta.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.EnsurePipeline(ctx, "p", "p.ipynb", nil); err != nil {
		t.Fatal(err)
	}
	const n = 2000
	start := time.Unix(1_800_000_000, 0)
	for i := range n {
		r := &Run{ID: NewRunID(start.Add(time.Duration(i) * time.Second)), Pipeline: "p",
			Params: `{"pad":"` + strings.Repeat("p", 200) + `"}`, Args: "[]", StartedAt: start}
		if err := db.CreateRun(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	var pages []int64
	rows, err := raw.Query(`SELECT pageno FROM dbstat WHERE name = 'runs' AND pagetype = 'leaf' ORDER BY pageno`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var p int64
		rows.Scan(&p)
		pages = append(pages, p)
	}
	rows.Close()
	var pageSize int64
	raw.QueryRow(`PRAGMA page_size`).Scan(&pageSize)
	raw.Close()
	if len(pages) < 10 {
		t.Fatalf("runs fills only %d leaf pages", len(pages))
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteAt([]byte(strings.Repeat("\xff", int(pageSize))), (pages[len(pages)/2]-1)*pageSize)
	f.Close()

	problems, err := Check(ctx, path)
	if err != nil || len(problems) == 0 {
		t.Fatalf("Check of a damaged store: %v, %v", problems, err)
	}
	fresh := filepath.Join(dir, "fresh.db")
	report, err := Recover(ctx, path, fresh)
	if err != nil {
		t.Fatal(err)
	}
	var runs TableRecovery
	for _, tr := range report {
		if tr.Table == "runs" {
			runs = tr
		}
	}
	perPage := n / len(pages)
	t.Logf("runs: %+v (%d leaf pages, about %d rows each)", runs, len(pages), perPage)
	if runs.Damage == "" || runs.Kept < n-2*perPage || runs.Kept >= n {
		t.Errorf("runs recovered: %+v; want all but the rows of one page (about %d)", runs, perPage)
	}
	if problems, err := Check(ctx, fresh); err != nil || len(problems) > 0 {
		t.Errorf("the rebuilt store: %v %v", problems, err)
	}
}
