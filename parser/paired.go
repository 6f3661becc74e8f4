package parser

import (
	"path/filepath"
	"strings"
)

// Paired notebooks.
//
// A percent script records no outputs. jupytext pairs it with a notebook
// of the same name (formats: ipynb,go:percent) that Jupyter runs and saves
// outputs into; the script's parity test compares with those.

// PairedPath returns the notebook jupytext pairs with a percent script:
// the same path with .ipynb for .go; "" for other paths.
func PairedPath(path string) string {
	ext := filepath.Ext(path)
	if strings.ToLower(ext) != ".go" {
		return ""
	}
	return strings.TrimSuffix(path, ext) + ".ipynb"
}

// TakeOutputs gives the code cells of script the outputs that paired
// recorded for the same cells, as the .ipynb of a notebook carries them.
// Cells are matched by source (surrounding blank lines aside), in order;
// between two matched cells, a run of cells edited in the script takes the
// outputs of the run it replaced when both runs have as many cells, so an
// edit that has not been run yet shows in the parity test as in a notebook
// edited without running it. Cells added or removed leave their run
// without outputs, as cells that never ran. It reports how many cells got
// outputs.
func TakeOutputs(script, paired *Notebook) int {
	mine, theirs := codeCells(script), codeCells(paired)
	pairs := alignCells(mine, theirs)
	for _, p := range pairs {
		mine[p[0]].Outputs, mine[p[0]].Executed = theirs[p[1]].Outputs, theirs[p[1]].Executed
	}
	return len(pairs)
}

// alignCells pairs indexes of a and b: the longest common subsequence of
// sources, plus the runs between its matches that have equal lengths.
func alignCells(a, b []*Cell) [][2]int {
	src := func(c *Cell) string { return strings.TrimSpace(c.Source) }
	// lcs[i][j] is the length of the longest common subsequence of a[i:]
	// and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if src(a[i]) == src(b[j]) {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var pairs [][2]int
	gap := func(i0, i1, j0, j1 int) {
		if i1-i0 == j1-j0 {
			for k := range i1 - i0 {
				pairs = append(pairs, [2]int{i0 + k, j0 + k})
			}
		}
	}
	i, j, gi, gj := 0, 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case src(a[i]) == src(b[j]) && lcs[i][j] == lcs[i+1][j+1]+1:
			gap(gi, i, gj, j)
			pairs = append(pairs, [2]int{i, j})
			i, j = i+1, j+1
			gi, gj = i, j
		case lcs[i+1][j] >= lcs[i][j+1]:
			i++
		default:
			j++
		}
	}
	gap(gi, len(a), gj, len(b))
	return pairs
}

func codeCells(nb *Notebook) []*Cell {
	var cells []*Cell
	for _, c := range nb.Cells {
		if c.Kind == Code {
			cells = append(cells, c)
		}
	}
	return cells
}
