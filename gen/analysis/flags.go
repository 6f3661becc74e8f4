package analysis

// Flags handed to main: a GoNB notebook defines flags with the flag
// package and each cell passes its own values (`%% --steps=800`,
// `%args`, `%main f -x=3`, `%exec FUNC -x=3`). Every such flag becomes a
// pipeline-wide param (--steps), and every step that reads it a param of
// its own (--train.steps) whose default is the value its cell passed, so
// the default run is the notebook's run. See docs/decisions.md.

import (
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/constant"
	"go/types"
	"io"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/zengen-dev/zengen/gen/ir"
	"github.com/zengen-dev/zengen/parser"
)

// notebookFlag is one flag the notebook defines.
type notebookFlag struct {
	name  string // as given to the flag package
	kind  string // the defining function without Var: "Int", "Duration", …
	param *ir.Param
	pos   ir.Pos
}

// flagKinds are the flag functions whose flags can be params, with the Go
// type of their value.
var flagKinds = map[string]string{
	"Bool": "bool", "Int": "int", "Int64": "int64", "Uint": "uint", "Uint64": "uint64",
	"String": "string", "Float64": "float64", "Duration": "time.Duration",
}

// flagCall returns the name of the flag package function a call calls
// ("Int", "IntVar", "Parse"), or "".
func (a *analysis) flagCall(call *ast.CallExpr) string {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	fn, ok := a.chk.info.Uses[sel.Sel].(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "flag" || fn.Signature().Recv() != nil {
		return ""
	}
	return fn.Name()
}

// findFlags makes a param of every flag the notebook defines, at package
// level, with `var x = flag.Int("x", 0, "…")` or `flag.IntVar(&x, …)` in
// an init function, and rewrites flag.Parse, which would parse the
// generated command's own arguments (in every dialect: no kernel passes
// a REPL cell arguments either). Flags defined any other way are refused
// in GoNB: zengen could not give a step the value its cell passed.
func (a *analysis) findFlags() {
	a.df.flags = map[types.Object]*notebookFlag{}
	a.df.flagsByName = map[string]*notebookFlag{}
	gonb := a.nb.Dialect == parser.DialectGoNB
	defined := map[*ast.CallExpr]bool{}
	kept := map[*item]bool{}
	for _, it := range a.packageDecls() {
		kept[it] = true
		if !gonb {
			continue
		}
		switch n := it.node.(type) {
		case *ast.GenDecl:
			for _, spec := range n.Specs {
				vs, ok := spec.(*ast.ValueSpec)
				if !ok || len(vs.Values) != len(vs.Names) {
					continue
				}
				for i, v := range vs.Values {
					call, ok := v.(*ast.CallExpr)
					if !ok || flagKinds[a.flagCall(call)] == "" {
						continue
					}
					defined[call] = true
					a.defineFlag(call, a.flagCall(call), a.chk.info.Defs[vs.Names[i]], call.Args)
				}
			}
		case *ast.FuncDecl:
			if n.Recv != nil || n.Name.Name != "init" || n.Body == nil {
				continue
			}
			for _, st := range n.Body.List {
				es, ok := st.(*ast.ExprStmt)
				if !ok {
					continue
				}
				call, _ := ast.Unparen(es.X).(*ast.CallExpr)
				if call == nil || len(call.Args) != 4 {
					continue
				}
				kind, isVar := strings.CutSuffix(a.flagCall(call), "Var")
				u, _ := call.Args[0].(*ast.UnaryExpr)
				if !isVar || flagKinds[kind] == "" || u == nil {
					continue
				}
				id, _ := u.X.(*ast.Ident)
				if id == nil {
					continue
				}
				if obj, ok := a.chk.info.Uses[id].(*types.Var); ok && obj.Parent() == a.chk.pkg.Scope() {
					defined[call] = true
					a.defineFlag(call, kind, obj, call.Args[1:])
				}
			}
		}
	}
	for _, it := range a.items {
		// A declaration a later one replaced (GoNB keeps the last) is
		// not in the program.
		if it.node == nil || it.kind == itemDecl && !kept[it] {
			continue
		}
		ast.Inspect(it.node.(ast.Node), func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			switch name := a.flagCall(call); {
			case name == "Parse":
				a.editAt(call.Fun.Pos(), call.Fun.End(), "zg_flagParse")
			case defined[call] || !gonb:
			case flagKinds[name] != "" || flagKinds[strings.TrimSuffix(name, "Var")] != "" ||
				name == "Var" || name == "Func" || name == "BoolFunc" || name == "TextVar":
				a.errs.Add(a.posOf(call.Pos()), "flag.%s here defines a flag that zengen cannot make a param", name).Hint =
					"define it at package level, `var x = flag.Int(\"x\", 0, \"…\")`, or with flag.IntVar(&x, …) in func init; flags of the types Bool, Int, Int64, Uint, Uint64, String, Float64 and Duration become params"
			}
			return true
		})
	}
}

// defineFlag records a flag defined by call, whose value obj holds (a
// pointer to it for flag.Int, the variable itself for flag.IntVar); args
// are the name, default and usage.
func (a *analysis) defineFlag(call *ast.CallExpr, kind string, obj types.Object, args []ast.Expr) {
	pos := a.posOf(call.Pos())
	if obj == nil || len(args) != 3 {
		return
	}
	name, ok := a.constString(args[0])
	switch {
	case !ok:
		a.errs.Add(a.posOf(args[0].Pos()), "the flag's name must be a constant string to make it a param")
		return
	case !flagNameOK(name):
		a.errs.Add(a.posOf(args[0].Pos()), "flag %q cannot be a param: its name must start with a letter and hold only letters, digits, _ and -", name)
		return
	case a.df.flagsByName[name] != nil:
		a.errs.Add(pos, "flag %s is defined twice (also at %s)", name, a.df.flagsByName[name].pos)
		return
	}
	tv := a.chk.info.Types[args[1]]
	def, ok := "", tv.Value != nil
	if ok {
		def, ok = constDefault(kind, tv.Value)
	}
	if !ok {
		a.errs.Add(a.posOf(args[1].Pos()), "flag %s needs a constant default to be a param, not %s", name, a.source(args[1]))
		return
	}
	usage, _ := a.constString(args[2])
	f := &notebookFlag{name: name, kind: kind, pos: pos, param: &ir.Param{
		Name: name, Field: camel(name), Flag: name, Type: flagKinds[kind], Default: def,
		Doc: strings.Join(strings.Fields(usage), " "), NotebookFlag: name, Pos: pos,
	}}
	a.df.flags[obj] = f
	a.df.flagsByName[name] = f
	a.p.Params = append(a.p.Params, f.param)
}

func (a *analysis) constString(e ast.Expr) (string, bool) {
	tv := a.chk.info.Types[e]
	if tv.Value == nil || tv.Value.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(tv.Value), true
}

// flagNameOK reports a flag name the generated command can take as is.
func flagNameOK(name string) bool {
	if name == "" || !('a' <= name[0] && name[0] <= 'z' || 'A' <= name[0] && name[0] <= 'Z') {
		return false
	}
	for i := 1; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// constDefault spells a constant default of a flag of kind as the Go
// expression of its param's default.
func constDefault(kind string, v constant.Value) (string, bool) {
	switch kind {
	case "Bool":
		return v.String(), v.Kind() == constant.Bool
	case "String":
		if v.Kind() != constant.String {
			return "", false
		}
		return strconv.Quote(constant.StringVal(v)), true
	case "Float64":
		f, _ := constant.Float64Val(constant.ToFloat(v))
		return floatLiteral(f)
	case "Duration":
		ns, ok := constant.Int64Val(constant.ToInt(v))
		return durationText(time.Duration(ns)), ok
	default:
		i := constant.ToInt(v)
		if i.Kind() != constant.Int {
			return "", false
		}
		return i.ExactString(), true
	}
}

// durationText spells d in the largest unit that divides it, as Go:
// "250 * time.Millisecond".
func durationText(d time.Duration) string {
	for _, u := range []struct {
		unit time.Duration
		name string
	}{{time.Hour, "Hour"}, {time.Minute, "Minute"}, {time.Second, "Second"},
		{time.Millisecond, "Millisecond"}, {time.Microsecond, "Microsecond"}} {
		if d != 0 && d%u.unit == 0 {
			return strconv.FormatInt(int64(d/u.unit), 10) + " * time." + u.name
		}
	}
	return strconv.FormatInt(int64(d), 10)
}

func floatLiteral(f float64) (string, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "", false
	}
	return strconv.FormatFloat(f, 'g', -1, 64), true
}

// readFlag records that step sb reads the flag whose value obj holds.
func (a *analysis) readFlag(sb *stepBuild, obj types.Object) {
	if f := a.df.flags[obj]; f != nil && !slices.Contains(sb.flags, f) {
		sb.flags = append(sb.flags, f)
	}
}

// flagParams gives every step that reads a flag its own param, with the
// value its cells pass, and checks the arguments every cell passes: a
// flag the notebook does not define, a positional argument or a value the
// flag refuses fails the cell in GoNB, and would here be silently lost.
func (a *analysis) flagParams() {
	passed := map[*parser.Cell]map[string]string{}
	for _, c := range a.nb.Cells {
		if c.Kind != parser.Code || a.roles[c] == roleSkip {
			continue
		}
		if m := programArgs(c); m != nil {
			passed[c] = a.parseFlagArgs(m)
		}
	}
	builds := map[*ir.Step]*stepBuild{}
	for _, sb := range a.allSteps() {
		builds[sb.step] = sb
	}
	for _, s := range a.p.Steps {
		sb := builds[s]
		if sb == nil || len(sb.flags) == 0 {
			continue
		}
		cells := sb.cells
		if sb.callItem != nil {
			cells = []*parser.Cell{sb.callItem.cell}
		}
		sort.Slice(sb.flags, func(i, j int) bool { return sb.flags[i].name < sb.flags[j].name })
		for _, f := range sb.flags {
			value, from := "", (*parser.Cell)(nil)
			for _, c := range cells {
				v, ok := passed[c][f.name]
				switch {
				case !ok:
				case from != nil && v != value:
					a.errs.Add(a.nb.Pos(c, 1, 1), "step %s passes --%s=%s here and --%s=%s in cell %d: one step runs with one value", sb.step.Name, f.name, v, f.name, value, a.cellNumber(from)).Hint =
						"split the cells into steps of their own"
				default:
					value, from = v, c
				}
			}
			p := &ir.Param{
				Name: sb.step.Name + "." + f.name, Field: camel(sb.step.Name) + "_" + f.param.Field,
				Type: f.param.Type, Default: f.param.Default, NotebookFlag: f.name, Step: sb.step.Name, Pos: f.pos,
			}
			p.Flag = p.Name
			p.Doc = fmt.Sprintf("--%s for step %s alone", f.name, sb.step.Name)
			if from != nil {
				p.Default = a.flagValue(f, value)
				p.Doc += ", as its cell passes it"
			}
			a.p.Params = append(a.p.Params, p)
			sb.step.Flags = append(sb.step.Flags, p.Name)
		}
	}
}

// programArgs returns the magic that sets the arguments a GoNB cell runs
// with: the last of its %%, %main, %args and %exec lines, as each replaces
// the arguments before it. Nil when the cell passes none. (%test's are
// the test binary's flags; a %test cell is no step.)
func programArgs(c *parser.Cell) *parser.Magic {
	var last *parser.Magic
	for i, m := range c.Magics {
		switch m.Kind {
		case parser.MagicMain, parser.MagicArgs, parser.MagicExec:
			last = &c.Magics[i]
		}
	}
	if last == nil || len(flagArgs(last)) == 0 {
		return nil
	}
	return last
}

// flagArgs are the program arguments of a magic: %exec's first argument is
// the function it calls, and %main's may be too (`%main f -x=3`).
func flagArgs(m *parser.Magic) []string {
	args := m.Args
	if m.Kind == parser.MagicExec && len(args) > 0 {
		args = args[1:]
	}
	return args
}

// parseFlagArgs parses the arguments of m as the cell's program did, with
// the flag package and every flag the notebook defines, and returns the
// text of each flag it sets.
func (a *analysis) parseFlagArgs(m *parser.Magic) map[string]string {
	fs := flag.NewFlagSet("cell", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	set := map[string]string{}
	for name, f := range a.df.flagsByName {
		if f.kind == "Bool" {
			fs.Var(boolText{set, name}, name, "")
		} else {
			fs.Func(name, "", func(s string) error { set[name] = s; return nil })
		}
	}
	text := strings.TrimSpace(m.Text)
	if err := fs.Parse(flagArgs(m)); err != nil {
		a.errs.Add(m.Pos, "`%s`: %v", text, err).Hint = a.flagsHint()
		return nil
	}
	if fs.NArg() > 0 && a.readsProgramArgs() {
		e := a.errs.Add(m.Pos, "`%s` passes %s, which is no flag: flag.Parse stops there and leaves the rest to flag.Args, which a pipeline step has no command line for", text, fs.Arg(0))
		e.Hint = "pass only flags; " + a.flagsHint()
		if fn, ok := a.chk.pkg.Scope().Lookup(fs.Arg(0)).(*types.Func); ok && m.Kind == parser.MagicMain {
			e.Hint = fmt.Sprintf("to run %s as main with these flags, write %%exec %s", fn.Name(), strings.Join(fs.Args(), " "))
		}
		return nil
	}
	for _, name := range slices.Sorted(maps.Keys(set)) {
		if _, err := a.flagValueOK(a.df.flagsByName[name], set[name]); err != nil {
			a.errs.Add(m.Pos, "`%s`: invalid value %q for flag -%s: %v", text, set[name], name, err)
			delete(set, name)
		}
	}
	return set
}

// readsProgramArgs reports whether the notebook's code reads what
// flag.Parse leaves of the program's arguments (flag.Args, flag.Arg,
// flag.NArg, a FlagSet's, or os.Args). When nothing does, a cell's
// arguments after the first that is no flag change nothing: flag.Parse
// stops there and leaves them unread, as the step does.
func (a *analysis) readsProgramArgs() bool {
	for id, obj := range a.chk.info.Uses {
		if obj.Pkg() == nil {
			continue
		}
		switch path := obj.Pkg().Path(); {
		case path == "os" && id.Name == "Args":
			return true
		case path == "flag" && (id.Name == "Args" || id.Name == "Arg" || id.Name == "NArg" || id.Name == "CommandLine"):
			return true
		}
	}
	return false
}

// flagsHint names the notebook's flags.
func (a *analysis) flagsHint() string {
	var names []string
	for name := range a.df.flagsByName {
		names = append(names, "--"+name)
	}
	if len(names) == 0 {
		return "the notebook defines no flag at package level (var x = flag.Int(\"x\", 0, \"…\"))"
	}
	sort.Strings(names)
	return "the notebook's flags are " + strings.Join(names, ", ")
}

// boolText records a boolean flag's text, "true" when given bare as the
// flag package allows (-v).
type boolText struct {
	set  map[string]string
	name string
}

func (b boolText) String() string     { return "" }
func (b boolText) IsBoolFlag() bool   { return true }
func (b boolText) Set(s string) error { b.set[b.name] = s; return nil }

// flagValue is the Go expression of the value the flag f takes from text,
// which parseFlagArgs checked.
func (a *analysis) flagValue(f *notebookFlag, text string) string {
	v, _ := a.flagValueOK(f, text)
	return v
}

// errNotFinite refuses a float flag's NaN or ±Inf, which a param's Go
// default cannot spell.
var errNotFinite = errors.New("NaN and infinities cannot be a param's default")

// flagValueOK parses text as the flag package parses a flag of f's kind,
// and returns the value as Go, or the flag's error.
func (a *analysis) flagValueOK(f *notebookFlag, text string) (string, error) {
	fs := flag.NewFlagSet("value", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var out string
	var err error
	switch f.kind {
	case "Bool":
		var b bool
		fs.BoolVar(&b, "v", false, "")
		err = fs.Set("v", text)
		out = strconv.FormatBool(b)
	case "Int", "Int64":
		var i int64
		fs.Int64Var(&i, "v", 0, "")
		err = fs.Set("v", text)
		out = strconv.FormatInt(i, 10)
		if f.kind == "Int" && strconv.IntSize == 32 && (i > math.MaxInt32 || i < math.MinInt32) {
			err = strconv.ErrRange
		}
	case "Uint", "Uint64":
		var u uint64
		fs.Uint64Var(&u, "v", 0, "")
		err = fs.Set("v", text)
		out = strconv.FormatUint(u, 10)
	case "Float64":
		var x float64
		fs.Float64Var(&x, "v", 0, "")
		if err = fs.Set("v", text); err == nil {
			var ok bool
			if out, ok = floatLiteral(x); !ok {
				return "", errNotFinite
			}
		}
	case "Duration":
		var d time.Duration
		fs.DurationVar(&d, "v", 0, "")
		err = fs.Set("v", text)
		out = durationText(d)
	default:
		out = strconv.Quote(text)
	}
	return out, err
}
