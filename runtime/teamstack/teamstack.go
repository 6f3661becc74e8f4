// Package teamstack links the team stores into a generated command: an
// artifact store in object storage (s3:// for AWS and S3-compatible
// servers, file://, mem://) and a metadata store in PostgreSQL
// (postgres://). A command links them when its cmd/ package imports this
// package for its side effect:
//
//	import _ "github.com/zengen-dev/zengen/runtime/teamstack"
//
// Commands that do not import it stay free of the cloud SDKs and the
// PostgreSQL driver, and refuse --store and --db URLs with a message that
// says how to link them. Google Cloud Storage (gs://) and Azure Blob
// Storage (azblob://) are linked by teamstack/gcs and teamstack/azure,
// whose SDKs are larger still.
package teamstack

import (
	"context"
	"io"

	_ "gocloud.dev/blob/fileblob" // file://
	_ "gocloud.dev/blob/memblob"  // mem://
	_ "gocloud.dev/blob/s3blob"   // s3://

	"github.com/zengen-dev/zengen/runtime/internal/blob"
	"github.com/zengen-dev/zengen/runtime/internal/bucket"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/pgmeta"
)

func init() {
	engine.RegisterBlobs(func(ctx context.Context, storeURL string) (blob.Store, io.Closer, error) {
		s, err := bucket.Open(ctx, storeURL)
		if err != nil {
			return nil, nil, err
		}
		return s, s, nil
	})
	engine.RegisterMetadata(func(ctx context.Context, dsn string, create bool) (engine.MetadataStore, error) {
		open := pgmeta.Open
		if !create {
			open = pgmeta.OpenExisting
		}
		db, err := open(ctx, dsn)
		if err != nil {
			return nil, err
		}
		return db, nil
	})
}
