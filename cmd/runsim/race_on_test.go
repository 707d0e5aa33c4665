//go:build race

package main

// raceDetector reports whether the tests were built with -race. Tests that
// only draw charts (single-threaded, CPU-bound, about ten times slower under
// the race detector) skip that part under -race; make test-slow runs them
// without it.
const raceDetector = true
