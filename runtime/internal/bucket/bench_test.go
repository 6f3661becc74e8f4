package bucket_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/zengen-dev/zengen/internal/servertest"
	zblob "github.com/zengen-dev/zengen/runtime/internal/blob"
	"github.com/zengen-dev/zengen/runtime/internal/bucket"
)

// gib is the artifact size of the throughput benchmarks.
const gib = 1 << 30

// pattern streams n bytes of a fixed pattern without holding them.
type pattern struct{ n, off int64 }

func (p *pattern) Read(b []byte) (int, error) {
	if p.off == p.n {
		return 0, io.EOF
	}
	n := min(int64(len(b)), p.n-p.off)
	for i := range b[:n] {
		b[i] = byte((p.off + int64(i)) * 31)
	}
	p.off += n
	return int(n), nil
}

func patternDigest(n int64) string {
	h := sha256.New()
	io.CopyBuffer(h, &pattern{n: n}, make([]byte, 1<<20))
	return zblob.DigestPrefix + hex.EncodeToString(h.Sum(nil))
}

// BenchmarkS3Upload1GiB writes a 1 GiB artifact through the store as a
// step's output goes: hashed beside the writer and kept in a local file
// until its digest is known, then uploaded in parts to the digest's key.
// The target is a %raw of at least 70 (see againstRawPut).
func BenchmarkS3Upload1GiB(b *testing.B) {
	againstRawPut(b, func(s *bucket.Store, _ string) (zblob.Writer, error) {
		return s.Create(context.Background())
	})
}

// BenchmarkS3Push1GiB writes a 1 GiB artifact whose digest is known, as
// push does: straight to the digest's key, hashed as it goes.
func BenchmarkS3Push1GiB(b *testing.B) {
	againstRawPut(b, func(s *bucket.Store, digest string) (zblob.Writer, error) {
		return s.CreateKnown(context.Background(), digest)
	})
}

// againstRawPut times 1 GiB written through the writer create returns
// and, in the same iteration, the same bytes put raw through the SDK's
// multipart uploader with the same part size. On a shared machine two
// benchmarks run apart drift by more than the gap between them, so each
// iteration times both, in alternating order, and the benchmark reports
// their ratio as %raw.
func againstRawPut(b *testing.B, create func(s *bucket.Store, digest string) (zblob.Writer, error)) {
	bkt, u := servertest.S3Bucket(b)
	client := servertest.S3Client(b)
	s := open(b, u+"&request_checksum_calculation=when_required")
	d := patternDigest(gib)
	var store, raw time.Duration
	putStore := func() {
		start := time.Now()
		w, err := create(s, d)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.CopyBuffer(w, &pattern{n: gib}, make([]byte, 1<<20)); err != nil {
			b.Fatal(err)
		}
		if _, _, err := w.Commit(); err != nil {
			b.Fatal(err)
		}
		store += time.Since(start)
		s.Raw().Delete(context.Background(), bucket.Key(d))
	}
	putRaw := func() {
		start := time.Now()
		if err := rawPut(client, bkt, "raw", &pattern{n: gib}); err != nil {
			b.Fatal(err)
		}
		raw += time.Since(start)
		s.Raw().Delete(context.Background(), "raw")
	}
	for i := range b.N {
		s0, r0 := store, raw
		if i%2 == 0 {
			putRaw()
			putStore()
		} else {
			putStore()
			putRaw()
		}
		b.Logf("pair %d: store %.0f MB/s, raw %.0f MB/s: %.0f %%", i+1, gib/1e6/(store-s0).Seconds(), gib/1e6/(raw-r0).Seconds(), 100*(raw-r0).Seconds()/(store-s0).Seconds())
	}
	b.ReportMetric(float64(b.N)*gib/1e6/store.Seconds(), "store-MB/s")
	b.ReportMetric(float64(b.N)*gib/1e6/raw.Seconds(), "raw-MB/s")
	b.ReportMetric(100*raw.Seconds()/store.Seconds(), "%raw")
}

// BenchmarkS3Download1GiB reads a 1 GiB artifact through the store,
// verified as it streams; BenchmarkS3RawGet1GiB is the server's own GET.
func BenchmarkS3Download1GiB(b *testing.B) {
	_, u := servertest.S3Bucket(b)
	s := open(b, u)
	w, _ := s.Create(context.Background())
	io.CopyBuffer(w, &pattern{n: gib}, make([]byte, 1<<20))
	d, _, err := w.Commit()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(gib)
	b.ResetTimer()
	for range b.N {
		r, err := s.Open(d)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.CopyBuffer(io.Discard, r, make([]byte, 1<<20)); err != nil {
			b.Fatal(err)
		}
		r.Close()
	}
}

func BenchmarkS3RawGet1GiB(b *testing.B) {
	bucket, _ := servertest.S3Bucket(b)
	client := servertest.S3Client(b)
	if err := rawPut(client, bucket, "raw", &pattern{n: gib}); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(gib)
	b.ResetTimer()
	for range b.N {
		out, err := client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("raw")})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.CopyBuffer(io.Discard, out.Body, make([]byte, 1<<20)); err != nil {
			b.Fatal(err)
		}
		out.Body.Close()
	}
}

// rawPut uploads body as the SDK's transfer manager does, with the part
// size the store uses: what s3blob itself calls, minus the store.
func rawPut(client *s3.Client, bucket, key string, body io.Reader) error {
	tm := transfermanager.New(client, func(o *transfermanager.Options) {
		o.PartSizeBytes = 16 << 20
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
	})
	_, err := tm.UploadObject(context.Background(), &transfermanager.UploadObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key), Body: body,
	})
	return err
}
