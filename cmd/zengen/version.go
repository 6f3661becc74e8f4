package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// version is zengen's version: the module version when built by `go
// install` or `go run module@version`, "(devel)" inside a checkout.
func version() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		return info.Main.Version
	}
	return "(devel)"
}

func runVersion(args []string, env *environment) int {
	fs := flagSet("version", "", "  zengen version\n")
	if ok, status := parseFlags(fs, env, args); !ok {
		return status
	}
	if fs.NArg() != 0 {
		return usageError(env, fs, "version takes no arguments")
	}
	fmt.Fprintf(env.stdout, "zengen %s %s/%s %s\n", version(), runtime.GOOS, runtime.GOARCH, runtime.Version())
	return exitOK
}
