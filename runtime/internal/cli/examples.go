package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/pflag"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// example is one line of a command's --help examples. In cmd, {step},
// {artifact} and {params} stand for names of the pipeline at hand, so the
// examples can be run as they are; an example whose name this pipeline
// lacks (no params, no artifacts) is left out.
type example struct {
	cmd  string // after the program name
	note string // optional, aligned after the command
}

// exampleNames are the names of one pipeline the examples use.
type exampleNames struct {
	step     string // a step with upstream steps if there is one
	artifact string // STEP.VAR
	params   string // up to two --name value flags, at their defaults
}

// namesForExamples picks the names examples show: the first step that
// has an upstream step (so --only and --from mean something), one of its
// artifacts (a metric when it has one), and the first two params as they
// are set by default.
func namesForExamples(p *pipeline.Pipeline, fs *pflag.FlagSet) exampleNames {
	var n exampleNames
	if len(p.Steps) == 0 {
		return n
	}
	step := p.Steps[0]
	for _, s := range p.Steps {
		if len(s.Inputs) > 0 || len(s.After) > 0 {
			step = s
			break
		}
	}
	n.step = step.Name
	for _, s := range append([]*pipeline.Step{step}, p.Steps...) {
		if len(s.Outputs) == 0 {
			continue
		}
		out := s.Outputs[0].Name
		for _, o := range s.Outputs {
			if slices.Contains(s.Metrics, o.Name) {
				out = o.Name
				break
			}
		}
		n.artifact = s.Name + "." + out
		break
	}
	fields, _ := paramFields(p.Params)
	// A step's own form of a param (STEP.NAME) is the rarer use: the
	// pipeline-wide ones come first.
	scoped := func(f paramField) int { return strings.Count(f.name, ".") }
	slices.SortStableFunc(fields, func(a, b paramField) int { return scoped(a) - scoped(b) })
	var flags []string
	for _, f := range fields {
		if len(flags) == 2 {
			break
		}
		// Only the run command defines param flags; its examples are the
		// only ones that name params.
		if fl := fs.Lookup(f.name); fl != nil {
			flags = append(flags, paramExample(fl))
		}
	}
	n.params = strings.Join(flags, " ")
	return n
}

// paramExample is a flag as it would be written to set it to its default.
func paramExample(fl *pflag.Flag) string {
	if fl.Value.Type() == "bool" {
		return "--" + fl.Name + "=" + fl.DefValue
	}
	v := fl.DefValue
	if sv, ok := fl.Value.(pflag.SliceValue); ok {
		v = strings.Join(sv.GetSlice(), ",")
	}
	return "--" + fl.Name + " " + shellQuote(v)
}

// shellQuote quotes v for a POSIX shell when it holds anything but
// characters a shell leaves alone.
func shellQuote(v string) string {
	if v != "" && strings.Trim(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._,:/+-") == "" {
		return v
	}
	return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'"
}

// writeExamples writes examples with this pipeline's names, notes aligned.
func writeExamples(w io.Writer, prog string, examples []example, n exampleNames) {
	names := strings.NewReplacer("{step}", n.step, "{artifact}", n.artifact, "{params}", n.params)
	var lines []example
	for _, ex := range examples {
		if strings.Contains(ex.cmd, "{step}") && n.step == "" ||
			strings.Contains(ex.cmd, "{artifact}") && n.artifact == "" ||
			strings.Contains(ex.cmd, "{params}") && n.params == "" {
			continue
		}
		lines = append(lines, example{cmd: prog + " " + names.Replace(ex.cmd), note: names.Replace(ex.note)})
	}
	if len(lines) == 0 {
		return
	}
	width := 0
	for _, l := range lines {
		if l.note != "" {
			width = max(width, len(l.cmd))
		}
	}
	fmt.Fprintf(w, "\nExamples:\n")
	for _, l := range lines {
		if l.note == "" {
			fmt.Fprintf(w, "  %s\n", l.cmd)
			continue
		}
		fmt.Fprintf(w, "  %-*s  %s\n", width, l.cmd, l.note)
	}
}
