package zentest

import "flag"

// updateFlag is the name of the flag that makes Golden rewrite its files.
const updateFlag = "update"

func init() {
	// Another test helper initialised before zentest may own -update already;
	// Updating reads whichever definition exists.
	if flag.Lookup(updateFlag) == nil {
		flag.Bool(updateFlag, false, "rewrite golden files instead of comparing with them")
	}
}

// Updating reports whether the test binary was run with -update: golden
// files are then rewritten instead of compared. Tests that import zentest
// use it for their own golden files instead of defining -update again.
func Updating() bool {
	f := flag.Lookup(updateFlag)
	if f == nil {
		return false
	}
	if g, ok := f.Value.(flag.Getter); ok {
		if b, ok := g.Get().(bool); ok {
			return b
		}
	}
	return f.Value.String() == "true"
}
