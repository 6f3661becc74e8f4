package main

import (
	"strings"
	"testing"
)

// TestNameCollisions holds the notebook names that once made generate exit
// 0 with output that did not compile or a command that panicked: each
// must now either build and start, or be refused with a positioned error.
func TestNameCollisions(t *testing.T) {
	if testing.Short() {
		t.Skip("builds generated packages; skipped with -short")
	}
	pipelineNamed := func(name string) string {
		return "// %%\n//zen:pipeline " + name + "\nimport \"fmt\"\n\n// %% tags=[\"step:a\"]\nx := 1\nfmt.Println(x)\n"
	}
	builds := []struct{ name, script string }{
		{"variables named like the adapter's own", `// %%
import "fmt"

// %% tags=["step:a"]
ctx := 1
err := 2
sc := 3
params := 4
zen := 5

// %% tags=["step:b"]
fmt.Println(ctx, err, sc, params, zen)
`},
		{"steps named like generated declarations", `// %% tags=["step:pipeline"]
a := 1

// %% tags=["step:params"]
b := a + 1

// %% tags=["step:default_params"]
c := b + 1

// %% tags=["step:test_pipeline_runs"]
_ = c
`},
		{"pipeline main", pipelineNamed("main")},
		{"pipeline fmt", pipelineNamed("fmt")},
		{"pipeline init", pipelineNamed("init")},
		{"params named like the packages generated code imports, in a printing step", `// %% tags=["parameters"]
zen := 1
context := 2
time := 3
testing := 4
bytes := 5
zentest := 6

// %%
import "fmt"

// %% tags=["step:a"]
fmt.Println(zen, context, time, testing, bytes, zentest)
`},
		{"param h", "// %% tags=[\"parameters\"]\nh := 1\n\n// %% tags=[\"step:a\"]\ny := h + 1\n"},
	}
	nc := newNameCheck(t)
	for _, c := range builds {
		if ok, errs := nc.generate(c.name, c.script); !ok {
			t.Errorf("%s: generate failed:\n%s", c.name, strings.Join(errs, "\n"))
		}
	}
	refused := []struct{ name, script, want string }{
		{"a variable with the zg_ prefix", "// %% tags=[\"step:a\"]\nzg_x := 1\n\n// %% tags=[\"step:b\"]\ny := zg_x\n",
			"2:1: zg_x: names starting with zg_ are reserved for generated code"},
	}
	for _, name := range []string{"func", "go_"} {
		refused = append(refused, struct{ name, script, want string }{"pipeline " + name, pipelineNamed(name),
			"2:1: the pipeline name " + name + " makes the Go package name " + strings.TrimSuffix(name, "_") + ", which is a Go keyword"})
	}
	for _, flag := range []string{"home", "params", "resume", "only", "from", "parallel", "no_cache", "help"} {
		refused = append(refused, struct{ name, script, want string }{"param " + flag,
			"// %% tags=[\"parameters\"]\n" + flag + " := 1\n\n// %% tags=[\"step:a\"]\ny := " + flag + " + 1\n",
			"2:1: parameter " + flag + " would be the flag --" + strings.ReplaceAll(flag, "_", "-") + ", which the run command has already"})
	}
	for _, c := range refused {
		ok, errs := nc.generate(c.name, c.script)
		if ok || len(errs) == 0 || errs[0] != c.want {
			t.Errorf("%s: generate ok=%v, errors %q; want the error %q", c.name, ok, errs, c.want)
		}
	}
	nc.verify()
}
