package zentest

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/aymanbagabas/go-udiff"
)

// Golden compares the artifact ref ("STEP.VAR", as Result.Artifact shows
// it) with the file goldenPath, conventionally testdata/NAME.golden.
//
// With -update (see Updating) it rewrites the file instead, creating its
// directory as needed. On a mismatch it writes the actual bytes beside the
// golden file as goldenPath+".actual", so the two can be compared with any
// tool, and fails t with a unified diff.
func Golden(t testing.TB, r *Result, ref, goldenPath string) {
	t.Helper()
	got := r.Artifact(ref)
	actualPath := goldenPath + ".actual"
	if Updating() {
		if err := os.MkdirAll(filepath.Dir(goldenPath), 0o755); err != nil {
			t.Fatalf("zentest: %v", err)
		}
		if err := os.WriteFile(goldenPath, got, 0o644); err != nil {
			t.Fatalf("zentest: %v", err)
		}
		removeStale(t, actualPath)
		return
	}
	want, err := os.ReadFile(goldenPath)
	if errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("zentest: golden file %s does not exist; run the test with -update to create it from %s", goldenPath, ref)
	}
	if err != nil {
		t.Fatalf("zentest: %v", err)
	}
	if bytes.Equal(got, want) {
		removeStale(t, actualPath)
		return
	}
	if err := os.WriteFile(actualPath, got, 0o644); err != nil {
		t.Errorf("zentest: %v", err)
	}
	t.Errorf("zentest: artifact %s differs from %s (actual output written to %s; run with -update to accept it)\n%s",
		ref, goldenPath, actualPath, udiff.Unified(goldenPath, ref+" (actual)", string(want), string(got)))
}

// removeStale deletes the .actual file of an earlier mismatch, which no
// longer describes anything once the artifact matches.
func removeStale(t testing.TB, path string) {
	t.Helper()
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("zentest: %v", err)
	}
}
