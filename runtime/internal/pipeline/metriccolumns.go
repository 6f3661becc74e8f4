package pipeline

import (
	"slices"
	"strings"
)

// MetricColumn is one metric as a table of runs shows it: Key is
// STEP.NAME, Title the bare NAME when no other metric shown has it.
type MetricColumn struct{ Key, Title string }

// MetricColumns orders the metrics that runs recorded (seen, by STEP.NAME;
// it is emptied): p's metrics in step order first, then those of other or
// older code, sorted. The runs command and the dashboard's runs page show
// the same columns in the same order.
func (p *Pipeline) MetricColumns(seen map[string]bool) []MetricColumn {
	var keys []string
	for _, s := range p.Steps {
		for _, m := range s.Metrics {
			if k := s.Name + "." + m; seen[k] {
				keys = append(keys, k)
				delete(seen, k)
			}
		}
	}
	var rest []string
	for k := range seen {
		rest = append(rest, k)
	}
	slices.Sort(rest)
	keys = append(keys, rest...)
	names := map[string]int{}
	for _, k := range keys {
		_, name, _ := strings.Cut(k, ".")
		names[name]++
	}
	cols := make([]MetricColumn, len(keys))
	for i, k := range keys {
		cols[i] = MetricColumn{Key: k, Title: k}
		if _, name, _ := strings.Cut(k, "."); names[name] == 1 {
			cols[i].Title = name
		}
	}
	return cols
}
