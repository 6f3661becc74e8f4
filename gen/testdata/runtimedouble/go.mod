// A test double of the zengen module for emission tests: only the runtime
// API that generated code calls, running steps in memory. It lets the tests
// compile and run generated packages whatever state the real runtime is in.
module github.com/zengen-dev/zengen

go 1.26
