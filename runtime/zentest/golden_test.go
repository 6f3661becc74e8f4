package zentest

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// setUpdate sets -update for the rest of the test.
func setUpdate(t *testing.T, on bool) {
	t.Helper()
	was := flag.Lookup(updateFlag).Value.String()
	if err := flag.Set(updateFlag, map[bool]string{true: "true", false: "false"}[on]); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { flag.Set(updateFlag, was) })
}

func TestUpdatingReadsTheFlag(t *testing.T) {
	setUpdate(t, true)
	if !Updating() {
		t.Error("Updating() = false with -update set")
	}
	setUpdate(t, false)
	if Updating() {
		t.Error("Updating() = true without -update")
	}
}

func TestGolden(t *testing.T) {
	r := Run(t, twoSteps(""))
	golden := filepath.Join(t.TempDir(), "testdata", "nested", "model.golden")
	actual := golden + ".actual"

	// A missing golden file is a failure that says how to create it.
	setUpdate(t, false)
	rec := record(t, func(tb testing.TB) { Golden(tb, r, "train.model", golden) })
	if !rec.fatal || !strings.Contains(rec.messages(), "-update") {
		t.Fatalf("a missing golden file: want a fatal failure pointing at -update, got: %s", rec.messages())
	}

	// -update writes it, creating the directories.
	setUpdate(t, true)
	rec = record(t, func(tb testing.TB) { Golden(tb, r, "train.model", golden) })
	if rec.Failed() {
		t.Fatalf("Golden with -update failed: %s", rec.messages())
	}
	written, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(r.Artifact("train.model")), string(written)); diff != "" {
		t.Fatalf("golden file (-artifact +file):\n%s", diff)
	}

	// Without -update the same artifact matches.
	setUpdate(t, false)
	rec = record(t, func(tb testing.TB) { Golden(tb, r, "train.model", golden) })
	if rec.Failed() {
		t.Fatalf("Golden failed on the file it wrote: %s", rec.messages())
	}

	// A changed golden file fails with a diff and leaves the actual bytes
	// beside it.
	edited := strings.Replace(string(written), `"w": 7.5`, `"w": 9`, 1)
	if edited == string(written) {
		t.Fatalf("golden file has no \"w\": 7.5 to edit:\n%s", written)
	}
	if err := os.WriteFile(golden, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	rec = record(t, func(tb testing.TB) { Golden(tb, r, "train.model", golden) })
	if len(rec.errors) != 1 {
		t.Fatalf("want one failure, got %d: %s", len(rec.errors), rec.messages())
	}
	for _, want := range []string{"artifact train.model differs from " + golden, "-  \"w\": 9\n+  \"w\": 7.5\n", actual} {
		if !strings.Contains(rec.errors[0], want) {
			t.Errorf("failure does not contain %q:\n%s", want, rec.errors[0])
		}
	}
	if b, err := os.ReadFile(actual); err != nil || string(b) != string(written) {
		t.Errorf("%s holds %q (%v), want the artifact", actual, b, err)
	}
	if b, _ := os.ReadFile(golden); string(b) != edited {
		t.Error("a failing comparison changed the golden file")
	}

	// Updating again accepts the artifact and clears the .actual file.
	setUpdate(t, true)
	if rec = record(t, func(tb testing.TB) { Golden(tb, r, "train.model", golden) }); rec.Failed() {
		t.Fatalf("Golden with -update failed: %s", rec.messages())
	}
	if _, err := os.Stat(actual); !os.IsNotExist(err) {
		t.Errorf("%s survived -update (%v)", actual, err)
	}
}
