package runtime

import (
	"strings"
	"testing"
)

type salesParams struct {
	Region  string `zen:"region" help:"sales region"`
	Horizon int    `zen:"horizon" help:"days to forecast"`
}

// TestHelpExamplesNameThisPipeline checks that every command's examples
// speak of the pipeline at hand, not of the churn example the help text
// was first written for.
func TestHelpExamplesNameThisPipeline(t *testing.T) {
	fetch := intStep("fetch", 0)
	forecast := intStep("forecast", 0, "fetch.fetch_out")
	p := &Pipeline{Name: "sales", Notebook: "sales.ipynb", Params: &salesParams{Region: "emea", Horizon: 30},
		Steps: []*Step{fetch, forecast}}
	var all strings.Builder
	for _, cmd := range []string{"run", "runs", "show", "logs", "artifacts", "cat", "diff", "explain", "cancel", "dag", "doctor", "recover"} {
		r := execIn(t, t.Context(), p, t.TempDir(), cmd, "--help")
		if r.code != 0 {
			t.Fatalf("%s --help: exit %d: %s", cmd, r.code, r.stderr)
		}
		all.WriteString(r.stdout)
	}
	help := all.String()
	for _, want := range []string{
		"sales run --horizon 30 --region emea",
		"sales run --only forecast",
		"sales logs latest forecast",
		"sales explain latest forecast",
		"sales cat latest forecast.forecast_out",
	} {
		if !strings.Contains(help, want) {
			t.Errorf("help lacks %q", want)
		}
	}
	for _, churn := range []string{"epochs", "train.loss", "load.xs", " train"} {
		if strings.Contains(help, churn) {
			t.Errorf("help names the churn example's %q:\n%s", churn, help)
		}
	}
}
