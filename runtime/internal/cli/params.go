package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"
)

// paramField is one field of the generated Params struct.
type paramField struct {
	name  string // the zen tag
	help  string
	value reflect.Value // addressable
}

var durationType = reflect.TypeFor[time.Duration]()

// paramFields lists the zen-tagged fields of params (a pointer to a struct),
// sorted by name. A nil params means a pipeline without parameters.
func paramFields(params any) ([]paramField, error) {
	if params == nil {
		return nil, nil
	}
	v := reflect.ValueOf(params)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return nil, fmt.Errorf("Pipeline.Params must point to a struct, not %T", params)
	}
	v = v.Elem()
	var fs []paramField
	for i := range v.NumField() {
		sf := v.Type().Field(i)
		name := sf.Tag.Get("zen")
		if name == "" || !sf.IsExported() {
			continue
		}
		if !flagKindSupported(sf.Type) {
			return nil, fmt.Errorf("param %s: type %s cannot be a flag", name, sf.Type)
		}
		fs = append(fs, paramField{name: name, help: sf.Tag.Get("help"), value: v.Field(i)})
	}
	sort.Slice(fs, func(i, j int) bool { return fs[i].name < fs[j].name })
	return fs, nil
}

func flagKindSupported(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.String, reflect.Bool,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return true
	case reflect.Slice:
		switch t.Elem().Kind() {
		case reflect.String, reflect.Int, reflect.Float64:
			return true
		}
	}
	return false
}

// addParamFlags defines one flag per param, bound to the field itself; the
// field's current value is the default shown in --help.
func addParamFlags(fs *pflag.FlagSet, fields []paramField) {
	for _, f := range fields {
		p := f.value.Addr().UnsafePointer()
		help := f.help
		if help == "" {
			help = "pipeline parameter " + f.name
		}
		if f.value.Type() == durationType {
			fs.DurationVar((*time.Duration)(p), f.name, time.Duration(f.value.Int()), help)
			continue
		}
		switch f.value.Kind() {
		case reflect.String:
			fs.StringVar((*string)(p), f.name, f.value.String(), help)
		case reflect.Bool:
			fs.BoolVar((*bool)(p), f.name, f.value.Bool(), help)
		case reflect.Int:
			fs.IntVar((*int)(p), f.name, int(f.value.Int()), help)
		case reflect.Int8:
			fs.Int8Var((*int8)(p), f.name, int8(f.value.Int()), help)
		case reflect.Int16:
			fs.Int16Var((*int16)(p), f.name, int16(f.value.Int()), help)
		case reflect.Int32:
			fs.Int32Var((*int32)(p), f.name, int32(f.value.Int()), help)
		case reflect.Int64:
			fs.Int64Var((*int64)(p), f.name, f.value.Int(), help)
		case reflect.Uint:
			fs.UintVar((*uint)(p), f.name, uint(f.value.Uint()), help)
		case reflect.Uint8:
			fs.Uint8Var((*uint8)(p), f.name, uint8(f.value.Uint()), help)
		case reflect.Uint16:
			fs.Uint16Var((*uint16)(p), f.name, uint16(f.value.Uint()), help)
		case reflect.Uint32:
			fs.Uint32Var((*uint32)(p), f.name, uint32(f.value.Uint()), help)
		case reflect.Uint64:
			fs.Uint64Var((*uint64)(p), f.name, f.value.Uint(), help)
		case reflect.Float32:
			fs.Float32Var((*float32)(p), f.name, float32(f.value.Float()), help)
		case reflect.Float64:
			fs.Float64Var((*float64)(p), f.name, f.value.Float(), help)
		case reflect.Slice:
			switch f.value.Type().Elem().Kind() {
			case reflect.String:
				fs.StringSliceVar((*[]string)(p), f.name, *(*[]string)(p), help)
			case reflect.Int:
				fs.IntSliceVar((*[]int)(p), f.name, *(*[]int)(p), help)
			case reflect.Float64:
				fs.Float64SliceVar((*[]float64)(p), f.name, *(*[]float64)(p), help)
			}
		}
	}
}

// applyParamsFile sets params from a JSON or YAML object keyed by param
// name, and adds each name it sets to given. Unknown names are errors: a typo must not silently run defaults.
// Each value goes through its flag's own parser, as its text on the command
// line would: YAML's typing would otherwise accept what the flag refuses
// (n: 1.5 truncated to 1 for an int) and parse durations differently.
func applyParamsFile(path string, fields []paramField, given map[string]bool) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc map[string]yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	// Flags bound to the same fields: setting one sets the param.
	fs := pflag.NewFlagSet("params", pflag.ContinueOnError)
	addParamFlags(fs, fields)
	names := make([]string, 0, len(doc))
	for n := range doc {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		flag := fs.Lookup(n)
		if flag == nil {
			return fmt.Errorf("%s: unknown param %q (known: %s)", path, n, fieldNames(fields))
		}
		node := doc[n]
		if err := setFromNode(flag, &node); err != nil {
			return fmt.Errorf("%s:%d: param %s: %w", path, node.Line, n, err)
		}
		given[n] = true
	}
	return nil
}

// setFromNode sets a flag from a YAML value: a scalar as the flag's text, a
// sequence (for a list param) element by element, each parsed as the flag
// parses one element.
func setFromNode(flag *pflag.Flag, node *yaml.Node) error {
	switch {
	case node.Kind == yaml.ScalarNode && node.Tag == "!!null":
		return fmt.Errorf("null is not a value; leave the param out to keep its default")
	case node.Kind == yaml.ScalarNode:
		if err := flag.Value.Set(node.Value); err != nil {
			return fmt.Errorf("invalid argument %q for \"--%s\" flag: %w", node.Value, flag.Name, err)
		}
		return nil
	case node.Kind == yaml.SequenceNode:
		sv, ok := flag.Value.(pflag.SliceValue)
		if !ok {
			return fmt.Errorf("a list is not a %s", flag.Value.Type())
		}
		items := make([]string, 0, len(node.Content))
		for _, e := range node.Content {
			if e.Kind != yaml.ScalarNode || e.Tag == "!!null" {
				return fmt.Errorf("line %d: a list element must be a single value", e.Line)
			}
			items = append(items, e.Value)
		}
		if err := sv.Replace(items); err != nil {
			return fmt.Errorf("invalid argument %q for \"--%s\" flag: %w", strings.Join(items, ","), flag.Name, err)
		}
		return nil
	}
	return fmt.Errorf("a %s takes a single value, not a mapping", flag.Value.Type())
}

func fieldNames(fields []paramField) string {
	var ns []string
	for _, f := range fields {
		ns = append(ns, f.name)
	}
	if len(ns) == 0 {
		return "none"
	}
	return strings.Join(ns, ", ")
}

// canonicalParams returns the canonical JSON of each param's value; these
// strings enter cache keys and the run record.
func canonicalParams(fields []paramField) (map[string]string, error) {
	out := make(map[string]string, len(fields))
	for _, f := range fields {
		b, err := json.Marshal(f.value.Interface())
		if err != nil {
			return nil, fmt.Errorf("param %s: %w", f.name, err)
		}
		out[f.name] = string(b)
	}
	return out, nil
}

// applyRecordedParams sets params from a run record, for --resume.
func applyRecordedParams(recorded string, fields []paramField) error {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(recorded), &obj); err != nil {
		return err
	}
	for _, f := range fields {
		if raw, ok := obj[f.name]; ok {
			if err := json.Unmarshal(raw, f.value.Addr().Interface()); err != nil {
				return fmt.Errorf("param %s: %w", f.name, err)
			}
		}
	}
	return nil
}
