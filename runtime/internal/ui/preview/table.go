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

// newTable makes a table of v when it is a slice or array of structs (or
// pointers to them) or of slices or arrays of numbers.
func newTable(v any, page int) (*Table, bool) {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() || rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, false
	}
	rv = reflectvalue.Addressable(rv)
	et := rv.Type().Elem()
	if et.Kind() == reflect.Pointer {
		et = et.Elem()
	}
	var t *Table
	switch {
	case et.Kind() == reflect.Struct && et != reflect.TypeFor[time.Time]():
		t = structColumns(et)
	case (et.Kind() == reflect.Slice || et.Kind() == reflect.Array) && isNumber(et.Elem().Kind()):
		t = matrixColumns(rv, et)
	default:
		return nil, false
	}
	t.Total = rv.Len()
	t.Pages = max(1, (t.Total+PageSize-1)/PageSize)
	t.Page = min(max(page, 1), t.Pages)
	t.First = (t.Page - 1) * PageSize
	accs := make([]*accumulator, len(t.Columns))
	for i, c := range t.Columns {
		if c.Stats != nil {
			accs[i] = newAccumulator()
		}
	}
	for r := range t.Total {
		cells := rowCells(rv.Index(r), len(t.Columns))
		onPage := r >= t.First && r < t.First+PageSize
		var texts []string
		for i, c := range cells {
			if accs[i] != nil && c.IsValid() {
				accs[i].add(number(c))
			}
			if onPage {
				texts = append(texts, cellText(c))
			}
		}
		if onPage {
			t.Rows = append(t.Rows, texts)
		}
	}
	for i, a := range accs {
		if a != nil {
			s, _ := a.summary()
			t.Columns[i].Stats = &s
		}
	}
	return t, true
}

func structColumns(et reflect.Type) *Table {
	t := &Table{}
	for i := range et.NumField() {
		if len(t.Columns) == maxColumns {
			t.Cut = true
			break
		}
		f := et.Field(i)
		c := Column{Name: f.Name, Type: f.Type.String()}
		if isNumber(f.Type.Kind()) {
			c.Stats = &Summary{}
		}
		t.Columns = append(t.Columns, c)
	}
	return t
}

func matrixColumns(rv reflect.Value, et reflect.Type) *Table {
	width := 0
	for r := range rv.Len() {
		width = max(width, rv.Index(r).Len())
	}
	t := &Table{Cut: width > maxColumns}
	for i := range min(width, maxColumns) {
		t.Columns = append(t.Columns, Column{Name: strconv.Itoa(i), Type: et.Elem().String(), Stats: &Summary{}})
	}
	return t
}

// rowCells returns the first n fields or elements of a row; an invalid
// Value stands for a nil row or a short one.
func rowCells(row reflect.Value, n int) []reflect.Value {
	cells := make([]reflect.Value, n)
	if row.Kind() == reflect.Pointer {
		if row.IsNil() {
			return cells
		}
		row = row.Elem()
	}
	for i := range min(n, rowLen(row)) {
		if row.Kind() == reflect.Struct {
			cells[i] = reflectvalue.Settable(row.Field(i))
		} else {
			cells[i] = row.Index(i)
		}
	}
	return cells
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
