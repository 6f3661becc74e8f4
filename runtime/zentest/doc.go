// Package zentest helps the tests of generated pipelines: it runs a
// pipeline in a throwaway store, reads back what each step printed and
// stored, and compares that with expectations — the outputs a notebook's
// cells recorded (Parity) or golden files (Golden).
//
// It drives the pipeline only through the generated binary's command line
// (runtime.Exec), so a test sees exactly what a user of the binary would.
// It knows nothing about notebooks beyond the Expect values it is handed:
// zengen writes those into the generated parity test.
//
// # The -update flag
//
// Importing zentest defines the test flag -update (unless a package
// initialised earlier already defined it), so that
//
//	go test ./churn -update
//
// rewrites the golden files that Golden compares with. A test package that
// imports zentest must not define its own -update: the flag package panics
// on a second definition, and zentest is always initialised before the
// package that imports it. Read the flag with Updating instead. A library
// cannot wait to see whether the test package defines the flag, because
// every package is initialised before the test binary parses its flags,
// dependencies first; so sharing one definition is the only sound way.
package zentest
