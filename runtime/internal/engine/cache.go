package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	goruntime "runtime"
	"sort"
	"strings"

	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// cacheFormat versions the canonical encoding below; changing the encoding
// changes every key, which is what a format change must do.
const cacheFormat = "zen-cache-v1"

// Components is everything a step's cache key covers. It is stored with
// each step run so that explain can say which component changed. The parts
// after Codecs are left out of the encoding when empty, so that the keys of
// steps that have none stay what they were before these parts existed.
type Components struct {
	Code        string      `json:"code"`
	Inputs      []NamedPart `json:"inputs"` // input name → artifact digest
	Params      []NamedPart `json:"params"` // param name → canonical JSON value
	Codecs      []NamedPart `json:"codecs"` // output name → codec name
	InputCodecs []NamedPart `json:"input_codecs,omitempty"`
	// Env holds each environment variable the step may read: the %env
	// defaults of the notebook and the names its code reads literally.
	// The value is the digest of what the variable holds when the step
	// starts, or "unset"; digests, because the environment carries secrets.
	Env       []NamedPart `json:"env,omitempty"`
	Files     []NamedPart `json:"files,omitempty"`   // %%writefile name → digest of the shipped bytes
	GoFlags   string      `json:"goflags,omitempty"` // %goflags as written
	Modules   []NamedPart `json:"modules,omitempty"` // module path → version linked into the binary
	GoVersion string      `json:"go"`                // runtime.Version()
	Salt      string      `json:"salt"`              // cache_version
	// CodeParts split Code into the step's own code and the helpers it
	// reaches, so that explain can name what changed. They are stored
	// with the components but left out of the key: Code covers them.
	CodeParts []pipeline.CodePart `json:"code_parts,omitempty"`
}

type NamedPart struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

func sortParts(ps []NamedPart) []NamedPart {
	sort.Slice(ps, func(i, j int) bool { return ps[i].Name < ps[j].Name })
	if ps == nil {
		ps = []NamedPart{}
	}
	return ps
}

// sortOptional is sortParts for the parts encoded only when present.
func sortOptional(ps []NamedPart) []NamedPart {
	if len(ps) == 0 {
		return nil
	}
	return sortParts(ps)
}

// newCacheComponents gathers the components of step given its resolved
// input digests, the canonical JSON of every param and what the run knows
// from outside the code (environment, shipped files, flags, modules).
func newCacheComponents(step *pipeline.Step, inputs map[string]string, params map[string]string, outside *keyInputs) Components {
	c := Components{Code: step.CodeHash, GoVersion: goruntime.Version(), Salt: step.Options.CacheVersion, CodeParts: step.CodeParts}
	for _, in := range step.Inputs {
		c.Inputs = append(c.Inputs, NamedPart{in.Name, inputs[in.Name]})
		c.InputCodecs = append(c.InputCodecs, NamedPart{in.Name, in.Codec})
	}
	for _, p := range step.Params {
		c.Params = append(c.Params, NamedPart{p, params[p]})
	}
	for _, o := range step.Outputs {
		c.Codecs = append(c.Codecs, NamedPart{o.Name, o.Codec})
	}
	if outside != nil {
		c.Env, c.Files, c.GoFlags, c.Modules = outside.env(step), outside.files, outside.goflags, outside.modules(step)
	}
	c.Inputs, c.Params, c.Codecs = sortParts(c.Inputs), sortParts(c.Params), sortParts(c.Codecs)
	c.InputCodecs, c.Env, c.Files, c.Modules = sortOptional(c.InputCodecs), sortOptional(c.Env), sortOptional(c.Files), sortOptional(c.Modules)
	return c
}

// encode is the canonical encoding: JSON of a struct with sorted slices has
// one form.
func (c Components) encode() string {
	b, err := json.Marshal(c)
	if err != nil {
		panic(err) // only strings inside
	}
	return string(b)
}

// key is the hex SHA-256 over the format tag and the canonical encoding
// of every part but CodeParts.
func (c Components) key() string {
	c.CodeParts = nil
	return cacheKey(c.encode())
}

// cacheKey is key for components already encoded.
func cacheKey(encoded string) string {
	h := sha256.New()
	h.Write([]byte(cacheFormat + "\n"))
	h.Write([]byte(encoded))
	return hex.EncodeToString(h.Sum(nil))
}

func DecodeComponents(s string) (Components, error) {
	var c Components
	err := json.Unmarshal([]byte(s), &c)
	return c, err
}

// changes lists, one line each, how cur differs from prev: code, each input,
// each param (old → new), codecs, environment, files, flags, modules, Go
// version and salt.
func (c Components) Changes(prev Components) []string {
	var out []string
	same := func(s string) string { return s }
	if c.Code != prev.Code {
		line := fmt.Sprintf("code changed: %s → %s", Short(prev.Code), Short(c.Code))
		if which := codePartChanges(prev.CodeParts, c.CodeParts); len(which) > 0 {
			line += " (" + strings.Join(which, "; ") + ")"
		}
		out = append(out, line)
	}
	out = append(out, diffParts("input", prev.Inputs, c.Inputs, Short)...)
	out = append(out, diffParts("param", prev.Params, c.Params, ParamText)...)
	out = append(out, diffParts("codec of output", prev.Codecs, c.Codecs, same)...)
	out = append(out, diffParts("codec of input", prev.InputCodecs, c.InputCodecs, same)...)
	out = append(out, diffParts("env", prev.Env, c.Env, Short)...)
	out = append(out, diffParts("file", prev.Files, c.Files, Short)...)
	if c.GoFlags != prev.GoFlags {
		out = append(out, fmt.Sprintf("goflags changed: %q → %q", prev.GoFlags, c.GoFlags))
	}
	out = append(out, diffParts("module", prev.Modules, c.Modules, same)...)
	if c.GoVersion != prev.GoVersion {
		out = append(out, fmt.Sprintf("Go version changed: %s → %s", prev.GoVersion, c.GoVersion))
	}
	if c.Salt != prev.Salt {
		out = append(out, fmt.Sprintf("cache_version changed: %q → %q", prev.Salt, c.Salt))
	}
	return out
}

// parts lists every component by the name explain gives it, in the order
// of changes.
func (c Components) Parts() []NamedPart {
	out := []NamedPart{{"code", Short(c.Code)}}
	add := func(what string, ps []NamedPart, show func(string) string) {
		for _, p := range ps {
			out = append(out, NamedPart{what + " " + p.Name, show(p.Value)})
		}
	}
	same := func(s string) string { return s }
	add("input", c.Inputs, Short)
	add("param", c.Params, ParamText)
	add("codec of output", c.Codecs, same)
	add("codec of input", c.InputCodecs, same)
	add("env", c.Env, Short)
	add("file", c.Files, Short)
	if c.GoFlags != "" {
		out = append(out, NamedPart{"goflags", c.GoFlags})
	}
	add("module", c.Modules, same)
	out = append(out, NamedPart{"Go version", c.GoVersion}, NamedPart{"cache_version", fmt.Sprintf("%q", c.Salt)})
	return out
}

func diffParts(what string, prev, cur []NamedPart, show func(string) string) []string {
	old := map[string]string{}
	for _, p := range prev {
		old[p.Name] = p.Value
	}
	var out []string
	seen := map[string]bool{}
	for _, p := range cur {
		seen[p.Name] = true
		v, ok := old[p.Name]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("%s %s added: %s", what, p.Name, show(p.Value)))
		case v != p.Value:
			out = append(out, fmt.Sprintf("%s %s changed: %s → %s", what, p.Name, show(v), show(p.Value)))
		}
	}
	for _, p := range prev {
		if !seen[p.Name] {
			out = append(out, fmt.Sprintf("%s %s removed (was %s)", what, p.Name, show(p.Value)))
		}
	}
	return out
}

// Short abbreviates digests and hashes for humans: sha256:4f2a9c1b0d3e.
func Short(s string) string {
	prefix := ""
	if p, rest, ok := strings.Cut(s, ":"); ok {
		prefix, s = p+":", rest
	}
	if len(s) > 12 {
		s = s[:12]
	}
	return prefix + s
}

// codePartChanges names the pieces of code that differ between two
// records of a step: its own code, helpers changed, newly reached or no
// longer reached. A helper is known by its name, and by its name and
// position where the notebook declares that name twice (the REPL's
// redeclarations). Records made before parts were kept name nothing.
func codePartChanges(prev, cur []pipeline.CodePart) []string {
	if len(prev) == 0 || len(cur) == 0 {
		return nil
	}
	old := partsByName(prev)
	var out []string
	seen := map[string]bool{}
	for _, p := range cur {
		k := partName(p, cur)
		seen[k] = true
		was, ok := old[k]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("%s is now reached", describePart(p)))
		case was.Digest != p.Digest:
			out = append(out, fmt.Sprintf("%s changed", describePart(p)))
		}
	}
	for _, p := range prev {
		if !seen[partName(p, prev)] {
			out = append(out, fmt.Sprintf("%s is no longer reached", describePart(p)))
		}
	}
	return out
}

func partsByName(parts []pipeline.CodePart) map[string]pipeline.CodePart {
	m := make(map[string]pipeline.CodePart, len(parts))
	for _, p := range parts {
		m[partName(p, parts)] = p
	}
	return m
}

// partName identifies p among parts: its name, with its position when
// another part has the same name.
func partName(p pipeline.CodePart, parts []pipeline.CodePart) string {
	n := 0
	for _, q := range parts {
		if q.Name == p.Name {
			n++
		}
	}
	if n > 1 {
		return p.Name + "@" + p.Pos
	}
	return p.Name
}

func describePart(p pipeline.CodePart) string {
	if p.Name == "" {
		return "the step's own code at " + p.Pos
	}
	return "helper " + p.Name + " at " + p.Pos
}
