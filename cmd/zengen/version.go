package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/zengen-dev/zengen/gen/ir"
)

// zengenModule is the module this command is built from: the runtime's.
const zengenModule = ir.RuntimeModule

// buildDescription says which zengen this binary is: its module version
// ("(devel)" inside a checkout) and, when the version alone does not pin
// the code, where it came from: the checkout's VCS revision and whether
// it had uncommitted changes, or the replace directive that substituted
// a directory for the module when zengen is another module's dependency
// or tool.
func buildDescription(info *debug.BuildInfo, ok bool) (version, origin string) {
	if !ok {
		return "(devel)", "built without module information"
	}
	mod := &info.Main
	if info.Main.Path != zengenModule {
		for _, dep := range info.Deps {
			if dep.Path == zengenModule {
				mod = dep
				break
			}
		}
	}
	version = mod.Version
	if version == "" {
		version = "(devel)"
	}
	if r := mod.Replace; r != nil {
		to := r.Path
		if r.Version != "" && r.Version != "(devel)" { // a directory's is "(devel)"
			to += " " + r.Version
		}
		return version, fmt.Sprintf("built from a replace: %s %s => %s", mod.Path, mod.Version, to)
	}
	if mod != &info.Main {
		return version, ""
	}
	// Since Go 1.24 a build in a git clone has a pseudo-version (with
	// "+dirty" when modified); the settings say the same in words.
	var revision, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if revision == "" && version != "(devel)" {
		return version, "" // go install module@version
	}
	if revision == "" {
		return version, "built from a checkout; no revision recorded (-buildvcs=false, not a git clone, or a linked git worktree, which go does not stamp: golang/go#58218)"
	}
	origin = "built from a checkout at revision " + revision
	if modified == "true" {
		origin += ", with uncommitted changes"
	}
	return version, origin
}

func runVersion(args []string, env *environment) int {
	fs := flagSet("version", "", "  zengen version\n")
	if ok, status := parseFlags(fs, env, args); !ok {
		return status
	}
	if fs.NArg() != 0 {
		return usageError(env, fs, "version takes no arguments")
	}
	version, origin := buildDescription(debug.ReadBuildInfo())
	fmt.Fprintf(env.stdout, "zengen %s %s/%s %s\n", version, runtime.GOOS, runtime.GOARCH, runtime.Version())
	if origin != "" {
		fmt.Fprintln(env.stdout, origin)
	}
	return exitOK
}
