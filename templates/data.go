package templates

// Module is the data of go.mod.tmpl, README.md.tmpl and gitignore.tmpl: a
// standalone module holding one generated pipeline.
type Module struct {
	Name        string // pipeline name, also the command's folder under cmd/
	Notebook    string // source notebook as the user named it
	Header      string // header.Text of the notebook, put in each file's comment syntax
	Command     string // the recorded command line, header.Command
	Module      string // module path
	GoVersion   string // the go directive, e.g. "1.26"
	RuntimePath string // module path of the zengen runtime
	// RuntimeReplace, when set, is the directory a replace directive points
	// the runtime module to.
	RuntimeReplace string
	Requirements   []Requirement // the runtime first, then the notebook's, sorted
	Params         []Param
	Steps          []Step
	Mermaid        string // the DAG as a mermaid flowchart, ending in a newline
}

// Requirement is one require line of go.mod.
type Requirement struct {
	Path    string
	Version string
}

// Param is one pipeline parameter as the README lists it.
type Param struct {
	Flag    string
	Type    string
	Default string
	Doc     string
}

// Step is one step as the README lists it.
type Step struct {
	Name    string
	Func    string
	Where   string // e.g. "churn.ipynb:cell 4"
	Inputs  []Port
	Outputs []Port
	Params  []string
}

// Port is one typed input or output of a step.
type Port struct {
	Name   string
	Type   string
	Codec  string
	From   string // inputs only
	Metric bool   // outputs only
}
