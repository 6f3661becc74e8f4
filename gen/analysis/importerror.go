package analysis

import (
	"fmt"
	"strings"

	"github.com/zengen-dev/zengen/gen/ir"
)

// importProblem words the go command's error for an import that does not
// load as a notebook author needs it: without the go command's own advice
// (`go get` of the package path in a folder the user never sees) or the
// GOROOT of this machine. pin is the notebook's own !go get requirement of
// the module that would hold the package, if any; inModule says that the
// go.mod enclosing the output folder resolved imports, not a scratch module
// built from the notebook's requirements.
func importProblem(path, msg string, pin *ir.Requirement, inModule bool) (problem, hint string) {
	problem, hint = importProblemOf(path, msg, pin, inModule)
	if strings.HasPrefix(path, "github.com/janpfeifer/gonb/") {
		// Only gonbui is replaced (displays.go); the rest of GoNB acts on
		// a live notebook.
		hint = "zengen provides gonbui's display functions itself, not the rest of GoNB: move the cells that use it to cells tagged skip or //zen:skip"
	}
	return problem, hint
}

func importProblemOf(path, msg string, pin *ir.Requirement, inModule bool) (problem, hint string) {
	first, _, _ := strings.Cut(msg, "\n")
	switch {
	case strings.Contains(first, "is not in std"):
		return fmt.Sprintf("cannot import %q: the standard library has no such package", path), "check the spelling of the import"
	case strings.HasPrefix(first, "no required module provides package"):
		return fmt.Sprintf("cannot import %q: no required module provides it", path), missingModuleHint(pin, inModule)
	}
	return fmt.Sprintf("cannot import %q: %s", path, strings.TrimSuffix(first, "; to add it:")), ""
}

// missingModuleHint says how to provide a missing module. In the user's
// own module the notebook's !go get lines do not apply (generate writes
// only inside the output folder, never the module's go.mod), so the hint
// names the notebook's pin when it has one, for the module's go.mod.
func missingModuleHint(pin *ir.Requirement, inModule bool) string {
	switch {
	case inModule && pin != nil:
		return fmt.Sprintf("the notebook pins %s@%s at %s, but the go.mod that encloses the output folder does not require it: run go get %s@%s in that module (a notebook's !go get goes into a go.mod only with --module)",
			pin.Path, pin.Version, pin.Pos, pin.Path, pin.Version)
	case inModule:
		return "require the module that holds it in the go.mod that encloses the output folder: run go get MODULE@VERSION in that module (a notebook's !go get goes into a go.mod only with --module)"
	case pin != nil:
		return fmt.Sprintf("the notebook pins %s@%s at %s, which does not provide it: check the import path and the pin", pin.Path, pin.Version, pin.Pos)
	}
	return "add !go get MODULE@VERSION for the module that holds it to a cell"
}

// pinOf is the notebook's requirement of the module that would hold the
// package at path: the one with the longest module path that is path or a
// prefix of it, as the go command picks the module of a package.
func (a *analysis) pinOf(path string) *ir.Requirement {
	var best *ir.Requirement
	for _, r := range a.requirements {
		if (path == r.Path || strings.HasPrefix(path, r.Path+"/")) && (best == nil || len(r.Path) > len(best.Path)) {
			best = r
		}
	}
	return best
}
