package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// The runs page lists the store's runs newest first, a page at a time,
// filtered by pipeline, status, a param's value and a metric's range. The
// store pages and filters; this file only lays the page out.
//
// DOM hooks for browser tests: table#runs, one tr.run[data-run=ID]
// [data-status=STATUS] per run, td.metric[data-metric=STEP.NAME] per
// metric cell, td.param[data-param=NAME] per param cell, a#older for the
// next page, form#filters, form#compare with checkboxes name=run.

// pageSize is how many runs a page shows unless ?limit= says otherwise.
const (
	pageSize    = 50
	maxPageSize = 500
)

// runsFilter is the runs page's query string.
type runsFilter struct {
	Pipeline, Status, Param, Metric string
	Limit                           int
}

// runsData is what runs.html shows.
type runsData struct {
	Filter    runsFilter
	Problem   string // why the filter could not be applied
	Statuses  []string
	Pipelines []string
	Params    []string // param columns, in the order first seen
	Metrics   []pipeline.MetricColumn
	Runs      []runRow
	Older     string // URL of the next page, "" on the last
	Newest    string // URL of the first page, "" on it
}

type runRow struct {
	meta.Run
	Params  map[string]string
	Metrics map[string]float64
}

func (s *Server) runsPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := runsFilter{Pipeline: q.Get("pipeline"), Status: q.Get("status"),
		Param: strings.TrimSpace(q.Get("param")), Metric: strings.TrimSpace(q.Get("metric"))}
	f.Limit, _ = strconv.Atoi(q.Get("limit"))
	if f.Limit <= 0 {
		f.Limit = pageSize
	}
	f.Limit = min(f.Limit, maxPageSize)
	data := runsData{Filter: f, Statuses: statusWords}
	pipes, err := s.db.Pipelines(r.Context())
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, err.Error())
		return
	}
	var names []string
	for _, p := range pipes {
		names = append(names, p.Name)
	}
	data.Pipelines = names
	mq, err := f.query()
	if mq.Pipeline == "" && len(names) == 1 {
		// The same runs, read through the store's index by pipeline
		// instead of sorted from all of them.
		mq.Pipeline = names[0]
	}
	if err == nil {
		mq.Before = q.Get("before")
		// One more than the page: whether it exists says if there is an
		// older page.
		mq.Limit = f.Limit + 1
		var runs []meta.Run
		runs, err = s.db.QueryRuns(r.Context(), mq)
		if err == nil {
			if len(runs) > f.Limit {
				runs = runs[:f.Limit]
				data.Older = f.url(runs[len(runs)-1].ID)
			}
			if mq.Before != "" {
				data.Newest = f.url("")
			}
			err = s.fillRuns(r, &data, runs)
		}
	}
	if err != nil {
		data.Problem = err.Error()
	}
	s.render(w, r, "runs.html", layout{Title: "Runs", Nav: "runs", Pipelines: names, Data: data})
}

// query turns the page's filter into the store's query.
func (f runsFilter) query() (meta.RunQuery, error) {
	q := meta.RunQuery{Pipeline: f.Pipeline, Status: f.Status}
	if f.Param != "" {
		name, value, ok := strings.Cut(f.Param, "=")
		if !ok {
			return q, fmt.Errorf("param filter %q: want NAME=VALUE", f.Param)
		}
		q.Param, q.ParamJSON = strings.TrimSpace(name), paramJSON(strings.TrimSpace(value))
	}
	if f.Metric != "" {
		key, op, value, err := splitComparison(f.Metric)
		if err != nil {
			return q, err
		}
		q.Metric, q.MetricOp, q.MetricValue = key, op, value
	}
	return q, meta.CheckRunQuery(q)
}

// paramJSON is the JSON a typed param value stands for: itself when it is
// JSON (a number, true, a quoted string…), else the string it spells, so
// that optimizer=adam finds "adam".
func paramJSON(v string) string {
	if json.Valid([]byte(v)) {
		return v
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// splitComparison reads STEP.NAME OP NUMBER.
func splitComparison(s string) (key, op string, value float64, err error) {
	i := strings.IndexAny(s, "<>=")
	if i < 0 {
		return "", "", 0, fmt.Errorf("metric filter %q: want STEP.NAME, a comparison (< <= = >= >) and a number, as train.loss<0.5", s)
	}
	key, op = strings.TrimSpace(s[:i]), s[i:i+1]
	rest := s[i+1:]
	if strings.HasPrefix(rest, "=") && op != "=" {
		op, rest = op+"=", rest[1:]
	}
	if !strings.Contains(key, ".") {
		return "", "", 0, fmt.Errorf("metric filter %q: name the metric as STEP.NAME", s)
	}
	value, err = strconv.ParseFloat(strings.TrimSpace(rest), 64)
	if err != nil {
		return "", "", 0, fmt.Errorf("metric filter %q: %q is not a number", s, strings.TrimSpace(rest))
	}
	return key, op, value, nil
}

// url is the runs page with this filter, starting after run before.
func (f runsFilter) url(before string) string {
	v := url.Values{}
	for k, x := range map[string]string{"pipeline": f.Pipeline, "status": f.Status, "param": f.Param, "metric": f.Metric, "before": before} {
		if x != "" {
			v.Set(k, x)
		}
	}
	if f.Limit != pageSize {
		v.Set("limit", strconv.Itoa(f.Limit))
	}
	if len(v) == 0 {
		return "/"
	}
	return "/?" + v.Encode()
}

// fillRuns adds the page's runs with their params and metrics, and the
// columns they need.
func (s *Server) fillRuns(r *http.Request, data *runsData, runs []meta.Run) error {
	ids := make([]string, len(runs))
	for i, run := range runs {
		ids[i] = run.ID
	}
	var ms []meta.RunMetric
	if len(ids) > 0 {
		var err error
		if ms, err = s.db.RunMetrics(r.Context(), ids); err != nil {
			return err
		}
	}
	byRun := map[string]map[string]float64{}
	seen := map[string]bool{}
	for _, m := range ms {
		key := m.Step + "." + m.Name
		if byRun[m.Run] == nil {
			byRun[m.Run] = map[string]float64{}
		}
		byRun[m.Run][key] = m.Value
		seen[key] = true
	}
	data.Metrics = s.p.MetricColumns(seen)
	params := map[string]bool{}
	for _, run := range runs {
		names, values := paramValues(run.Params)
		for _, n := range names {
			if !params[n] {
				params[n] = true
				data.Params = append(data.Params, n)
			}
		}
		data.Runs = append(data.Runs, runRow{Run: run, Params: values, Metrics: byRun[run.ID]})
	}
	return nil
}

// paramValues reads a run's params (a JSON object) into its names, in the
// object's order, and their values as compact text: strings bare,
// everything else as JSON.
func paramValues(raw string) ([]string, map[string]string) {
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, nil
	}
	var names []string
	values := map[string]string{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			break
		}
		name, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			break
		}
		names = append(names, name)
		values[name] = compactJSON(v)
	}
	return names, values
}

func compactJSON(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	var b bytes.Buffer
	if json.Compact(&b, v) != nil {
		return string(v)
	}
	return b.String()
}
