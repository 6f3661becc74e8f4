package ir

// Split is how analysis finds steps. The user asks for SplitAuto,
// SplitMarkers, SplitHeadings or SplitCells; a Pipeline records the mode
// it was found by, which auto resolves to, SplitFunctions included.
type Split string

const (
	SplitAuto      Split = "auto"      // markers, else functions, else headings, else cells
	SplitMarkers   Split = "markers"   // //zen:step markers
	SplitFunctions Split = "functions" // //zen:step functions called from a pipeline cell
	SplitHeadings  Split = "headings"  // a step per markdown heading
	SplitCells     Split = "cells"     // a step per code cell
)

// SplitChoices are the modes a user may ask for, as flags spell them.
func SplitChoices() []string {
	return []string{string(SplitAuto), string(SplitMarkers), string(SplitHeadings), string(SplitCells)}
}
