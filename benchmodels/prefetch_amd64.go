package benchmodels

// prefetching reports whether prefetch16 issues prefetch instructions.
const prefetching = true

// prefetch16 asks the CPU to bring base[idx[k]] into its caches, for the 16
// indices, without waiting for them (PREFETCHT0: a hint that never faults,
// whatever the address). Go has no prefetch intrinsic, and a plain load
// would hold up the instructions behind it until its cache miss is served.
//
//go:noescape
func prefetch16(base *int32, idx *[16]uint32)
