package runtime

import (
	"reflect"
	"strings"
	"testing"
)

// TestParamTakingARunFlagIsAnError checks that a Params field tagged with
// the name of one of run's own flags fails the command with a message
// instead of pflag's "flag redefined" panic, for run and run --help.
func TestParamTakingARunFlagIsAnError(t *testing.T) {
	names := ReservedParamNames()
	for _, want := range []string{"help", "home", "store", "db", "params", "no-cache", "only", "from", "resume", "parallel", "keep-going", "quiet", "json"} {
		if !strings.Contains(" "+strings.Join(names, " ")+" ", " "+want+" ") {
			t.Errorf("ReservedParamNames() = %v, lacks %s", names, want)
		}
	}
	for _, name := range names {
		for _, args := range [][]string{{"run"}, {"run", "--help"}} {
			t.Run(name+"/"+strings.Join(args, " "), func(t *testing.T) {
				typ := reflect.StructOf([]reflect.StructField{{Name: "X", Type: reflect.TypeFor[int](), Tag: reflect.StructTag(`zen:"` + name + `"`)}})
				p := &Pipeline{Name: "clash", Params: reflect.New(typ).Interface(), Steps: []*Step{intStep("a", 1)}}
				r := execIn(t, t.Context(), p, t.TempDir(), args...)
				want := "param " + name + ": the run command has a flag --" + name + " of its own"
				if r.code != 1 || !strings.Contains(r.stderr, want) {
					t.Errorf("exit %d, stderr %q; want exit 1 and %q", r.code, r.stderr, want)
				}
			})
		}
	}
}
