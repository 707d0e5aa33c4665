//go:build !linux

package agents

// threadCPU is not available here: the benchmarks report wall time only.
func threadCPU() (int64, bool) { return 0, false }
