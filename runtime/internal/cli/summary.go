package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/layout"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
	"github.com/zengen-dev/zengen/runtime/internal/valuetext"
)

// A run ends with what it produced, so that nobody has to run show and cat
// to see whether it went well: every metric, and the results of its final
// steps (those no other step of the run reads from), each on one line when
// it fits, else the command that shows it. Cached steps count like the
// others: a run that reused everything still ends with its results.

// summaryValueBytes bounds the artifacts the summary reads: a larger one
// cannot fit a line anyway.
const summaryValueBytes = 1 << 10

// summaryWidth bounds a value shown in the summary, in bytes.
const summaryWidth = 72

// summarize writes the summary of a finished run: one line per metric,
// then one per result of a final step that is not a metric.
func (c *cli) summarize(ctx context.Context, st *engine.Store, runID string, w io.Writer) error {
	steps, err := st.Meta.StepRuns(ctx, runID)
	if err != nil {
		return err
	}
	var lines []string
	for _, sr := range steps {
		for _, m := range sr.Metrics {
			lines = append(lines, fmt.Sprintf("  metric %s.%s = %s", sr.Step, m.Name, formatMetric(m.Value)))
		}
	}
	for _, sr := range finalSteps(c, steps) {
		for _, o := range sr.Outputs {
			if slices.ContainsFunc(sr.Metrics, func(m meta.Metric) bool { return m.Name == o.Name }) {
				continue // shown as a metric
			}
			lines = append(lines, fmt.Sprintf("  result %s.%s = %s", sr.Step, o.Name, c.briefly(ctx, st, sr, o)))
		}
	}
	if len(lines) == 0 {
		return nil
	}
	_, err = io.WriteString(w, strings.Join(lines, "\n")+"\n")
	return err
}

// finalSteps are the succeeded or cached steps of a run whose outputs no
// other step of the run reads, in the run's order.
func finalSteps(c *cli, steps []meta.StepRun) []meta.StepRun {
	inRun := map[string]bool{}
	for _, sr := range steps {
		inRun[sr.Step] = true
	}
	read := map[string]bool{}
	for _, s := range c.p.Steps {
		if !inRun[s.Name] {
			continue
		}
		for _, in := range s.Inputs {
			read[in.From] = true
		}
		for _, a := range s.After {
			read[a] = true
		}
	}
	var out []meta.StepRun
	for _, sr := range steps {
		if !read[sr.Step] && (sr.Status == meta.StepSucceeded || sr.Status == meta.StepCached) {
			out = append(out, sr)
		}
	}
	return out
}

// briefly shows an artifact on one line: as cat shows it, compacted, when
// that is short, strings quoted so that their ends show; otherwise its
// size and the cat command that shows it.
func (c *cli) briefly(ctx context.Context, st *engine.Store, sr meta.StepRun, o meta.Artifact) string {
	more := fmt.Sprintf("%s (%s, %d bytes): %s cat %s %s.%s", o.Type, o.Codec, o.Size, c.prog, sr.RunID, sr.Step, o.Name)
	if o.Size > summaryValueBytes {
		return more
	}
	r, err := st.Artifacts.Open(ctx, o)
	if err != nil {
		return more
	}
	defer r.Close()
	// Only a value decoded by the type that wrote it: else the cat
	// command, which says why it cannot show the value.
	var show func(codec string, r io.Reader) (any, error)
	if out, ok := c.outputOf(sr.Step, o.Name); ok {
		var verdict pipeline.TypeVerdict
		if show, verdict = out.TypeCheck(o.Codec, o.TypeHash); verdict != pipeline.TypeSame {
			return more
		}
	}
	var b bytes.Buffer
	if err := DisplayArtifact(&b, o.Codec, r, show); err != nil {
		return more
	}
	text := strings.TrimSuffix(b.String(), "\n")
	switch o.Codec {
	case layout.Raw, layout.Error:
		text = valuetext.Quote(text)
	default:
		var compact bytes.Buffer
		if json.Compact(&compact, []byte(text)) == nil {
			text = compact.String()
		}
	}
	if strings.Contains(text, "\n") || len(text) > summaryWidth {
		return more
	}
	return text
}
