package analysis

import (
	"go/types"
	"strings"
)

// Standard functions whose effect on their arguments is known.
//
// A call analysis cannot read is taken to change everything it is given
// (calls.go). These standard functions and methods are the common ones
// in notebooks whose documented effect is narrower: most change nothing
// they are given (fmt's printing, strings, math), some change one
// argument (sort.Ints, json.Unmarshal's target), and some return a value
// sharing an argument's memory (slices.Clone of a slice of slices,
// bytes.TrimSpace). A function left out is unknown, not harmless.

// stdCall is what a standard function does with its arguments.
type stdCall struct {
	changes     []int // arguments it may change, by index
	changesRecv bool  // whether it may change its receiver
	shares      bool  // whether its result may share an argument's memory
	// copies says the result holds copies of the arguments' elements: it
	// shares memory only through elements that hold references (a
	// slices.Clone of a [][]int, not of an []int).
	copies bool
}

var (
	readsOnly   = stdCall{}
	sharesArgs  = stdCall{shares: true}
	changesArg0 = stdCall{changes: []int{0}, shares: true}
	copiesArgs  = stdCall{shares: true, copies: true}
)

// stdFuncs are standard functions and methods by types.Func.FullName.
var stdFuncs = map[string]stdCall{
	"fmt.Print": readsOnly, "fmt.Printf": readsOnly, "fmt.Println": readsOnly,
	"fmt.Sprint": readsOnly, "fmt.Sprintf": readsOnly, "fmt.Sprintln": readsOnly,
	"fmt.Errorf": sharesArgs,
	"fmt.Fprint": changesArg0, "fmt.Fprintf": changesArg0, "fmt.Fprintln": changesArg0,

	"log.Print": readsOnly, "log.Printf": readsOnly, "log.Println": readsOnly,
	"log.Fatal": readsOnly, "log.Fatalf": readsOnly, "log.Fatalln": readsOnly,
	"log.Panic": readsOnly, "log.Panicf": readsOnly, "log.Panicln": readsOnly,

	"sort.Ints": changesArg0, "sort.Strings": changesArg0, "sort.Float64s": changesArg0,
	"sort.Slice": changesArg0, "sort.SliceStable": changesArg0, "sort.Sort": changesArg0, "sort.Stable": changesArg0,
	"sort.Search": readsOnly, "sort.Find": readsOnly,
	"sort.SearchInts": readsOnly, "sort.SearchFloat64s": readsOnly, "sort.SearchStrings": readsOnly,
	"sort.IsSorted": readsOnly, "sort.SliceIsSorted": readsOnly,
	"sort.IntsAreSorted": readsOnly, "sort.Float64sAreSorted": readsOnly, "sort.StringsAreSorted": readsOnly,
	"sort.Reverse": sharesArgs,

	"slices.Sort": changesArg0, "slices.SortFunc": changesArg0, "slices.SortStableFunc": changesArg0,
	"slices.Reverse": changesArg0, "slices.Insert": changesArg0, "slices.Delete": changesArg0,
	"slices.DeleteFunc": changesArg0, "slices.Compact": changesArg0, "slices.CompactFunc": changesArg0,
	"slices.Replace": changesArg0, "slices.Grow": changesArg0, "slices.Clip": changesArg0,
	"slices.Contains": readsOnly, "slices.ContainsFunc": readsOnly, "slices.Index": readsOnly,
	"slices.IndexFunc": readsOnly, "slices.Equal": readsOnly, "slices.EqualFunc": readsOnly,
	"slices.Compare": readsOnly, "slices.CompareFunc": readsOnly, "slices.Max": readsOnly,
	"slices.MaxFunc": readsOnly, "slices.Min": readsOnly, "slices.MinFunc": readsOnly,
	"slices.BinarySearch": readsOnly, "slices.BinarySearchFunc": readsOnly,
	"slices.IsSorted": readsOnly, "slices.IsSortedFunc": readsOnly,
	"slices.Clone": copiesArgs, "slices.Concat": copiesArgs, "slices.Repeat": copiesArgs,
	"slices.All": sharesArgs, "slices.Values": sharesArgs, "slices.Backward": sharesArgs,
	"slices.Collect": copiesArgs, "slices.Sorted": copiesArgs, "slices.SortedFunc": copiesArgs,
	"slices.SortedStableFunc": copiesArgs, "slices.Chunk": sharesArgs,

	"maps.Keys": sharesArgs, "maps.Values": sharesArgs, "maps.All": sharesArgs,
	"maps.Clone": copiesArgs, "maps.Collect": copiesArgs,
	"maps.Equal": readsOnly, "maps.EqualFunc": readsOnly,
	"maps.Copy": changesArg0, "maps.DeleteFunc": changesArg0, "maps.Insert": changesArg0,

	"errors.New": readsOnly, "errors.Is": readsOnly, "errors.Unwrap": sharesArgs,
	"errors.Join": sharesArgs, "errors.As": {changes: []int{1}},

	"encoding/json.Marshal": readsOnly, "encoding/json.MarshalIndent": readsOnly,
	"encoding/json.Valid": readsOnly, "encoding/json.Unmarshal": {changes: []int{1}},

	"os.Getenv": readsOnly, "os.LookupEnv": readsOnly, "os.Setenv": readsOnly,
	"os.ReadFile": readsOnly, "os.WriteFile": readsOnly, "os.Exit": readsOnly,
	"os.Stat": readsOnly, "os.Mkdir": readsOnly, "os.MkdirAll": readsOnly,
	"os.Remove": readsOnly, "os.RemoveAll": readsOnly, "os.Getwd": readsOnly,
	"os.ReadDir": readsOnly, "os.Hostname": readsOnly, "os.Environ": readsOnly,
	"os.Open": readsOnly, "os.Create": readsOnly,

	"io/fs.WalkDir": readsOnly, "io/fs.ReadFile": readsOnly, "io/fs.ReadDir": readsOnly,
	"io/fs.Stat": readsOnly, "io/fs.Glob": readsOnly, "io/fs.Sub": sharesArgs,

	"reflect.DeepEqual": readsOnly, "reflect.TypeOf": readsOnly,

	"unicode/utf8.EncodeRune": changesArg0,
	"math/rand.Read":          changesArg0,
	"math/rand.New":           sharesArgs,
	"math/rand/v2.New":        sharesArgs,

	"(*strings.Builder).String": readsOnly, "(*strings.Builder).Len": readsOnly, "(*strings.Builder).Cap": readsOnly,
	"(*bytes.Buffer).String": readsOnly, "(*bytes.Buffer).Len": readsOnly, "(*bytes.Buffer).Cap": readsOnly,
	"(*bytes.Buffer).Bytes":   sharesArgs,
	"(*time.Location).String": readsOnly,

	"(*regexp.Regexp).String": readsOnly, "(*regexp.Regexp).NumSubexp": readsOnly,
	"(*regexp.Regexp).SubexpNames": readsOnly, "(*regexp.Regexp).Match": readsOnly,
	"(*regexp.Regexp).MatchString": readsOnly, "(*regexp.Regexp).FindString": readsOnly,
	"(*regexp.Regexp).FindStringIndex": readsOnly, "(*regexp.Regexp).FindStringSubmatch": readsOnly,
	"(*regexp.Regexp).FindStringSubmatchIndex": readsOnly, "(*regexp.Regexp).FindAllString": readsOnly,
	"(*regexp.Regexp).FindAllStringIndex": readsOnly, "(*regexp.Regexp).FindAllStringSubmatch": readsOnly,
	"(*regexp.Regexp).FindAllStringSubmatchIndex": readsOnly, "(*regexp.Regexp).ReplaceAllString": readsOnly,
	"(*regexp.Regexp).ReplaceAllLiteralString": readsOnly, "(*regexp.Regexp).ReplaceAllStringFunc": readsOnly,
	"(*regexp.Regexp).Split": readsOnly,
}

// stdPackages are standard packages whose functions (not methods) not in
// stdFuncs change none of their arguments; bytes' return subslices of
// theirs.
var stdPackages = map[string]stdCall{
	"strings": readsOnly, "strconv": readsOnly, "math": readsOnly, "math/bits": readsOnly,
	"math/cmplx": readsOnly, "unicode": readsOnly, "unicode/utf8": readsOnly, "cmp": readsOnly,
	"time": readsOnly, "path": readsOnly, "path/filepath": readsOnly,
	"math/rand": readsOnly, "math/rand/v2": readsOnly, "regexp": readsOnly,
	"bytes": sharesArgs,
}

// stdValueMethods are standard packages whose types' methods with a value
// receiver change nothing they are given (time.Time.Format, Duration's).
var stdValueMethods = map[string]bool{"time": true}

// stdCallOf returns what the standard function or method fn does, if
// known. A function named Append… changes its first argument as append
// does (strconv.AppendInt, fmt.Appendf, utf8.AppendRune).
func stdCallOf(fn *types.Func) (stdCall, bool) {
	fn = fn.Origin()
	if fn.Pkg() == nil {
		return stdCall{}, false
	}
	if sc, ok := stdFuncs[fn.FullName()]; ok {
		return sc, true
	}
	sig := fn.Type().(*types.Signature)
	path := fn.Pkg().Path()
	if sig.Recv() != nil {
		_, ptr := types.Unalias(sig.Recv().Type()).(*types.Pointer)
		return readsOnly, !ptr && stdValueMethods[path]
	}
	sc, ok := stdPackages[path]
	if ok && strings.HasPrefix(fn.Name(), "Append") {
		return changesArg0, true
	}
	return sc, ok
}
