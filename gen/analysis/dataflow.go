package analysis

import (
	"fmt"
	"github.com/zengen-dev/zengen/gen/ir"
	"go/ast"
	goparser "go/parser"
	"go/token"
	"go/types"
	"sort"
	"strings"
)

// replVar is one variable defined by a top-level statement: a value the
// kernel keeps between cells.
type replVar struct {
	v      *types.Var
	name   string // as in the notebook
	goName string // unique identifier after REPL renames
	def    *item
	defPos ir.Pos
}

// dataflow holds what renames and dataflow know about variables.
type dataflow struct {
	vars   map[*types.Var]*replVar
	list   []*replVar
	uses   map[types.Object][]*ast.Ident
	params map[types.Object]*ir.Param
}

// renameVars gives each REPL-top-level variable a unique Go identifier:
// the first keeps its name, later redeclarations become name_2, name_3 …
// (skipping identifiers the notebook uses), so that step bodies joined
// into one function still compile.
func (a *analysis) renameVars() {
	info := a.chk.info
	df := &dataflow{vars: map[*types.Var]*replVar{}, uses: map[types.Object][]*ast.Ident{}, params: map[types.Object]*ir.Param{}}
	a.df = df
	identsInUse := map[string]bool{}
	for id, obj := range info.Uses {
		df.uses[obj] = append(df.uses[obj], id)
		identsInUse[id.Name] = true
	}
	for id := range info.Defs {
		identsInUse[id.Name] = true
	}
	for _, ids := range df.uses {
		sort.Slice(ids, func(i, j int) bool { return ids[i].Pos() < ids[j].Pos() })
	}
	count := map[string]int{}
	for _, it := range a.chk.topStmts {
		for _, id := range definedIdents(it.node) {
			v, ok := info.Defs[id].(*types.Var)
			if !ok || id.Name == "_" {
				continue
			}
			rv := &replVar{v: v, name: id.Name, goName: id.Name, def: it, defPos: a.posOf(id.Pos())}
			count[id.Name]++
			if count[id.Name] > 1 {
				for n := count[id.Name]; ; n++ {
					candidate := fmt.Sprintf("%s_%d", id.Name, n)
					if !identsInUse[candidate] {
						rv.goName = candidate
						identsInUse[candidate] = true
						count[id.Name] = n
						break
					}
				}
				a.renameObject(v, id, rv.goName)
			}
			df.vars[v] = rv
			df.list = append(df.list, rv)
		}
	}
	a.markUnused()
}

// renameObject rewrites the definition and every use of obj.
func (a *analysis) renameObject(obj types.Object, def *ast.Ident, to string) {
	for _, id := range append([]*ast.Ident{def}, a.df.uses[obj]...) {
		a.editAt(id.Pos(), id.End(), to)
	}
}

// editAt records a text edit of the synthetic range [pos, end).
func (a *analysis) editAt(pos, end token.Pos, text string) {
	off := a.offset(pos)
	_, it, ok := a.locate(off)
	if !ok || it == nil {
		return
	}
	rel := it.textOffset(off - it.synStart)
	it.edits = append(it.edits, edit{rel, it.textOffset(a.offset(end) - it.synStart), text})
}

// posOf returns the notebook position of a synthetic position.
func (a *analysis) posOf(p token.Pos) ir.Pos {
	pos, _, _ := a.locate(a.offset(p))
	return pos
}

// definedIdents returns the identifiers a top-level statement declares.
func definedIdents(node any) []*ast.Ident {
	var ids []*ast.Ident
	switch s := node.(type) {
	case *ast.AssignStmt:
		if s.Tok == token.DEFINE {
			for _, l := range s.Lhs {
				if id, ok := l.(*ast.Ident); ok {
					ids = append(ids, id)
				}
			}
		}
	case *ast.DeclStmt:
		if gd, ok := s.Decl.(*ast.GenDecl); ok {
			for _, spec := range gd.Specs {
				if vs, ok := spec.(*ast.ValueSpec); ok {
					ids = append(ids, vs.Names...)
				}
			}
		}
	}
	return ids
}

// markUnused makes unused variables compile: top-level ones through
// Step.Unused, nested ones with an `_ = x` edit after their declaration.
func (a *analysis) markUnused() {
	for _, rv := range a.df.list {
		if a.chk.unused[rv.v] && rv.def.step != nil {
			rv.def.step.step.Unused = append(rv.def.step.step.Unused, rv.goName)
		}
	}
	for _, it := range a.items {
		if it.node == nil {
			continue
		}
		ast.Inspect(it.node.(ast.Node), func(n ast.Node) bool {
			var list []ast.Stmt
			switch n := n.(type) {
			case *ast.BlockStmt:
				list = n.List
			case *ast.CaseClause:
				list = n.Body
			case *ast.CommClause:
				list = n.Body
				// case v := <-ch: v lives in the clause's body.
				a.useInBody(definedIdents(n.Comm), n.Colon+1, "")
			case *ast.RangeStmt:
				if n.Tok == token.DEFINE {
					var ids []*ast.Ident
					for _, e := range []ast.Expr{n.Key, n.Value} {
						if id, ok := e.(*ast.Ident); ok {
							ids = append(ids, id)
						}
					}
					a.useInBody(ids, n.Body.Lbrace+1, "")
				}
			case *ast.IfStmt:
				a.useInBody(definedIdents(n.Init), n.Body.Lbrace+1, "")
			case *ast.ForStmt:
				a.useInBody(definedIdents(n.Init), n.Body.Lbrace+1, "")
			case *ast.SwitchStmt:
				a.useInClauses(definedIdents(n.Init), n.Body)
			case *ast.TypeSwitchStmt:
				ids := definedIdents(n.Init)
				if as, ok := n.Assign.(*ast.AssignStmt); ok {
					// The x of switch x := v.(type) is declared anew in
					// each clause; using it in one of them is enough.
					ids = append(ids, definedIdents(as)...)
				}
				a.useInClauses(ids, n.Body)
			}
			for _, s := range list {
				for _, id := range definedIdents(s) {
					if v, ok := a.chk.info.Defs[id].(*types.Var); ok && a.chk.unused[v] && a.df.vars[v] == nil {
						a.editAt(s.End(), s.End(), "; _ = "+id.Name)
					}
				}
			}
			return true
		})
	}
}

// isUnused reports whether go/types found the variable declared by id
// unused. The symbolic variable of a type switch has no object of its own,
// so it is known by position.
func (a *analysis) isUnused(id *ast.Ident) bool {
	if v, ok := a.chk.info.Defs[id].(*types.Var); ok && a.chk.unused[v] {
		return true
	}
	return a.chk.unusedAt[id.Pos()]
}

// useInBody inserts `_ = x;` at pos, the start of the block where the unused
// variables among ids are in scope; prefix goes before the first one.
func (a *analysis) useInBody(ids []*ast.Ident, pos token.Pos, prefix string) {
	var b strings.Builder
	for _, id := range ids {
		if id.Name != "_" && a.isUnused(id) {
			b.WriteString(" _ = " + id.Name + ";")
		}
	}
	if b.Len() > 0 {
		a.editAt(pos, pos, prefix+b.String())
	}
}

// useInClauses makes the unused variables of a switch header used in its
// first clause, or in a default clause added to a switch without clauses.
func (a *analysis) useInClauses(ids []*ast.Ident, body *ast.BlockStmt) {
	if len(body.List) == 0 {
		a.useInBody(ids, body.Lbrace+1, " default:")
		return
	}
	if cc, ok := body.List[0].(*ast.CaseClause); ok {
		a.useInBody(ids, cc.Colon+1, "")
	}
}

// stepOf returns the step an item belongs to, nil outside steps.
func (a *analysis) stepOf(it *item) *stepBuild {
	if it == nil {
		return nil
	}
	return it.step
}

// findParams turns the parameters cell into typed Params.
func (a *analysis) findParams() {
	c := a.paramsCell
	if c == nil {
		return
	}
	info := a.chk.info
	for _, it := range a.cellItems[c] {
		var names []*ast.Ident
		var values []ast.Expr
		var docs map[string]string
		switch n := it.node.(type) {
		case *ast.AssignStmt:
			if n.Tok != token.DEFINE {
				a.errs.Add(a.itemPos(it, 0), "the parameters cell holds only definitions with literal defaults")
				continue
			}
			for _, l := range n.Lhs {
				id, _ := l.(*ast.Ident)
				names = append(names, id)
			}
			values = n.Rhs
		case *ast.DeclStmt:
			names, values, _ = valueSpecs(n.Decl)
			docs = specDocs(leadingComments(it) + it.text)
		case *ast.GenDecl:
			if n.Tok == token.IMPORT || n.Tok == token.TYPE {
				continue
			}
			names, values, _ = valueSpecs(n)
			docs = specDocs(leadingComments(it) + it.text)
		case *ast.FuncDecl:
			continue
		default:
			a.errs.Add(a.itemPos(it, 0), "the parameters cell holds only definitions with literal defaults")
			continue
		}
		for i, id := range names {
			if id == nil || id.Name == "_" {
				continue
			}
			obj := info.Defs[id]
			if obj == nil {
				continue
			}
			p := &ir.Param{Name: id.Name, Field: camel(id.Name), Flag: kebab(id.Name), Pos: a.posOf(id.Pos())}
			p.Doc = docs[id.Name]
			p.Type = a.typeString(types.Default(obj.Type()))
			_, isVar := obj.(*types.Var)
			p.Global = isVar && obj.Parent() == a.chk.pkg.Scope()
			// An invalid parameter is still a parameter: reporting the steps
			// that read it would only repeat the problem.
			a.df.params[obj] = p
			switch {
			case len(values) == len(names):
				if tv := info.Types[values[i]]; tv.Value == nil {
					a.errs.Add(a.posOf(values[i].Pos()), "parameter %s needs a literal default, not %s", id.Name, a.source(values[i])).Hint =
						"compute derived values in a step; parameters become command-line flags"
					continue
				}
				p.Default = a.source(values[i])
			case len(values) == 0:
				p.Default = zeroValue(obj.Type())
			default:
				a.errs.Add(a.posOf(id.Pos()), "parameter %s needs a literal default", id.Name)
				continue
			}
			if rv := a.df.vars[asVar(obj)]; rv != nil {
				rv.goName = id.Name
			}
			a.p.Params = append(a.p.Params, p)
		}
	}
}

func asVar(obj types.Object) *types.Var {
	v, _ := obj.(*types.Var)
	return v
}

// valueSpecs lists the names a var or const declaration defines, their
// values (nil unless every name has one) and their documentation: the
// spec's doc comment, else its line comment, which becomes the flag's help.
func valueSpecs(d ast.Decl) (names []*ast.Ident, values []ast.Expr, docs []string) {
	gd, ok := d.(*ast.GenDecl)
	if !ok {
		return nil, nil, nil
	}
	for _, spec := range gd.Specs {
		if vs, ok := spec.(*ast.ValueSpec); ok {
			doc := strings.TrimSpace(vs.Doc.Text())
			if doc == "" {
				doc = strings.TrimSpace(vs.Comment.Text())
			}
			if doc == "" && len(gd.Specs) == 1 {
				doc = strings.TrimSpace(gd.Doc.Text())
			}
			for i, n := range vs.Names {
				names = append(names, n)
				docs = append(docs, strings.Join(strings.Fields(doc), " "))
				if len(vs.Values) == len(vs.Names) {
					values = append(values, vs.Values[i])
				}
			}
		}
	}
	if len(values) != len(names) {
		values = nil
	}
	return names, values, docs
}

// leadingComments returns the // comment lines directly above an item in
// its cell (directives such as //zen:params excluded), which the chunker
// leaves out of statement items, so that a param's doc comment is found.
func leadingComments(it *item) string {
	lines := strings.Split(it.cell.Code, "\n")
	first := it.line - 1
	for first > 0 {
		l := strings.TrimSpace(lines[first-1])
		if !strings.HasPrefix(l, "//") || isDirectiveComment(l) {
			break
		}
		first--
	}
	if first == it.line-1 || strings.HasPrefix(strings.TrimSpace(it.text), "//") {
		return ""
	}
	return strings.Join(lines[first:it.line-1], "\n") + "\n"
}

// isDirectiveComment reports a //word:… comment, like //zen:params or
// //go:generate, which is not documentation.
func isDirectiveComment(l string) bool {
	word, _, ok := strings.Cut(strings.TrimPrefix(l, "//"), ":")
	return ok && word != "" && strings.IndexFunc(word, func(r rune) bool { return !('a' <= r && r <= 'z' || '0' <= r && r <= '9') }) < 0
}

// specDocs reads the documentation of a params declaration from its own
// text: the type-checked file is parsed without comments, which keeps
// comments out of code hashes and the parse fast.
func specDocs(text string) map[string]string {
	f, err := goparser.ParseFile(token.NewFileSet(), "", "package p\n"+text, goparser.ParseComments|goparser.SkipObjectResolution)
	if err != nil || len(f.Decls) != 1 {
		return nil
	}
	names, _, docs := valueSpecs(f.Decls[0])
	out := make(map[string]string, len(names))
	for i, n := range names {
		if docs[i] != "" {
			out[n.Name] = docs[i]
		}
	}
	return out
}

func zeroValue(t types.Type) string {
	if b, ok := t.Underlying().(*types.Basic); ok {
		switch {
		case b.Info()&types.IsString != 0:
			return `""`
		case b.Info()&types.IsBoolean != 0:
			return "false"
		}
	}
	return "0"
}

// source returns the notebook text of a node.
func (a *analysis) source(n ast.Node) string {
	return a.chk.src[a.offset(n.Pos()):a.offset(n.End())]
}

// mutations returns the identifiers an item changes: assigned to (also
// through a field, index or pointer), incremented, address taken, ranged
// into, or receiver of a pointer method.
func (a *analysis) mutations(it *item) map[*ast.Ident]bool {
	out := map[*ast.Ident]bool{}
	mark := func(e ast.Expr) {
		if id := rootIdent(e); id != nil {
			out[id] = true
		}
	}
	ast.Inspect(it.node.(ast.Node), func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok != token.DEFINE {
				for _, l := range n.Lhs {
					mark(l)
				}
			}
		case *ast.IncDecStmt:
			mark(n.X)
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				mark(n.X)
			}
		case *ast.RangeStmt:
			if n.Tok == token.ASSIGN {
				mark(n.Key)
				mark(n.Value)
			}
		case *ast.CallExpr:
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok {
				if s := a.chk.info.Selections[sel]; s != nil && s.Kind() == types.MethodVal {
					if sig, ok := s.Obj().Type().(*types.Signature); ok && sig.Recv() != nil {
						if _, ptr := sig.Recv().Type().(*types.Pointer); ptr {
							mark(sel.X)
						}
					}
				}
			}
		}
		return true
	})
	return out
}

func rootIdent(e ast.Expr) *ast.Ident {
	for {
		switch x := e.(type) {
		case *ast.Ident:
			return x
		case *ast.SelectorExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		case *ast.SliceExpr:
			e = x.X
		default:
			return nil
		}
	}
}

// shortPos formats a position as "cell 3:2" (or "line 12" in scripts),
// for Edge.Why and messages that already name the notebook.
func (a *analysis) shortPos(p ir.Pos) string {
	p.Col = 0
	s := strings.TrimPrefix(strings.TrimPrefix(p.String(), a.nb.Path), ":")
	if p.Cell == 0 {
		return "line " + s
	}
	return s
}

// cellDataflow infers the inputs and outputs of cell steps: a step reads
// a variable from the step that last wrote it before the step runs, and
// that writer outputs it.
func (a *analysis) cellDataflow() {
	itemIndex := map[*item]int{}
	for i, it := range a.items {
		itemIndex[it] = i
	}
	mutated := map[*item]map[*ast.Ident]bool{}
	mutationsOf := func(it *item) map[*ast.Ident]bool {
		if m, ok := mutated[it]; ok {
			return m
		}
		m := a.mutations(it)
		mutated[it] = m
		return m
	}
	inputs := map[*stepBuild]map[*replVar]*ir.Port{}
	outputs := map[*stepBuild]map[*replVar]*ir.Port{}
	addOutput := func(sb *stepBuild, rv *replVar) *ir.Port {
		if outputs[sb] == nil {
			outputs[sb] = map[*replVar]*ir.Port{}
		}
		if p := outputs[sb][rv]; p != nil {
			return p
		}
		p := a.port(rv.name, rv.goName, rv.v.Type(), rv.defPos, sb)
		outputs[sb][rv] = p
		sb.step.Outputs = append(sb.step.Outputs, p)
		return p
	}
	addInput := func(sb, from *stepBuild, rv *replVar, pos ir.Pos) {
		if inputs[sb] == nil {
			inputs[sb] = map[*replVar]*ir.Port{}
		}
		if inputs[sb][rv] != nil {
			return
		}
		out := addOutput(from, rv)
		in := *out
		in.From, in.Pos, in.Metric = from.step.Name, pos, false
		inputs[sb][rv] = &in
		sb.step.Inputs = append(sb.step.Inputs, &in)
		a.p.Edges = append(a.p.Edges, &ir.Edge{From: from.step.Name, To: sb.step.Name, Var: rv.name,
			Why: fmt.Sprintf("%s reads %s, defined in %s at %s", sb.step.Name, rv.name, from.step.Name, a.shortPos(rv.defPos))})
	}
	// writers[rv] lists (item index, step) of every write, in order.
	type write struct {
		index int
		step  *stepBuild
	}
	writers := map[*replVar][]write{}
	for _, rv := range a.df.list {
		if a.df.params[rv.v] != nil {
			continue
		}
		writer := a.stepOf(rv.def)
		writers[rv] = append(writers[rv], write{itemIndex[rv.def], writer})
		for _, id := range a.df.uses[rv.v] {
			_, it, _ := a.locate(a.offset(id.Pos()))
			sb := a.stepOf(it)
			if sb == nil || sb.fn != nil {
				continue
			}
			if sb != writer {
				if writer == nil {
					a.errs.Add(a.posOf(id.Pos()), "step %s reads %s, defined at %s outside any step", sb.step.Name, rv.name, a.shortPos(rv.defPos)).Hint =
						"move the definition into a step"
					continue
				}
				addInput(sb, writer, rv, a.posOf(id.Pos()))
			}
			if mutationsOf(it)[id] && sb != writer {
				writer = sb
				writers[rv] = append(writers[rv], write{itemIndex[it], sb})
			}
		}
	}
	// //zen:output and //zen:metric name variables the step defines, or
	// passes on from the step that wrote them last.
	for _, sb := range a.cellSteps {
		last := -1
		for _, c := range sb.cells {
			for _, it := range a.cellItems[c] {
				last = max(last, itemIndex[it])
			}
		}
		request := func(np namedPos, metric bool) {
			var found *replVar
			for _, rv := range a.df.list {
				if rv.name == np.name && itemIndex[rv.def] <= last && a.df.params[rv.v] == nil {
					found = rv
				}
			}
			if found == nil {
				a.errs.Add(np.pos, "step %s has no variable %s to keep", sb.step.Name, np.name)
				return
			}
			var from *stepBuild
			for _, w := range writers[found] {
				if w.index <= last {
					from = w.step
				}
			}
			if from != sb && from != nil {
				addInput(sb, from, found, np.pos)
			}
			p := addOutput(sb, found)
			if metric {
				if b, ok := found.v.Type().Underlying().(*types.Basic); !ok || b.Info()&types.IsNumeric == 0 {
					a.errs.Add(np.pos, "metric %s must be a number, not %s", np.name, a.typeString(found.v.Type()))
					return
				}
				p.Metric = true
				sb.step.Metrics = append(sb.step.Metrics, np.name)
			}
		}
		for _, np := range sb.extraOutputs {
			request(np, false)
		}
		for _, np := range sb.metrics {
			request(np, true)
		}
		sort.Strings(sb.step.Metrics)
	}
	for _, sb := range a.cellSteps {
		sort.SliceStable(sb.step.Inputs, func(i, j int) bool { return sb.step.Inputs[i].Pos.Less(sb.step.Inputs[j].Pos) })
		sort.SliceStable(sb.step.Outputs, func(i, j int) bool { return sb.step.Outputs[i].Pos.Less(sb.step.Outputs[j].Pos) })
	}
	// Parameters a step uses directly; hashSteps adds those reached
	// through package-level declarations.
	for obj, p := range a.df.params {
		for _, id := range a.df.uses[obj] {
			_, it, _ := a.locate(a.offset(id.Pos()))
			if sb := a.stepOf(it); sb != nil && sb.fn == nil {
				sb.step.Params = appendUnique(sb.step.Params, p.Name)
			}
		}
	}
}

func appendUnique(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	s = append(s, v)
	sort.Strings(s)
	return s
}
