package analysis

import (
	"go/types"

	"github.com/zengen-dev/zengen/parser"
)

// GoNB cells share no state.
//
// GoNB runs every cell as a fresh program, so a package-level variable
// starts each cell as its declaration sets it: a change a cell makes is
// gone in the next cell. The pipeline's steps share one process (and a
// cached step does not run at all), so a later cell would see the change.
// A cell whose code (or a function it calls) may change a package-level
// variable (pkgvars.go: also through a copy sharing its memory or a call
// given it, `rng.Intn(6)` on `var rng = rand.New(…)`), while a later cell
// reads that variable, is refused at the change.

// gonbCarriedState reports changes of package-level variables that a later
// cell would see. It reports false when there is one.
func (a *analysis) gonbCarriedState() bool {
	if a.nb.Dialect != parser.DialectGoNB {
		return true
	}
	var cells []*parser.Cell
	stmts := map[*parser.Cell][]*item{}
	for _, it := range a.items {
		if it.kind == itemStmt {
			if stmts[it.cell] == nil {
				cells = append(cells, it.cell)
			}
			stmts[it.cell] = append(stmts[it.cell], it)
		}
	}
	if len(cells) < 2 {
		return true
	}
	owners := a.declIndex()
	changes := make([][]varChange, len(cells))
	reads := make([]map[*types.Var]bool, len(cells))
	for i, c := range cells {
		// The init functions a step calls before the cell read the
		// variables as the cell does.
		var inits []*item
		if a.gonbInits != nil {
			inits = a.gonbInits.byCell[c]
		}
		changes[i], reads[i] = a.pkgVarEffects(append(inits, stmts[c]...), owners)
	}
	ok := true
	changesReadLater(changes, reads, func(i, j int, ch varChange) {
		ok = false
		a.errs.Add(a.posOf(ch.node.Pos()), "cell %d changes %s%s, which cell %d reads: GoNB ran each cell as a fresh program, so cell %d saw %s as its declaration sets it, while the pipeline's steps share one process", a.cellNumber(cells[i]), ch.v.Name(), ch.how, a.cellNumber(cells[j]), a.cellNumber(cells[j]), ch.v.Name()).Hint =
			"give the cell that reads " + ch.v.Name() + " its own value (set it there), or keep the change inside one cell"
	})
	return ok
}
