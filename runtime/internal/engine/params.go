package engine

import (
	"encoding/json"
	"strings"
)

// ParamsJSON is the run record's params: one object, keys sorted.
func ParamsJSON(canonical map[string]string) string {
	obj := make(map[string]json.RawMessage, len(canonical))
	for k, v := range canonical {
		obj[k] = json.RawMessage(v)
	}
	b, _ := json.Marshal(obj)
	return string(b)
}

// ParamText is canonical param JSON (a value, or the run record's object)
// as people read it: json.Marshal writes <, > and & as \u003c, \u003e and
// \u0026 for HTML's sake, and ParamText puts the characters back, so that a
// string shows what the user gave. It stays JSON; where it reaches a page,
// the page's own escaping applies.
func ParamText(canonical string) string {
	if !strings.Contains(canonical, `\u00`) {
		return canonical
	}
	var b strings.Builder
	for i := 0; i < len(canonical); i++ {
		c := canonical[i]
		if c != '\\' || i+1 >= len(canonical) {
			b.WriteByte(c)
			continue
		}
		switch rest := canonical[i:]; {
		case strings.HasPrefix(rest, `\u003c`):
			b.WriteByte('<')
		case strings.HasPrefix(rest, `\u003e`):
			b.WriteByte('>')
		case strings.HasPrefix(rest, `\u0026`):
			b.WriteByte('&')
		default:
			// Any other escape, \\ among them, stays as written.
			b.WriteString(canonical[i : i+2])
			i++
			continue
		}
		i += len(`\u003c`) - 1
	}
	return b.String()
}
