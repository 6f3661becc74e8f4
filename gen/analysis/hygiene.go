package analysis

import (
	"go/ast"
	"slices"
	"strings"

	"github.com/zengen-dev/zengen/gen/ir"
)

// Generated code keeps its own names out of the notebook's way: its locals
// and parameters start with zg_ (a prefix notebooks may not use, see
// reservedIdents), the packages it imports are aliased when the
// notebook's code uses their names, and the names it declares at package
// level are checked against the notebook's declarations and steps.

// reservedPrefix starts every local name that generated code introduces.
const reservedPrefix = "zg_"

// reservedIdents lists the identifiers of f that start with zg_, other
// than field and method names (which live in their type's scope) and
// selectors of them. Generated code declares its locals with that prefix
// in the functions that hold the notebook's code, and analysis wraps the
// notebook in zg_ functions to type-check it, so a notebook may neither
// declare nor use such a name. It is a syntactic check, made before type
// checking could trip over such a name.
func reservedIdents(f *ast.File) []*ast.Ident {
	exempt := map[*ast.Ident]bool{}
	var found []*ast.Ident
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			exempt[n.Sel] = true
		case *ast.FuncDecl:
			if n.Recv != nil {
				exempt[n.Name] = true
			}
		case *ast.StructType:
			exemptFieldNames(exempt, n.Fields)
		case *ast.InterfaceType:
			exemptFieldNames(exempt, n.Methods)
		case *ast.CompositeLit:
			for _, elt := range n.Elts {
				if kv, ok := elt.(*ast.KeyValueExpr); ok {
					if id, ok := kv.Key.(*ast.Ident); ok {
						exempt[id] = true
					}
				}
			}
		case *ast.Ident:
			if strings.HasPrefix(n.Name, reservedPrefix) && !exempt[n] {
				found = append(found, n)
			}
		}
		return true
	})
	return found
}

func exemptFieldNames(exempt map[*ast.Ident]bool, fields *ast.FieldList) {
	if fields == nil {
		return
	}
	for _, f := range fields.List {
		for _, id := range f.Names {
			exempt[id] = true
		}
	}
}

// runFlags are the flags of the generated command's run verb, which binds
// one flag per param beside them: a param must not take one of these
// names (runtime.ReservedParamNames lists the same).
var runFlags = []string{"help", "home", "store", "db", "params", "no-cache", "only", "from", "resume", "parallel", "keep-going", "quiet", "json"}

// temporalFlags are the flags a command generated with --temporal adds
// beside the params': run's, and the schedule command's, which binds the
// params too (runtime/temporal defines the same).
var temporalFlags = map[string][]string{
	"run":      {"orchestrator", "temporal", "namespace", "task-queue", "detach"},
	"schedule": {"cron", "every", "overlap"},
}

// checkParamNames rejects params whose flag the run command already has,
// whose flag or field another param has, or that have no flag name.
func (a *analysis) checkParamNames() {
	flags := map[string]*ir.Param{}
	fields := map[string]*ir.Param{}
	for _, p := range a.p.Params {
		switch first, clash := flags[p.Flag]; {
		case p.Flag == "":
			a.errs.Add(p.Pos, "parameter %s has no flag name: flags are spelled in ASCII letters and digits", p.Name).Hint =
				"rename the parameter"
			continue
		case slices.Contains(runFlags, p.Flag):
			a.errs.Add(p.Pos, "parameter %s would be the flag --%s, which the run command has already", p.Name, p.Flag).Hint =
				"rename the parameter; the run command's own flags are --" + strings.Join(runFlags, ", --")
			continue
		case a.cfg.Temporal && slices.Contains(temporalFlags["run"], p.Flag):
			a.errs.Add(p.Pos, "parameter %s would be the flag --%s, which the run command of a command generated with --temporal has already", p.Name, p.Flag).Hint =
				"rename the parameter; with --temporal the run command also has --" + strings.Join(temporalFlags["run"], ", --")
			continue
		case a.cfg.Temporal && slices.Contains(temporalFlags["schedule"], p.Flag):
			a.errs.Add(p.Pos, "parameter %s would be the flag --%s, which the schedule command of a command generated with --temporal has already", p.Name, p.Flag).Hint =
				"rename the parameter; the schedule command, which takes the params as flags, also has --" + strings.Join(temporalFlags["schedule"], ", --")
			continue
		case clash:
			a.errs.Add(p.Pos, "parameter %s would be the flag --%s, as parameter %s (at %s) is", p.Name, p.Flag, first.Name, first.Pos).Hint =
				"rename one of the parameters"
			continue
		}
		flags[p.Flag] = p
		if first, clash := fields[p.Field]; clash {
			a.errs.Add(p.Pos, "parameter %s would be the field Params.%s, as parameter %s (at %s) is", p.Name, p.Field, first.Name, first.Pos).Hint =
				"rename one of the parameters"
			continue
		}
		fields[p.Field] = p
	}
}
