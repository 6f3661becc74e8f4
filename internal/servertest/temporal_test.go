package servertest

import (
	"context"
	"testing"
)

// The dev server answers on the address it was given, with the namespace
// the tests use.
func TestStartTemporal(t *testing.T) {
	srv := StartTemporal(t)
	if _, err := srv.Client.CheckHealth(context.Background(), nil); err != nil {
		t.Fatalf("dev server at %s: %v", srv.HostPort, err)
	}
}
