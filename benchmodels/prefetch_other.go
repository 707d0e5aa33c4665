//go:build !amd64

package benchmodels

// prefetching reports whether prefetch16 issues prefetch instructions: only
// on amd64.
const prefetching = false

// prefetch16 does nothing here (see prefetch_amd64.go).
func prefetch16(base *int32, idx *[16]uint32) {}
