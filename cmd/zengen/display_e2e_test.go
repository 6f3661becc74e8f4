package main

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// shownDisplay is one display a fixture's step makes: its artifact, media
// type, and the bytes the call got (or, for images the step encodes, the
// line of the step's output that gives their SHA-256).
type shownDisplay struct {
	artifact, mediaType string
	bytes               string
	sha256Line          string // "png sha256 " → the bytes hash to the hex after it in the step's log
}

// TestDisplaysBecomeArtifacts runs the display fixtures of the three
// kernels: every display call of a step is a display artifact of that step,
// listed by artifacts with its media type, written byte for byte by cat
// --output, and shown by logs where it came among the step's prints. Before
// displays were supported each of these notebooks failed to generate
// (undefined: _ctx, display, Display; gonbui's module is not served).
func TestDisplaysBecomeArtifacts(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs generated pipelines; skipped with -short")
	}
	cases := []struct {
		name     string
		displays []shownDisplay
		// logs are steps' logs, with {sha256} for the SHA-256 of the
		// step's first display and {size1}, {size4} for the sizes of its
		// first and fourth.
		logs map[string]string
	}{
		{"gonb_display", []shownDisplay{
			{artifact: "collect.display.1", mediaType: "text/html", bytes: "<b>6 readings</b>"},
			{artifact: "chart.display.1", mediaType: "image/png", sha256Line: "png sha256 "},
			{artifact: "chart.display.2", mediaType: "image/svg+xml", bytes: `<svg xmlns="http://www.w3.org/2000/svg" width="6" height="4"></svg>`},
			{artifact: "chart.display.3", mediaType: "text/markdown", bytes: "**readings** \u2014 done"},
			{artifact: "chart.display.4", mediaType: "image/png"},
		}, map[string]string{
			"collect": "collected 6 readings\n[display collect.display.1: text/html, 17 bytes]\nshown as HTML\n",
			"chart": "png sha256 {sha256}\n[display chart.display.1: image/png, {size1} bytes]\n[display chart.display.2: image/svg+xml, 67 bytes]\n" +
				"caption follows\n[display chart.display.3: text/markdown, 21 bytes]\n\n[display chart.display.4: image/png, {size4} bytes]\n",
		}},
		{"lgo_display", []shownDisplay{
			{artifact: "draw.display.1", mediaType: "image/png", sha256Line: "png sha256 "},
			{artifact: "caption.display.1", mediaType: "text/html", bytes: "<i>3 pixels wide</i>"},
			{artifact: "caption.display.2", mediaType: "text/plain", bytes: "a plain\nline"},
		}, map[string]string{
			"draw":    "png sha256 {sha256}\n[display draw.display.1: image/png, {size1} bytes]\n",
			"caption": "[display caption.display.1: text/html, 20 bytes]\ncaptioned\n[display caption.display.2: text/plain, 12 bytes]\n",
		}},
		{"gophernotes_display", []shownDisplay{
			{artifact: "total.display.1", mediaType: "text/markdown", bytes: "# Total: 10"},
			{artifact: "total.display.2", mediaType: "text/html", bytes: "<p>done</p>"},
			{artifact: "pictures.display.1", mediaType: "image/jpeg", sha256Line: "jpeg sha256 "},
			{artifact: "pictures.display.2", mediaType: "image/svg+xml", bytes: `<svg xmlns="http://www.w3.org/2000/svg"/>`},
			{artifact: "pictures.display.3", mediaType: "image/png"},
		}, map[string]string{
			"total": "total 10\n[display total.display.1: text/markdown, 11 bytes]\n[display total.display.2: text/html, 11 bytes]\n",
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			notebook := caseNotebook(t, c.name)
			bin, _ := generateAndBuild(t, notebook)
			home := t.TempDir()
			if out, err := runBinary(t, bin, "run", "--home", home); err != nil {
				t.Fatalf("run: %v\n%s", err, out)
			}
			list, err := runBinary(t, bin, "artifacts", "latest", "--home", home)
			if err != nil {
				t.Fatalf("artifacts: %v\n%s", err, list)
			}
			written := map[string][]byte{}
			for _, d := range c.displays {
				if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(d.artifact) + ` +` + regexp.QuoteMeta(d.mediaType) + ` +display `).MatchString(list) {
					t.Errorf("artifacts does not list %s as a %s display:\n%s", d.artifact, d.mediaType, list)
				}
				file := filepath.Join(t.TempDir(), "out")
				if out, err := runBinary(t, bin, "cat", "latest", d.artifact, "--output", file, "--home", home); err != nil {
					t.Errorf("cat %s --output: %v\n%s", d.artifact, err, out)
					continue
				}
				got, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				written[d.artifact] = got
				switch {
				case d.sha256Line != "":
					step, _, _ := strings.Cut(d.artifact, ".")
					log, _ := runBinary(t, bin, "logs", "latest", step, "--home", home)
					if want := d.sha256Line + fmt.Sprintf("%x", sha256.Sum256(got)); !strings.Contains(log, want+"\n") {
						t.Errorf("cat %s --output wrote bytes whose SHA-256 is not the one the step printed (%q):\n%s", d.artifact, want, log)
					}
				case d.bytes != "":
					if string(got) != d.bytes {
						t.Errorf("cat %s --output wrote %q, want %q", d.artifact, got, d.bytes)
					}
				}
				if d.mediaType == "image/png" && !strings.HasPrefix(string(got), "\x89PNG\r\n\x1a\n") {
					t.Errorf("%s: %q is not a PNG", d.artifact, got[:min(len(got), 8)])
				}
				if d.mediaType == "image/jpeg" && !strings.HasPrefix(string(got), "\xff\xd8") {
					t.Errorf("%s: %q is not a JPEG", d.artifact, got[:min(len(got), 2)])
				}
			}
			for step, format := range c.logs {
				log, err := runBinary(t, bin, "logs", "latest", step, "--home", home)
				if err != nil {
					t.Fatalf("logs %s: %v\n%s", step, err, log)
				}
				want := strings.NewReplacer("{sha256}", fmt.Sprintf("%x", sha256.Sum256(written[step+".display.1"])),
					"{size1}", fmt.Sprint(len(written[step+".display.1"])), "{size4}", fmt.Sprint(len(written[step+".display.4"]))).Replace(format)
				if diff := cmp.Diff(want, log); diff != "" {
					t.Errorf("logs latest %s (-want +got):\n%s", step, diff)
				}
			}
			stdout := ""
			for _, step := range []string{"collect", "chart", "draw", "caption", "total", "pictures"} {
				out, err := runBinary(t, bin, "logs", "latest", step, "--stdout", "--home", home)
				if err == nil {
					stdout += out
				}
			}
			if want := recordedOutput(t, notebook); stdout != want {
				t.Errorf("logs --stdout of the steps differs from the notebook's recorded stdout (-notebook +pipeline):\n%s", cmp.Diff(want, stdout))
			}
		})
	}
}
