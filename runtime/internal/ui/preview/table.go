package preview

import (
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zengen-dev/zengen/runtime/internal/reflectvalue"
	"github.com/zengen-dev/zengen/runtime/internal/valuetext"
)

// Table is a page of a slice of structs (a column per field) or of a
// matrix, a slice of number slices (a column per index), with statistics
// of every numeric column over all rows.
type Table struct {
	Columns []Column
	Rows    [][]string // the page's rows, a cell per column
	Total   int        // rows in the artifact
	Page    int        // from 1
	Pages   int
	First   int // index of the page's first row
	// Cut says that rows hold more columns than the table shows.
	Cut bool
}

// Column is one column of a Table.
type Column struct {
	Name  string
	Type  string
	Stats *Summary // numeric columns only
}

const (
	// PageSize is how many rows a table page shows.
	PageSize = 50
	// maxColumns bounds the columns shown of a wide matrix or struct.
	maxColumns = 64
	// maxCell bounds the characters of one cell.
	maxCell = 120
)

// tableElem returns the row type of a table of slices of et: et itself
// or what it points to, when it is a struct or a slice or array of
// numbers.
func tableElem(et reflect.Type) (reflect.Type, bool) {
	if et.Kind() == reflect.Pointer {
		et = et.Elem()
	}
	switch {
	case et.Kind() == reflect.Struct && et != reflect.TypeFor[time.Time]():
		return et, true
	case (et.Kind() == reflect.Slice || et.Kind() == reflect.Array) && isNumber(et.Elem().Kind()):
		return et, true
	}
	return nil, false
}

// newTable makes a table of v when it is a slice or array of structs (or
// pointers to them) or of slices or arrays of numbers.
func newTable(v any, page int) (*Table, bool) {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() || rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, false
	}
	rv = reflectvalue.Addressable(rv)
	row, ok := tableElem(rv.Type().Elem())
	if !ok {
		return nil, false
	}
	b := newTableBuilder(row, rv.Len(), page)
	for r := range rv.Len() {
		cells, width := rowCells(rv.Index(r))
		b.add(r, cells, width)
	}
	return b.finish(), true
}

// tableBuilder makes a Table from its rows in order, keeping the cells of
// the page's rows and the statistics of every numeric column: the same
// table whether the rows come from a decoded value or a stream.
type tableBuilder struct {
	t      *Table
	accs   []*accumulator
	matrix reflect.Type // the number type of a matrix's cells; nil for structs
}

func newTableBuilder(row reflect.Type, total, page int) *tableBuilder {
	t := &Table{Total: total}
	t.Pages = max(1, (total+PageSize-1)/PageSize)
	t.Page = min(max(page, 1), t.Pages)
	t.First = (t.Page - 1) * PageSize
	b := &tableBuilder{t: t}
	if row.Kind() != reflect.Struct {
		b.matrix = row.Elem()
		return b
	}
	for i := range row.NumField() {
		if len(t.Columns) == maxColumns {
			t.Cut = true
			break
		}
		f := row.Field(i)
		t.Columns = append(t.Columns, Column{Name: f.Name, Type: f.Type.String()})
		var acc *accumulator
		if isNumber(f.Type.Kind()) {
			acc = newAccumulator()
		}
		b.accs = append(b.accs, acc)
	}
	return b
}

// add takes row r: its first cells (at most maxColumns; an invalid Value
// for a field of a nil row) and how many fields or elements it has.
func (b *tableBuilder) add(r int, cells []reflect.Value, width int) {
	t := b.t
	if b.matrix != nil {
		if width > maxColumns {
			t.Cut = true
		}
		for len(t.Columns) < min(width, maxColumns) {
			t.Columns = append(t.Columns, Column{Name: strconv.Itoa(len(t.Columns)), Type: b.matrix.String()})
			b.accs = append(b.accs, newAccumulator())
		}
	}
	onPage := b.onPage(r)
	var texts []string
	for i := range t.Columns {
		var c reflect.Value
		if i < len(cells) {
			c = cells[i]
		}
		if b.accs[i] != nil && c.IsValid() {
			b.accs[i].add(number(c))
		}
		if onPage {
			texts = append(texts, cellText(c))
		}
	}
	if onPage {
		t.Rows = append(t.Rows, texts)
	}
}

// onPage reports whether row r is on the table's page.
func (b *tableBuilder) onPage(r int) bool { return r >= b.t.First && r < b.t.First+PageSize }

// finish returns the table, with the page's rows as wide as the widest row
// of the artifact.
func (b *tableBuilder) finish() *Table {
	t := b.t
	for i, row := range t.Rows {
		for len(row) < len(t.Columns) {
			row = append(row, "")
		}
		t.Rows[i] = row
	}
	for i, a := range b.accs {
		if a != nil {
			s, _ := a.summary()
			t.Columns[i].Stats = &s
		}
	}
	return t
}

// rowCells returns the first maxColumns fields or elements of a row, none
// for a nil row, and how many the row has.
func rowCells(row reflect.Value) ([]reflect.Value, int) {
	if row.Kind() == reflect.Pointer {
		if row.IsNil() {
			return nil, row.Type().Elem().NumField()
		}
		row = row.Elem()
	}
	n := rowLen(row)
	cells := make([]reflect.Value, min(n, maxColumns))
	for i := range cells {
		if row.Kind() == reflect.Struct {
			cells[i] = reflectvalue.Settable(row.Field(i))
		} else {
			cells[i] = row.Index(i)
		}
	}
	return cells, n
}

func rowLen(row reflect.Value) int {
	if row.Kind() == reflect.Struct {
		return row.NumField()
	}
	return row.Len()
}

func isNumber(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

func number(v reflect.Value) float64 {
	switch {
	case v.CanInt():
		return float64(v.Int())
	case v.CanUint():
		return float64(v.Uint())
	}
	return v.Float()
}

// cellText is a cell on one line, at most maxCell characters.
func cellText(v reflect.Value) string {
	if !v.IsValid() {
		return ""
	}
	var s string
	switch {
	case v.CanInt():
		s = strconv.FormatInt(v.Int(), 10)
	case v.CanUint():
		s = strconv.FormatUint(v.Uint(), 10)
	case v.Kind() == reflect.Float32:
		s = strconv.FormatFloat(v.Float(), 'g', -1, 32)
	case v.Kind() == reflect.Float64:
		s = strconv.FormatFloat(v.Float(), 'g', -1, 64)
	case v.Kind() == reflect.Bool:
		s = strconv.FormatBool(v.Bool())
	case v.Kind() == reflect.String:
		s = v.String()
	default:
		text, err := valuetext.Text(reflectvalue.Addressable(v).Interface())
		if err != nil {
			text = err.Error()
		}
		s = strings.Join(strings.Fields(text), " ")
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	if utf8.RuneCountInString(s) > maxCell {
		s = string([]rune(s)[:maxCell-1]) + "…"
	}
	return s
}
