package meta

import "encoding/json"

// DisplayAt places one display of a step run in its log: the output that
// holds it and how many bytes of the log, and of stdout alone, the step
// had written when it displayed.
type DisplayAt struct {
	Name   string `json:"name"`
	Log    int    `json:"log"`
	Stdout int    `json:"stdout"`
}

// displaysColumn is the step_logs.displays value of ds: NULL for none.
func displaysColumn(ds []DisplayAt) (any, error) {
	if len(ds) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(ds)
	return string(b), err
}

func parseDisplays(s string) ([]DisplayAt, error) {
	if s == "" {
		return nil, nil
	}
	var ds []DisplayAt
	return ds, json.Unmarshal([]byte(s), &ds)
}
