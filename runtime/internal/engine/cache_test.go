package engine

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
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

// TestCodePartsNameWhatChanged names the helper whose change changed the
// code hash, tells apart a name the REPL declared twice by its position,
// and leaves the key as it was without parts.
func TestCodePartsNameWhatChanged(t *testing.T) {
	part := func(name, pos, digest string) pipeline.CodePart {
		return pipeline.CodePart{Name: name, Pos: pos, Digest: digest}
	}
	prev := Components{Code: "c1", GoVersion: "go1.26.0", CodeParts: []pipeline.CodePart{
		part("", "nb.ipynb:cell 5", "a"), part("fit", "nb.ipynb:cell 2", "b"),
		part("f", "nb.ipynb:cell 3", "c"), part("f", "nb.ipynb:cell 4", "d"), part("old", "nb.ipynb:cell 1", "e")}}
	cur := Components{Code: "c2", GoVersion: "go1.26.0", CodeParts: []pipeline.CodePart{
		part("", "nb.ipynb:cell 5", "a"), part("fit", "nb.ipynb:cell 2", "B"),
		part("f", "nb.ipynb:cell 3", "c"), part("f", "nb.ipynb:cell 4", "D"), part("new", "nb.ipynb:cell 6", "f")}}
	want := []string{"code changed: c1 → c2 (helper fit at nb.ipynb:cell 2 changed; helper f at nb.ipynb:cell 4 changed; " +
		"helper new at nb.ipynb:cell 6 is now reached; helper old at nb.ipynb:cell 1 is no longer reached)"}
	if diff := cmp.Diff(want, cur.Changes(prev)); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	// A record from before parts were kept names nothing.
	bare := prev
	bare.CodeParts = nil
	if diff := cmp.Diff([]string{"code changed: c1 → c2"}, cur.Changes(bare)); diff != "" {
		t.Errorf("changes since a record without parts (-want +got):\n%s", diff)
	}
	if prev.key() != bare.key() {
		t.Error("code parts changed the cache key")
	}
}
