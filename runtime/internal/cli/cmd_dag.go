package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

var dagCommand = &command{
	name:     "dag",
	nargs:    0,
	listing:  true,
	summary:  "Print the pipeline's DAG: steps, their inputs and ordering edges.",
	examples: []example{{cmd: "dag"}, {cmd: "dag --format dot | dot -Tsvg > dag.svg"}, {cmd: "dag --format mermaid"}},
	flags: func(fs *pflag.FlagSet, c *cli, st *cmdState) error {
		fs.StringVar(&st.format, "format", "text", "output `FORMAT`: text, dot or mermaid")
		return nil
	},
	run: func(ctx context.Context, c *cli, st *cmdState, args []string) error {
		edges := dagEdges(c.p)
		if c.json {
			type stepJSON struct {
				Name    string            `json:"name"`
				Func    string            `json:"func,omitempty"`
				Pos     string            `json:"pos,omitempty"`
				Inputs  []pipeline.Input  `json:"inputs"`
				Outputs []pipeline.Output `json:"outputs"`
				After   []string          `json:"after"`
				Params  []string          `json:"params"`
			}
			var steps []stepJSON
			for _, s := range c.p.Steps {
				steps = append(steps, stepJSON{s.Name, s.Func, s.Pos, nonNil(s.Inputs), nonNil(s.Outputs),
					nonNil(s.After), nonNil(s.Params)})
			}
			return c.printJSON(map[string]any{"pipeline": c.p.Name, "steps": steps, "edges": edges})
		}
		switch st.format {
		case "text":
			return dagText(c.stdout, c.p, edges)
		case "dot":
			return dagDot(c.stdout, c.p, edges)
		case "mermaid":
			return dagMermaid(c.stdout, c.p, edges)
		}
		return usagef("--format %q: want text, dot or mermaid", st.format)
	},
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// dagEdge is one edge: data (the variables that flow) or ordering only.
type dagEdge struct {
	From string   `json:"from"`
	To   string   `json:"to"`
	Vars []string `json:"vars,omitempty"` // empty for an ordering edge
}

func dagEdges(p *pipeline.Pipeline) []dagEdge {
	var edges []dagEdge
	for _, s := range p.Steps {
		index := map[string]int{}
		for _, in := range s.Inputs {
			i, ok := index[in.From]
			if !ok {
				i = len(edges)
				index[in.From] = i
				edges = append(edges, dagEdge{From: in.From, To: s.Name})
			}
			edges[i].Vars = append(edges[i].Vars, in.Name)
		}
		for _, a := range s.After {
			if _, ok := index[a]; !ok {
				index[a] = len(edges)
				edges = append(edges, dagEdge{From: a, To: s.Name})
			}
		}
	}
	return edges
}

func dagText(w io.Writer, p *pipeline.Pipeline, edges []dagEdge) error {
	fmt.Fprintf(w, "pipeline %s\n", p.Name)
	for _, s := range p.Steps {
		var from []string
		for _, e := range edges {
			if e.To != s.Name {
				continue
			}
			if len(e.Vars) == 0 {
				from = append(from, e.From+" (after)")
			} else {
				from = append(from, e.From+" ("+strings.Join(e.Vars, ", ")+")")
			}
		}
		if len(from) == 0 {
			fmt.Fprintf(w, "  %s\n", s.Name)
		} else {
			fmt.Fprintf(w, "  %s ← %s\n", s.Name, strings.Join(from, ", "))
		}
	}
	return nil
}

func dagDot(w io.Writer, p *pipeline.Pipeline, edges []dagEdge) error {
	fmt.Fprintf(w, "digraph %q {\n  rankdir=LR;\n", p.Name)
	for _, s := range p.Steps {
		fmt.Fprintf(w, "  %q;\n", s.Name)
	}
	for _, e := range edges {
		if len(e.Vars) == 0 {
			fmt.Fprintf(w, "  %q -> %q [style=dashed];\n", e.From, e.To)
		} else {
			fmt.Fprintf(w, "  %q -> %q [label=%q];\n", e.From, e.To, strings.Join(e.Vars, ", "))
		}
	}
	_, err := io.WriteString(w, "}\n")
	return err
}

func dagMermaid(w io.Writer, p *pipeline.Pipeline, edges []dagEdge) error {
	io.WriteString(w, "flowchart LR\n")
	for _, s := range p.Steps {
		fmt.Fprintf(w, "  %s[%s]\n", s.Name, s.Name)
	}
	for _, e := range edges {
		if len(e.Vars) == 0 {
			fmt.Fprintf(w, "  %s -.-> %s\n", e.From, e.To)
		} else {
			fmt.Fprintf(w, "  %s -->|%s| %s\n", e.From, strings.Join(e.Vars, ", "), e.To)
		}
	}
	return nil
}
