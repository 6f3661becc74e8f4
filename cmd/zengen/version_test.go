package main

import (
	"runtime/debug"
	"testing"
)

// TestVersionSaysWhereZengenCameFrom checks that `zengen version` names
// the checkout revision or the replace that a "(devel)" or placeholder
// version hides.
func TestVersionSaysWhereZengenCameFrom(t *testing.T) {
	checkout := func(settings ...debug.BuildSetting) *debug.BuildInfo {
		return &debug.BuildInfo{Main: debug.Module{Path: zengenModule, Version: "(devel)"}, Settings: settings}
	}
	tests := []struct {
		name                string
		info                *debug.BuildInfo
		wantVersion, wantOr string
	}{
		{"clean checkout", checkout(debug.BuildSetting{Key: "vcs.revision", Value: "abc123"}, debug.BuildSetting{Key: "vcs.modified", Value: "false"}),
			"(devel)", "built from a checkout at revision abc123"},
		{"dirty checkout", checkout(debug.BuildSetting{Key: "vcs.revision", Value: "abc123"}, debug.BuildSetting{Key: "vcs.modified", Value: "true"}),
			"(devel)", "built from a checkout at revision abc123, with uncommitted changes"},
		{"clone stamped with a pseudo-version", &debug.BuildInfo{
			Main:     debug.Module{Path: zengenModule, Version: "v0.0.0-20261129221903-abc123abc123+dirty"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc123abc123"}, {Key: "vcs.modified", Value: "true"}}},
			"v0.0.0-20261129221903-abc123abc123+dirty", "built from a checkout at revision abc123abc123, with uncommitted changes"},
		{"checkout without vcs stamp", checkout(),
			"(devel)", "built from a checkout; no revision recorded (-buildvcs=false, not a git clone, or a linked git worktree, which go does not stamp: golang/go#58218)"},
		{"tool of a module, replaced by a checkout", &debug.BuildInfo{
			Main: debug.Module{Path: "example.com/research", Version: "(devel)"},
			Deps: []*debug.Module{{Path: zengenModule, Version: "v0.0.0", Replace: &debug.Module{Path: "/home/you/src/zengen"}}}},
			"v0.0.0", "built from a replace: github.com/zengen-dev/zengen v0.0.0 => /home/you/src/zengen"},
		{"released", &debug.BuildInfo{Main: debug.Module{Path: zengenModule, Version: "v0.3.0"}}, "v0.3.0", ""},
		{"tool of a module, released", &debug.BuildInfo{
			Main: debug.Module{Path: "example.com/research", Version: "(devel)"},
			Deps: []*debug.Module{{Path: zengenModule, Version: "v0.3.0"}}}, "v0.3.0", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			version, origin := buildDescription(tc.info, true)
			if version != tc.wantVersion || origin != tc.wantOr {
				t.Errorf("got %q, %q; want %q, %q", version, origin, tc.wantVersion, tc.wantOr)
			}
		})
	}
}
