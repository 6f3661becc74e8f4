package analysis

import (
	"fmt"
	"go/ast"
	"go/types"
	"sort"
	"strings"

	"github.com/zengen-dev/zengen/gen/ir"
)

// replVar is one variable defined by a top-level statement: a value the
// kernel keeps between cells.
type replVar struct {
	v      *types.Var
	name   string // as in the notebook
	goName string // unique identifier after REPL renames
	def    *item
	defPos ir.Pos
}

// dataflow holds what renames and dataflow know about variables.
type dataflow struct {
	vars   map[*types.Var]*replVar
	list   []*replVar
	uses   map[types.Object][]*ast.Ident
	params map[types.Object]*ir.Param
	// flags are the notebook's flags by the variable that holds each
	// (see flags.go), and by name.
	flags       map[types.Object]*notebookFlag
	flagsByName map[string]*notebookFlag
}

// stepOf returns the step an item belongs to, nil outside steps.
func (a *analysis) stepOf(it *item) *stepBuild {
	if it == nil {
		return nil
	}
	return it.step
}

// source returns the notebook text of a node.
func (a *analysis) source(n ast.Node) string {
	return a.chk.src[a.offset(n.Pos()):a.offset(n.End())]
}

// mutations returns the identifiers of the variables an item may change
// (changes.go).
func (a *analysis) mutations(it *item) map[*ast.Ident]bool {
	out := map[*ast.Ident]bool{}
	a.changedExprs([]ast.Node{it.node.(ast.Node)}, func(e ast.Expr, _ ast.Node, _ changeKind) {
		if id := rootIdent(e); id != nil {
			out[id] = true
		}
	})
	return out
}

func rootIdent(e ast.Expr) *ast.Ident {
	for {
		switch x := e.(type) {
		case *ast.Ident:
			return x
		case *ast.SelectorExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		case *ast.SliceExpr:
			e = x.X
		default:
			return nil
		}
	}
}

// shortPos formats a position as "cell 3:2" (or "line 12" in scripts),
// for Edge.Why and messages that already name the notebook.
func (a *analysis) shortPos(p ir.Pos) string {
	p.Col = 0
	s := strings.TrimPrefix(strings.TrimPrefix(p.String(), a.nb.Path), ":")
	if p.Cell == 0 {
		return "line " + s
	}
	return s
}

// cellDataflow infers the inputs and outputs of cell steps: a step reads
// a variable from the step that last wrote it before the step runs, and
// that writer outputs it.
func (a *analysis) cellDataflow() {
	itemIndex := map[*item]int{}
	for i, it := range a.items {
		itemIndex[it] = i
	}
	mutated := map[*item]map[*ast.Ident]bool{}
	mutationsOf := func(it *item) map[*ast.Ident]bool {
		if m, ok := mutated[it]; ok {
			return m
		}
		m := a.mutations(it)
		mutated[it] = m
		return m
	}
	inputs := map[*stepBuild]map[*replVar]*ir.Port{}
	outputs := map[*stepBuild]map[*replVar]*ir.Port{}
	addOutput := func(sb *stepBuild, rv *replVar) *ir.Port {
		if outputs[sb] == nil {
			outputs[sb] = map[*replVar]*ir.Port{}
		}
		if p := outputs[sb][rv]; p != nil {
			return p
		}
		p := a.port(rv.name, rv.goName, rv.v.Type(), rv.defPos, sb)
		outputs[sb][rv] = p
		sb.step.Outputs = append(sb.step.Outputs, p)
		return p
	}
	addInput := func(sb, from *stepBuild, rv *replVar, pos ir.Pos) {
		if inputs[sb] == nil {
			inputs[sb] = map[*replVar]*ir.Port{}
		}
		if inputs[sb][rv] != nil {
			return
		}
		out := addOutput(from, rv)
		in := *out
		in.From, in.Pos, in.Metric = from.step.Name, pos, false
		inputs[sb][rv] = &in
		sb.step.Inputs = append(sb.step.Inputs, &in)
		a.p.Edges = append(a.p.Edges, &ir.Edge{From: from.step.Name, To: sb.step.Name, Var: rv.name,
			Why: fmt.Sprintf("%s reads %s, defined in %s at %s", sb.step.Name, rv.name, from.step.Name, a.shortPos(rv.defPos))})
	}
	// writers[rv] lists (item index, step) of every write, in order.
	type write struct {
		index int
		step  *stepBuild
	}
	writers := map[*replVar][]write{}
	// changed and read list the items of cell steps that may change and
	// that read each variable, for crossStepSharing.
	changed, read := map[*replVar][]int{}, map[*replVar][]int{}
	for _, rv := range a.df.list {
		if a.df.params[rv.v] != nil {
			continue
		}
		writer := a.stepOf(rv.def)
		writers[rv] = append(writers[rv], write{itemIndex[rv.def], writer})
		for _, id := range a.df.uses[rv.v] {
			_, it, _ := a.locate(a.offset(id.Pos()))
			sb := a.stepOf(it)
			if sb == nil || sb.fn != nil {
				continue
			}
			read[rv] = append(read[rv], itemIndex[it])
			if mutationsOf(it)[id] {
				changed[rv] = append(changed[rv], itemIndex[it])
			}
			if sb != writer {
				if writer == nil {
					a.errs.Add(a.posOf(id.Pos()), "step %s reads %s, defined at %s outside any step", sb.step.Name, rv.name, a.shortPos(rv.defPos)).Hint =
						"move the definition into a step"
					continue
				}
				addInput(sb, writer, rv, a.posOf(id.Pos()))
			}
			if mutationsOf(it)[id] && sb != writer {
				writer = sb
				writers[rv] = append(writers[rv], write{itemIndex[it], sb})
			}
		}
	}
	var stepItems []*item
	for _, it := range a.items {
		if sb := a.stepOf(it); sb != nil && sb.fn == nil && it.kind == itemStmt {
			stepItems = append(stepItems, it)
		}
	}
	a.crossStepSharing(stepItems, itemIndex, changed, read)
	// //zen:output and //zen:metric name variables the step defines, or
	// passes on from the step that wrote them last.
	for _, sb := range a.cellSteps {
		last := -1
		for _, c := range sb.cells {
			for _, it := range a.cellItems[c] {
				last = max(last, itemIndex[it])
			}
		}
		request := func(np namedPos, metric bool) {
			var found *replVar
			for _, rv := range a.df.list {
				if rv.name == np.name && itemIndex[rv.def] <= last && a.df.params[rv.v] == nil {
					found = rv
				}
			}
			if found == nil {
				a.errs.Add(np.pos, "step %s has no variable %s to keep", sb.step.Name, np.name)
				return
			}
			var from *stepBuild
			for _, w := range writers[found] {
				if w.index <= last {
					from = w.step
				}
			}
			if from != sb && from != nil {
				addInput(sb, from, found, np.pos)
			}
			p := addOutput(sb, found)
			if metric {
				if b, ok := found.v.Type().Underlying().(*types.Basic); !ok || b.Info()&types.IsNumeric == 0 {
					a.errs.Add(np.pos, "metric %s must be a number, not %s", np.name, a.typeString(found.v.Type()))
					return
				}
				p.Metric = true
				sb.step.Metrics = append(sb.step.Metrics, np.name)
			}
		}
		for _, np := range sb.extraOutputs {
			request(np, false)
		}
		for _, np := range sb.metrics {
			request(np, true)
		}
		sort.Strings(sb.step.Metrics)
	}
	for _, sb := range a.cellSteps {
		sort.SliceStable(sb.step.Inputs, func(i, j int) bool { return sb.step.Inputs[i].Pos.Less(sb.step.Inputs[j].Pos) })
		sort.SliceStable(sb.step.Outputs, func(i, j int) bool { return sb.step.Outputs[i].Pos.Less(sb.step.Outputs[j].Pos) })
	}
	// Parameters a step uses directly; hashSteps adds those reached
	// through package-level declarations.
	for obj, p := range a.df.params {
		for _, id := range a.df.uses[obj] {
			_, it, _ := a.locate(a.offset(id.Pos()))
			if sb := a.stepOf(it); sb != nil && sb.fn == nil {
				sb.step.Params = appendUnique(sb.step.Params, p.Name)
			}
		}
	}
}

func appendUnique(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	s = append(s, v)
	sort.Strings(s)
	return s
}
