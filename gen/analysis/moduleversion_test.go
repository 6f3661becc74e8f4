package analysis

import (
	"regexp"
	"testing"
)

// TestModuleVersionHint: a cell the kernel ran that calls an unpinned
// module's function with another arity than the version zengen resolved
// says which version that was and how to pin the kernel's; a pinned
// module, or a cell the kernel did not run, gets no such hint.
func TestModuleVersionHint(t *testing.T) {
	if testing.Short() {
		t.Skip("resolves a module")
	}
	call := cell{src: "import \"golang.org/x/exp/maps\"\n\nm := map[string]int{\"a\": 1}\nkeys := maps.Keys(m, 2)\nfmt.Println(len(keys))", stdout: "1\n"}
	hint := regexp.MustCompile("nb.ipynb:cell 2:4:22: too many arguments in call to maps.Keys\n(?:\t.*\n)*" +
		"\thint: zengen resolved golang.org/x/exp at v0\\.0\\.0-[0-9]{14}-[0-9a-f]{12}, the latest the module proxy serves; the kernel ran this cell, so it probably had another version of golang.org/x/exp, whose API differed: pin the one it had with a cell `!go get golang.org/x/exp@VERSION` before this one$")
	_, err := Analyze(notebook(t, "gophernotes", code(`import "fmt"`), call), Config{Dir: t.TempDir()})
	if err == nil || !hint.MatchString(err.Error()) {
		t.Errorf("error:\n%v\nwant it to match %s", err, hint)
	}
	unrun := call
	unrun.stdout = ""
	_, err = Analyze(notebook(t, "gophernotes", code(`import "fmt"`), unrun), Config{Dir: t.TempDir()})
	if err == nil || regexp.MustCompile("hint: zengen resolved").MatchString(err.Error()) {
		t.Errorf("a cell the kernel did not run: error %v, want one without the version hint", err)
	}
}
