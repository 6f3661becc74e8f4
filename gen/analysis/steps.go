package analysis

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/zengen-dev/zengen/gen/ir"
	"github.com/zengen-dev/zengen/parser"
)

// stepBuild is a step while analysis assembles it.
type stepBuild struct {
	step  *ir.Step
	cells []*parser.Cell
	items []*item // statements, in notebook order
	// fn is the declaration of a function step, nil for cell steps.
	fn *item
	// callItem is the pipeline-cell statement that calls a function step,
	// prints the pipeline-cell prints that follow it (pipelineprints.go).
	callItem *item
	prints   []*item
	order    int // position in notebook order, for tie-breaking
	// extraOutputs and metrics come from //zen:output and //zen:metric.
	extraOutputs []namedPos
	metrics      []namedPos
	afterPos     []namedPos
	// flags are the notebook flags the step's code reads (see flags.go).
	flags []*notebookFlag
}

type namedPos struct {
	name string
	pos  ir.Pos
}

// cellRole is what a code cell contributes to the pipeline.
type cellRole int

const (
	roleCode     cellRole = iota // statements join a step, declarations go to package level
	roleSkip                     // exploration only
	roleParams                   // the parameters cell
	rolePipeline                 // the //zen:pipeline composition cell
	roleSetup                    // only shell lines and magics (setupcells.go)
	roleRejected                 // the kernel refused to compile it (rejectedcells.go)
)

// leftOut reports whether a cell of this role is left out of the pipeline
// with a note: neither code of the step around it nor an end to that step.
func (r cellRole) leftOut() bool { return r == roleSetup || r == roleRejected }

// directive returns the first directive of cell named name, if any.
func directive(cell *parser.Cell, name string) *parser.Directive {
	for i := range cell.Directives {
		if cell.Directives[i].Name == name {
			return &cell.Directives[i]
		}
	}
	return nil
}

// findFunctionSteps marks func declarations whose doc comment holds a
// //zen:step line, and returns the directives it gives to them (the step
// lines and the //zen:after lines beside them) so that they do not also
// shape cell steps.
func (a *analysis) findFunctionSteps() map[*parser.Directive]bool {
	consumed := map[*parser.Directive]bool{}
	for _, it := range a.items {
		if it.keyword != "func" || it.docLine == 0 {
			continue
		}
		var after []namedPos
		var afterDirectives []*parser.Directive
		var steps []*stepBuild
		marked := false // a //zen:step line documents it, a step or not
		for i := range it.cell.Directives {
			d := &it.cell.Directives[i]
			if d.FromTag || d.Line < it.docLine || d.Line >= it.tokenLine {
				continue
			}
			if d.Name == "after" {
				afterDirectives = append(afterDirectives, d)
				for _, n := range d.Args {
					after = append(after, namedPos{n, d.Pos})
				}
				continue
			}
			if d.Name != "step" {
				continue
			}
			consumed[d], marked = true, true
			name := snake(it.name)
			if len(d.Args) > 0 {
				name = d.Args[0]
			}
			sb := &stepBuild{fn: it, cells: []*parser.Cell{it.cell}, step: &ir.Step{
				Name:    name,
				Func:    ir.Exported(it.name),
				Kind:    "func",
				Pos:     a.nb.Pos(it.cell, it.tokenLine, 1),
				Cells:   []int{a.cellNumber(it.cell)},
				Options: a.options(d),
			}}
			if it.method {
				a.errs.Add(d.Pos, "//zen:step marks a method; only plain functions can be steps")
				continue
			}
			steps = append(steps, sb)
		}
		if !marked {
			// A //zen:after in the doc of an ordinary function is a
			// cell-level marker of the cell step around it, if any.
			continue
		}
		for _, d := range afterDirectives {
			consumed[d] = true
		}
		for _, sb := range steps {
			sb.afterPos = append(sb.afterPos, after...)
		}
		a.funcSteps = append(a.funcSteps, steps...)
	}
	a.afterTagsOfFunctionSteps(consumed)
	return consumed
}

// afterTagsOfFunctionSteps gives the after:NAME and prev:NAME tags of a
// cell that declares one function step, and nothing else that runs, to
// that step. Where the tag could mean several steps it is an error: a tag
// names a cell, and only a doc comment names one function.
func (a *analysis) afterTagsOfFunctionSteps(consumed map[*parser.Directive]bool) {
	for _, c := range a.nb.Cells {
		if c.Kind != parser.Code || a.roles[c] == roleSkip {
			continue
		}
		var declared []*stepBuild
		for _, sb := range a.funcSteps {
			if sb.fn.cell == c {
				declared = append(declared, sb)
			}
		}
		if len(declared) == 0 {
			continue
		}
		for i := range c.Directives {
			d := &c.Directives[i]
			if d.Name != "after" || !d.FromTag {
				continue
			}
			consumed[d] = true
			switch {
			case len(declared) > 1:
				var names []string
				for _, sb := range declared {
					names = append(names, sb.step.Name)
				}
				a.errs.Add(d.Pos, "after tag %s: cell %d declares several function steps (%s), so it cannot tell which one waits",
					strings.Join(d.Args, " "), a.cellNumber(c), strings.Join(names, ", ")).Hint =
					"remove the tag and write //zen:after " + strings.Join(d.Args, " ") + " in the doc comment of that function, beside its //zen:step"
			case a.hasStatements(c):
				a.errs.Add(d.Pos, "after tag %s: cell %d declares function step %s and also runs statements, so it cannot tell which step waits",
					strings.Join(d.Args, " "), a.cellNumber(c), declared[0].step.Name).Hint =
					"remove the tag and write //zen:after " + strings.Join(d.Args, " ") + " in the doc comment of the function or beside the statements"
			default:
				for _, n := range d.Args {
					declared[0].afterPos = append(declared[0].afterPos, namedPos{n, d.Pos})
				}
			}
		}
	}
}

func (a *analysis) cellNumber(c *parser.Cell) int {
	if a.nb.Format == parser.FormatPercent {
		return c.FirstLine
	}
	return c.Number
}

// options converts validated //zen:step options into the IR.
func (a *analysis) options(d *parser.Directive) ir.Options {
	var o ir.Options
	for k, v := range d.Options {
		switch k {
		case "cache":
			o.CacheOff = v == "off"
		case "retries":
			n, err := strconv.Atoi(v)
			if err != nil {
				a.errs.Add(d.Pos, "retries=%s is not a number", v)
			}
			o.Retries = n
		case "timeout":
			o.Timeout = v
		case "cache_version":
			o.CacheVersion = v
		}
	}
	return o
}

// assignCells classifies code cells and groups them into cell steps by the
// chosen split mode.
func (a *analysis) assignCells(consumed map[*parser.Directive]bool) {
	hasMarkers := false
	for _, c := range a.nb.Cells {
		if c.Kind != parser.Code {
			continue
		}
		for i := range c.Directives {
			d := &c.Directives[i]
			switch d.Name {
			case "step":
				if !consumed[d] {
					hasMarkers = true
				}
			case "pipeline":
				if len(d.Args) > 0 {
					a.pipelineName, a.pipelinePos = d.Args[0], d.Pos
					if !validStepName(d.Args[0]) {
						a.errs.Add(d.Pos, "invalid pipeline name %q: use [a-z][a-z0-9_]*", d.Args[0])
					}
				}
				if a.pipelineCell == nil {
					a.pipelineCell = c
				}
			}
		}
	}
	mode := a.cfg.Split
	switch mode {
	case "", ir.SplitAuto:
		switch {
		case hasMarkers:
			mode = ir.SplitMarkers
		case len(a.funcSteps) > 0:
			mode = ir.SplitFunctions
		case a.hasHeadings():
			mode = ir.SplitHeadings
		default:
			mode = ir.SplitCells
		}
	case ir.SplitMarkers, ir.SplitHeadings, ir.SplitCells:
	default:
		a.errs.Add(ir.Pos{File: a.nb.Path}, "unknown split mode %q: use auto, markers, headings or cells", mode)
		mode = ir.SplitCells
	}
	if mode == ir.SplitMarkers && !hasMarkers && len(a.funcSteps) > 0 {
		mode = ir.SplitFunctions
	}
	a.split = mode

	var (
		current *stepBuild
		heading string // pending heading name in headings mode
		names   = takenNames{taken: map[string]bool{}, next: map[string]int{}}
	)
	newStep := func(name string, pos ir.Pos, c *parser.Cell, opts ir.Options) {
		current = &stepBuild{step: &ir.Step{Name: name, Func: camel(name), Kind: "cell", Pos: pos, Options: opts}}
		current.step.Doc = a.docBefore(c)
		a.cellSteps = append(a.cellSteps, current)
		names.taken[name] = true
	}
	for _, c := range a.nb.Cells {
		if c.Kind == parser.Markdown && mode == ir.SplitHeadings {
			if h := markdownHeading(c.Source); h != "" {
				heading = h
				current = nil
			}
			continue
		}
		if c.Kind != parser.Code {
			continue
		}
		role := a.roles[c]
		if c == a.pipelineCell && len(a.funcSteps) > 0 {
			role = rolePipeline
			a.roles[c] = role
		}
		if role.leftOut() {
			continue
		}
		if role != roleCode {
			current = nil
			continue
		}
		if d := directive(c, "step"); d != nil && !consumed[d] && mode == ir.SplitMarkers {
			name := ""
			if len(d.Args) > 0 {
				name = d.Args[0]
			}
			if name == "" && fromMain(a.cellItems[c]) {
				// //zen:step in the doc comment of GoNB's func main,
				// which runs as the cell's statements: the step is main's
				// (main_2 … when several cells mark their main).
				name = names.unique("main")
			}
			newStep(name, d.Pos, c, a.options(d))
		}
		if !a.hasStatements(c) {
			if current != nil && mode != ir.SplitCells {
				current.cells = append(current.cells, c)
			}
			continue
		}
		switch mode {
		case ir.SplitCells:
			name := fmt.Sprintf("cell_%d", a.cellNumber(c))
			if t := derivedName(c.Title); t != "" {
				name = t
			}
			newStep(names.unique(name), a.nb.Pos(c, 1, 1), c, ir.Options{})
		case ir.SplitHeadings:
			if current == nil {
				name := heading
				if name == "" {
					name = "setup"
				}
				newStep(names.unique(name), a.nb.Pos(c, 1, 1), c, ir.Options{})
			}
		default:
			if current == nil {
				name := "setup"
				if len(a.cellSteps) > 0 {
					name = fmt.Sprintf("cell_%d", a.cellNumber(c))
				}
				newStep(names.unique(name), a.nb.Pos(c, 1, 1), c, ir.Options{})
			}
		}
		current.cells = append(current.cells, c)
	}
	for i, sb := range a.cellSteps {
		sb.order = i
		for _, c := range sb.cells {
			sb.step.Cells = append(sb.step.Cells, a.cellNumber(c))
			a.cellStep[c] = sb
			for _, it := range a.cellItems[c] {
				if it.kind == itemStmt {
					it.step = sb
					sb.items = append(sb.items, it)
				}
			}
			for i := range c.Directives {
				d := &c.Directives[i]
				switch d.Name {
				case "output":
					for _, n := range d.Args {
						sb.extraOutputs = append(sb.extraOutputs, namedPos{n, d.Pos})
					}
				case "metric":
					for _, n := range d.Args {
						sb.metrics = append(sb.metrics, namedPos{n, d.Pos})
					}
				case "after":
					if consumed[d] {
						continue // a function step's, see findFunctionSteps
					}
					for _, n := range d.Args {
						sb.afterPos = append(sb.afterPos, namedPos{n, d.Pos})
					}
				}
			}
		}
	}
	a.strayAfterDirectives(consumed)
}

// strayAfterDirectives reports //zen:after lines and after tags that order
// no step: in the pipeline cell, the parameters cell or a cell of
// declarations that belongs to no step (outside a step function's doc
// comment), they would otherwise be ignored without a word.
func (a *analysis) strayAfterDirectives(consumed map[*parser.Directive]bool) {
	for _, c := range a.nb.Cells {
		if c.Kind != parser.Code || a.roles[c] == roleSkip || a.cellStep[c] != nil {
			continue
		}
		for i := range c.Directives {
			d := &c.Directives[i]
			if d.Name != "after" || consumed[d] {
				continue
			}
			what := "//zen:after " + strings.Join(d.Args, " ")
			if d.FromTag {
				what = "after tag " + strings.Join(d.Args, " ")
			}
			e := a.errs.Add(d.Pos, "%s: cell %d belongs to no step", what, a.cellNumber(c))
			e.Hint = "put it in the cell of the step that should wait"
			if len(a.funcSteps) > 0 {
				e.Hint = "to make a function step wait, write //zen:after NAME in its doc comment, beside its //zen:step"
			}
		}
	}
}

// takenNames are the names cell steps have taken so far.
type takenNames struct {
	taken map[string]bool
	next  map[string]int // the suffix to try first for a name, so that many equal titles stay linear
}

// unique returns name, or name_2, name_3 … when a step already has it
// (automatic splits only: marker names must be unique, see checkNames).
func (n takenNames) unique(name string) string {
	if !n.taken[name] {
		return name
	}
	i := max(n.next[name], 2)
	for n.taken[fmt.Sprintf("%s_%d", name, i)] {
		i++
	}
	n.next[name] = i + 1
	return fmt.Sprintf("%s_%d", name, i)
}

// fromMain reports whether items hold statements of a GoNB func main.
func fromMain(items []*item) bool {
	for _, it := range items {
		if it.fromMain {
			return true
		}
	}
	return false
}

func (a *analysis) hasStatements(c *parser.Cell) bool {
	for _, it := range a.cellItems[c] {
		if it.kind == itemStmt {
			return true
		}
	}
	return false
}

// checkNames reports duplicate and invalid step names, and step functions
// that would clash with each other or with what generated code declares.
func (a *analysis) checkNames() {
	seen := map[string]*stepBuild{}
	funcs := map[string]*stepBuild{} // by Step.Func
	for _, sb := range a.allSteps() {
		s := sb.step
		if !validStepName(s.Name) {
			a.errs.Add(s.Pos, "invalid step name %q: use [a-z][a-z0-9_]*", s.Name)
			continue
		}
		if first, ok := seen[s.Name]; ok {
			a.errs.Add(s.Pos, "duplicate step %s (first at %s)", s.Name, first.step.Pos)
			continue
		}
		seen[s.Name] = sb
		if what, ok := ir.GeneratedDecls[s.Func]; ok {
			if s.Kind == "func" {
				a.errs.Add(s.Pos, "function step %s would be exported as %s, which generated code declares for %s", s.Name, s.Func, what).Hint =
					"rename the function"
				continue
			}
			// A heading such as "# Pipeline" is a natural step name; its
			// function takes a suffix rather than the generated name.
			s.Func += "Step"
		}
		if first, ok := funcs[s.Func]; ok {
			a.errs.Add(s.Pos, "step %s has the function %s, as step %s (at %s) does", s.Name, s.Func, first.step.Name, first.step.Pos).Hint =
				"rename one of the steps"
			continue
		}
		funcs[s.Func] = sb
	}
}

// allSteps returns cell steps and function steps in notebook order.
func (a *analysis) allSteps() []*stepBuild {
	all := append(append([]*stepBuild(nil), a.cellSteps...), a.funcSteps...)
	return all
}
