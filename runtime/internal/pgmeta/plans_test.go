package pgmeta

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/zengen-dev/zengen/internal/servertest"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// The dashboard's queries read an index in the order they return, as in
// meta's TestDashboardQueriesReadIndexesInOrder. On a store this small
// PostgreSQL would rather read the table, so the plans are asked with
// sequential scans and sorts priced out: a plan that still sorts or scans
// the table has no index to serve it. An incremental sort (rows come in
// started_at order, only those of one nanosecond are sorted by id) is
// fine.
func TestDashboardQueriesReadIndexesInOrder(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, servertest.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	type query struct {
		name, text string
		args       []any
		cond       []string // what the index condition must hold
	}
	var queries []query
	for name, q := range map[string]meta.RunQuery{
		"runs page":               {Limit: 50},
		"runs page after another": {Before: "r", Limit: 50},
		"runs page of a status":   {Status: "failed", Limit: 50},
		"runs page of a pipeline": {Pipeline: "p", Limit: 50},
	} {
		text, args := runsQuery(q)
		queries = append(queries, query{name: name, text: text, args: args})
	}
	queries = append(queries, query{name: "explain's previous keyed run", text: `SELECT ` + stepColumns + ` FROM step_runs WHERE ` + previousKeyed,
		args: []any{"p", "s", 7}, cond: []string{"pipeline =", "step =", "id <"}})
	for _, q := range queries {
		tx, err := db.pool.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, "SET LOCAL enable_seqscan = off; SET LOCAL enable_sort = off"); err != nil {
			t.Fatal(err)
		}
		rows, err := tx.Query(ctx, "EXPLAIN "+q.text, q.args...)
		if err != nil {
			t.Fatalf("%s: %v", q.name, err)
		}
		var plan []string
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, line)
		}
		rows.Close()
		tx.Rollback(ctx)
		all := strings.Join(plan, "\n\t")
		for _, line := range plan {
			node := strings.TrimPrefix(strings.TrimSpace(line), "->  ")
			if strings.HasPrefix(node, "Sort  (") || strings.HasPrefix(node, "Seq Scan") {
				t.Errorf("%s: the plan has %s:\n\t%s", q.name, node, all)
				break
			}
		}
		if q.cond != nil && !slices.ContainsFunc(plan, func(line string) bool {
			return strings.Contains(line, "Index Cond: ") && !slices.ContainsFunc(q.cond, func(c string) bool { return !strings.Contains(line, c) })
		}) {
			t.Errorf("%s: no index condition on all of %q:\n\t%s", q.name, q.cond, all)
		}
	}
}
