package meta

import (
	"encoding/json"
	"fmt"
)

// Retry is one failed attempt of a step that was tried again: its error,
// and how many bytes of the step's log were written when it failed, which
// places it among the step's output as a local run shows it. The attempt
// is the retry's place in the list, from 1.
type Retry struct {
	Log   int    `json:"log"`
	Error string `json:"error"`
}

// RetriesColumn is the value of a retries column: NULL for none.
func RetriesColumn(rs []Retry) (*string, error) {
	if len(rs) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(rs)
	if err != nil {
		return nil, err
	}
	column := string(b)
	return &column, nil
}

// ParseRetries reads a retries column; nil is NULL, which rows written
// before retries were kept have too.
func ParseRetries(column *string) ([]Retry, error) {
	if column == nil {
		return nil, nil
	}
	var rs []Retry
	if err := json.Unmarshal([]byte(*column), &rs); err != nil {
		return nil, fmt.Errorf("its retries: %w", err)
	}
	return rs, nil
}
