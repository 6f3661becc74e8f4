package temporal

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/pflag"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"

	"github.com/zengen-dev/zengen/runtime/internal/cli"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// scheduleFlags are the schedule command's flags.
var scheduleFlags struct {
	conn    connection
	cron    string
	every   time.Duration
	overlap string
}

// overlapPolicies are --overlap's values: what a firing does while the
// schedule's previous run still runs.
var overlapPolicies = map[string]enumspb.ScheduleOverlapPolicy{
	"skip":            enumspb.SCHEDULE_OVERLAP_POLICY_SKIP,
	"buffer-one":      enumspb.SCHEDULE_OVERLAP_POLICY_BUFFER_ONE,
	"buffer-all":      enumspb.SCHEDULE_OVERLAP_POLICY_BUFFER_ALL,
	"cancel-other":    enumspb.SCHEDULE_OVERLAP_POLICY_CANCEL_OTHER,
	"terminate-other": enumspb.SCHEDULE_OVERLAP_POLICY_TERMINATE_OTHER,
	"allow-all":       enumspb.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL,
}

var scheduleCommand = cli.Command{
	Name:    "schedule",
	Args:    "create NAME | list | delete NAME",
	Summary: "Start runs on Temporal at set times (Temporal Schedules); workers run them as any other.",
	NArgs:   -1,
	Examples: [][2]string{
		{`schedule create nightly --cron "0 3 * * *"`, "a run every day at 03:00 UTC, default params"},
		{"schedule create hourly --every 1h {params}", "a run every hour with these params"},
		{"schedule list", "this pipeline's schedules and when each fires next"},
		{"schedule delete nightly", "no more runs from it; its runs stay recorded"},
	},
	Flags: func(fs *pflag.FlagSet) {
		connectionFlags(fs, &scheduleFlags.conn)
		fs.StringVar(&scheduleFlags.cron, "cron", "", "with create: fire at the times of the cron `SPEC` (UTC)")
		fs.DurationVar(&scheduleFlags.every, "every", 0, "with create: fire every `DURATION`")
		fs.StringVar(&scheduleFlags.overlap, "overlap", "skip", "with create: when a firing finds the previous run still running, `POLICY` skip, buffer-one, buffer-all, cancel-other, terminate-other or allow-all")
	},
	Params: true,
	Run:    runSchedule,
}

// scheduleNames are what a schedule may be named: they end its id.
var scheduleNames = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// scheduleID is the schedule's id in the namespace: the pipeline's name
// keeps two pipelines' schedules of the same name apart.
func scheduleID(p *pipeline.Pipeline, name string) string {
	return "zen/" + p.Name + "/" + name
}

func runSchedule(ctx context.Context, env cli.Env, args []string) error {
	sf := scheduleFlags
	sf.conn = sf.conn.resolved()
	verb := ""
	if len(args) > 0 {
		verb = args[0]
	}
	want := map[string]int{"create": 2, "list": 1, "delete": 2}[verb]
	if want == 0 || len(args) != want {
		return fmt.Errorf("schedule takes create NAME, list or delete NAME, not %q", strings.Join(args, " "))
	}
	if verb != "create" && (sf.cron != "" || sf.every != 0) {
		return fmt.Errorf("--cron and --every go with schedule create")
	}
	if want == 2 && !scheduleNames.MatchString(args[1]) {
		return fmt.Errorf("schedule name %q: use letters, digits, '_', '.' and '-'", args[1])
	}
	cl, err := sf.conn.dial()
	if err != nil {
		return err
	}
	defer cl.Close()
	sc := cl.ScheduleClient()
	switch verb {
	case "create":
		return createSchedule(ctx, env, sc, sf.conn, args[1])
	case "delete":
		if err := sc.GetHandle(ctx, scheduleID(env.Pipeline, args[1])).Delete(ctx); err != nil {
			var nf *serviceerror.NotFound
			if errors.As(err, &nf) {
				return fmt.Errorf("no schedule %s of %s on %s (namespace %s)", args[1], env.Pipeline.Name, sf.conn.hostPort, sf.conn.namespace)
			}
			return fmt.Errorf("deleting schedule %s: %w", args[1], err)
		}
		fmt.Fprintf(env.Stderr, "schedule %s deleted; the runs it started stay recorded\n", args[1])
		return nil
	}
	return listSchedules(ctx, env, sc)
}

// Memo keys of a schedule: what it was created with, for list (the
// server reports a cron spec back as calendar fields).
const (
	memoWhen   = "zen.when"
	memoParams = "zen.params"
)

func createSchedule(ctx context.Context, env cli.Env, sc client.ScheduleClient, conn connection, name string) error {
	sf := scheduleFlags
	overlap, ok := overlapPolicies[sf.overlap]
	if !ok {
		return fmt.Errorf("--overlap %q: use skip, buffer-one, buffer-all, cancel-other, terminate-other or allow-all", sf.overlap)
	}
	var spec client.ScheduleSpec
	var when string
	switch {
	case (sf.cron == "") == (sf.every == 0):
		return fmt.Errorf("schedule create takes one of --cron SPEC and --every DURATION")
	case sf.cron != "":
		spec.CronExpressions, when = []string{sf.cron}, "cron "+sf.cron
	case sf.every < time.Second:
		return fmt.Errorf("--every %s: a schedule fires at most once a second", sf.every)
	default:
		spec.Intervals, when = []client.ScheduleIntervalSpec{{Every: sf.every}}, "every "+sf.every.String()
	}
	p := env.Pipeline
	queue := conn.queue(p)
	h, err := sc.Create(ctx, client.ScheduleOptions{
		ID:      scheduleID(p, name),
		Spec:    spec,
		Overlap: overlap,
		Action: &client.ScheduleWorkflowAction{
			ID:        "zen-schedule-" + p.Name + "-" + name,
			Workflow:  scheduledWorkflowName,
			Args:      []any{Scheduled{Schedule: name, Params: env.Params}},
			TaskQueue: queue,
		},
		Memo: map[string]any{memoWhen: when, memoParams: engine.ParamsJSON(env.Params)},
	})
	if err != nil {
		if errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
			return fmt.Errorf("schedule %s of %s exists already: delete it first", name, p.Name)
		}
		return fmt.Errorf("creating schedule %s: %w", name, err)
	}
	next := ""
	if d, err := h.Describe(ctx); err == nil && len(d.Info.NextActionTimes) > 0 {
		next = ", first at " + d.Info.NextActionTimes[0].UTC().Format(time.DateTime) + " UTC"
	}
	fmt.Fprintf(env.Stderr, "schedule %s: a run %s%s, overlap %s, params %s, on task queue %s; workers of this version of %s run them\n",
		name, when, next, sf.overlap, engine.ParamsJSON(env.Params), queue, p.Name)
	return nil
}

// listSchedules prints this pipeline's schedules in the namespace. The
// server's list may lag a create or delete by a second or so.
func listSchedules(ctx context.Context, env cli.Env, sc client.ScheduleClient) error {
	it, err := sc.List(ctx, client.ScheduleListOptions{})
	if err != nil {
		return fmt.Errorf("listing schedules: %w", err)
	}
	prefix := scheduleID(env.Pipeline, "")
	type row struct{ name, when, next, params string }
	var rows []row
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			return fmt.Errorf("listing schedules: %w", err)
		}
		name, ok := strings.CutPrefix(e.ID, prefix)
		if !ok {
			continue
		}
		r := row{name: name, when: memoString(e, memoWhen), next: "-", params: memoString(e, memoParams)}
		if len(e.NextActionTimes) > 0 {
			r.next = e.NextActionTimes[0].UTC().Format(time.DateTime)
		}
		if e.Paused {
			r.next = "paused"
		}
		rows = append(rows, r)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].name < rows[j].name })
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SCHEDULE\tWHEN\tNEXT (UTC)\tPARAMS")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.name, r.when, r.next, r.params)
	}
	return tw.Flush()
}

func memoString(e *client.ScheduleListEntry, key string) string {
	var s string
	if e.Memo == nil || e.Memo.Fields[key] == nil {
		return "?"
	}
	if err := converter.GetDefaultDataConverter().FromPayload(e.Memo.Fields[key], &s); err != nil {
		return "?"
	}
	return s
}
