package analysis

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/zengen-dev/zengen/parser"
)

// GoNB's program initialisation.
//
// GoNB runs every cell as a fresh program: the package-level variables'
// initialisers and the init functions run again before each cell's main,
// and what they print is part of that cell's output. A `func init_NAME()`
// is an init function too (GoNB renders it as `func init()`), kept under
// its own name so that several can live side by side; a later `func
// init()` or `func init_NAME()` replaces the earlier one, and `%rm
// init_NAME` removes it. GoNB renders them sorted by name, so they run in
// that order. A pipeline is one process, so:
//
//   - when every cell that runs code ran with the same init functions, the
//     ones the package holds, and none of them prints, they stay init
//     functions of the generated package: run once, before any step, they
//     leave the state every cell started with;
//   - otherwise each step calls, at the start of each of its cells, the
//     init functions that cell ran with, in GoNB's order, so that their
//     output is in the cell's output as it was in the notebook. Calling
//     one again is exact only when it changes no package-level variable:
//     one that does is refused at the change, as is a cell that ran with
//     a version of an init function that a later cell replaced (the
//     package holds one), one that reaches the flag package (GoNB ran it
//     before flag.Parse, a step sets its flags first), and a pipeline cell
//     of function steps that ran with any (a function step runs the
//     function alone).
//
// What a package-level variable's initialiser prints is refused in every
// case: it would print once, in no step.

// gonbInitCalls is the per-cell replay of GoNB's init functions.
type gonbInitCalls struct {
	// byCell are the init functions each statement cell ran with, sorted
	// by name.
	byCell map[*parser.Cell][]*item
	// funcs are the init functions the package holds, all renamed to
	// plain functions; ctx marks those that take the step's context.
	funcs map[*item]bool
	ctx   map[*item]bool
}

// gonbInitFunc reports whether a declaration is a GoNB init function.
func gonbInitFunc(it *item) bool {
	return it.kind == itemDecl && it.keyword == "func" && !it.method && (it.name == "init" || strings.HasPrefix(it.name, "init_"))
}

// gonbInitName is the plain function an init function becomes when the
// steps call it.
func gonbInitName(it *item) string { return "zg_" + it.name }

// renameGoNBInits makes the init_NAME functions init functions of the
// check file (and of the generated code unless steps call them).
func (a *analysis) renameGoNBInits(decls []*item) {
	if a.nb.Dialect != parser.DialectGoNB {
		return
	}
	for _, it := range decls {
		if gonbInitFunc(it) && it.name != "init" {
			if off, ok := declaredNameAt(it, it.name); ok {
				it.addSynEdit(edit{off, off + len(it.name), "init"})
			}
		}
	}
}

// gonbInitPlan decides how the generated package runs GoNB's init
// functions and refuses what it cannot run as GoNB did.
func (a *analysis) gonbInitPlan() bool {
	if a.nb.Dialect != parser.DialectGoNB {
		return true
	}
	held := map[*item]bool{}
	var decls []*item
	for _, it := range a.packageDecls() {
		if it.node == nil {
			continue
		}
		decls = append(decls, it)
		if gonbInitFunc(it) {
			held[it] = true
		}
	}
	if len(held) == 0 {
		return true
	}
	stmtCells := map[*parser.Cell]bool{}
	cellDecls := map[*parser.Cell][]*item{}
	for _, it := range a.items {
		if it.kind == itemStmt {
			stmtCells[it.cell] = true
		} else if gonbInitFunc(it) {
			cellDecls[it.cell] = append(cellDecls[it.cell], it)
		}
	}
	// A cell's removals act before its code, its declarations before its
	// main runs.
	byCell := map[*parser.Cell][]*item{}
	var runs []*parser.Cell
	live := map[string]*item{}
	for _, c := range a.nb.Cells {
		if c.Kind != parser.Code || a.roles[c] == roleSkip {
			continue
		}
		for _, m := range c.Magics {
			if declarationMagic(m) {
				for _, name := range sortedKeys(live) {
					if m.Name == "reset" || slices.Contains(m.Args, name) {
						delete(live, name)
					}
				}
			}
		}
		for _, it := range cellDecls[c] {
			live[it.name] = it
		}
		// GoNB ran every cell, also one with only declarations, whose
		// output a step that holds it recorded.
		if a.cellStep[c] == nil && !stmtCells[c] {
			continue
		}
		runs = append(runs, c)
		for _, name := range sortedKeys(live) {
			byCell[c] = append(byCell[c], live[name])
		}
	}
	if len(runs) == 0 {
		return true
	}
	// Run once as Go init functions when that is what every cell saw.
	logRedirected := a.logRedirected()
	printing := map[*item]bool{}
	owners := a.declOwners(decls)
	for it := range held {
		for _, r := range a.reachedItems([]*item{it}, owners) {
			if r.node != nil && len(a.printSites(r.node.(ast.Node), logRedirected)) > 0 {
				printing[it] = true
			}
		}
	}
	once := len(printing) == 0
	for _, c := range runs {
		if len(byCell[c]) != len(held) {
			once = false
		}
		for _, it := range byCell[c] {
			once = once && held[it]
		}
	}
	if once {
		return true
	}

	ok := true
	why := "they print"
	if len(printing) == 0 {
		why = "the cells ran with different ones"
	}
	reported := map[*item]bool{}
	called := map[*item]bool{}
	for _, c := range runs {
		for _, it := range byCell[c] {
			called[it] = true
			if held[it] || reported[it] {
				continue
			}
			reported[it] = true
			ok = false
			later := a.laterInitDecl(it)
			a.errs.Add(a.itemPos(later, later.tokenOffset()), "func %s is declared again after cell %d ran with the one of cell %d: GoNB ran each cell with the version of its time, and the generated package holds one", it.name, a.cellNumber(c), a.cellNumber(it.cell)).Hint =
				"give each version its own name (init_NAME), so that every cell keeps the ones it ran with"
		}
	}
	for _, it := range sortedItems(called) {
		if !held[it] {
			continue
		}
		changes, _ := a.pkgVarEffects([]*item{it}, owners)
		for _, ch := range changes {
			ok = false
			a.errs.Add(a.posOf(ch.node.Pos()), "func %s changes %s: GoNB ran it before every cell's main, each time on fresh variables, so the steps would call it before each of their cells (%s), which zengen does only for init functions that change no package-level variable: the change would carry over into the next cell", it.name, ch.v.Name(), why).Hint =
				"give " + ch.v.Name() + " its value where it is declared (var " + ch.v.Name() + " = …), or set it in the cells that need it"
			break
		}
	}
	for _, it := range sortedItems(called) {
		if at := a.flagUse(it, owners); at != nil {
			ok = false
			a.errs.Add(a.itemPos(it, it.tokenOffset()), "func %s reaches the flag package (at %s): GoNB ran it before main's flag.Parse, with every flag at its default, while a step sets the flags its cell passes before its code", it.name, a.shortPos(a.posOf(at.Pos()))).Hint =
				"read the flags in the cells, after flag.Parse, not in an init function"
		}
	}
	for _, sb := range a.funcSteps {
		if sb.callItem == nil || len(byCell[sb.callItem.cell]) == 0 {
			continue
		}
		ok = false
		a.errs.Add(a.itemPos(sb.callItem, 0), "the pipeline cell ran with the init functions %s (%s), but function step %s runs its function alone, where they would not run", initNames(byCell[sb.callItem.cell]), why, sb.step.Name).Hint =
			"call what the init functions do from the function, or make the call a cell step"
		break
	}
	if !ok {
		return false
	}
	plan := &gonbInitCalls{byCell: byCell, funcs: held, ctx: map[*item]bool{}}
	for it := range held {
		fd := it.node.(*ast.FuncDecl)
		a.editAt(fd.Name.Pos(), fd.Name.End(), gonbInitName(it))
	}
	a.gonbInits = plan
	return true
}

// flagUse returns the first use of the flag package in what an init
// function reaches (a flag's variable included, whose initialiser defines
// it), nil if none.
func (a *analysis) flagUse(it *item, owners map[types.Object]*item) ast.Node {
	var found ast.Node
	for _, r := range a.reachedItems([]*item{it}, owners) {
		if r.node == nil || found != nil {
			continue
		}
		ast.Inspect(r.node.(ast.Node), func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && found == nil {
				if pn, ok := a.chk.info.Uses[id].(*types.PkgName); ok && pn.Imported().Path() == "flag" {
					found = id
				}
			}
			return found == nil
		})
	}
	return found
}

// laterInitDecl is the last declaration of an init function's name.
func (a *analysis) laterInitDecl(it *item) *item {
	last := it
	for _, d := range a.items {
		if gonbInitFunc(d) && d.name == it.name {
			last = d
		}
	}
	return last
}

// sortedItems returns a set of items in notebook order.
func sortedItems(set map[*item]bool) []*item {
	var out []*item
	for it := range set {
		out = append(out, it)
	}
	slices.SortFunc(out, func(x, y *item) int {
		if x.cell.Number != y.cell.Number {
			return x.cell.Number - y.cell.Number
		}
		return x.off - y.off
	})
	return out
}

func initNames(its []*item) string {
	names := make([]string, len(its))
	for i, it := range its {
		names[i] = it.name
	}
	return strings.Join(names, ", ")
}

// gonbInitsOf returns the init functions the cells of a cell step call,
// each once, in the order the step calls them first.
func (a *analysis) gonbInitsOf(sb *stepBuild) []*item {
	if a.gonbInits == nil || sb.fn != nil {
		return nil
	}
	var out []*item
	seen := map[*item]bool{}
	for _, c := range sb.cells {
		for _, f := range a.gonbInits.byCell[c] {
			if !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
	}
	return out
}

// gonbInitPrints refuses what package-level variables' initialisers print
// (and what they call): GoNB printed it in every cell's output, the
// pipeline would print it once, in no step. What init functions print is
// printed by the steps (gonbInitPlan). Displays there are refused for
// every kernel (displaysOutsideSteps).
func (a *analysis) gonbInitPrints(decls []*item, logRedirected bool) {
	if a.nb.Dialect != parser.DialectGoNB {
		return
	}
	owners := a.declOwners(decls)
	reported := map[token.Pos]bool{}
	for _, it := range decls {
		if d, ok := it.node.(*ast.GenDecl); !ok || d.Tok != token.VAR {
			continue
		}
		for _, r := range a.reachedItems([]*item{it}, owners) {
			if r.node == nil {
				continue
			}
			for _, site := range a.printSites(r.node.(ast.Node), logRedirected) {
				if reported[site.node.Pos()] {
					continue
				}
				reported[site.node.Pos()] = true
				in := "a package-level variable's initialiser"
				if r != it {
					in = "code that " + in + " at " + a.shortPos(a.itemPos(it, it.tokenOffset())) + " reaches"
				}
				a.errs.Add(a.posOf(site.node.Pos()), "%s in %s prints before every cell's main: GoNB runs each cell as a fresh program, so this is in every cell's output, while a pipeline initialises once, before any step, where no step records it", site.what, in).Hint =
					"print it from the steps that need it (or a function they call)"
			}
		}
	}
}
