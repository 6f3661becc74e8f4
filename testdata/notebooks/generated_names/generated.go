// %%
import "fmt"

// %%
type error struct{}

// %%
func Pipeline() string { return "mine" }

// %% tags=["step:a"]
x := 1

// %% tags=["step:b"]
fmt.Println(x, Pipeline())
