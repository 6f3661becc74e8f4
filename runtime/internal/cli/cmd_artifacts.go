package cli

import (
	"context"
	"fmt"
	"text/tabwriter"
)

var artifactsCommand = &command{
	name:     "artifacts",
	args:     "RUN",
	nargs:    1,
	listing:  true,
	summary:  "List the artifacts a run's steps produced, with type, codec, size and digest.",
	examples: []example{{cmd: "artifacts latest"}, {cmd: "artifacts latest --json"}},
	run: func(ctx context.Context, c *cli, st *cmdState, args []string) error {
		_, steps, err := c.loadRun(ctx, args[0])
		if err != nil {
			return err
		}
		views := []artifactView{}
		for _, sr := range steps {
			for _, o := range displaysInOrder(sr.Outputs) {
				views = append(views, artifactView{Step: sr.Step, Name: o.Name, Type: o.Type, Codec: o.Codec,
					Size: o.Size, Digest: o.Digest})
			}
		}
		if c.json {
			return c.printJSON(views)
		}
		tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ARTIFACT\tTYPE\tCODEC\tSIZE\tDIGEST")
		for _, v := range views {
			fmt.Fprintf(tw, "%s.%s\t%s\t%s\t%d\t%s\n", v.Step, v.Name, dash(v.Type), v.Codec, v.Size, v.Digest)
		}
		return tw.Flush()
	},
}

type artifactView struct {
	Step   string `json:"step"`
	Name   string `json:"name"`
	Type   string `json:"type"`
	Codec  string `json:"codec"`
	Size   int64  `json:"size"`
	Digest string `json:"digest"`
}
