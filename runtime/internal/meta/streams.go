package meta

import (
	"encoding/json"
	"fmt"
)

// Streams tells which of a step's two streams each byte of its log was
// written to: the lengths of the log's runs of bytes written to one
// stream, alternately stdout and stderr, the first of stdout (0 when the
// log starts on stderr). Nil means all on stdout: a log of one stream, or
// recorded before streams were kept.
type Streams []int

// Add returns s with n more bytes written to stderr or stdout.
func (s Streams) Add(n int, stderr bool) Streams {
	if n == 0 {
		return s
	}
	if len(s) == 0 && stderr {
		s = append(s, 0)
	}
	if len(s) > 0 && (len(s)%2 == 0) == stderr {
		s[len(s)-1] += n
		return s
	}
	return append(s, n)
}

// From returns the streams of the log's bytes from offset on.
func (s Streams) From(offset int) Streams {
	if offset == 0 || len(s) == 0 {
		return s
	}
	for i, n := range s {
		if offset < n || offset == n && i == len(s)-1 {
			rest := append(Streams{}, s[i:]...)
			rest[0] -= offset
			if i%2 == 1 {
				rest = append(Streams{0}, rest...)
			}
			return rest
		}
		offset -= n
	}
	return nil
}

// Each calls f with each run of text written to one stream, in order;
// bytes the map does not reach are stdout's.
func (s Streams) Each(text []byte, f func(run []byte, stderr bool)) {
	for i, n := range s {
		n = min(n, len(text))
		if n > 0 {
			f(text[:n], i%2 == 1)
		}
		text = text[n:]
	}
	if len(text) > 0 {
		f(text, false)
	}
}

// StreamsColumn is the value of a streams column: NULL when everything
// went to stdout.
func StreamsColumn(s Streams) (*string, error) {
	if len(s) <= 1 {
		return nil, nil
	}
	b, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	column := string(b)
	return &column, nil
}

// ParseStreams reads a streams column; nil is NULL.
func ParseStreams(column *string) (Streams, error) {
	if column == nil {
		return nil, nil
	}
	var s Streams
	if err := json.Unmarshal([]byte(*column), &s); err != nil {
		return nil, fmt.Errorf("its streams: %w", err)
	}
	return s, nil
}
