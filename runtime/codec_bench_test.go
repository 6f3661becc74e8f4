package runtime

import (
	"bufio"
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	rt "runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zengen-dev/zengen/internal/proctest"
	"github.com/zengen-dev/zengen/runtime/internal/artifact"
	"github.com/zengen-dev/zengen/runtime/internal/blob"
)

// BenchmarkArtifact1GiB saves a 1 GiB []float64 with Numeric into the
// artifact store (Encode into the writer Save uses, which spills to a blob;
// Commit with fsync) and loads it back (Open, Decode with the digest
// verified), the path of a large artifact between two steps. Beside MB/s for
// the round trip it reports:
//
//	save-MB/s, load-MB/s   each half on its own
//	dd-MB/s                dd if=/dev/zero bs=1M count=1024 conv=fsync on the same file system
//	vs-dd                  round-trip throughput / dd throughput (target ≥ 0.5)
//	peak-RSS-MiB           VmHWM of the process (target ≤ 2560)
//
// It runs only when -bench names it (it writes 2 GiB per iteration) and
// not with -short.
func BenchmarkArtifact1GiB(b *testing.B) {
	if testing.Short() || !strings.Contains(flag.Lookup("test.bench").Value.String(), "1GiB") {
		b.Skip("writes gigabytes: select it explicitly with -bench=Artifact1GiB")
	}
	benchmarkArtifact(b, 1<<30, true)
}

// BenchmarkArtifact64MiB is the same round trip at a size that fits any
// benchmark run.
func BenchmarkArtifact64MiB(b *testing.B) {
	benchmarkArtifact(b, 64<<20, false)
}

func benchmarkArtifact(b *testing.B, size int, compareWithDD bool) {
	dir := b.TempDir()
	store, err := blob.OpenLocal(filepath.Join(dir, "blobs"))
	if err != nil {
		b.Fatal(err)
	}
	xs := make([]float64, size/8)
	for i := range xs {
		xs[i] = float64(i) * 0.5
	}
	codec := Numeric[[]float64]()

	var ddRate float64
	if compareWithDD {
		ddRate = ddThroughput(b, filepath.Join(dir, "dd.bin"))
	}

	var saving, loading time.Duration
	b.SetBytes(int64(size))
	for b.Loop() {
		start := time.Now()
		// Through the writer Save uses: it buffers up to artifact.InlineThreshold,
		// then must stream like a bare blob writer.
		w := artifact.NewLocal(store).Create(b.Context())
		if err := codec.Encode(w, xs); err != nil {
			b.Fatal(err)
		}
		a, err := w.Commit()
		if err != nil {
			b.Fatal(err)
		}
		if a.Inline != nil {
			b.Fatal("a large artifact was kept inline")
		}
		saved := time.Now()
		r, err := artifact.NewLocal(store).Open(b.Context(), a)
		if err != nil {
			b.Fatal(err)
		}
		ys, err := codec.Decode(r)
		r.Close()
		if err != nil {
			b.Fatal(err)
		}
		loaded := time.Now()
		saving += saved.Sub(start)
		loading += loaded.Sub(saved)
		if len(ys) != len(xs) || ys[len(ys)-1] != xs[len(xs)-1] {
			b.Fatal("loaded slice differs from the saved one")
		}
		// Let the loaded copy go before the next iteration allocates
		// another, so peak RSS measures one save and one load.
		b.StopTimer()
		ys = nil
		debug.FreeOSMemory()
		b.StartTimer()
	}
	mbps := func(d time.Duration) float64 { return float64(size) * float64(b.N) / d.Seconds() / 1e6 }
	b.ReportMetric(mbps(saving), "save-MB/s")
	b.ReportMetric(mbps(loading), "load-MB/s")
	if ddRate > 0 {
		b.ReportMetric(ddRate/1e6, "dd-MB/s")
		b.ReportMetric(mbps(saving+loading)*1e6/ddRate, "vs-dd")
	}
	if peak := peakRSS(); peak > 0 {
		b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MiB")
	}
	rt.KeepAlive(xs)
}

// ddThroughput times dd writing 1 GiB of zeros with a final fsync into file
// and returns bytes per second, or 0 when dd is not installed.
func ddThroughput(b *testing.B, file string) float64 {
	dd, err := exec.LookPath("dd")
	if err != nil {
		b.Log("dd not found: no disk baseline")
		return 0
	}
	defer os.Remove(file)
	start := time.Now()
	out, err := proctest.Command(b, dd, "if=/dev/zero", "of="+file, "bs=1M", "count=1024", "conv=fsync").CombinedOutput()
	elapsed := time.Since(start)
	if err != nil {
		b.Fatalf("dd: %v\n%s", err, out)
	}
	return float64(1<<30) / elapsed.Seconds()
}

// peakRSS returns the process's peak resident set size in bytes (VmHWM from
// /proc/self/status), or 0 where that file does not exist.
func peakRSS() int64 {
	f, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(f))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}
