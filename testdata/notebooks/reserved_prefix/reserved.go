// %%
import "fmt"

// %% tags=["step:a"]
zg_ctx := 1
zg_out := 2

// %% tags=["step:b"]
fmt.Println(zg_ctx + zg_out)
