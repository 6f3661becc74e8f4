package analysis

// REPL renames and unused variables: what the checked program's names
// become in generated code.

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"github.com/zengen-dev/zengen/gen/ir"
)

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
