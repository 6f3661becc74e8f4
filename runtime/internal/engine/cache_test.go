package engine

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCacheComponentChanges(t *testing.T) {
	base := Components{Code: "c1", Inputs: []NamedPart{{"xs", "sha256:aa"}}, Params: []NamedPart{{"lr", "0.1"}},
		Codecs: []NamedPart{{"w", "json"}}, GoVersion: "go1.26.0", Salt: ""}
	changed := base
	changed.GoVersion = "go1.27.0"
	changed.Inputs = []NamedPart{{"ys", "sha256:bb"}}
	got := changed.Changes(base)
	want := []string{"input ys added: sha256:bb", "input xs removed (was sha256:aa)", "Go version changed: go1.26.0 → go1.27.0"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	if base.key() == changed.key() {
		t.Error("different components gave the same key")
	}
	if base.key() != (Components{Code: "c1", Inputs: []NamedPart{{"xs", "sha256:aa"}}, Params: []NamedPart{{"lr", "0.1"}},
		Codecs: []NamedPart{{"w", "json"}}, GoVersion: "go1.26.0"}).key() {
		t.Error("equal components gave different keys")
	}
}
