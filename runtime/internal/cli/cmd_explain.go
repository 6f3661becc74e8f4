package cli

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

var explainCommand = &command{
	name:     "explain",
	args:     "RUN STEP",
	nargs:    2,
	listing:  true,
	summary:  "Say why a step ran or was cached: which part of its cache key changed since its previous run, and what the key holds.",
	examples: []example{{cmd: "explain latest {step}"}, {cmd: "explain latest {step} --json"}},
	run: func(ctx context.Context, c *cli, st *cmdState, args []string) error {
		s, sr, err := c.openStepRun(ctx, args[0], args[1])
		if err != nil {
			return err
		}
		defer s.Close()
		e, err := explainStep(ctx, s.Meta, sr)
		if err != nil {
			return err
		}
		if c.json {
			return c.printJSON(e)
		}
		fmt.Fprintf(c.stdout, "%s in run %s: %s\n", e.Step, e.Run, e.Verdict)
		for _, ch := range e.Changes {
			fmt.Fprintf(c.stdout, "  %s\n", ch)
		}
		if len(e.Key) > 0 {
			fmt.Fprintf(c.stdout, "key %s:\n", engine.Short(sr.CacheKey))
			tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
			for _, p := range e.Key {
				fmt.Fprintf(tw, "  %s\t%s\n", p.Name, p.Value)
			}
			return tw.Flush()
		}
		return nil
	},
}

// Explanation says why a step run ran or was cached.
type Explanation struct {
	Run      string   `json:"run"`
	Step     string   `json:"step"`
	Status   string   `json:"status"`
	Verdict  string   `json:"verdict"`
	Previous string   `json:"previous_run,omitempty"`
	Changes  []string `json:"changes"`
	// Key lists every component of the step's cache key by name.
	Key []engine.NamedPart `json:"key,omitempty"`
}

func explainStep(ctx context.Context, db engine.MetadataStore, sr meta.StepRun) (Explanation, error) {
	e := Explanation{Run: sr.RunID, Step: sr.Step, Status: sr.Status, Changes: []string{}}
	if sr.Components != "" {
		cur, err := engine.DecodeComponents(sr.Components)
		if err != nil {
			return e, fmt.Errorf("step %s of run %s: stored cache components: %w", sr.Step, sr.RunID, err)
		}
		e.Key = cur.Parts()
	}
	switch {
	case sr.Status == meta.StepCached:
		e.Verdict = "cached: " + engine.ReuseReason(sr)
		return e, nil
	case sr.Components == "":
		e.Verdict = sr.Status + " before its cache key was computed"
		if sr.Error != "" {
			e.Verdict += ": " + engine.FirstLine(sr.Error)
		}
		return e, nil
	}
	cur, err := engine.DecodeComponents(sr.Components)
	if err != nil {
		return e, fmt.Errorf("step %s of run %s: stored cache components: %w", sr.Step, sr.RunID, err)
	}
	prev, err := db.PreviousKeyed(ctx, sr)
	if err != nil {
		return e, err
	}
	if prev == nil {
		e.Verdict = "ran: no previous run of this step"
		return e, nil
	}
	e.Previous = prev.RunID
	old, err := engine.DecodeComponents(prev.Components)
	if err != nil {
		return e, fmt.Errorf("step %s of run %s: stored cache components: %w", prev.Step, prev.RunID, err)
	}
	e.Changes = append(e.Changes, cur.Changes(old)...)
	switch {
	case len(e.Changes) > 0:
		e.Verdict = fmt.Sprintf("ran: %d change(s) since run %s", len(e.Changes), prev.RunID)
	case sr.CacheNote != "":
		e.Verdict = "ran with an unchanged key: " + sr.CacheNote
	case prev.Status != meta.StepSucceeded && prev.Status != meta.StepCached:
		e.Verdict = fmt.Sprintf("ran with an unchanged key: the previous run %s ended %s", prev.RunID, prev.Status)
	default:
		e.Verdict = "ran with an unchanged key"
	}
	return e, nil
}
