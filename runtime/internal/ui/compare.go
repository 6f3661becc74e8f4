package ui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// The compare page lays runs side by side: params and metrics with the
// values that differ from the first run marked, a chart per metric across
// the runs (along run order or a chosen param), and the steps whose code
// or inputs differ, as explain words it (engine.CompareRuns). It is a GET
// of /compare?run=A&run=B…&x=PARAM: it changes nothing. Runs are shown
// oldest first and numbered #1, #2… on the page and the charts.
//
// Params and metrics are sections of the runs' table, so that each run's
// values sit under its header.
//
// DOM hooks for browser tests: table#compare-runs with th[data-run] per
// run; its tbody#compare-params with tr.param[data-param] (class differs
// when a value differs) and td.v[data-run] (class changed when it differs
// from the first run); its tbody#compare-metrics with
// tr.metric[data-metric] and td.v[data-run]; form#compare-x with select#x; svg.metric-chart
// [data-metric] per metric, with a circle.point[data-run] per run;
// table#compare-steps with tr.step[data-step] (class differs) and
// td.v[data-run] holding li.change items.

// maxCompared bounds the runs of one comparison: columns past it would
// not fit a screen anyway.
const maxCompared = 50

type compareData struct {
	Runs     []numberedRun
	Cols     int // the runs' table's columns: a name's and one per run
	Problem  string
	Params   []compareRow
	Metrics  []compareRow
	Steps    []stepCompareRow
	X        string   // the param along x, "" for run order
	XChoices []string // the params one may choose
	Charts   []metricChartData
	RunQuery string // run=A&run=B…, to link back with another x
}

// numberedRun is a compared run with its number on the page, from 1.
type numberedRun struct {
	meta.Run
	N int
}

type compareRow struct {
	Name    string
	Differs bool
	Cells   []compareCell
}

type compareCell struct {
	Run     string
	Text    string
	Missing bool
	Changed bool // differs from the first run's
}

type stepCompareRow struct {
	Step    string
	Differs bool
	Cells   []stepCell
}

type stepCell struct {
	Run     string
	Status  string
	Changes []string
}

type metricChartData struct {
	Name    string
	Chart   *chart
	Skipped int
}

func (s *Server) compareRoutes() {
	s.mux.HandleFunc("GET /compare", s.comparePage)
}

func (s *Server) comparePage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var ids []string
	for _, id := range q["run"] {
		if id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	var d compareData
	var problems []string
	if len(ids) > maxCompared {
		problems = append(problems, fmt.Sprintf("%d runs chosen: the first %d are compared.", len(ids), maxCompared))
		ids = ids[:maxCompared]
	}
	var runs []meta.Run
	var steps [][]meta.StepRun
	var missing []string
	for _, id := range ids {
		run, srs, err := s.loadRun(r, id)
		if errors.Is(err, meta.ErrNotFound) {
			missing = append(missing, id)
			continue
		}
		if err != nil {
			s.fail(w, r, http.StatusInternalServerError, err.Error())
			return
		}
		runs, steps = append(runs, run), append(steps, srs)
	}
	// Oldest first: the first run is the baseline, and run order on a
	// chart is the order the runs were made in.
	order := make([]int, len(runs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return runs[order[a]].StartedAt.Before(runs[order[b]].StartedAt) })
	sortedRuns, sortedSteps := make([]meta.Run, len(runs)), make([][]meta.StepRun, len(runs))
	for i, j := range order {
		sortedRuns[i], sortedSteps[i] = runs[j], steps[j]
	}
	runs, steps = sortedRuns, sortedSteps
	if len(missing) > 0 {
		problems = append(problems, fmt.Sprintf("No run %s in this store.", strings.Join(missing, ", ")))
	}
	d.Problem = strings.Join(problems, " ")
	v := url.Values{}
	for _, run := range runs {
		v.Add("run", run.ID)
	}
	d.RunQuery = v.Encode()
	for i, run := range runs {
		d.Runs = append(d.Runs, numberedRun{run, i + 1})
	}
	d.Cols = len(runs) + 1
	if len(runs) > 0 {
		d.fill(engine.CompareRuns(runs, steps), q.Get("x"))
	}
	s.render(w, r, "compare.html", layout{Title: "Compare runs", Nav: "runs", Data: d})
}

// loadRun reads a run's record and its steps' records.
func (s *Server) loadRun(r *http.Request, id string) (meta.Run, []meta.StepRun, error) {
	state, _, err := s.db.RunState(r.Context(), id)
	if err != nil {
		return meta.Run{}, nil, err
	}
	run, err := s.db.ResolveRun(r.Context(), state.Pipeline, id)
	if err != nil {
		return meta.Run{}, nil, err
	}
	srs, err := s.db.StepRuns(r.Context(), id)
	return run, srs, err
}

// fill lays out a comparison for the page, with charts along x.
func (d *compareData) fill(c engine.Comparison, x string) {
	ids := make([]string, len(c.Runs))
	for i, run := range c.Runs {
		ids[i] = run.ID
	}
	axis := runOrderAxis(ids)
	for _, p := range c.Params {
		row := compareRow{Name: p.Name, Differs: p.Differs}
		for i, v := range p.Values {
			row.Cells = append(row.Cells, compareCell{Run: ids[i], Text: v, Missing: v == "", Changed: v != p.Values[0]})
		}
		d.Params = append(d.Params, row)
		d.XChoices = append(d.XChoices, p.Name)
		if p.Name == x {
			d.X, axis = x, paramAxis(x, p.Values)
		}
	}
	for _, m := range c.Metrics {
		row := compareRow{Name: m.Name, Differs: m.Differs}
		for i, v := range m.Values {
			cell := compareCell{Run: ids[i], Text: metricText(v), Missing: !m.Has[i]}
			cell.Changed = m.Has[i] != m.Has[0] || cell.Text != metricText(m.Values[0])
			row.Cells = append(row.Cells, cell)
		}
		d.Metrics = append(d.Metrics, row)
		ch, skipped := metricChart(ids, m.Values, m.Has, axis)
		d.Charts = append(d.Charts, metricChartData{Name: m.Name, Chart: ch, Skipped: skipped})
	}
	for _, st := range c.Steps {
		row := stepCompareRow{Step: st.Step, Differs: st.Differs}
		for i := range ids {
			row.Cells = append(row.Cells, stepCell{Run: ids[i], Status: st.Statuses[i], Changes: st.Changes[i]})
		}
		d.Steps = append(d.Steps, row)
	}
}
