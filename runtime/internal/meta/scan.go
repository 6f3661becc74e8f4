package meta

import "time"

// This file holds what every metadata store needs to turn its rows into
// records, so that the SQLite store and the PostgreSQL one read alike.

// Nanos is how a store keeps a time: nanoseconds since the Unix epoch, 0
// for the zero time.
func Nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// FromNanos is the time that Nanos kept, in UTC.
func FromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// InlineBytes is the Inline field of a scanned artifact: a zero-length
// inline artifact scans as nil, which would make it look like a blob.
func InlineBytes(inline bool, b []byte) []byte {
	switch {
	case !inline:
		return nil
	case b == nil:
		return []byte{}
	}
	return b
}

// Rows is what CollectCacheHit reads: *sql.Rows and pgx.Rows alike.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// CollectCacheHit assembles a cache hit from the rows of a store's cache
// hit query: the hit's id, run, cached_from, then per row a kind ('o' for
// an output, 'm' for a metric), name, digest, size, codec, type, type
// hash, metric value, whether the output is inline and its inline bytes. A hit without
// outputs yields one 'o' row with no name; no rows is no hit.
func CollectCacheHit(rows Rows, pipeline, step, key string) (*StepRun, error) {
	var hit *StepRun
	for rows.Next() {
		var s StepRun
		var kind string
		var a Artifact
		var value float64
		var inline bool
		if err := rows.Scan(&s.ID, &s.RunID, &s.CachedFrom, &kind, &a.Name, &a.Digest, &a.Size, &a.Codec, &a.Type, &a.TypeHash, &value,
			&inline, &a.Inline); err != nil {
			return nil, err
		}
		a.Inline = InlineBytes(inline, a.Inline)
		if hit == nil {
			s.Pipeline, s.Step, s.CacheKey = pipeline, step, key
			hit = &s
		}
		switch {
		case kind == "m":
			hit.Metrics = append(hit.Metrics, Metric{Name: a.Name, Value: value})
		case a.Name != "":
			hit.Outputs = append(hit.Outputs, a)
		}
	}
	return hit, rows.Err()
}
