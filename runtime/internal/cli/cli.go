package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/spf13/pflag"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// Exit statuses of the generated binary.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// Main is the generated binary's main: it runs the command in os.Args and
// exits with its status. SIGINT and SIGTERM cancel a run cleanly.
//
// The run command runs in a child process of the same binary, which this
// one supervises: see the engine's supervise.go.
func Main(p *pipeline.Pipeline) {
	supervised := engine.AttachRunReport()
	if len(os.Args) > 1 && os.Args[1] == "run" && !supervised {
		if code, ok := engine.SuperviseRun(p, os.Args[1:], os.Stderr); ok {
			os.Exit(code)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Exec(ctx, p, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exec runs one command of the generated binary (args excludes the program
// name) and returns its exit status: 0 ok, 1 failure, 2 usage.
func Exec(ctx context.Context, p *pipeline.Pipeline, args []string, stdout, stderr io.Writer) int {
	c := &cli{p: p, stdout: stdout, stderr: stderr, prog: p.Name}
	if len(args) == 0 {
		c.usage(stderr)
		return exitUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "-h", "--help", "help":
		c.usage(stdout)
		return exitOK
	}
	for _, cmd := range commands {
		if cmd.name == name {
			return c.dispatch(ctx, cmd, rest)
		}
	}
	fmt.Fprintf(stderr, "%s: unknown command %q\n\n", c.prog, name)
	c.usage(stderr)
	return exitUsage
}

// cli is the state one command invocation shares.
type cli struct {
	p      *pipeline.Pipeline
	prog   string
	stdout io.Writer
	stderr io.Writer
	home   string
	team   teamFlags
	json   bool
}

// command is one verb of the generated binary.
type command struct {
	name     string
	args     string // positional arguments, for the usage line
	summary  string
	examples []example
	listing  bool // has --json
	nargs    int  // exact number of positional arguments, or -1 for any
	flags    func(fs *pflag.FlagSet, c *cli, st *cmdState) error
	run      func(ctx context.Context, c *cli, st *cmdState, args []string) error
}

// cmdState holds the flags of one command; each command reads the fields
// it defined.
type cmdState struct {
	fs     *pflag.FlagSet
	run    runFlags
	limit  int
	format string
	// stdoutOnly is logs --stdout.
	stdoutOnly bool
	// output is cat --output, raw cat --raw.
	output string
	raw    bool
	// push is push's --to-store and --to-db.
	push teamFlags
	ui   uiFlags
	// params are an extension command's param flags (Command.Params).
	params []paramField
}

// commands in the order --help lists them.
var commands []*command

func init() {
	commands = []*command{runCommand, cancelCommand, runsCommand, showCommand, logsCommand, artifactsCommand,
		catCommand, diffCommand, explainCommand, dagCommand, doctorCommand, recoverCommand, stackCommand, pushCommand, uiCommand}
}

// usageError is a mistake on the command line: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

func (c *cli) usage(w io.Writer) {
	fmt.Fprintf(w, "Usage: %s COMMAND [flags]\n\n", c.prog)
	if c.p.Doc != "" {
		fmt.Fprintf(w, "%s\n\n", strings.TrimSpace(c.p.Doc))
	}
	fmt.Fprintf(w, "Runs the %s pipeline and shows what its runs did.\n\nCommands:\n", c.p.Name)
	for _, cmd := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", cmd.name, cmd.summary)
	}
	fmt.Fprintf(w, "\nThe store lives in .zen/ at the root of the module (or the working directory outside it), or in --home DIR or $ZEN_HOME.\n")
	fmt.Fprintf(w, "A team stack keeps artifacts in --store URL or $ZEN_STORE and records in --db DSN or $ZEN_DB, or names both in zen.yaml; '%s stack' checks it.\n", c.prog)
	fmt.Fprintf(w, "RUN is a run id, a unique prefix of one, or \"latest\".\n")
	fmt.Fprintf(w, "Run '%s COMMAND --help' for a command's flags and examples.\n", c.prog)
}

func (c *cli) dispatch(ctx context.Context, cmd *command, args []string) int {
	fs := pflag.NewFlagSet(cmd.name, pflag.ContinueOnError)
	fs.SortFlags = false
	fs.SetOutput(io.Discard)
	st := &cmdState{fs: fs}
	fs.StringVar(&c.home, "home", "", "store directory (default $ZEN_HOME, else .zen at the module root)")
	c.addStackFlags(fs)
	if cmd.listing {
		fs.BoolVar(&c.json, "json", false, "print JSON instead of text")
	}
	if cmd.flags != nil {
		if err := cmd.flags(fs, c, st); err != nil {
			fmt.Fprintf(c.stderr, "%s: %v\n", c.prog, err)
			return exitFailure
		}
	}
	printHelp := func(w io.Writer) {
		fmt.Fprintf(w, "Usage: %s %s [flags] %s\n\n%s\n\nFlags:\n%s", c.prog, cmd.name, cmd.args, cmd.summary, fs.FlagUsages())
		writeExamples(w, c.prog, cmd.examples, namesForExamples(c.p, fs))
	}
	err := fs.Parse(args)
	if errors.Is(err, pflag.ErrHelp) {
		printHelp(c.stdout)
		return exitOK
	}
	if err == nil && cmd.nargs >= 0 && fs.NArg() != cmd.nargs {
		err = fmt.Errorf("%s takes %d argument(s): %s", cmd.name, cmd.nargs, cmd.args)
	}
	if err != nil {
		fmt.Fprintf(c.stderr, "%s %s: %v\n\n", c.prog, cmd.name, err)
		printHelp(c.stderr)
		return exitUsage
	}
	if err := cmd.run(ctx, c, st, fs.Args()); err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(c.stderr, "%s %s: %v\n", c.prog, cmd.name, err)
			return exitUsage
		}
		if !errors.Is(err, errReported) {
			fmt.Fprintf(c.stderr, "%s %s: %v\n", c.prog, cmd.name, err)
		}
		if meta.IsDamaged(err) && cmd != doctorCommand && cmd != recoverCommand {
			c.damagedHint()
		}
		return exitFailure
	}
	return exitOK
}

// damagedHint says, after an error that found meta.db damaged, what is
// safe and what the user can do.
func (c *cli) damagedHint() {
	home := c.backends().Home
	fmt.Fprintf(c.stderr, "The store's records in %s are damaged; its artifacts in %s are not affected.\n",
		filepath.Join(home, "meta.db"), filepath.Join(home, "blobs"))
	fmt.Fprintf(c.stderr, "'%s doctor' shows what is damaged; '%s recover' rebuilds the records from what can still be read.\n",
		c.prog, c.prog)
}

// errReported is a failure whose details are already on the terminal.
var errReported = errors.New("reported")

// backends are the stores and orchestrator this invocation works against.
func (c *cli) backends() engine.Backends { return engine.ChooseStack(c.stackFlags()) }

// openStore opens the store of this invocation for run, creating it if
// needed.
func (c *cli) openStore(ctx context.Context) (*engine.Store, error) {
	return c.backends().OpenStore(ctx)
}

// readStore opens the existing store of this invocation for a command that
// only reads it.
func (c *cli) readStore(ctx context.Context) (*engine.Store, error) {
	return c.backends().ReadStore(ctx)
}

// openRun is the preamble of the commands that read one run: it opens the
// store and resolves RUN in it. The caller closes the store; on an error
// it is already closed.
func (c *cli) openRun(ctx context.Context, ref string) (*engine.Store, meta.Run, error) {
	s, err := c.readStore(ctx)
	if err != nil {
		return nil, meta.Run{}, err
	}
	run, err := s.Meta.ResolveRun(ctx, c.p.Name, ref)
	if err != nil {
		s.Close()
		return nil, meta.Run{}, err
	}
	return s, run, nil
}

// loadRun is openRun for the commands that show a whole run: it reads the
// record of each of the run's steps and closes the store.
func (c *cli) loadRun(ctx context.Context, ref string) (meta.Run, []meta.StepRun, error) {
	s, run, err := c.openRun(ctx, ref)
	if err != nil {
		return meta.Run{}, nil, err
	}
	defer s.Close()
	steps, err := s.Meta.StepRuns(ctx, run.ID)
	return run, steps, err
}

// openStepRun is openRun for the commands that read one step of a run: it
// also finds the step's record in the run.
func (c *cli) openStepRun(ctx context.Context, ref, step string) (*engine.Store, meta.StepRun, error) {
	s, run, err := c.openRun(ctx, ref)
	if err != nil {
		return nil, meta.StepRun{}, err
	}
	sr, err := s.Meta.StepRun(ctx, run.ID, step)
	if err != nil {
		s.Close()
		return nil, meta.StepRun{}, err
	}
	return s, sr, nil
}

// printJSON writes v as indented JSON.
func (c *cli) printJSON(v any) error {
	enc := json.NewEncoder(c.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
