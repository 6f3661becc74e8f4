package preview

import (
	"context"
	"encoding/binary"
	"io"
	"math"
	"math/rand/v2"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/zengen-dev/zengen/runtime/internal/artifact"
	"github.com/zengen-dev/zengen/runtime/internal/blob"
	"github.com/zengen-dev/zengen/runtime/internal/layout"
)

// BenchmarkPreviewGiBOfFloat64 previews a 1 GiB []float64 artifact from a
// local blob store, as the dashboard does: the summary and the
// quartiles' sample in one pass, the histogram in a second. It reports the
// peak of the heap above the baseline before the preview (the target is
// ≤ 64 MB) and the throughput over the two passes. The artifact is
// generated as it is written, so the benchmark itself never holds it.
func BenchmarkPreviewGiBOfFloat64(b *testing.B) {
	const count = 1 << 27 // 1 GiB of float64
	ctx := context.Background()
	blobs, err := blob.OpenLocal(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	store := artifact.NewLocal(blobs)
	w := store.Create(ctx)
	head := make([]byte, layout.NumericHeaderSize)
	copy(head, layout.NumericMagic)
	head[4], head[5], head[6] = layout.NumericVersion, 'f', 8
	binary.LittleEndian.PutUint64(head[8:], count)
	if _, err := w.Write(head); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	chunk := make([]byte, 1<<20)
	for written := 0; written < count*8; written += len(chunk) {
		for i := 0; i < len(chunk); i += 8 {
			binary.LittleEndian.PutUint64(chunk[i:], math.Float64bits(rng.NormFloat64()))
		}
		if _, err := w.Write(chunk); err != nil {
			b.Fatal(err)
		}
	}
	a, err := w.Commit()
	if err != nil {
		b.Fatal(err)
	}
	open := func() (io.ReadCloser, error) { return store.Open(ctx, a) }
	chunk = nil

	var peak uint64
	for b.Loop() {
		var p *Preview
		peak = max(peak, heapPeak(func() {
			if p, err = Build(Input{Codec: layout.Numeric, Open: open}); err != nil {
				b.Fatal(err)
			}
		}))
		if s := p.Numbers.Summary; s.Count != count || !s.Estimated || math.Abs(s.Mean) > 1e-3 || math.Abs(s.Std-1) > 1e-3 {
			b.Fatalf("summary %+v", s)
		}
	}
	b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
	b.ReportMetric(float64(b.N)*2*count*8/1e6/b.Elapsed().Seconds(), "MB/s")
}

// heapPeak runs f and returns the peak of the heap above what it was
// before, sampled every 5 ms.
func heapPeak(f func()) uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > base {
				peak = max(peak, ms.HeapAlloc-base)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	f()
	close(done)
	wg.Wait()
	return peak
}

type benchRow struct {
	Name  string
	Score float64
}

// BenchmarkPreviewTableOf4MRows pages a value artifact of 4 Mi rows of
// {Name string; Score float64} (about 100 MB), read row by row: the peak
// of the heap above the baseline stays that of a page and the columns'
// samples.
func BenchmarkPreviewTableOf4MRows(b *testing.B) {
	const rows = 4 << 20
	ctx := context.Background()
	blobs, err := blob.OpenLocal(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	store := artifact.NewLocal(blobs)
	w := store.Create(ctx)
	buf := binary.AppendUvarint(append([]byte(valueMagic), valueVersion), rows+1)
	for i := range rows {
		name := "customer " + strconv.Itoa(i)
		buf = binary.AppendUvarint(buf, uint64(len(name)))
		buf = append(buf, name...)
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(float64(i%1000)))
		if len(buf) > 1<<20 || i == rows-1 {
			if _, err := w.Write(buf); err != nil {
				b.Fatal(err)
			}
			buf = buf[:0]
		}
	}
	a, err := w.Commit()
	if err != nil {
		b.Fatal(err)
	}
	open := func() (io.ReadCloser, error) { return store.Open(ctx, a) }
	show := func(string, io.Reader) (any, error) { return []benchRow(nil), nil }
	var peak uint64
	for b.Loop() {
		var p *Preview
		peak = max(peak, heapPeak(func() {
			if p, err = Build(Input{Codec: layout.Value, Open: open, Show: show, Page: 1000}); err != nil {
				b.Fatal(err)
			}
		}))
		if t := p.Table; t == nil || t.Total != rows || len(t.Rows) != PageSize || t.Columns[1].Stats.Count != rows {
			b.Fatalf("table %+v", t)
		}
	}
	b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
	b.ReportMetric(float64(b.N)*float64(a.Size)/1e6/b.Elapsed().Seconds(), "MB/s")
}
