package bucket_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/zengen-dev/zengen/internal/servertest"
	zblob "github.com/zengen-dev/zengen/runtime/internal/blob"
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

// BenchmarkS3Upload1GiB writes a 1 GiB artifact through the store
// (hashed and kept in a local file, then uploaded in parts to its
// digest's key); BenchmarkS3RawPut1GiB is the server's own PUT of the same bytes
// through the SDK's multipart uploader with the same part size. The
// target is ≥ 70 % of the raw throughput.
func BenchmarkS3Upload1GiB(b *testing.B) {
	_, u := servertest.S3Bucket(b)
	s := open(b, u+"&request_checksum_calculation=when_required")
	b.SetBytes(gib)
	for range b.N {
		w, err := s.Create(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.CopyBuffer(w, &pattern{n: gib}, make([]byte, 1<<20)); err != nil {
			b.Fatal(err)
		}
		if _, _, err := w.Commit(); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Raw().Delete(context.Background(), "objects/"+patternDigest(gib)[7:9]+"/"+patternDigest(gib)[9:])
		b.StartTimer()
	}
}

func BenchmarkS3RawPut1GiB(b *testing.B) {
	bucket, _ := servertest.S3Bucket(b)
	client := servertest.S3Client(b)
	b.SetBytes(gib)
	for range b.N {
		if err := rawPut(client, bucket, "raw", &pattern{n: gib}); err != nil {
			b.Fatal(err)
		}
	}
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
