package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"frontiersim/experiments"
)

var errPlanTooLarge = errors.New("plan too large for this machine")

// checkResources refuses a plan whose estimated memory or disk use exceeds
// what the machine has.
func checkResources(exp *experiments.Experiment, sim experiments.Simulator, workers int, dir string) error {
	est := experiments.Estimate(exp, sim, workers)
	if mem := memAvailable(); mem > 0 && est.MemoryBytes > mem {
		return fmt.Errorf("%w: about %s of memory needed (%d workers × %d buyers, plus statistics), %s available; use fewer -workers or buyers",
			errPlanTooLarge, human(est.MemoryBytes), workers, exp.Buyers, human(mem))
	}
	if free := diskFree(dir); free > 0 && est.DiskBytes > free {
		return fmt.Errorf("%w: about %s of disk needed in %s, %s free", errPlanTooLarge, human(est.DiskBytes), dir, human(free))
	}
	return nil
}

func human(b float64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GiB", b/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MiB", b/(1<<20))
	default:
		return fmt.Sprintf("%.0f KiB", b/(1<<10))
	}
}

// memAvailable returns MemAvailable from /proc/meminfo in bytes, or 0.
func memAvailable() float64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		fields := strings.Fields(s.Text())
		if len(fields) >= 2 && fields[0] == "MemAvailable:" {
			kb, err := strconv.ParseFloat(fields[1], 64)
			if err == nil {
				return kb * 1024
			}
		}
	}
	return 0
}

// diskFree returns the free bytes of the file system that holds dir (or
// its nearest existing parent), or 0 if unknown.
func diskFree(dir string) float64 {
	d, err := filepath.Abs(dir)
	if err != nil {
		return 0
	}
	for {
		var st syscall.Statfs_t
		if err := syscall.Statfs(d, &st); err == nil {
			return float64(st.Bavail) * float64(st.Bsize)
		}
		parent := filepath.Dir(d)
		if parent == d {
			return 0
		}
		d = parent
	}
}
