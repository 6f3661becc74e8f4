package analysis

// Turning go/types errors into positioned notebook errors, with the hints
// a kernel user needs.

import (
	"go/ast"
	goparser "go/parser"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/zengen-dev/zengen/parser"
)

// reportTypeErrors turns go/types errors into notebook errors, except for
// what notebooks allow: unused variables (they get `_ = x`) and unused
// imports (they are dropped).
func (a *analysis) reportTypeErrors(errs []types.Error) {
	a.chk.unused = map[*types.Var]bool{}
	a.chk.unusedAt = map[token.Pos]bool{}
	defAt := map[token.Pos]*types.Var{}
	for id, obj := range a.chk.info.Defs {
		if v, ok := obj.(*types.Var); ok {
			defAt[id.Pos()] = v
		}
	}
	for _, u := range a.chk.imports {
		u.used = true
	}
	// last is the error a continuation line belongs to, nil when that
	// error was not reported.
	var last *parser.Error
	for _, e := range errs {
		off := a.offset(e.Pos)
		if detail, ok := strings.CutPrefix(e.Msg, "\t"); ok {
			// go/types continues an error on its own line ("\tother
			// declaration of c"); alone it would read as a message.
			if last != nil {
				pos, _, _ := a.locate(off)
				last.Hint = strings.TrimPrefix(last.Hint+"; ", "; ") + detail + " at " + pos.String()
			}
			continue
		}
		last = nil
		switch {
		case a.chk.shows.allowed[e.Pos] && strings.HasSuffix(e.Msg, " is not used"):
			continue
		case strings.HasPrefix(e.Msg, "declared and not used") || strings.HasSuffix(e.Msg, " declared and not used"):
			a.chk.unusedAt[e.Pos] = true
			if v := defAt[e.Pos]; v != nil {
				a.chk.unused[v] = true
			}
			continue
		case strings.Contains(e.Msg, "imported and not used") || strings.Contains(e.Msg, "imported as"):
			for _, u := range a.chk.imports {
				if off >= u.specStart && off <= u.specEnd {
					u.used = false
				}
			}
			continue
		}
		pos, _, _ := a.locate(off)
		msg := e.Msg
		if name, ok := strings.CutPrefix(msg, "undefined: "); ok {
			if cell := a.definedInSkipped(name); cell != 0 {
				last = a.errs.Add(pos, "%s is defined only in skipped cell %d", name, cell)
				last.Hint = "remove the skip marker from that cell or define " + name + " in a step"
				continue
			}
		}
		last = a.errs.Add(pos, "%s", msg)
		if hint := a.laterDeclHint(e.Pos); hint != "" {
			last.Hint = hint
		} else if hint := a.moduleVersionHint(e.Pos); hint != "" {
			last.Hint = hint
		} else if hint := kernelNameHints[strings.TrimPrefix(msg, "undefined: ")]; hint != "" {
			last.Hint = hint
		} else if hint := displayHint(msg); hint != "" {
			last.Hint = hint
		}
	}
}

// kernelNameHints explain names that a kernel provides to every cell and
// a pipeline does not.
// zengen provides them (runtime/display), so they are undefined only where
// its packages cannot be loaded.
var kernelNameHints = map[string]string{
	"_ctx":    "zengen provides lgo's _ctx.Display, but could not load " + displayRoot + "/lgo here: generate inside a module that requires zengen, or give --module with --runtime-replace",
	"display": "zengen provides gophernotes' display package, but could not load " + displayRoot + "/gophernotes here: generate inside a module that requires zengen, or give --module with --runtime-replace",
	"Display": "zengen provides gophernotes' Display, but could not load " + displayRoot + "/gophernotes/kernel here: generate inside a module that requires zengen, or give --module with --runtime-replace",
}

// definedInSkipped returns the number of a skipped cell that defines name,
// 0 if none does.
func (a *analysis) definedInSkipped(name string) int {
	for _, it := range a.skippedItems {
		f, err := goparser.ParseFile(token.NewFileSet(), "", "package p\nfunc _() {\n"+it.text+"\n}", goparser.SkipObjectResolution)
		if it.kind == itemDecl {
			f, err = goparser.ParseFile(token.NewFileSet(), "", "package p\n"+it.text, goparser.SkipObjectResolution)
		}
		if err != nil {
			continue
		}
		found := false
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				if n.Tok == token.DEFINE {
					for _, l := range n.Lhs {
						if id, ok := l.(*ast.Ident); ok && id.Name == name {
							found = true
						}
					}
				}
			case *ast.ValueSpec:
				for _, id := range n.Names {
					found = found || id.Name == name
				}
			case *ast.TypeSpec:
				found = found || n.Name.Name == name
			case *ast.FuncDecl:
				found = found || n.Recv == nil && n.Name.Name == name
			}
			return !found
		})
		if found {
			return a.cellNumber(it.cell)
		}
	}
	return 0
}

// commonKeys returns the names both declarations bind.
func commonKeys(a, b *item) []string {
	var out []string
	for _, k := range a.keys {
		if slices.Contains(b.keys, k) {
			out = append(out, k)
		}
	}
	return out
}
