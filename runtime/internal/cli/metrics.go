package cli

import (
	"slices"
	"strconv"
	"strings"

	"github.com/zengen-dev/zengen/runtime/internal/layout"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// runMetrics maps STEP.NAME to each metric the run's steps recorded,
// cached steps' included.
func runMetrics(steps []meta.StepRun) map[string]float64 {
	var out map[string]float64
	for _, sr := range steps {
		for _, m := range sr.Metrics {
			if out == nil {
				out = map[string]float64{}
			}
			out[sr.Step+"."+m.Name] = m.Value
		}
	}
	return out
}

// metricColumn is one metric column of a listing: key is STEP.NAME, title
// the metric's name alone when no other step records one of that name.
type metricColumn struct{ key, title string }

// metricColumns lists the metrics the runs recorded: the pipeline's
// metrics in step order first, then any that runs of older code recorded,
// sorted.
func metricColumns(p *pipeline.Pipeline, views []runView) []metricColumn {
	seen := map[string]bool{}
	for _, v := range views {
		for k := range v.Metrics {
			seen[k] = true
		}
	}
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
	cols := make([]metricColumn, len(keys))
	for i, k := range keys {
		cols[i] = metricColumn{key: k, title: k}
		if _, name, _ := strings.Cut(k, "."); names[name] == 1 {
			cols[i].title = name
		}
	}
	return cols
}

// formatMetric shows a metric value in at most 6 significant digits:
// enough to compare runs at a glance; show and --json have every digit.
func formatMetric(v float64) string {
	if s, ok := layout.NonFiniteName(v); ok {
		return s
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}
