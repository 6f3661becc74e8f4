package ir

import "github.com/zengen-dev/zengen/parser"

// Pos is a notebook position; every IR node carries one.
type Pos = parser.Pos

// Pipeline is the result of analysis: plain data, printed as-is by
// `zengen inspect --format json`.
type Pipeline struct {
	Name     string `json:"name"`     // [a-z][a-z0-9_]*, from //zen:pipeline or the file name
	Package  string `json:"package"`  // Go package name of the generated code
	Notebook string `json:"notebook"` // path as given; used in headers and //line
	Dialect  string `json:"dialect"`  // "gonb" or "repl"
	Split    Split  `json:"split"`    // how steps were found
	// Doc is the notebook's opening markdown, before its first code cell,
	// unless that cell starts a step (whose Doc it then is).
	Doc string `json:"doc,omitempty"`

	Params []*Param `json:"params"`
	Steps  []*Step  `json:"steps"` // topological order, ties broken by notebook order
	Edges  []*Edge  `json:"edges"`

	// Imports are the packages the generated package-level code needs,
	// sorted by path; Name is the local name when it differs from the
	// package's own name ("" otherwise), "_" or "." as written.
	Imports []*Import `json:"imports"`
	// Decls are package-level declarations (func, method, type, const and,
	// in GoNB, var) in notebook order, after "last declaration wins".
	Decls []*Chunk `json:"-"`
	// Tests are the Test, Benchmark, Fuzz and Example functions of GoNB's
	// %test cells, for a _test.go file of the generated package.
	Tests []*Chunk `json:"-"`

	Requirements []*Requirement `json:"requirements,omitempty"` // from !go get
	Env          []*EnvVar      `json:"env,omitempty"`          // from %env
	GoFlags      []string       `json:"goflags,omitempty"`      // from %goflags
	Files        []*File        `json:"files,omitempty"`        // from %%writefile

	// Notes say what analysis left out or changed without being told to,
	// in notebook order.
	Notes []*Note `json:"notes,omitempty"`
}

// Import is one import of the generated package.
type Import struct {
	Path string `json:"path"`
	Name string `json:"name,omitempty"`
	// Package is the package's declared name when analysis knows it (from
	// go/types). Emission needs the name the code uses to tell which
	// generated file needs the import; without it, it assumes the name
	// from the path as goimports does ("gopkg.in/yaml.v3" → "yaml").
	Package string `json:"package,omitempty"`
	// Names are the names a dot import brings into scope, when analysis
	// knows them: emission then adds it only to the files that use one.
	Names []string `json:"names,omitempty"`
}

// Chunk is user code copied into the generated package: one top-level
// declaration or statement, with the rewrites of analysis applied (REPL
// renames, captured printing). Its text keeps the cell's line structure, so
// a //line directive at Pos before it maps every line back to the notebook.
type Chunk struct {
	Pos  Pos    `json:"pos"`
	Code string `json:"code"`
}

// Param is one pipeline parameter from the parameters cell.
type Param struct {
	Name    string `json:"name"`    // as in the notebook, e.g. "learningRate"
	Field   string `json:"field"`   // exported field of Params, e.g. "LearningRate"
	Flag    string `json:"flag"`    // kebab-case flag and zen tag, e.g. "learning-rate"
	Type    string `json:"type"`    // Go type, e.g. "float64"
	Default string `json:"default"` // Go expression of the default, e.g. "0.4"
	Doc     string `json:"doc,omitempty"`
	// Global reports that the parameter is a package-level variable of the
	// notebook (a GoNB declaration kept in Decls): the generated Setup
	// assigns the resolved value to it before any step runs.
	Global bool `json:"global,omitempty"`
	// NotebookFlag is set for a param made from a flag the notebook
	// defines with the flag package (GoNB cells pass them with %%, %args,
	// %exec): the flag's name. Such a param has no variable of its own;
	// a step sets the flag before it runs (see Step.Flags).
	NotebookFlag string `json:"notebook_flag,omitempty"`
	// Step, for a flag param, is the step whose value it is: param
	// "train.steps" holds the value step train runs with, which follows
	// the pipeline-wide "steps" unless given itself.
	Step string `json:"step,omitempty"`
	Pos  Pos    `json:"pos"`
}

// Step is one node of the DAG.
type Step struct {
	Name  string `json:"name"` // [a-z][a-z0-9_]*
	Func  string `json:"func"` // exported CamelCase Go function
	Kind  string `json:"kind"` // "cell" or "func"
	Pos   Pos    `json:"pos"`
	Cells []int  `json:"cells"` // Jupyter cell numbers (script: first lines)
	Doc   string `json:"doc,omitempty"`

	Inputs  []*Port  `json:"inputs"`
	Outputs []*Port  `json:"outputs"`
	Params  []string `json:"params"` // Param.Name values the step uses, sorted
	// Flags are the Param.Name values of the step's flag params
	// ("train.steps"), sorted: the step sets each notebook flag to its
	// param's value before its code runs.
	Flags   []string `json:"flags,omitempty"`
	Metrics []string `json:"metrics"` // output names recorded as metrics
	After   []string `json:"after,omitempty"`
	Options Options  `json:"options"`

	CodeHash string `json:"code_hash"` // hex SHA-256, see docs/design.md §4
	// CodeParts split what CodeHash covers when the step reaches helpers:
	// the step's own code first (Name ""), then each package-level
	// declaration it reaches, so that explain can name the one whose
	// change re-ran the step. They do not enter the cache key.
	CodeParts []CodePart `json:"code_parts,omitempty"`
	// Modules are the modules the step's code imports and those the
	// notebook requires, "path@version"; Env the environment variables
	// it reads by a constant name. Both enter the runtime's cache key.
	Modules []string `json:"modules,omitempty"`
	Env     []string `json:"env,omitempty"`

	// Alone, when set, names a print the step reaches that analysis could
	// not route to the step's writers ("println at cell 3:5"): the runtime
	// runs the step with no other beside it (see gen/analysis/prints.go).
	Alone string `json:"alone,omitempty"`
	// State names the notebook's package-level variables that the step's
	// code, or a function it reaches, reads or changes, sorted: a process
	// that has run the step holds what it left in them (see
	// gen/analysis/stepstate.go).
	State []string `json:"state,omitempty"`

	// For cell steps: the statements of the body, in order. The step
	// function declares the outputs it returns from these statements.
	Body []*Chunk `json:"-"`
	// Unused lists body-level locals that need `_ = x` to compile.
	Unused []string `json:"-"`
	// For function steps: the call in the pipeline cell, e.g.
	// "Train(data, lr)", with Args naming what each argument is.
	Call *Call `json:"call,omitempty"`

	// Expect holds the recorded text outputs of the step's cells, for the
	// generated parity test.
	Expect []*Expect `json:"-"`
}

// CodePart is one piece of a step's code: its own (Name "") or a
// declaration it reaches, named by what it declares ("fit", "T.String").
type CodePart struct {
	Name   string `json:"name,omitempty"`
	Pos    Pos    `json:"pos"`
	Digest string `json:"digest"` // the first 16 hex digits of the SHA-256 of its normalised code
}

// Call is how a pipeline cell invokes a function step.
type Call struct {
	Args []*Arg `json:"args"`
	// Results are the variables bound in the pipeline cell ("_" allowed),
	// one per result of the function, the trailing error included when
	// Error is set; for a bare call, the names analysis gave its results
	// (see gen/analysis/funcsteps.go). A result that is one of the step's Outputs
	// (by Port Name) is saved; the others are discarded.
	Results []string `json:"results"`
	// Error reports that the function's last result is an error, which
	// fails the step instead of becoming an artifact.
	Error bool `json:"error,omitempty"`
	// Context reports that the function takes the step's context first,
	// to print to the step (see gen/analysis/prints.go).
	Context bool `json:"context,omitempty"`
	Pos     Pos  `json:"pos"`
	// Prints are the print statements of the pipeline cell that follow
	// this call and show its results, in order: they run right after the
	// call succeeds and print to the step.
	Prints []*Print `json:"prints,omitempty"`
}

// Print is `fmt.Print|Println|Printf(args…)` of a pipeline cell. Its
// arguments are results of the call it follows (Arg.Result), that call's
// inputs, parameters or constants.
type Print struct {
	Func string `json:"func"` // "Print", "Println" or "Printf"
	Args []*Arg `json:"args"`
	Pos  Pos    `json:"pos"`
}

// Arg is one argument of a function-step call: exactly one field is set.
type Arg struct {
	Input   string `json:"input,omitempty"`   // an upstream result (Port name)
	Param   string `json:"param,omitempty"`   // a pipeline parameter
	Literal string `json:"literal,omitempty"` // a constant Go expression
	Result  string `json:"result,omitempty"`  // in a Print only: an output of the call's step (Port name)
	// Expr, in a Print only, is a Go expression over the step's values,
	// such as len(xs) or loss * 100.
	Expr *Expr `json:"expr,omitempty"`
}

// Expr is Go source whose identifiers at Refs stand for a step's values.
type Expr struct {
	Code string `json:"code"`
	Refs []*Ref `json:"refs"` // by offset, none overlapping
}

// Ref is one identifier of an Expr: Code[Off:Off+Len] stands for Arg,
// which is a Result, an Input or a Param.
type Ref struct {
	Off int  `json:"off"`
	Len int  `json:"len"`
	Arg *Arg `json:"arg"`
}

// Port is a typed input or output of a step.
type Port struct {
	Name string `json:"name"` // variable name in the notebook
	Var  string `json:"var"`  // Go identifier in the generated code (after REPL renames)
	Type string `json:"type"` // Go type expression, qualified with Pipeline.Imports names
	// Codec names the runtime codec (CodecRaw, CodecNumeric, CodecJSON,
	// CodecValue or CodecError), or, with CodecFunc set, the notebook's
	// //zen:codec function that stores this type.
	Codec     string `json:"codec"`
	CodecFunc bool   `json:"-"`
	From      string `json:"from,omitempty"` // inputs: producing step
	// TypeHash is the SHA-256 (hex) of what decides the bytes an artifact
	// of this port holds: the codec, the type's full name and the
	// declarations of the notebook's types it names, with their methods
	// and what those reach. An input has its producer's.
	TypeHash string `json:"type_hash"`
	Metric   bool   `json:"metric,omitempty"`
	Pos      Pos    `json:"pos"` // where it is defined (outputs) or first read (inputs)
}

// Edge is one arrow of the DAG.
type Edge struct {
	From string `json:"from"`
	To   string `json:"to"`
	Var  string `json:"var,omitempty"` // the variable that flows; "" for ordering edges
	Why  string `json:"why"`           // e.g. "train reads xs defined in load at cell 3:2"
}

// Options are the step options of //zen:step.
type Options struct {
	CacheOff     bool   `json:"cache_off,omitempty"`
	Retries      int    `json:"retries,omitempty"`
	Timeout      string `json:"timeout,omitempty"` // Go duration as written
	CacheVersion string `json:"cache_version,omitempty"`
}

// Requirement is one module required by the generated go.mod.
type Requirement struct {
	Path    string `json:"path"`
	Version string `json:"version"`
	Pos     Pos    `json:"pos"`
}

// EnvVar is one %env default.
type EnvVar struct {
	Key   string `json:"key"`
	Value string `json:"value"`
	Pos   Pos    `json:"pos"`
}

// File is a file shipped beside the pipeline by %%writefile.
type File struct {
	Name    string `json:"name"`
	Content string `json:"-"`
	Pos     Pos    `json:"pos"`
}

// Expect is what one cell recorded, for parity tests.
type Expect struct {
	Cell int `json:"cell"`
	Pos  Pos `json:"pos"`
	// Steps, for a pipeline cell, are the function steps it calls, in call
	// order: the cell recorded their outputs one after the other. Empty for
	// a cell of a cell step.
	Steps []string `json:"steps,omitempty"`
	Text  string   `json:"text"` // normalised stdout + text/plain results
	Skip  bool     `json:"skip"` // nbval-skip, raises-exception, //zen:nocheck
}
