package meta

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// The dashboard's queries read an index in the order they return, so a
// page costs the same on a store of 10,000 runs as on one of ten: no plan
// sorts (a temporary B-tree) or reads a whole table. Sorting the last
// term only is fine: rows come in started_at order and only runs that
// started in the same nanosecond are sorted by id, and the LIMIT still
// stops the read early.
func TestDashboardQueriesReadIndexesInOrder(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	type query struct {
		name, text string
		args       []any
	}
	var queries []query
	for name, q := range map[string]RunQuery{
		"runs page":               {Limit: 50},
		"runs page after another": {Before: "r", Limit: 50},
		"runs page of a status":   {Status: "failed", Limit: 50},
		"runs page of a pipeline": {Pipeline: "p", Limit: 50},
	} {
		text, args := runsQuery(q)
		queries = append(queries, query{name, text, args})
	}
	queries = append(queries, query{"explain's previous keyed run", `SELECT ` + stepColumns + ` FROM step_runs WHERE ` + previousKeyed, []any{"p", "s", 7}})
	for _, q := range queries {
		rows, err := db.db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q.text, q.args...)
		if err != nil {
			t.Fatalf("%s: %v", q.name, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		for _, step := range plan {
			sorts := strings.Contains(step, "TEMP B-TREE") && !strings.Contains(step, "LAST TERM")
			if sorts || step == "SCAN runs" || step == "SCAN step_runs" {
				t.Errorf("%s: the plan %s:\n\t%s", q.name, step, strings.Join(plan, "\n\t"))
				break
			}
		}
	}
}
