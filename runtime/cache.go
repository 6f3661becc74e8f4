package runtime

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	goruntime "runtime"
	"sort"
	"strings"
)

// cacheFormat versions the canonical encoding below; changing the encoding
// changes every key, which is what a format change must do.
const cacheFormat = "zen-cache-v1"

// cacheComponents is everything a step's cache key covers. It is stored with
// each step run so that explain can say which component changed.
type cacheComponents struct {
	Code      string      `json:"code"`
	Inputs    []namedPart `json:"inputs"` // input name → artifact digest
	Params    []namedPart `json:"params"` // param name → canonical JSON value
	Codecs    []namedPart `json:"codecs"` // output name → codec name
	GoVersion string      `json:"go"`     // runtime.Version()
	Salt      string      `json:"salt"`   // cache_version
}

type namedPart struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

func sortParts(ps []namedPart) []namedPart {
	sort.Slice(ps, func(i, j int) bool { return ps[i].Name < ps[j].Name })
	if ps == nil {
		ps = []namedPart{}
	}
	return ps
}

// newCacheComponents gathers the components of step given its resolved
// input digests and the canonical JSON of every param.
func newCacheComponents(step *Step, inputs map[string]string, params map[string]string) cacheComponents {
	c := cacheComponents{Code: step.CodeHash, GoVersion: goruntime.Version(), Salt: step.Options.CacheVersion}
	for _, in := range step.Inputs {
		c.Inputs = append(c.Inputs, namedPart{in.Name, inputs[in.Name]})
	}
	for _, p := range step.Params {
		c.Params = append(c.Params, namedPart{p, params[p]})
	}
	for _, o := range step.Outputs {
		c.Codecs = append(c.Codecs, namedPart{o.Name, o.Codec})
	}
	c.Inputs, c.Params, c.Codecs = sortParts(c.Inputs), sortParts(c.Params), sortParts(c.Codecs)
	return c
}

// encode is the canonical encoding: JSON of a struct with sorted slices has
// one form.
func (c cacheComponents) encode() string {
	b, err := json.Marshal(c)
	if err != nil {
		panic(err) // only strings inside
	}
	return string(b)
}

// key is the hex SHA-256 over the format tag and the canonical encoding.
func (c cacheComponents) key() string { return cacheKey(c.encode()) }

// cacheKey is key for components already encoded.
func cacheKey(encoded string) string {
	h := sha256.New()
	h.Write([]byte(cacheFormat + "\n"))
	h.Write([]byte(encoded))
	return hex.EncodeToString(h.Sum(nil))
}

func decodeComponents(s string) (cacheComponents, error) {
	var c cacheComponents
	err := json.Unmarshal([]byte(s), &c)
	return c, err
}

// changes lists, one line each, how cur differs from prev: code, each input,
// each param (old → new), codecs, Go version and salt.
func (c cacheComponents) changes(prev cacheComponents) []string {
	var out []string
	if c.Code != prev.Code {
		out = append(out, fmt.Sprintf("code changed: %s → %s", short(prev.Code), short(c.Code)))
	}
	out = append(out, diffParts("input", prev.Inputs, c.Inputs, short)...)
	out = append(out, diffParts("param", prev.Params, c.Params, func(s string) string { return s })...)
	out = append(out, diffParts("codec of output", prev.Codecs, c.Codecs, func(s string) string { return s })...)
	if c.GoVersion != prev.GoVersion {
		out = append(out, fmt.Sprintf("Go version changed: %s → %s", prev.GoVersion, c.GoVersion))
	}
	if c.Salt != prev.Salt {
		out = append(out, fmt.Sprintf("cache_version changed: %q → %q", prev.Salt, c.Salt))
	}
	return out
}

func diffParts(what string, prev, cur []namedPart, show func(string) string) []string {
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

// short abbreviates digests and hashes for humans: sha256:4f2a9c1b0d3e.
func short(s string) string {
	prefix := ""
	if p, rest, ok := strings.Cut(s, ":"); ok {
		prefix, s = p+":", rest
	}
	if len(s) > 12 {
		s = s[:12]
	}
	return prefix + s
}
