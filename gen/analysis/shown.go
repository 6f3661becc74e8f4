package analysis

// What the REPL kernels show of a cell's last expression.
//
// gophernotes and lgo show the values of a cell's last statement when it
// is an expression (`x`, `len(rows)`, `f()` with results), and a step
// shows them in its output the same way:
//
//   - gophernotes (gomacro) records them as the cell's execute_result: the
//     values formatted with fmt.Fprint each, joined by spaces, nothing at
//     all when every value is nil. Other expression statements of the
//     cell are evaluated and discarded, so `x` alone on a line compiles
//     as `_ = x`. gomacro's types have no methods that fmt can see, so a
//     value whose String, Error, Format or GoString method fmt would call
//     is refused: compiled Go would print something else.
//   - lgo prints each value on its own line with fmt.Println, into the
//     cell's stdout. Its last statement is the last one that is not a
//     declaration; other expression statements are compile errors there
//     and stay so.
//
// A last statement that calls fmt.Print, Printf or Println shows nothing:
// both kernels show that call's byte count and error ("12 <nil>"), which
// the notebook's code never meant to print, and the parity test leaves
// them out of the recording. Other kernels and scripts without a kernel
// keep Go's rule: an unused expression is an error.

import (
	"go/ast"
	"go/token"
	"go/types"
	"regexp"
	"strings"

	"github.com/zengen-dev/zengen/parser"
)

// showStyle is how a kernel shows a cell's last expression.
type showStyle int

const (
	showNone        showStyle = iota // not a REPL kernel that shows values
	showGophernotes                  // execute_result, values joined by spaces
	showLgo                          // stdout, one value per line
)

// showHelper names the generated function that shows values in a style;
// gen/emit declares it when a step calls it.
var showHelper = map[showStyle]string{showGophernotes: "zg_showValues", showLgo: "zg_showLines"}

// cellShows is what the cells of a notebook show and hide.
type cellShows struct {
	style showStyle
	// allowed are the positions of expression statements whose value is
	// shown or dropped: go/types calls them unused, the kernel did not.
	allowed map[token.Pos]bool
	// values are the cells whose last expression shows its values.
	values map[*parser.Cell]bool
	// printResults are the cells whose last statement is a fmt print
	// call, whose results the kernel showed and the step does not.
	printResults map[*parser.Cell]bool
}

// showStyleOf says how the notebook's kernel shows values.
func (a *analysis) showStyleOf() showStyle {
	if a.nb.Dialect != parser.DialectREPL {
		return showNone
	}
	kernel := strings.ToLower(strings.TrimSpace(a.nb.Kernel))
	switch {
	case strings.HasPrefix(kernel, "gophernotes"):
		return showGophernotes
	case strings.HasPrefix(kernel, "lgo"):
		return showLgo
	}
	return showNone
}

// findShows decides, for every cell of a cell step, what its expression
// statements show, and rewrites them so that the step shows the same:
// the last one's values go to the step's stdout through the style's
// helper, the others of a gophernotes cell are assigned to _. errs are
// the type errors of the check, which say which expressions are unused.
func (a *analysis) findShows(errs []types.Error) {
	style := a.showStyleOf()
	shows := &cellShows{style: style, allowed: map[token.Pos]bool{}, values: map[*parser.Cell]bool{}, printResults: map[*parser.Cell]bool{}}
	a.chk.shows = shows
	if style == showNone {
		return
	}
	unused := map[token.Pos]bool{}
	for _, e := range errs {
		if strings.HasSuffix(e.Msg, " is not used") {
			unused[e.Pos] = true
		}
	}
	for _, sb := range a.cellSteps {
		for _, c := range sb.cells {
			var stmts []*item
			var last *item
			for _, it := range a.cellItems[c] {
				if it.kind == itemStmt {
					stmts = append(stmts, it)
				}
				if it.kind == itemStmt || style == showGophernotes {
					last = it
				}
			}
			for _, it := range stmts {
				es, ok := it.node.(*ast.ExprStmt)
				if !ok {
					continue
				}
				switch {
				case it == last:
					a.showLast(shows, style, c, es, unused[es.X.Pos()])
				case style == showGophernotes && unused[es.X.Pos()]:
					shows.allowed[es.X.Pos()] = true
					a.editAt(es.X.Pos(), es.X.Pos(), "_ = ")
				}
			}
		}
	}
}

// showLast makes the step show the values of a cell's last expression
// statement as the kernel did. unused says that go/types found the
// expression unused (it is no call of a function with results).
func (a *analysis) showLast(shows *cellShows, style showStyle, c *parser.Cell, es *ast.ExprStmt, unused bool) {
	info := a.chk.info
	tv, ok := info.Types[es.X]
	if !ok || tv.IsVoid() {
		return
	}
	if isDisplayData(tv.Type) {
		// gophernotes showed it as rich output: the step displays it
		// (showLastDisplays).
		shows.allowed[es.X.Pos()] = true
		return
	}
	if call, ok := es.X.(*ast.CallExpr); ok && !unused {
		if pkg, sel := pkgSelector(info, call.Fun); pkg == "fmt" && fmtPrints[sel.Sel.Name] != "" {
			shows.printResults[c] = true
			return
		}
	}
	if style == showGophernotes {
		if why := a.unshowable(tv.Type); why != "" {
			a.errs.Add(a.posOf(es.X.Pos()), "zengen cannot show this value as gophernotes did: %s", why).Hint =
				"gophernotes' interpreter formats the value without calling its methods; print what the cell should show, or assign the value to _"
			shows.allowed[es.X.Pos()] = true
			return
		}
	}
	shows.allowed[es.X.Pos()] = true
	shows.values[c] = true
	a.editAt(es.X.Pos(), es.X.Pos(), showHelper[style]+"(zg_out)(")
	a.editAt(es.X.End(), es.X.End(), ")")
}

// fmtMethods are the methods through which fmt formats a value itself.
var fmtMethods = []string{"String", "Error", "Format", "GoString"}

// unshowable says why gophernotes would show a value of type t otherwise
// than fmt does in compiled Go, "" when it would not. gomacro gives the
// notebook's types no methods that fmt can find, so any such type that
// fmt may meet while formatting the value (itself, its fields, elements
// and pointees, or the dynamic value of an interface) prints differently.
func (a *analysis) unshowable(t types.Type) string {
	var withMethods []string
	scope := a.chk.pkg.Scope()
	for _, name := range scope.Names() {
		if tn, ok := scope.Lookup(name).(*types.TypeName); ok {
			if m := fmtMethod(tn.Type()); m != "" {
				withMethods = append(withMethods, tn.Name()+" has "+methodNoun(m))
			}
		}
	}
	seen := map[types.Type]bool{}
	var walk func(t types.Type) string
	walk = func(t types.Type) string {
		if seen[t] {
			return ""
		}
		seen[t] = true
		if tup, ok := t.(*types.Tuple); ok {
			for i := range tup.Len() {
				if why := walk(tup.At(i).Type()); why != "" {
					return why
				}
			}
			return ""
		}
		if n, ok := types.Unalias(t).(*types.Named); ok {
			if m := fmtMethod(n); m != "" {
				if n.Obj().Pkg() == a.chk.pkg {
					return "its type " + n.Obj().Name() + " has " + methodNoun(m)
				}
				return "" // compiled code: gomacro calls its methods too
			}
		}
		switch u := t.Underlying().(type) {
		case *types.Interface:
			if len(withMethods) > 0 {
				return "it is an interface, and the notebook's type " + withMethods[0]
			}
		case *types.Pointer:
			return walk(u.Elem())
		case *types.Slice:
			return walk(u.Elem())
		case *types.Array:
			return walk(u.Elem())
		case *types.Map:
			if why := walk(u.Key()); why != "" {
				return why
			}
			return walk(u.Elem())
		case *types.Chan:
			return ""
		case *types.Struct:
			for i := range u.NumFields() {
				if why := walk(u.Field(i).Type()); why != "" {
					return why
				}
			}
		}
		return ""
	}
	return walk(t)
}

// fmtMethod returns the first of fmt's methods that a value of type t or
// *t has, declared or promoted, "" if none.
func fmtMethod(t types.Type) string {
	if _, ok := t.Underlying().(*types.Interface); ok {
		return ""
	}
	for _, typ := range []types.Type{t, types.NewPointer(t)} {
		ms := types.NewMethodSet(typ)
		for _, name := range fmtMethods {
			for i := range ms.Len() {
				if ms.At(i).Obj().Name() == name {
					return name
				}
			}
		}
	}
	return ""
}

// shows is what the notebook's cells show, nil before type checking.
func (a *analysis) shows() *cellShows {
	if a.program == nil || a.chk == nil {
		return nil
	}
	return a.chk.shows
}

// hidesPrintResults reports whether cell c ends in a fmt print call whose
// results the kernel showed and the step does not.
func (s *cellShows) hidesPrintResults(c *parser.Cell) bool {
	return s != nil && s.printResults[c]
}

// resultText is a recorded execute_result as the step prints it: the
// kernel shows a cell's values as a block of their own, the step ends
// them with a newline (after one of their own, too: a string "a\n"
// shows as "a\n\n").
func (s *cellShows) resultText(c *parser.Cell, text string) string {
	if s != nil && s.values[c] && text != "" {
		return text + "\n"
	}
	return text
}

// lgoPrintResults is how lgo prints the results of a trailing fmt print
// call into the cell's stdout: the byte count and the nil error, a line
// each.
var lgoPrintResults = regexp.MustCompile(`[0-9]+\n<nil>\n`)

// withoutPrintResults removes from an lgo cell's recorded stdout the
// results of its trailing print call, which the step does not print. They
// are the last such lines: only deferred calls and goroutines print
// after them.
func (s *cellShows) withoutPrintResults(c *parser.Cell, text string) string {
	if s == nil || s.style != showLgo || !s.printResults[c] {
		return text
	}
	found := lgoPrintResults.FindAllStringIndex(text, -1)
	if len(found) == 0 {
		return text
	}
	last := found[len(found)-1]
	return text[:last[0]] + text[last[1]:]
}

// methodNoun is "a String method", "an Error method".
func methodNoun(name string) string {
	if name == "Error" {
		return "an Error method"
	}
	return "a " + name + " method"
}
