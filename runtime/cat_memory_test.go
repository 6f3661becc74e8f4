package runtime

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/zengen-dev/zengen/internal/proctest"
)

// bigJSON stands for a large value whose JSON the test streams out without
// holding it: n strings of 1 KiB in an array.
type bigJSON int

// bigJSONCodec writes what the JSON codec would write for such a value.
type bigJSONCodec struct{}

func (bigJSONCodec) Name() string { return "json" }

func (bigJSONCodec) Encode(w io.Writer, n bigJSON) error {
	bw := bufio.NewWriter(w)
	elem := `"` + strings.Repeat("z", 1<<10) + `"`
	bw.WriteByte('[')
	for i := range int(n) {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString(elem)
	}
	bw.WriteString("]\n")
	return bw.Flush()
}

func (bigJSONCodec) Decode(io.Reader) (bigJSON, error) { panic("not decoded in this test") }

func bigPipeline(n int) *Pipeline {
	return &Pipeline{Name: "big", Steps: []*Step{{Name: "make", CodeHash: "c",
		Outputs: []Output{{Name: "xs", Type: "bigJSON", Codec: "json"}},
		Run: func(ctx context.Context, sc *StepContext) error {
			return Save(sc, "xs", Codec[bigJSON](bigJSONCodec{}), bigJSON(n))
		}}}}
}

// TestHelperCatProcess is not a test: TestCatStreamsInBoundedMemory runs
// cat in a process of its own, so that the peak of its resident memory is
// cat's alone. It writes the peak above the baseline to stderr.
func TestHelperCatProcess(t *testing.T) {
	home := os.Getenv("ZEN_TEST_CAT_HOME")
	if home == "" {
		t.Skip("helper process only")
	}
	base := procStatusKB(t, "VmRSS")
	code := Exec(context.Background(), bigPipeline(0), []string{"cat", "--home", home, "latest", "make.xs"}, os.Stdout, os.Stderr)
	fmt.Fprintf(os.Stderr, "peak above baseline: %d KiB\n", procStatusKB(t, "VmHWM")-base)
	os.Exit(code)
}

// procStatusKB reads a "kB" field of /proc/self/status.
func procStatusKB(t *testing.T, field string) int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status:", err)
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatalf("no %s in /proc/self/status", field)
	return 0
}

// cat streams: a 300 MB artifact is shown in ≤ 64 MiB above the memory the
// process had before the command.
func TestCatStreamsInBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 300 MB artifact")
	}
	procStatusKB(t, "VmHWM") // skip where there is no /proc
	home := t.TempDir()
	const n = 300 << 10 // strings of 1 KiB: 300 MB of JSON
	mustRun(t, bigPipeline(n), home)
	cmd := proctest.Command(t, os.Args[0], "-test.run=^TestHelperCatProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), "ZEN_TEST_CAT_HOME="+home)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The output is checked by its shape as it passes: "[", n indented
	// strings, "]".
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 4<<10), 4<<10)
	lines := 0
	for sc.Scan() {
		lines++
	}
	if err := cmd.Wait(); err != nil || sc.Err() != nil {
		t.Fatalf("cat: %v %v\n%s", err, sc.Err(), stderr.String())
	}
	if lines != n+2 {
		t.Errorf("cat printed %d lines, want %d", lines, n+2)
	}
	var peak int
	if _, err := fmt.Sscanf(stderr.String(), "peak above baseline: %d KiB", &peak); err != nil {
		t.Fatalf("helper: %q", stderr.String())
	}
	t.Logf("cat of a %d MB JSON artifact: peak RSS %d MiB above baseline", n>>10, peak>>10)
	if peak > 64<<10 {
		t.Errorf("cat took %d MiB above its baseline, want ≤ 64 MiB", peak>>10)
	}
}
