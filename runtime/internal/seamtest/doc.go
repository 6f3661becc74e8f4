// Package seamtest is the contract of the stack's seams written as tests:
// TestArtifactStore and TestMetadataStore run against any implementation
// of artifact.Store and engine.MetadataStore. Today's implementations
// (local files with inline bytes, SQLite) pass them in their packages'
// tests; a new backend (an object store, PostgreSQL) calls the same
// functions from its own.
//
// The package knows the interfaces and the record types, nothing about
// how any backend keeps them.
package seamtest
