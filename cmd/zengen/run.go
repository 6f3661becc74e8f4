package main

import (
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/spf13/pflag"
)

// Exit statuses shared by every verb.
const (
	exitOK       = 0 // success, or an up-to-date check
	exitFindings = 1 // problems in the input, or a stale check
	exitUsage    = 2 // the command line itself is wrong
	exitInternal = 3 // a bug in zengen: it panicked
)

// command is one verb of the command line.
type command struct {
	name    string
	summary string
	run     func(args []string, env *environment) int
}

// environment is what a verb may touch besides its arguments and the files
// it names. Verbs print only through it so that tests see everything a user
// would.
type environment struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// commands is the dispatch table, in the order the usage text lists it.
var commands = []command{
	{"generate", "generate a Go pipeline package from notebooks", runGenerate},
	{"check", "fail when generated code is stale (for CI)", runCheck},
	{"inspect", "show the steps, dataflow and params zengen finds", runInspect},
	{"watch", "regenerate on every save and report problems", runWatchCommand},
	{"version", "print zengen's version", runVersion},
}

// Run is the whole zengen command line: it parses args (without the program
// name), runs the verb and returns the exit status. It never lets a panic
// escape: a bug is reported as an internal error with exit status 3.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) (status int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "zengen: internal error: %v\n", r)
			fmt.Fprintln(stderr, "This is a bug in zengen. Please report it with the notebook and the command line that caused it.")
			status = exitInternal
		}
	}()
	env := &environment{stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "--help":
		if len(args) > 1 {
			if c := lookup(args[1]); c != nil {
				return c.run([]string{"--help"}, env)
			}
		}
		usage(stdout)
		return exitOK
	case "--version":
		return runVersion(nil, env)
	}
	c := lookup(args[0])
	if c == nil {
		fmt.Fprintf(stderr, "zengen: unknown command %q\n\n", args[0])
		usage(stderr)
		return exitUsage
	}
	return c.run(args[1:], env)
}

func lookup(name string) *command {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

func usage(w io.Writer) {
	fmt.Fprint(w, "zengen turns a Go research notebook into a production pipeline.\n\nUsage:\n  zengen COMMAND [flags] [arguments]\n\nCommands:\n")
	width := 0
	for _, c := range commands {
		width = max(width, len(c.name))
	}
	for _, c := range commands {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.name, c.summary)
	}
	fmt.Fprint(w, "\nRun \"zengen COMMAND --help\" for the flags and examples of a command.\n")
}

// flagSet builds a verb's POSIX flag set whose --help prints the synopsis,
// the flags and the examples.
func flagSet(name, synopsis, examples string) *pflag.FlagSet {
	fs := pflag.NewFlagSet("zengen "+name, pflag.ContinueOnError)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage:\n  zengen %s %s\n\nFlags:\n%s", name, synopsis, fs.FlagUsages())
		if examples != "" {
			fmt.Fprintf(w, "\nExamples:\n%s", examples)
		}
	}
	return fs
}

// parseFlags parses args into fs. It reports whether the verb should go on
// and, when not, the exit status: 0 after --help, 2 after a usage error.
func parseFlags(fs *pflag.FlagSet, env *environment, args []string) (ok bool, status int) {
	// pflag would print its own message and the whole usage on a mistake;
	// zengen prints one line and a pointer to --help instead, and --help
	// itself goes to stdout because the user asked for it.
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if errors.Is(err, pflag.ErrHelp) {
		fs.SetOutput(env.stdout)
		fs.Usage()
		return false, exitOK
	}
	if err != nil {
		return false, usageError(env, fs, "%v", err)
	}
	return true, exitOK
}

// usageError reports a wrong command line and returns exit status 2.
func usageError(env *environment, fs *pflag.FlagSet, format string, args ...any) int {
	fmt.Fprintf(env.stderr, "%s: %s\n", fs.Name(), fmt.Sprintf(format, args...))
	fmt.Fprintf(env.stderr, "Run \"%s --help\" for usage.\n", fs.Name())
	return exitUsage
}

// checkChoice reports a usage error unless value is one of allowed.
func checkChoice(env *environment, fs *pflag.FlagSet, flag, value string, allowed ...string) (ok bool, status int) {
	if slices.Contains(allowed, value) {
		return true, exitOK
	}
	return false, usageError(env, fs, "--%s must be one of %v, not %q", flag, allowed, value)
}
