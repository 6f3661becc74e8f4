package zentest

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/zengen-dev/zengen/runtime"
)

// Result is one finished run of a pipeline in a store of its own.
type Result struct {
	// Home is the store the run was recorded in, a directory under the
	// test's TempDir.
	Home string
	// Terminal is what the run printed to stdout: each step's lines behind
	// its name, "[train] loss 0.25".
	Terminal string
	// Progress is what the run printed to stderr: progress and errors.
	Progress string

	t testing.TB
	p *runtime.Pipeline
}

// Run runs p with its default params plus args in a fresh store under
// t.TempDir() and fails t (with the run's stderr) if the run fails. args are
// flags of the generated binary's run command, such as "--epochs=5".
//
// Run also proves that every artifact of the run can be stored: each
// output a step saves is decoded again from the store and compared with
// the value the step saved (every field, unexported ones too; NaN equals
// NaN; a nil and an empty slice differ). Each mismatch fails t, naming the
// step, the output and the first field that differs.
//
// The run command fills p.Params from the flags; Run puts the defaults
// back afterwards, so that a later Run with the same p starts from them
// again. Parallel tests must not share one p: each calls the generated
// Pipeline function for its own.
func Run(t testing.TB, p *runtime.Pipeline, args ...string) *Result {
	t.Helper()
	r := &Result{Home: t.TempDir(), t: t, p: p}
	restore := saveParams(p)
	defer restore()
	cmd := append([]string{"run", "--home", r.Home}, args...)
	check := &storability{}
	stdout, stderr, code := r.execContext(runtime.WithSaveObserver(t.Context(), check.observe), cmd...)
	r.Terminal, r.Progress = stdout, stderr
	check.report(t)
	if code != 0 {
		t.Fatalf("zentest: %s %s exited with status %d\nstderr:\n%s\nstdout:\n%s",
			p.Name, strings.Join(cmd, " "), code, indent(stderr), indent(stdout))
	}
	return r
}

// Stdout returns what step printed to stdout during the run, as `logs
// latest STEP --stdout` shows it, and fails the test if the step has no
// record in the run.
func (r *Result) Stdout(step string) string {
	r.t.Helper()
	return r.query("logs", "latest", step, "--stdout")
}

// Log returns everything step printed during the run, stdout and stderr in
// the order printed, as `logs latest STEP` shows it.
func (r *Result) Log(step string) string {
	r.t.Helper()
	return r.query("logs", "latest", step)
}

// Artifact returns artifact ref ("STEP.VAR", or "STEP" for a step's only
// artifact) as `cat latest STEP.VAR` prints it: JSON indented, raw text as it is, numeric slices as a JSON
// array. The form is stable, which makes it fit for golden files.
func (r *Result) Artifact(ref string) []byte {
	r.t.Helper()
	return []byte(r.query("cat", "latest", ref))
}

// query runs a read-only command of the generated binary on the run's store
// and fails the test if it does not succeed.
func (r *Result) query(args ...string) string {
	r.t.Helper()
	cmd := append(append([]string{}, args...), "--home", r.Home)
	stdout, stderr, code := r.exec(cmd...)
	if code != 0 {
		r.t.Fatalf("zentest: %s %s exited with status %d\n%s", r.p.Name, strings.Join(args, " "), code, indent(stderr))
	}
	return stdout
}

func (r *Result) exec(args ...string) (stdout, stderr string, code int) {
	return r.execContext(r.t.Context(), args...)
}

func (r *Result) execContext(ctx context.Context, args ...string) (stdout, stderr string, code int) {
	var out, errOut bytes.Buffer
	code = runtime.Exec(ctx, r.p, args, &out, &errOut)
	return out.String(), errOut.String(), code
}

// saveParams remembers the value behind p.Params, which the run command
// overwrites with the flags it parses, and returns the function that puts
// it back.
func saveParams(p *runtime.Pipeline) (restore func()) {
	if p.Params == nil {
		return func() {}
	}
	v := reflect.ValueOf(p.Params)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return func() {}
	}
	saved := reflect.New(v.Elem().Type()).Elem()
	saved.Set(v.Elem())
	return func() { v.Elem().Set(saved) }
}

// indent sets text off from the message around it.
func indent(text string) string {
	text = strings.TrimRight(text, "\n")
	if text == "" {
		return "\t(nothing)"
	}
	return "\t" + strings.ReplaceAll(text, "\n", "\n\t")
}
