//go:build ignore

// ---
// jupyter:
//   kernelspec:
//     display_name: Go
//     language: go
//     name: gophernotes
// ---

// %% [markdown]
// # Fitting a line
//
// Fits `y = w·x` to noisy samples by gradient descent, the experiment the
// dashboard's browser tests look at. Try a few **learning rates**:
//
// - `--lr 0.1` converges,
// - `--lr 5` diverges, and the run fails.

// %% tags=["parameters"]
lr := 0.1
samples := 200
epochs := 30
pauseMs := 0

// %%
import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand"
	"time"
)

// %% [markdown]
// ## Load
//
// Draws `samples` points around the line `y = 3x`.

// %% tags=["step:load"]
rng := rand.New(rand.NewSource(1))
xs := make([]float64, samples)
ys := make([]float64, samples)
for i := range xs {
	xs[i] = rng.Float64()
	ys[i] = 3*xs[i] + rng.NormFloat64()*0.1
}
fmt.Println("loaded", len(xs), "samples")

// %% [markdown]
// ## Train
//
// Gradient descent on the **mean squared error**. `pauseMs` slows each
// epoch down, so that a run can be watched while it trains: see
// [the dashboard](https://github.com/zengen-dev/zengen#the-dashboard).

// %% tags=["step:train"]
//zen:metric loss
w := 0.0
loss := 0.0
fmt.Println("training for", epochs, "epochs at lr", lr)
for e := 0; e < epochs; e++ {
	time.Sleep(time.Duration(pauseMs) * time.Millisecond)
	grad := 0.0
	loss = 0
	for i := range xs {
		d := w*xs[i] - ys[i]
		grad += 2 * d * xs[i] / float64(len(xs))
		loss += d * d / float64(len(xs))
	}
	w -= lr * grad
	if math.IsInf(w, 0) || math.Abs(w) > 1e6 {
		panic(fmt.Sprintf("diverged at epoch %d: w = %g", e, w))
	}
}
fmt.Printf("w = %.3f, loss = %.4f\n", w, loss)

// %% [markdown]
// ## Evaluate
//
// The residuals of the fit, kept as an artifact.

// %% tags=["step:evaluate"]
//zen:metric rmse
//zen:output residuals
residuals := make([]float64, len(xs))
rmse := 0.0
for i := range xs {
	residuals[i] = ys[i] - w*xs[i]
	rmse += residuals[i] * residuals[i]
}
rmse = math.Sqrt(rmse / float64(len(xs)))
fmt.Printf("rmse = %.4f\n", rmse)

// %% [markdown]
// ## Plot
//
// The samples and the fitted line, as a picture.

// %% tags=["step:plot"]
const size = 120
img := image.NewRGBA(image.Rect(0, 0, size, size))
for i := range img.Pix {
	img.Pix[i] = 255
}
for i := range xs {
	img.Set(int(xs[i]*(size-1)), size-1-int(ys[i]/4*(size-1)), color.RGBA{70, 110, 200, 255})
}
for x := 0; x < size; x++ {
	img.Set(x, size-1-int(w*float64(x)/4), color.RGBA{220, 80, 40, 255})
}
var picture bytes.Buffer
if err := png.Encode(&picture, img); err != nil {
	panic(err)
}
Display(display.PNG(picture.Bytes()))
fmt.Println("plotted", len(xs), "samples")
