// %% [markdown]
// # Greet
//
// Saved by an editor that starts UTF-8 files with a byte order mark.

// %%
import "fmt"

fmt.Println("hello")
