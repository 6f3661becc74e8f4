package engine

import "encoding/json"

// ParamsJSON is the run record's params: one object, keys sorted.
func ParamsJSON(canonical map[string]string) string {
	obj := make(map[string]json.RawMessage, len(canonical))
	for k, v := range canonical {
		obj[k] = json.RawMessage(v)
	}
	b, _ := json.Marshal(obj)
	return string(b)
}
