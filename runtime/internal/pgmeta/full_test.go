package pgmeta

import (
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/zengen-dev/zengen/runtime/internal/artifact"
)

// TestFullDiskStopsTheRun: the engine stops a run, instead of failing its
// steps one by one, when a store's error is a full disk; the server's
// disk_full must read as one through every error the store returns.
func TestFullDiskStopsTheRun(t *testing.T) {
	d := &DB{name: "postgres://zen@127.0.0.1:5432/zen"}
	err := d.wrap(&pgconn.PgError{Severity: "ERROR", Code: "53100", Message: `could not extend file "base/16384/16385": No space left on device`})
	if !artifact.IsDiskFull(err) {
		t.Errorf("the server's disk_full is not a full disk to the engine: %v", err)
	}
	if !strings.Contains(err.Error(), "postgres://zen@127.0.0.1:5432/zen: the disk is full: ") {
		t.Errorf("the message does not name the store and the cause: %v", err)
	}
	if other := d.wrap(&pgconn.PgError{Severity: "ERROR", Code: "23505"}); artifact.IsDiskFull(other) {
		t.Errorf("a unique violation reads as a full disk: %v", other)
	}
}
