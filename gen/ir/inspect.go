package ir

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"
)

// Inspect renders p for people and tools: "text" (a readable listing),
// "json" (the IR, indented), "dot" (Graphviz) or "mermaid" (a flowchart,
// also used by the generated README).
func Inspect(p *Pipeline, format string) ([]byte, error) {
	switch format {
	case "text":
		return inspectText(p), nil
	case "json":
		b, err := json.MarshalIndent(p, "", "  ")
		if err != nil {
			return nil, err
		}
		return append(b, '\n'), nil
	case "dot":
		return inspectDot(p), nil
	case "mermaid":
		return inspectMermaid(p), nil
	}
	return nil, fmt.Errorf("unknown inspect format %q (want text, json, dot or mermaid)", format)
}

// inspectText lists the pipeline, its params, its steps in run order with
// their cells, typed ports, options and code hashes, and every edge with
// the reason it exists.
func inspectText(p *Pipeline) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "pipeline %s (package %s) from %s\n", p.Name, packageName(p), p.Notebook)
	fmt.Fprintf(&b, "dialect %s, steps found by %s\n", p.Dialect, p.Split)

	if len(p.Params) > 0 {
		b.WriteString("\nparams:\n")
		tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
		for _, prm := range p.Params {
			fmt.Fprintf(tw, "  %s\t%s\t= %s\t--%s\t%s\n", prm.Name, prm.Type, prm.Default, prm.Flag, prm.Pos)
		}
		tw.Flush()
	}

	b.WriteString("\nsteps:\n")
	for i, s := range p.Steps {
		fmt.Fprintf(&b, "  %d. %s  %s, %s", i+1, s.Name, s.Func, cellList(s))
		if s.Kind == "func" {
			b.WriteString(", function step")
		}
		if s.CodeHash != "" {
			fmt.Fprintf(&b, ", code %s", shortHash(s.CodeHash))
		}
		b.WriteString("\n")
		tw := tabwriter.NewWriter(&b, 0, 4, 1, ' ', 0)
		for _, in := range s.Inputs {
			fmt.Fprintf(tw, "       in\t%s\t%s\t[%s]\tfrom %s\n", in.Name, in.Type, in.Codec, in.From)
		}
		for _, out := range s.Outputs {
			metric := ""
			if out.Metric || slices.Contains(s.Metrics, out.Name) {
				metric = "\tmetric"
			}
			fmt.Fprintf(tw, "       out\t%s\t%s\t[%s]%s\n", out.Name, out.Type, out.Codec, metric)
		}
		tw.Flush()
		if len(s.Params) > 0 {
			fmt.Fprintf(&b, "       params %s\n", strings.Join(s.Params, ", "))
		}
		if len(s.After) > 0 {
			fmt.Fprintf(&b, "       after %s\n", strings.Join(s.After, ", "))
		}
		if opts := optionsText(s.Options); opts != "" {
			fmt.Fprintf(&b, "       options %s\n", opts)
		}
		if s.Alone != "" {
			fmt.Fprintf(&b, "       runs alone: prints or displays where zengen cannot route it to the step (%s)\n", s.Alone)
		}
	}

	if len(p.Edges) > 0 {
		b.WriteString("\nedges:\n")
		tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
		for _, e := range p.Edges {
			v := e.Var
			if v == "" {
				v = "(order)"
			}
			fmt.Fprintf(tw, "  %s -> %s\t%s\t%s\n", e.From, e.To, v, e.Why)
		}
		tw.Flush()
	}

	if len(p.Notes) > 0 {
		b.WriteString("\nnotes:\n")
		b.WriteString(NotesText(p.Notes, "  "))
	}
	return b.Bytes()
}

// NotesText lists notes one a line behind indent, each distinct hint once
// after the notes it belongs to.
func NotesText(notes []*Note, indent string) string {
	var b strings.Builder
	for i, n := range notes {
		fmt.Fprintf(&b, "%s%s\n", indent, n)
		if n.Hint != "" && (i+1 == len(notes) || notes[i+1].Hint != n.Hint) {
			fmt.Fprintf(&b, "%s\thint: %s\n", indent, n.Hint)
		}
	}
	return b.String()
}

func packageName(p *Pipeline) string {
	if p.Package != "" {
		return p.Package
	}
	return PipelinePackage(p.Name)
}

// cellList is "cell 4" or "cells 4, 5" ("line 12" for scripts).
func cellList(s *Step) string {
	unit := "cell"
	if s.Pos.Cell == 0 {
		unit = "line"
	}
	if len(s.Cells) == 1 {
		return fmt.Sprintf("%s %d", unit, s.Cells[0])
	}
	if len(s.Cells) == 0 {
		return s.Pos.String()
	}
	nums := make([]string, len(s.Cells))
	for i, c := range s.Cells {
		nums[i] = fmt.Sprint(c)
	}
	return unit + "s " + strings.Join(nums, ", ")
}

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

func optionsText(o Options) string {
	var parts []string
	if o.CacheOff {
		parts = append(parts, "cache=off")
	}
	if o.Retries != 0 {
		parts = append(parts, fmt.Sprintf("retries=%d", o.Retries))
	}
	if o.Timeout != "" {
		parts = append(parts, "timeout="+o.Timeout)
	}
	if o.CacheVersion != "" {
		parts = append(parts, "cache_version="+o.CacheVersion)
	}
	return strings.Join(parts, " ")
}

// inspectDot is a Graphviz digraph: a box per step labelled with its name
// and cells, an arrow per edge labelled with the variable, ordering edges
// dashed.
func inspectDot(p *Pipeline) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "digraph %s {\n", dotQuote(p.Name))
	b.WriteString("\trankdir=TB;\n\tnode [shape=box];\n")
	for _, s := range p.Steps {
		fmt.Fprintf(&b, "\t%s [label=%s];\n", dotQuote(s.Name), dotQuote(s.Name+"\n"+cellList(s)))
	}
	for _, e := range p.Edges {
		if e.Var == "" {
			fmt.Fprintf(&b, "\t%s -> %s [style=dashed];\n", dotQuote(e.From), dotQuote(e.To))
			continue
		}
		fmt.Fprintf(&b, "\t%s -> %s [label=%s];\n", dotQuote(e.From), dotQuote(e.To), dotQuote(e.Var))
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// dotQuote is a DOT double-quoted string; newlines become \n line breaks.
func dotQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

// inspectMermaid is a mermaid flowchart with the content of inspectDot.
// Node ids get a prefix because mermaid reserves words such as "end".
func inspectMermaid(p *Pipeline) []byte {
	var b bytes.Buffer
	b.WriteString("flowchart TD\n")
	for _, s := range p.Steps {
		fmt.Fprintf(&b, "    %s[%s]\n", mermaidID(s.Name), mermaidLabel(s.Name+" ("+cellList(s)+")"))
	}
	for _, e := range p.Edges {
		if e.Var == "" {
			fmt.Fprintf(&b, "    %s -.-> %s\n", mermaidID(e.From), mermaidID(e.To))
			continue
		}
		fmt.Fprintf(&b, "    %s -->|%s| %s\n", mermaidID(e.From), mermaidLabel(e.Var), mermaidID(e.To))
	}
	return b.Bytes()
}

func mermaidID(name string) string { return "step_" + name }

// mermaidLabel quotes a label; mermaid has no backslash escapes, only HTML
// entities.
func mermaidLabel(s string) string {
	r := strings.NewReplacer(`"`, "#quot;", "\n", " ", "<", "#lt;", ">", "#gt;")
	return `"` + r.Replace(s) + `"`
}
