package cli

import (
	"strconv"

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

// metricColumns lists the metrics the runs recorded, as the dashboard
// orders them.
func metricColumns(p *pipeline.Pipeline, views []runView) []pipeline.MetricColumn {
	seen := map[string]bool{}
	for _, v := range views {
		for k := range v.Metrics {
			seen[k] = true
		}
	}
	return p.MetricColumns(seen)
}

// formatMetric shows a metric value in at most 6 significant digits:
// enough to compare runs at a glance; show and --json have every digit.
func formatMetric(v float64) string {
	if s, ok := layout.NonFiniteName(v); ok {
		return s
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}
