package emit

// Options shape the generated files.
type Options struct {
	// ImportPath is the import path of the generated package, used by
	// cmd/NAME/main_zen.go.
	ImportPath string
	// Module, when set, also emits go.mod, README.md and .gitignore for a
	// standalone module with this path.
	Module string
	// RuntimeReplace, when set with Module, adds
	// `replace github.com/zengen-dev/zengen => RuntimeReplace` to go.mod.
	RuntimeReplace string
	// NoLineDirectives drops the //line directives.
	NoLineDirectives bool
	// NoTests drops the generated parity test.
	NoTests bool
	// TeamStack links the team stores (runtime/teamstack: object storage
	// and PostgreSQL) into cmd/NAME/main_zen.go. They cost the command
	// tens of megabytes and milliseconds of every start, so only on request.
	TeamStack bool
	// Temporal links the Temporal orchestrator (runtime/temporal: run
	// --orchestrator temporal and the worker command), whose SDK costs the
	// command as much again; only on request.
	Temporal bool
	// Command holds the zengen arguments recorded in the header, without
	// "zengen": "generate nb.ipynb --module example.com/m".
	Command string
}
