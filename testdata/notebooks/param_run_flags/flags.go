// %% tags=["parameters"]
home := "data"
params := 3
resume := false
only := ""
from := 0
parallel := 4
no_cache := true
help := "x"
keepGoing := true
store := "s3://bucket"
db := ""

// %%
import "fmt"

// %% tags=["step:a"]
fmt.Println(home, params, resume, only, from, parallel, no_cache, help, keepGoing, store, db)
