package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"runtime/debug"
	"sort"
	"strings"
	"sync"

	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// keyInputs are the parts of cache keys that come from outside a step's
// code and data: environment variables, the files the notebook ships, its
// go flags and the versions of the modules linked in. One run gathers them
// once, except the environment, which is read as each step starts.
type keyInputs struct {
	envDefaults []string // %env names: every step may read them
	files       []NamedPart
	goflags     string
	linked      map[string]string // module path → version in this binary
}

func newKeyInputs(p *pipeline.Pipeline) *keyInputs {
	k := &keyInputs{goflags: p.GoFlags, linked: linkedModules()}
	for name := range p.Env {
		k.envDefaults = append(k.envDefaults, name)
	}
	sort.Strings(k.envDefaults)
	for name, digest := range p.Files {
		k.files = append(k.files, NamedPart{name, digest})
	}
	k.files = sortOptional(k.files)
	return k
}

// env reads, now, each variable step may read: the %env names and those
// its code reads by literal name.
func (k *keyInputs) env(step *pipeline.Step) []NamedPart {
	seen := map[string]bool{}
	var out []NamedPart
	for _, list := range [][]string{k.envDefaults, step.Env} {
		for _, name := range list {
			if !seen[name] {
				seen[name] = true
				out = append(out, NamedPart{name, envDigest(name)})
			}
		}
	}
	return out
}

// envDigest is how a variable's value enters a key: "unset", or the digest
// of the value, so that neither the store nor explain shows a secret.
func envDigest(name string) string {
	v, ok := os.LookupEnv(name)
	if !ok {
		return "unset"
	}
	sum := sha256.Sum256([]byte(v))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// modules resolves the modules step imports ("path@version" as generate
// saw them) to the versions linked into this binary, which are what runs;
// the generate-time version stands when the binary does not say (tests
// built without module information).
func (k *keyInputs) modules(step *pipeline.Step) []NamedPart {
	var out []NamedPart
	for _, m := range step.Modules {
		path, version, _ := strings.Cut(m, "@")
		if v, ok := k.linked[path]; ok {
			version = v
		}
		out = append(out, NamedPart{path, version})
	}
	return out
}

// linkedModules maps each module of the binary's build information to its
// version, a replacement written as "=> path@version". Read once: a
// process's build information does not change, and parsing it is most of
// what preparing a remote step's run costs.
var linkedModules = sync.OnceValue(func() map[string]string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return nil
	}
	out := map[string]string{}
	for _, d := range bi.Deps {
		v := d.Version
		if r := d.Replace; r != nil {
			v = "=> " + r.Path
			if r.Version != "" {
				v += "@" + r.Version
			}
		}
		out[d.Path] = v
	}
	return out
})
