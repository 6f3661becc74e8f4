package analysis

import "go/types"

// Copies that share memory.
//
// Copying a pointer, map or slice copies a reference: a change through the
// copy (`p := b; p.n = 7`, `row := grid[0]; row[0] = 1`) changes the
// variable it came from. The walk of changes (changes.go) follows copies
// into local variables to what changes them, and counts any other copy of
// a variable as a change of it: the step passes the variable on as it left
// it.

// holdsReferences reports whether a value of type t shares memory with
// its copies: a pointer, map, slice, channel or interface, or a struct or
// array holding one.
func holdsReferences(t types.Type) bool {
	return holdsRefs(t, map[types.Type]bool{})
}

func holdsRefs(t types.Type, seen map[types.Type]bool) bool {
	if seen[t] {
		return false
	}
	seen[t] = true
	switch u := t.Underlying().(type) {
	case *types.Pointer, *types.Map, *types.Slice, *types.Chan, *types.Interface:
		return true
	case *types.Array:
		return holdsRefs(u.Elem(), seen)
	case *types.Struct:
		for i := 0; i < u.NumFields(); i++ {
			if holdsRefs(u.Field(i).Type(), seen) {
				return true
			}
		}
	}
	return false
}
