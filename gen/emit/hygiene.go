package emit

import (
	"go/scanner"
	"go/token"
	"go/types"
	"slices"

	"github.com/zengen-dev/zengen/gen/ir"
)

// Emission keeps out of the notebook's way (analysis refuses the zg_
// prefix and params that take run's flags): the packages it imports are
// aliased when the notebook's code uses their names, and the names it
// declares at package level are checked against the notebook's.

// identifiers lists the identifiers of Go source, in order, with
// repetitions. Source that does not scan yields what scans.
func identifiers(src string) []string {
	var s scanner.Scanner
	fset := token.NewFileSet()
	s.Init(fset.AddFile("", -1, len(src)), []byte(src), nil, 0)
	var names []string
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			return names
		}
		if tok == token.IDENT {
			names = append(names, lit)
		}
	}
}

// stepBodies returns the chunks of every cell step's body.
func stepBodies(p *ir.Pipeline) []*ir.Chunk {
	var all []*ir.Chunk
	for _, s := range p.Steps {
		all = append(all, s.Body...)
	}
	return all
}

// hidesPredeclared reports whether a package-level declaration of name
// would hide a predeclared type, constant or nil, which generated code
// uses (error, string, nil, true) and which the notebook's types are
// spelled with, or one of the builtin functions generated code calls.
// The other builtins (max, min, …) are the notebook's to redefine.
func hidesPredeclared(name string) bool {
	obj := types.Universe.Lookup(name)
	if _, builtin := obj.(*types.Builtin); builtin {
		return slices.Contains(calledBuiltins, name)
	}
	return obj != nil
}

// calledBuiltins are the builtin functions generated code calls.
var calledBuiltins = []string{"len", "make"}
