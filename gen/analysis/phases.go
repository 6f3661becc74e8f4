package analysis

import (
	"go/ast"
	"go/types"

	"github.com/zengen-dev/zengen/gen/ir"
	"github.com/zengen-dev/zengen/parser"
)

// Analysis runs in five phases, each a function from the results of the
// phases before it to its own:
//
//	readCells      notebook            → chunked (items, cell roles)
//	findSteps      chunked             → layout  (steps, markers, magics)
//	checkProgram   chunked, layout     → program (go/types, renames, codecs)
//	inferDataflow  program             → flow    (params, ports, edges, order, prints)
//	buildIR        flow                → *ir.Pipeline (bodies, hashes, expectations)
//
// A phase installs its result on the analysis for the passes that make it
// up, which read earlier results through it.

// chunked is the notebook's code cut into items (phase 1).
type chunked struct {
	lines     map[*parser.Cell]lineIndex
	cellItems map[*parser.Cell][]*item
	// roles starts with skipped and params cells; findSteps adds the step
	// and pipeline cells.
	roles map[*parser.Cell]cellRole
	// items are the items of every cell that takes part, in notebook order;
	// skippedItems those of skipped cells, kept to explain undefined names.
	items        []*item
	skippedItems []*item
	paramsCell   *parser.Cell
}

// layout is how the notebook divides into steps, with the metadata of its
// magics (phase 2).
type layout struct {
	pipelineCell *parser.Cell
	pipelineName string
	pipelinePos  ir.Pos // of the //zen:pipeline directive that names it
	split        ir.Split

	cellSteps []*stepBuild
	funcSteps []*stepBuild
	cellStep  map[*parser.Cell]*stepBuild
	// requirements are the !go get modules, which the type check resolves
	// imports with.
	requirements []*ir.Requirement
}

// program is the notebook type-checked as one package, its variables
// renamed and its codecs found (phase 3).
type program struct {
	chk *checked
	// scratchRequires maps lines of the scratch go.mod that resolves
	// imports to the requirement written there.
	scratchRequires map[int]*ir.Requirement
	// inModule is set when the go.mod that encloses the output folder
	// resolved the imports, unset when a scratch module holding the
	// notebook's requirements did.
	inModule bool
	// gonbKept are the GoNB declarations the generated package holds, nil
	// until gonbResolve decided (every declaration then).
	gonbKept map[*item]bool
	// gonbInits are the GoNB init functions each statement cell ran
	// with, which its step calls at that cell's start; nil when the
	// package runs them once as Go init functions (gonbinit.go).
	gonbInits *gonbInitCalls
	df        *dataflow
	// userCodecs are the notebook's //zen:codec functions.
	userCodecs []*userCodec
	// funcDecls and funcChanged hold what funcChanges read of the
	// notebook's functions.
	funcDecls   map[*types.Func]*ast.FuncDecl
	funcChanged map[*types.Func]*funcChange
}

// flow is what the dataflow adds beyond the IR's steps and edges (phase 4).
type flow struct {
	// typeImports records packages that port types name: path → name.
	typeImports map[string]string
	// portTypes holds the Go type of every output port, which its
	// TypeHash covers (typehash.go).
	portTypes map[*ir.Port]types.Type
	// shownLast are the REPL statements that end a cell with a value to
	// display, which generated code displays (displays.go).
	shownLast map[ast.Node]bool
	// ownFunc are the statements from which the rest of their cell runs
	// in a function literal of its own, so that a top-level return or
	// defer acts on the cell alone (exits.go).
	ownFunc map[*item]bool
}

// readCells cuts every code cell into items and records each cell's role.
// It reports false when a cell has a syntax error: type checking broken
// code would only add noise.
func (a *analysis) readCells() (*chunked, bool) {
	a.chunked = &chunked{
		lines:     map[*parser.Cell]lineIndex{},
		cellItems: map[*parser.Cell][]*item{},
		roles:     map[*parser.Cell]cellRole{},
	}
	ok := a.chunkCells()
	return a.chunked, ok
}

// findSteps finds the function steps and the cells of each cell step,
// names the pipeline and its steps, and reads the magics and tool
// directives.
func (a *analysis) findSteps(c *chunked) *layout {
	a.chunked = c
	a.layout = &layout{cellStep: map[*parser.Cell]*stepBuild{}}
	consumed := a.findFunctionSteps()
	a.assignCells(consumed)
	a.nameSteps()
	a.checkNames()
	a.magics()
	a.toolDirectives()
	return a.layout
}

// checkProgram type-checks the notebook as one package with the imports
// resolved in l's module requirements, gives REPL redeclarations unique
// names and finds the //zen:codec functions. It reports false when the
// code does not type-check.
func (a *analysis) checkProgram(c *chunked, l *layout) (*program, bool) {
	a.chunked, a.layout = c, l
	a.program = &program{}
	if !a.typeCheck() || !a.forgottenUses() || !a.gonbInitPlan() || !a.gonbCarriedState() {
		return nil, false
	}
	a.renameVars()
	a.findUserCodecs()
	return a.program, true
}

// inferDataflow finds the parameters, the typed ports and edges of every
// step, orders the steps, refuses early exits that would not end where the
// kernel ended the cell, and routes their prints.
func (a *analysis) inferDataflow(p *program) *flow {
	a.program = p
	a.flow = &flow{typeImports: map[string]string{}, portTypes: map[*ir.Port]types.Type{}}
	a.findParams()
	a.findFlags()
	a.checkParamNames()
	a.cellDataflow()
	a.functionDataflow()
	a.strayKeepDirectives()
	a.orderSteps()
	a.cellExits()
	a.routePrints()
	return a.flow
}

// buildIR writes the step bodies and imports, hashes the steps and records
// the expectations of the parity test, and returns the IR, or every
// problem found on the way.
func (a *analysis) buildIR(f *flow) (*ir.Pipeline, error) {
	a.flow = f
	a.assemble()
	a.p.Doc = a.openingDoc()
	a.hashSteps()
	a.markState()
	a.flagParams()
	a.expectations()
	// Last, so that any problem found on the way, often in the cell that
	// would have run, is said instead.
	a.refuseEmpty()
	if err := a.errs.Err(); err != nil {
		return nil, err
	}
	return a.p, nil
}
