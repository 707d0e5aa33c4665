package agents

import (
	"syscall"
	"unsafe"
)

// clockThreadCPUTime is Linux's CLOCK_THREAD_CPUTIME_ID: the calling
// thread's CPU time, read from the scheduler's running total to the
// nanosecond (getrusage's RUSAGE_THREAD, used before, moved in steps of up
// to a scheduler tick, 4 ms here: too coarse for one month's step).
const clockThreadCPUTime = 3

// threadCPU returns the CPU time (user + system, ns) of the calling OS
// thread, and true; the caller must hold runtime.LockOSThread for
// differences to mean anything.
func threadCPU() (int64, bool) {
	var ts syscall.Timespec
	if _, _, e := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTime, uintptr(unsafe.Pointer(&ts)), 0); e != 0 {
		return 0, false
	}
	return ts.Nano(), true
}
