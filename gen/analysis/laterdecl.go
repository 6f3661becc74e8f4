package analysis

import (
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"github.com/zengen-dev/zengen/parser"
)

// A REPL cell that uses a name only a later cell declares.
//
// gophernotes and lgo resolve a cell's names when it runs, against what
// the cells run before it declared. The check file holds every package-
// level declaration at once, so a name that only a later cell declares
// resolves to that declaration. When the cell then fails to type-check at
// that name, although the kernel ran it, the kernel saw another
// declaration of the name: one from a cell the notebook no longer holds,
// or one since changed (the corpus' GolangTraining assigns to c, which
// only a later cell declares, as a constant). Neither can be recovered
// from the notebook, so the error stays, with what happened in its hint.

// laterDeclHint explains a type error at a name whose only declaration
// comes after the using cell; "" when that is not the case.
func (a *analysis) laterDeclHint(at token.Pos) string {
	if a.nb.Dialect != parser.DialectREPL {
		return ""
	}
	var obj types.Object
	var use token.Pos
	for id, o := range a.chk.info.Uses {
		if id.Pos() == at {
			obj, use = o, id.Pos()
			break
		}
	}
	if obj == nil || obj.Parent() != a.chk.pkg.Scope() {
		return ""
	}
	_, user, ok := a.locate(a.offset(use))
	if !ok || user == nil || !user.cell.Executed {
		return ""
	}
	for _, o := range user.cell.Outputs {
		if o.Type == "error" {
			return "" // the kernel may have rejected the cell too
		}
	}
	_, decl, ok := a.locate(a.offset(obj.Pos()))
	if !ok || decl == nil || decl.cell.Number <= user.cell.Number {
		return ""
	}
	kind := strings.Fields(types.ObjectString(obj, nil))[0] // const, var, func or type
	return "no cell before this one declares " + obj.Name() + ": here it is the " + kind + " of cell " +
		strconv.Itoa(a.cellNumber(decl.cell)) + ", after it, with which this cell does not compile; the kernel ran this cell with another " +
		obj.Name() + " that the notebook no longer holds (from a cell since deleted or changed): declare it in a cell before this one, as the kernel had it"
}
