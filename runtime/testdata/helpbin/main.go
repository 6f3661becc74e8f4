// Command helpbin is a small pipeline binary written the way zengen
// generates one, for the benchmark of the binary's start-up
// (BenchmarkHelpColdStart): whatever its package initialisation costs, every
// command of every generated binary pays.
package main

import (
	"context"

	zen "github.com/zengen-dev/zengen/runtime"
)

type Params struct {
	Seed   int64 `zen:"seed" help:"random seed"`
	Epochs int   `zen:"epochs" help:"training epochs"`
}

func main() { zen.Main(pipeline()) }

func pipeline() *zen.Pipeline {
	params := Params{Seed: 42, Epochs: 300}
	return &zen.Pipeline{Name: "helpbin", Notebook: "helpbin.ipynb", Params: &params, Steps: []*zen.Step{
		{Name: "load", Func: "Load", CodeHash: "load", Params: []string{"seed"},
			Outputs: []zen.Output{{Name: "xs", Type: "[]float64", Codec: "numeric", Show: zen.Shower(zen.Numeric[[]float64]())}},
			Run: func(ctx context.Context, sc *zen.StepContext) error {
				return zen.Save(sc, "xs", zen.Numeric[[]float64](), []float64{float64(params.Seed)})
			}},
		{Name: "train", Func: "Train", CodeHash: "train", Params: []string{"epochs"}, Metrics: []string{"loss"},
			Inputs:  []zen.Input{{Name: "xs", Type: "[]float64", Codec: "numeric", From: "load"}},
			Outputs: []zen.Output{{Name: "loss", Type: "float64", Codec: "json", Show: zen.Shower(zen.JSON[float64]())}},
			Run: func(ctx context.Context, sc *zen.StepContext) error {
				xs, err := zen.Load(sc, "xs", zen.Numeric[[]float64]())
				if err != nil {
					return err
				}
				loss := xs[0] / float64(params.Epochs)
				sc.Metric("loss", loss)
				return zen.Save(sc, "loss", zen.JSON[float64](), loss)
			}},
	}}
}
