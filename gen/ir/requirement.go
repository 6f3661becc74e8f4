package ir

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"golang.org/x/mod/module"
)

// versionQuery is what a requirement's version may hold: a semantic
// version, a branch, tag or commit, or "latest". Each one is written into
// go.mod as a single token, so it must not hold what go.mod reads as
// syntax (quotes, parentheses, comments, "=>").
var versionQuery = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._+~/-]*$`)

// requirementProblem says why a `!go get` module and version cannot be a
// require line of the generated go.mod, or returns "".
func RequirementProblem(path, version string) string {
	if err := module.CheckPath(path); err != nil {
		var invalid *module.InvalidPathError
		if errors.As(err, &invalid) {
			err = invalid.Err
		}
		return fmt.Sprintf("%q is not a module path: %v", path, err)
	}
	if !versionQuery.MatchString(version) || strings.Contains(version, "//") {
		return fmt.Sprintf("%q is not a version, branch or commit", version)
	}
	return ""
}
