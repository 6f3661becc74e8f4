package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/spf13/pflag"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// An Extension adds an orchestrator, and the commands that go with it, to
// the generated binary. A package linked for its side effect registers it
// (runtime/temporal), so that a binary that does not link it has neither
// its flags nor its SDK.
type Extension struct {
	// Orchestrator is the name run --orchestrator and $ZEN_ORCHESTRATOR
	// give it.
	Orchestrator string
	// RunFlags defines the run command's flags for this orchestrator on
	// fs and returns what opens it once they are parsed.
	RunFlags func(fs *pflag.FlagSet) OpenOrchestrator
	// Commands are added to the binary's commands, after the others.
	Commands []Command
}

// OpenOrchestrator opens an extension's orchestrator for one run,
// recording in st.
type OpenOrchestrator func(ctx context.Context, env Env, st *engine.Store) (engine.Orchestrator, error)

// Command is a verb an extension adds.
type Command struct {
	Name, Args, Summary string
	// Examples are command lines after the program name, each with a note.
	Examples [][2]string
	// NArgs is the exact number of positional arguments, or -1 for any.
	NArgs int
	Flags func(fs *pflag.FlagSet)
	// Params adds one flag per param, as run has; Env.Params holds the
	// run's params they choose.
	Params bool
	Run    func(ctx context.Context, env Env, args []string) error
}

// Env is what an extension's code gets of the invocation.
type Env struct {
	Pipeline       *pipeline.Pipeline
	Prog           string
	Stdout, Stderr io.Writer
	// Backends are the stores chosen by --home, --store, --db, the
	// environment and zen.yaml, as for every command.
	Backends engine.Backends
	// Params are the canonical params the flags chose, defaults for the
	// rest, when the command takes them (Command.Params).
	Params map[string]string
}

var extensions struct {
	sync.Mutex
	list []Extension
}

// Register adds ext to every generated command of this binary.
func Register(ext Extension) {
	extensions.Lock()
	defer extensions.Unlock()
	extensions.list = append(extensions.list, ext)
	for _, c := range ext.Commands {
		commands = append(commands, extensionCommand(c))
	}
}

func registered() []Extension {
	extensions.Lock()
	defer extensions.Unlock()
	return extensions.list
}

func (c *cli) env() Env {
	return Env{Pipeline: c.p, Prog: c.prog, Stdout: c.stdout, Stderr: c.stderr, Backends: c.backends()}
}

func extensionCommand(x Command) *command {
	cmd := &command{name: x.Name, args: x.Args, summary: x.Summary, nargs: x.NArgs,
		run: func(ctx context.Context, c *cli, st *cmdState, args []string) error {
			env := c.env()
			if x.Params {
				given := map[string]bool{}
				for _, f := range st.params {
					given[f.name] = st.fs.Changed(f.name)
				}
				scopeParams(st.params, given)
				params, err := canonicalParams(st.params)
				if err != nil {
					return err
				}
				env.Params = params
			}
			return x.Run(ctx, env, args)
		}}
	for _, e := range x.Examples {
		cmd.examples = append(cmd.examples, example{e[0], e[1]})
	}
	cmd.flags = func(fs *pflag.FlagSet, c *cli, st *cmdState) error {
		if x.Flags != nil {
			x.Flags(fs)
		}
		if !x.Params {
			return nil
		}
		fields, err := paramFields(c.p.Params)
		if err != nil {
			return err
		}
		st.params = fields
		for _, f := range fields {
			// As for run: pflag panics on a flag defined twice.
			if f.name == "help" || fs.Lookup(f.name) != nil {
				return fmt.Errorf("param %s: the %s command has a flag --%s of its own", f.name, x.Name, f.name)
			}
		}
		addParamFlags(fs, fields)
		return nil
	}
	return cmd
}

// orchestratorFlags defines run's --orchestrator and the flags of the
// registered orchestrators, when there are any: a binary without them
// keeps the run command it had.
func orchestratorFlags(fs *pflag.FlagSet, rf *runFlags) {
	exts := registered()
	if len(exts) == 0 {
		return
	}
	names := "local"
	for _, ext := range exts {
		names += " or " + ext.Orchestrator
	}
	fs.StringVar(&rf.orchestrator, "orchestrator", "", "where the steps run: `NAME` "+names+" (default $ZEN_ORCHESTRATOR, else local)")
	rf.openers = map[string]OpenOrchestrator{}
	for _, ext := range exts {
		rf.openers[ext.Orchestrator] = ext.RunFlags(fs)
	}
}

// orchestrator opens the run's orchestrator: the local scheduler unless
// --orchestrator or $ZEN_ORCHESTRATOR names a registered one.
func (c *cli) orchestrator(ctx context.Context, rf *runFlags, st *engine.Store) (engine.Orchestrator, error) {
	name := rf.orchestrator
	if name == "" {
		name = os.Getenv("ZEN_ORCHESTRATOR")
	}
	if name == "" || name == "local" {
		return c.backends().Orchestrator(st), nil
	}
	open := rf.openers[name]
	if open == nil {
		if name == "temporal" {
			return nil, fmt.Errorf("orchestrator temporal: this binary does not link it: generate it with 'zengen generate --temporal', " +
				"or add a file to its cmd/NAME/ package holding import _ \"github.com/zengen-dev/zengen/runtime/temporal\", and build it again")
		}
		return nil, fmt.Errorf("no orchestrator named %q (this binary knows local%s)", name, knownOrchestrators())
	}
	return open(ctx, c.env(), st)
}

func knownOrchestrators() string {
	s := ""
	for _, ext := range registered() {
		s += ", " + ext.Orchestrator
	}
	return s
}

// SetParams sets p's params to a run's (canonical JSON by name) and checks
// that they read back the same. A step's code reads its params from
// p.Params, so a process running the steps of a run submitted elsewhere
// must hold that run's params first.
func SetParams(p *pipeline.Pipeline, params map[string]string) error {
	fields, err := paramFields(p.Params)
	if err != nil {
		return err
	}
	if err := applyRecordedParams(engine.ParamsJSON(params), fields); err != nil {
		return err
	}
	got, err := canonicalParams(fields)
	if err != nil {
		return err
	}
	if len(got) != len(params) {
		return fmt.Errorf("the run has params %v, this pipeline %v: the run was submitted by another version of it", params, got)
	}
	for name, v := range params {
		if got[name] != v {
			return fmt.Errorf("param %s: the run has %s, this pipeline reads back %s", name, v, got[name])
		}
	}
	return nil
}
