// Package golden is test support for text goldens in the manner of go-cmp:
// Check compares a test's output with a file under testdata and, on a
// difference, fails with a line diff (-want +got); with the package's
// -update flag it rewrites the file instead. Diff is that line diff.
//
// Each test package keeps its one -update flag and passes its value in, so
// that "go test ./PKG/ -update" regenerates the text goldens and the other
// goldens of PKG alike.
//
// golden imports the standard library only. Only tests import it
// (internal/archtest checks).
package golden
