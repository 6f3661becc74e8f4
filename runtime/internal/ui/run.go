package ui

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"unicode/utf8"

	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// The run page: a run's facts, its DAG coloured by status, and a section
// per step (duration, cache decision, params used, metrics, artifacts,
// error with its notebook cell, log). While the run is running the page
// listens to /runs/ID/events (live.go) and live.js redraws it.
//
// DOM hooks: main#main[data-live=URL] while running; span#run-status
// [data-status]; the DAG of parts/dag.html; one section.step#step-NAME
// [data-step][data-status] per step, holding .step-status, .duration,
// .decision, table.metrics, ul.outputs a.artifact, pre.log, .step-error.

// maxLog is how much of a step's log the run page shows: the end of it,
// where failures are. `NAME logs RUN STEP` prints all of it.
const maxLog = 64 << 10

type runData struct {
	Run     meta.Run
	Params  []param
	DAG     dagView
	Steps   []stepView
	Live    string // the events URL while the run is running
	Compare string
}

type param struct{ Name, Value string }

// stepView is one step of a run as the page shows it.
type stepView struct {
	meta.StepRun
	RunStatus string
	Recorded  bool   // the store has a record of the step in this run
	Pos       string // where the step is in the notebook, from the pipeline's description
	Decision  string // why it ran or was cached, when that is cheap to say
	// ExplainURL, when set, says why the step ran: explain compares its
	// key with its previous run's, a lookup that costs too much to repeat
	// for every step of every page view.
	ExplainURL string
	Params     []param
	Truncated  int64  // bytes of log left out at its start
	LogFrom    string // the run whose log of the step this is, when it was cached
	// LiveLog is set for a running step: Log is its output so far, as
	// the run last saved it, which live.js keeps current.
	LiveLog bool
}

func (s *Server) runPage(w http.ResponseWriter, r *http.Request) {
	data, err := s.runData(r.Context(), r.PathValue("id"))
	if errors.Is(err, meta.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, err.Error())
		return
	}
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, err.Error())
		return
	}
	s.render(w, r, "run.html", layout{Title: "Run " + data.Run.ID, Nav: data.Run.Pipeline, Data: data})
}

// stepFragment is one step's section of the run page alone: live.js swaps
// it in when the step's status changes.
func (s *Server) stepFragment(w http.ResponseWriter, r *http.Request) {
	data, err := s.runData(r.Context(), r.PathValue("id"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	for _, st := range data.Steps {
		if st.Step == r.PathValue("step") {
			s.renderPart(w, "run.html", "step", st)
			return
		}
	}
	http.Error(w, "no such step", http.StatusNotFound)
}

// runData reads a run and its steps: the run's row and its steps' states
// in one cheap query each, then each step's record.
func (s *Server) runData(ctx context.Context, id string) (runData, error) {
	run, states, err := s.db.RunState(ctx, id)
	if err != nil {
		return runData{}, err
	}
	full, err := s.db.ResolveRun(ctx, run.Pipeline, id)
	if err != nil {
		return runData{}, err
	}
	full.Status, full.Error = run.Status, run.Error
	d := runData{Run: full, Compare: "/compare?" + url.Values{"run": {id}}.Encode()}
	names, values := paramValues(full.Params)
	for _, n := range names {
		d.Params = append(d.Params, param{n, values[n]})
	}
	var def *pipeline.Pipeline
	if run.Pipeline == s.p.Name {
		def = s.p
	}
	live := map[string]meta.LiveLog{}
	if run.Status == meta.RunRunning {
		logs, err := s.db.LiveLogs(ctx, id)
		if err != nil {
			return runData{}, err
		}
		for _, l := range logs {
			live[l.Step] = l
		}
	}
	records := map[string]meta.StepRun{}
	var recorded []meta.StepRun
	for _, st := range states {
		sr, err := s.db.StepRun(ctx, id, st.Step)
		if err != nil {
			return runData{}, err
		}
		if run.Status == meta.RunInterrupted && sr.Status == meta.StepRunning {
			sr.Status = meta.StepInterrupted
		}
		records[st.Step] = sr
		recorded = append(recorded, sr)
	}
	if def != nil && !describes(def, recorded) {
		// The run is of another version of the pipeline: what it
		// recorded is what it ran.
		def = nil
	}
	var g graph
	if def != nil {
		g = pipelineGraph(def)
	} else {
		g = recordedGraph(recorded)
	}
	for _, name := range g.Steps {
		v := stepView{RunStatus: run.Status}
		sr, ok := records[name]
		if ok {
			v.StepRun, v.Recorded = sr, true
		} else {
			v.Step, v.Status = name, notRun(run.Status)
		}
		if def != nil {
			for _, ps := range def.Steps {
				if ps.Name == name {
					v.Pos = ps.Pos
					for _, pn := range ps.Params {
						v.Params = append(v.Params, param{pn, values[pn]})
					}
				}
			}
		}
		if ok && v.Status == meta.StepRunning && run.Status == meta.RunRunning {
			l := live[name]
			v.Log, v.Truncated, v.LiveLog = l.Text, l.LeftOut, true
		}
		if ok {
			if err := s.explainStep(ctx, &v); err != nil {
				return runData{}, err
			}
		}
		d.Steps = append(d.Steps, v)
	}
	status := map[string]string{}
	for _, v := range d.Steps {
		status[v.Step] = v.Status
	}
	d.DAG = layoutDAG(g, func(step string) string { return status[step] }, func(step string) string { return "#step-" + step })
	if run.Status == meta.RunRunning {
		d.Live = "/runs/" + url.PathEscape(id) + "/events"
	}
	return d, nil
}

// describes reports whether every step a run recorded is a step of p.
func describes(p *pipeline.Pipeline, recorded []meta.StepRun) bool {
	names := map[string]bool{}
	for _, s := range p.Steps {
		names[s.Name] = true
	}
	for _, sr := range recorded {
		if !names[sr.Step] {
			return false
		}
	}
	return true
}

// notRun is the status shown for a step with no record in a run: pending
// while the run goes on, else not run.
func notRun(runStatus string) string {
	if runStatus == meta.RunRunning {
		return "pending"
	}
	return "skipped"
}

// explain is the step's explanation, or why there is none.
func (s *Server) explain(ctx context.Context, sr meta.StepRun) string {
	if s.opts.Explain == nil {
		return ""
	}
	why, err := s.opts.Explain(ctx, sr)
	if err != nil {
		return "cannot say: " + err.Error()
	}
	return why
}

// explainPage says why a step ran, as text: the run page loads it when
// asked.
func (s *Server) explainPage(w http.ResponseWriter, r *http.Request) {
	sr, err := s.db.StepRun(r.Context(), r.PathValue("id"), r.PathValue("step"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, s.explain(r.Context(), sr)+"\n")
}

// explainStep fills a recorded step's cache decision and the log it
// shows: a cached step's log is the one recorded when it ran.
func (s *Server) explainStep(ctx context.Context, v *stepView) error {
	switch {
	case v.Status == meta.StepRunning:
		v.Decision = "running"
	case v.Status == meta.StepCached || v.Components == "":
		v.Decision = s.explain(ctx, v.StepRun)
	case s.opts.Explain != nil:
		v.ExplainURL = "/runs/" + url.PathEscape(v.RunID) + "/steps/" + url.PathEscape(v.Step) + "/explain"
	}
	if v.CachedFrom != "" && v.Log == "" {
		ran, err := s.db.StepRun(ctx, v.CachedFrom, v.Step)
		if err == nil {
			v.Log, v.LogFrom = ran.Log, v.CachedFrom
		}
	}
	if len(v.Log) > maxLog {
		cut := len(v.Log) - maxLog
		for cut < len(v.Log) && !utf8.RuneStart(v.Log[cut]) {
			cut++
		}
		v.Truncated, v.Log = v.Truncated+int64(cut), v.Log[cut:]
	}
	return nil
}
