// golden/ holds what zengen generates for each case of testdata/notebooks,
// as the package github.com/zengen-dev/zengen/golden/<case>. This go.mod
// keeps those packages out of the main module's ./...; the end-to-end tests
// in cmd/zengen compile and vet copies of them against this checkout.
module github.com/zengen-dev/zengen/golden

go 1.26
