// Command zengen turns a Go research notebook into a production pipeline:
// an ordinary Go package plus a command that runs it on zengen's runtime.
//
// Every verb lives in its own file; main only hands the process over to Run
// so that tests can drive the whole command line in memory.
package main

import "os"

func main() {
	os.Exit(Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
