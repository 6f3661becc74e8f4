package main

import (
	"flag"
	"fmt"
	"go/token"
	"go/types"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	zen "github.com/zengen-dev/zengen/runtime"
)

var (
	namesSeed  = flag.Uint64("names.seed", 1, "seed of TestNamesProperty's sample of pipeline names to build")
	namesBuilt = flag.Int("names.built", 12, "how many pipeline names TestNamesProperty builds (all are generated)")
)

// stepName is the form of step and pipeline names.
var stepName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// namePool is every name the property test tries in every role: Go's
// keywords and predeclared identifiers, names of standard packages, the
// flags of the generated command and the identifiers zengen itself
// generates or uses.
func namePool() []string {
	var pool []string
	for tok := token.BREAK; tok <= token.VAR; tok++ {
		pool = append(pool, tok.String())
	}
	pool = append(pool, types.Universe.Names()...)
	pool = append(pool, "fmt", "os", "io", "time", "context", "strings", "errors", "sort", "math", "bytes",
		"testing", "runtime", "reflect", "sync", "flag", "log", "path", "json", "http", "rand", "regexp",
		"strconv", "unicode", "filepath", "exec", "atomic", "slices", "maps", "cmp", "iter", "unsafe", "embed")
	for _, f := range zen.ReservedParamNames() {
		pool = append(pool, f, strings.ReplaceAll(f, "-", "_"))
	}
	pool = append(pool, "h", "json", "limit", "format",
		"zen", "zentest", "ctx", "sc", "err", "params", "t", "main", "init", "Main", "Exec", "Load", "Save", "Stdout",
		"Params", "DefaultParams", "Pipeline", "TestPipelineRuns", "TestNotebookParity",
		"pipeline", "default_params", "test_pipeline_runs", "test_notebook_parity",
		"zg_ctx", "zg_sc", "zg_err", "zg_params", "zg_out", "zg_result", "zg_in_x", "zg_out_x", "zg_zen",
		"zg_repl", "zg_cell_1", "zgnotebook", "in_x", "out_x")
	slices.Sort(pool)
	return slices.Compact(pool)
}

// A role puts each name of a batch somewhere in one notebook; the names
// it is given are numbered so that scaffolding never clashes with them.
type role struct {
	name string
	// header goes first; cell(i, name) is the text that uses name number
	// i; tailHeader and tail(i, name) follow all cells, for uses that
	// share one cell (a pipeline cell, the steps that read params).
	header, tailHeader string
	cell, tail         func(i int, name string) string
}

var nameRoles = []role{
	{name: "variable passed between steps", cell: func(i int, n string) string {
		return fmt.Sprintf("// %%%% tags=[\"step:put_%d\"]\n%s := %d\n\n// %%%% tags=[\"step:get_%d\"]\ngot_%d := %s + 1\n\n", i, n, i, i, i, n)
	}},
	{name: "param", header: "// %% tags=[\"parameters\"]\n", cell: func(i int, n string) string {
		return fmt.Sprintf("%s := %d\n", n, i)
	}, tail: func(i int, n string) string {
		return fmt.Sprintf("\n// %%%% tags=[\"step:use_%d\"]\nu_%d := %s + 1\n", i, i, n)
	}},
	// GoNB keeps params as package-level variables, which the generated
	// command sets before the run.
	{name: "GoNB param", header: "// %%\n//zen:params\nvar (\n", cell: func(i int, n string) string {
		return fmt.Sprintf("\t%s = %d\n", n, i)
	}, tailHeader: ")\n\n", tail: func(i int, n string) string {
		return fmt.Sprintf("// %%%% tags=[\"step:use_%d\"]\n%%%%\n_ = %s + 1\n\n", i, n)
	}},
	{name: "step", cell: func(i int, n string) string {
		return fmt.Sprintf("// %%%% tags=[\"step:%s\"]\ns_%d := %d\n\n", n, i, i)
	}},
	{name: "step named like the variable it passes on", cell: func(i int, n string) string {
		return fmt.Sprintf("// %%%% tags=[\"step:%s\"]\n%s := %d\n\n// %%%% tags=[\"step:get_%d\"]\ngot_%d := %s + 1\n\n", n, n, i, i, i, n)
	}},
	{name: "package-level function", cell: func(i int, n string) string {
		return fmt.Sprintf("// %%%%\nfunc %s() {}\n\n// %%%% tags=[\"step:use_%d\"]\n%s()\n\n", n, i, n)
	}},
	// GoNB function steps: the function's name, then the variable its
	// result is stored under and the next step reads. The scaffolding
	// spells no predeclared type where a name could hide it.
	{name: "function step", tailHeader: "// %%\n//zen:pipeline fsteps\n%%\n", cell: func(i int, n string) string {
		return fmt.Sprintf("// %%%%\n//zen:step\nfunc %s() {}\n\n", n)
	}, tail: func(i int, n string) string {
		return n + "()\n"
	}},
	{name: "function step result", tailHeader: "// %%\n//zen:pipeline fresults\n%%\n", cell: func(i int, n string) string {
		return fmt.Sprintf("// %%%%\n//zen:step\nfunc F%d() string { return \"%d\" }\n\n//zen:step\nfunc G%d(x string) {}\n\n", i, i, i)
	}, tail: func(i int, n string) string {
		return fmt.Sprintf("%s := F%d()\nG%d(%s)\n", n, i, i, n)
	}},
}

// TestNamesProperty draws names from namePool for variables, params, step
// names, package-level functions and pipeline names, and checks the
// promise of nameCheck for each: generate exits 0 and the package builds,
// vets and starts, or generate prints positioned errors. Each role puts
// all its names into one notebook; a name that generate refuses is taken
// out (its errors must point into its own lines) until the rest
// generates, so that one build checks all the names a role accepts.
func TestNamesProperty(t *testing.T) {
	if testing.Short() {
		t.Skip("builds generated packages; skipped with -short")
	}
	pool := namePool()
	nc := newNameCheck(t)
	cases, refused := 0, 0
	for _, r := range nameRoles {
		names := slices.Clone(pool)
		for round := 0; len(names) > 0; round++ {
			script, owner := roleScript(r, names)
			ok, errs := nc.generate(fmt.Sprintf("%s (%d names)", r.name, len(names)), script)
			if ok {
				cases += len(names)
				t.Logf("%s: %d names generate", r.name, len(names))
				break
			}
			if len(errs) == 0 {
				return // reported by generate
			}
			drop := map[string]bool{}
			for _, e := range errs {
				line, _ := strconv.Atoi(strings.SplitN(e, ":", 2)[0])
				n, ok := owner[line]
				if !ok {
					t.Fatalf("%s: error on a line of no name: %s\n%s", r.name, e, script)
				}
				if !drop[n] && testing.Verbose() {
					t.Logf("%s %s refused: %s", r.name, n, e)
				}
				drop[n] = true
			}
			cases += len(drop)
			refused += len(drop)
			names = slices.DeleteFunc(names, func(n string) bool { return drop[n] })
			if round > 10 {
				t.Fatalf("%s: still refused after %d rounds: %q", r.name, round, errs)
			}
		}
	}
	// A pipeline name needs a package of its own, and building one is what
	// costs: every name is generated, a sample of them is built.
	rng := rand.New(rand.NewPCG(*namesSeed, 0))
	var names []string
	for _, n := range pool {
		if stepName.MatchString(n) {
			names = append(names, n) // //zen:pipeline refuses others, as the step role shows
		}
	}
	rng.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	built := newNameCheck(t)
	for i, n := range names {
		script := "// %%\n//zen:pipeline " + n + "\n\n// %% tags=[\"step:a\"]\nx := 1\n\n// %% tags=[\"step:b\"]\ny := x + 1\n"
		target := nc
		if i >= *namesBuilt {
			target = built // generated, not built
		}
		cases++
		if ok, _ := target.generate("pipeline "+n, script); !ok {
			refused++
		}
	}
	nc.verify()
	t.Logf("%d names, %d cases: %d refused with positioned errors, %d generated; %d packages built, vetted and started (-names.seed=%d)",
		len(pool), cases, refused, cases-refused, len(nc.dirs), *namesSeed)
}

// roleScript is the notebook that uses every name in role r, and the
// name that owns each line.
func roleScript(r role, names []string) (string, map[int]string) {
	owner := map[int]string{}
	var b strings.Builder
	lines := 0
	add := func(text, name string) {
		for range strings.Count(text, "\n") {
			lines++
			if name != "" {
				owner[lines] = name
			}
		}
		b.WriteString(text)
	}
	add(r.header, "")
	for i, n := range names {
		add(r.cell(i, n), n)
	}
	if r.tail != nil {
		add(r.tailHeader, "")
		for i, n := range names {
			add(r.tail(i, n), n)
		}
	}
	return b.String(), owner
}
