package ui

import (
	"html/template"
	"net/http"

	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// The pipeline page documents a pipeline: the notebook's markdown before
// each step, rendered, the DAG (each node coloured by the step's status in
// the latest run), and each step's history over the latest runs. Only the
// binary's own pipeline has its notebook's documentation; another
// pipeline in a shared store is shown from its records.
//
// DOM hooks: the DAG of parts/dag.html; one section.pipeline-step
// #doc-NAME[data-step] per step, holding div.doc (the rendered markdown)
// and div.history with one a[data-run][data-status] per recent run.

// historyRuns is how many of the latest runs the history shows.
const historyRuns = 30

type pipelineData struct {
	Name, Notebook string
	Described      bool // the binary describes this pipeline
	Doc            template.HTML
	DAG            dagView
	Steps          []pipelineStep
	Runs           string // the runs page filtered to this pipeline
}

type pipelineStep struct {
	Name, Pos string
	Doc       template.HTML
	Inputs    []pipeline.Input
	Outputs   []pipeline.Output
	Params    []string
	History   []historyCell
}

type historyCell struct {
	Run, Status, Duration string
}

func (s *Server) pipelinePage(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	pipes, err := s.db.Pipelines(r.Context())
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, err.Error())
		return
	}
	d := pipelineData{Name: name, Runs: runsFilter{Pipeline: name, Limit: pageSize}.url("")}
	found := false
	for _, p := range pipes {
		if p.Name == name {
			found, d.Notebook = true, p.Notebook
		}
	}
	if !found && name != s.p.Name {
		s.fail(w, r, http.StatusNotFound, "the store has no pipeline "+name)
		return
	}
	history, err := s.db.StepHistory(r.Context(), name, historyRuns)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, err.Error())
		return
	}
	cells := map[string][]historyCell{}
	latest := map[string]string{}
	var order []string // steps as runs recorded them, for a pipeline the binary does not describe
	for _, h := range history {
		if _, ok := cells[h.Step]; !ok {
			order = append(order, h.Step)
		}
		cells[h.Step] = append(cells[h.Step], historyCell{Run: h.Run, Status: h.Status,
			Duration: duration(meta.FromNanos(h.StartedAt), meta.FromNanos(h.EndedAt))})
		if _, ok := latest[h.Step]; !ok {
			latest[h.Step] = h.Status
		}
	}
	var g graph
	if name == s.p.Name {
		d.Described, d.Notebook = true, s.p.Notebook
		d.Doc = renderMarkdown(s.p.Doc)
		g = pipelineGraph(s.p)
		for _, st := range s.p.Steps {
			d.Steps = append(d.Steps, pipelineStep{Name: st.Name, Pos: st.Pos, Doc: renderMarkdown(st.Doc),
				Inputs: st.Inputs, Outputs: st.Outputs, Params: st.Params, History: cells[st.Name]})
		}
	} else {
		g.Steps = order
		for _, st := range order {
			d.Steps = append(d.Steps, pipelineStep{Name: st, History: cells[st]})
		}
	}
	d.DAG = layoutDAG(g, func(step string) string {
		if st, ok := latest[step]; ok {
			return st
		}
		return "pending"
	}, func(step string) string { return "#doc-" + step })
	s.render(w, r, "pipeline.html", layout{Title: name, Nav: name, Data: d})
}
