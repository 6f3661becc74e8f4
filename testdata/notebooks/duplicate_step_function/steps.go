// %% tags=["step:a_b"]
x := 1

// %% tags=["step:a__b"]
y := x + 1
