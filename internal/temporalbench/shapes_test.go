package temporalbench

// The two shapes every benchmark here runs, with the sizes.
const (
	chainSteps = 100 // a sequential chain: each step reads the previous one's result
	fanOutWide = 50  // independent steps, all started at once
)
