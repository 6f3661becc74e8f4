//go:build ignore

// %% [markdown]
// A step name the file system cannot hold as a file name.

// %% tags=["step:first"]
n := 3

// %% tags=["step:longlonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglong"]
fmt.Println(n)
