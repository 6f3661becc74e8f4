// Package servertest hands tests a database or a bucket of their own on the
// throwaway servers .ci/services starts (PostgreSQL and an S3 gateway on
// 127.0.0.1), found through $ZEN_TEST_POSTGRES and $ZEN_TEST_S3. Without
// them a test skips, saying how to start the servers, except in CI
// ($CI set), where the acceptance tests must run and the test fails.
//
// Only tests import it.
package servertest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/jackc/pgx/v5"
)

// server returns the value of env, or skips t (fails it in CI).
func server(t testing.TB, env, what string) string {
	t.Helper()
	v := os.Getenv(env)
	if v != "" {
		return v
	}
	msg := fmt.Sprintf("$%s is not set: no %s to test against; start one with eval \"$(.ci/services start DIR)\" (.ci/run does)", env, what)
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

func uniqueName(prefix string) string {
	var b [6]byte
	rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

// Postgres returns the DSN of a new, empty database on the test server,
// dropped when t ends.
func Postgres(t testing.TB) string {
	t.Helper()
	admin := server(t, "ZEN_TEST_POSTGRES", "PostgreSQL server")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("test PostgreSQL at $ZEN_TEST_POSTGRES: %v", err)
	}
	defer conn.Close(context.Background())
	name := uniqueName("zentest_")
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if conn, err := pgx.Connect(ctx, admin); err == nil {
			conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			conn.Close(ctx)
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("$ZEN_TEST_POSTGRES is not a URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// S3Endpoint returns the test S3 server's endpoint, e.g.
// http://127.0.0.1:7070.
func S3Endpoint(t testing.TB) string {
	t.Helper()
	return server(t, "ZEN_TEST_S3", "S3 server")
}

// S3Client returns a client of the test S3 server.
func S3Client(t testing.TB) *s3.Client {
	t.Helper()
	endpoint := S3Endpoint(t)
	cfg, err := config.LoadDefaultConfig(context.Background(), config.WithRegion("us-east-1"))
	if err != nil {
		t.Fatalf("S3 client: %v", err)
	}
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.UsePathStyle = true
	})
}

// S3Bucket creates a new bucket on the test server and returns its name
// and the s3:// URL that opens it.
func S3Bucket(t testing.TB) (bucket, storeURL string) {
	t.Helper()
	client := S3Client(t)
	bucket = uniqueName("zentest-")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatalf("create test bucket: %v", err)
	}
	q := url.Values{"endpoint": {S3Endpoint(t)}, "region": {"us-east-1"}, "use_path_style": {"true"}}
	return bucket, "s3://" + bucket + "?" + q.Encode()
}
