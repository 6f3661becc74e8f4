package cli

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// TestMetricColumnsNameByStepOnlyWhenNeeded titles a column by the
// metric's name unless two steps record that name, in the pipeline's
// order, with metrics of older code last.
func TestMetricColumnsNameByStepOnlyWhenNeeded(t *testing.T) {
	p := &pipeline.Pipeline{Steps: []*pipeline.Step{
		{Name: "train", Metrics: []string{"loss", "auc"}},
		{Name: "eval", Metrics: []string{"loss"}},
	}}
	views := []runView{
		{Metrics: map[string]float64{"train.loss": 1, "eval.loss": 2, "old.rmse": 3}},
		{Metrics: map[string]float64{"train.auc": 0.5}},
	}
	want := []pipeline.MetricColumn{{Key: "train.loss", Title: "train.loss"}, {Key: "train.auc", Title: "auc"}, {Key: "eval.loss", Title: "eval.loss"}, {Key: "old.rmse", Title: "rmse"}}
	if diff := cmp.Diff(want, metricColumns(p, views)); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
	for v, want := range map[float64]string{0.230264123: "0.230264", 1e21: "1e+21", math.NaN(): "NaN", math.Inf(-1): "-Inf"} {
		if got := formatMetric(v); got != want {
			t.Errorf("formatMetric(%v) = %q, want %q", v, got, want)
		}
	}
}

// TestCompactParamsReadBack writes strings bare only when they read back
// unambiguously.
func TestCompactParamsReadBack(t *testing.T) {
	for raw, want := range map[string]string{
		`{"seed":42,"lr":0.5}`:                       "seed=42 lr=0.5",
		`{"name":"churn","empty":"","spaced":"a b"}`: `name=churn empty="" spaced="a b"`,
		`{"eq":"a=b","list":[1, 2],"m":{"k": "v"}}`:  `eq="a=b" list=[1,2] m={"k":"v"}`,
		`{}`:       "-",
		`not json`: "not json",
	} {
		if got := compactParams(json.RawMessage(raw)); got != want {
			t.Errorf("compactParams(%s) = %q, want %q", raw, got, want)
		}
	}
}
