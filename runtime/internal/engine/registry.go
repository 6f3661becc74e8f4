package engine

import (
	"context"
	"io"
	"sync"

	"github.com/zengen-dev/zengen/runtime/internal/blob"
)

// The team stores' drivers register here when the binary links them
// (package runtime/teamstack), so that a binary that does not use them
// does not pay for their SDKs: the engine names no driver.
var drivers struct {
	sync.Mutex
	blobs    BlobOpener
	metadata MetadataOpener
}

// BlobOpener opens the blob store of an artifact store URL (s3://…). The
// closer releases it.
type BlobOpener func(ctx context.Context, storeURL string) (blob.Store, io.Closer, error)

// MetadataOpener opens the metadata store of a DSN (postgres://…). With
// create false it refuses a database that holds no store, as the commands
// that only read refuse a missing local store.
type MetadataOpener func(ctx context.Context, dsn string, create bool) (MetadataStore, error)

// StackChecker proves a part of a stack reachable and writable; the
// openers' stores implement it where they can.
type StackChecker interface {
	Check(ctx context.Context) error
}

// RegisterBlobs makes open the opener of artifact store URLs.
func RegisterBlobs(open BlobOpener) {
	drivers.Lock()
	defer drivers.Unlock()
	drivers.blobs = open
}

// RegisterMetadata makes open the opener of metadata DSNs.
func RegisterMetadata(open MetadataOpener) {
	drivers.Lock()
	defer drivers.Unlock()
	drivers.metadata = open
}

func blobOpener() BlobOpener {
	drivers.Lock()
	defer drivers.Unlock()
	return drivers.blobs
}

func metadataOpener() MetadataOpener {
	drivers.Lock()
	defer drivers.Unlock()
	return drivers.metadata
}

// teamstackHint says how a generated command links the team stores.
const teamstackHint = "this binary does not link the team stores: generate it with 'zengen generate --stack', " +
	"or add a file to its cmd/NAME/ package holding import _ \"github.com/zengen-dev/zengen/runtime/teamstack\", and build it again"
