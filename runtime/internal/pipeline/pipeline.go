// Package pipeline holds the plain description of a generated pipeline
// (Pipeline, Step, its ports and options) and the StepContext a step's Run
// adapter receives. Package runtime re-exports these types under their
// public names, so that generated code and the engine behind the runtime
// see the same ones. The package owns no behaviour beyond a step attempt's
// bookkeeping; it knows nothing about codecs, scheduling, the command line
// or notebooks.
package pipeline

import (
	"context"
	"io"
	"time"
)

// Pipeline describes a generated pipeline: its steps, the DAG between them
// and its parameters. Generated code builds one in its Pipeline function.
type Pipeline struct {
	Name     string // pipeline name, [a-z][a-z0-9_]*
	Notebook string // source notebook, as recorded in the generated header
	Doc      string
	// Params points to the generated Params struct. Each exported field has
	// a `zen:"name"` tag (the param name, used for --name flags, --params
	// files and cache keys) and an optional `help:"..."` tag. Before the
	// steps run, the runtime fills it from defaults, --params and flags.
	Params any
	// Env holds %env defaults, set in the process environment when unset.
	// Every step's cache key holds the value of each of these variables.
	Env map[string]string
	// Files maps each file the notebook ships (%%writefile) to the SHA-256
	// of its bytes ("sha256:…"); every step's cache key holds them, since
	// a step may read any of them.
	Files map[string]string
	// GoFlags is the notebook's %goflags line, part of every cache key.
	GoFlags string
	// Setup, when set, is called once after Params is resolved and before
	// any step runs; GoNB pipelines use it to copy params into the
	// package-level variables their functions read.
	Setup func()
	Steps []*Step // in a topological order
}

// Step is one node of the DAG.
type Step struct {
	Name     string // [a-z][a-z0-9_]*
	Func     string // the exported Go function that implements it
	Doc      string // markdown text before the step in the notebook
	Pos      string // where it starts, e.g. "churn.ipynb:cell 3"
	CodeHash string // hex SHA-256 of the normalised code it reaches
	// CodeParts split what CodeHash covers, for explain: the step's own
	// code (Name "") and each declaration of the notebook it reaches. They
	// do not enter the cache key; CodeHash does.
	CodeParts []CodePart
	Inputs    []Input
	Outputs   []Output
	Params    []string // names of the params the step uses
	Metrics   []string // names of outputs recorded as metrics
	After     []string // ordering edges with no data
	// Env names the environment variables the step's code reads by a
	// literal name (os.Getenv("X")); their values enter its cache key.
	Env []string
	// Modules are the modules the step's code imports, "path@version" as
	// generate resolved them; the version linked into the binary enters
	// its cache key.
	Modules []string
	Options Options
	// Alone, when set, names a print of the step's code that zengen could
	// not route to the step's writers (`println at churn.ipynb:cell 3:5`).
	// The runtime never runs such a step beside another: it captures the
	// process's stdout for it.
	Alone string
	// State names the notebook's package-level variables the step's code
	// reads or changes. The notebook ran the step's code with them as
	// their declarations set them, as does a process that has not run the
	// step before; one that has holds what the step left in them, so a
	// worker, which runs the steps of many runs, runs such a step in a
	// process of its own.
	State []string
	// Run loads the inputs, calls the step function and saves the outputs
	// through sc. A panic inside is recovered by the runtime and recorded
	// with its stack (which points into the notebook through //line).
	Run func(ctx context.Context, sc *StepContext) error
}

// CodePart is one piece of a step's code: its own (Name "") or a
// declaration of the notebook it reaches ("fit", "T.String"), where it is
// and a digest of its normalised code.
type CodePart struct {
	Name   string `json:"name,omitempty"`
	Pos    string `json:"pos"`
	Digest string `json:"digest"`
}

// Input is an artifact a step reads, produced by step From under Name.
type Input struct {
	Name  string // variable name in the notebook
	Type  string // Go type, for display
	Codec string // codec name, for the cache key
	From  string // producing step
	// TypeHash is the producer's Output.TypeHash: the input is decoded with
	// this step's Go type, which is the producer's.
	TypeHash string
}

// Output is an artifact a step writes.
type Output struct {
	Name  string
	Type  string
	Codec string
	// Show decodes an artifact of this output for `cat`, given the codec
	// name recorded with it; generated code sets it with Shower. Without
	// it, `cat` can still show the codecs whose layout needs no Go type
	// (json, raw, error, numeric) and prints the others as a hex dump.
	Show func(codec string, r io.Reader) (any, error) `json:"-"`
	// TypeHash is the SHA-256 (hex) of what decides the bytes of this
	// output: the codec, the type's full name and, for a type the
	// notebook declares, its declarations, the types they contain and
	// their methods, as the code hash reaches them; a standard or
	// imported type by its name (and its module's version). The runtime
	// records it with every stored output, and Show decodes an artifact
	// only for a record with the same hash (see TypeCheck): the same
	// bytes decoded by a changed type are not what the code computed.
	// "" when the generator did not set it; then nothing can be checked.
	TypeHash string
}

// Options are the per-step options of //zen:step NAME opt=val.
type Options struct {
	NoCache      bool          // cache=off
	Retries      int           // retries=N
	Timeout      time.Duration // timeout=DUR
	CacheVersion string        // cache_version=S, a salt
}
