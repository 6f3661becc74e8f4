//go:build ignore

// ---
// jupyter:
//   jupytext:
//     formats: ipynb,go:percent
//     text_representation:
//       extension: .go
//       format_name: percent
//   kernelspec:
//     display_name: Go
//     language: go
//     name: gophernotes
// ---

// %% [markdown]
// # Word count
//
// Counts the words of a short text and ranks the most frequent ones.
// The `//go:build ignore` line keeps this scratch file out of `go build ./...`.

// %% tags=["parameters"]
text := "The cat sat on the mat and the dog sat on the log"
top := 3

// %%
// %env LC_ALL C
import (
	"fmt"
	"sort"
	"strings"
)

// %% Tokenize tags=["step:tokenize"]
words := strings.Fields(strings.ToLower(text))
fmt.Println("words:", len(words))

// %% [markdown]
// Rank by frequency; ties go alphabetically so that the output is stable.

// %% tags=["step:rank"]
counts := map[string]int{}
for _, w := range words {
	counts[w]++
}
ranked := make([]string, 0, len(counts))
for w := range counts {
	ranked = append(ranked, w)
}
sort.Slice(ranked, func(i, j int) bool {
	if counts[ranked[i]] != counts[ranked[j]] {
		return counts[ranked[i]] > counts[ranked[j]]
	}
	return ranked[i] < ranked[j]
})
for _, w := range ranked[:top] {
	fmt.Printf("%s %d\n", w, counts[w])
}
