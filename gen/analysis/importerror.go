package analysis

import (
	"fmt"
	"strings"
)

// importProblem words the go command's error for an import that does not
// load as a notebook author needs it: without the go command's own advice
// (`go get` in a folder the user never sees) or the GOROOT of this machine.
func importProblem(path, msg string) (problem, hint string) {
	first, _, _ := strings.Cut(msg, "\n")
	switch {
	case strings.Contains(first, "is not in std"):
		return fmt.Sprintf("cannot import %q: the standard library has no such package", path), "check the spelling of the import"
	case strings.HasPrefix(first, "no required module provides package"):
		return fmt.Sprintf("cannot import %q: no required module provides it", path),
			"add !go get MODULE@VERSION for the module that holds it to a cell, or require that module in the go.mod of the output folder"
	}
	return fmt.Sprintf("cannot import %q: %s", path, strings.TrimSuffix(first, "; to add it:")), ""
}
