// Command benchtable prints frontiersim's performance table (make bench):
// for 10^4, 10^5 and 10^6 buyers, the cost of the whole monthly loop in ns
// per buyer-month, allocations per step in the steady state, and peak
// memory per buyer; and for the default experiment (5 arms, 10,000 buyers,
// 84 months) replications per second on 1 worker and on every core, the
// parallel efficiency, and the projected time of 1,000 replications per arm.
//
// Usage: go run ./internal/benchtable [-reps N] [-sizes 1e4,1e5,1e6]
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"

	"frontiersim/agents"
	"frontiersim/engine"
	"frontiersim/experiments"
	"frontiersim/marketsim"
)

func main() {
	reps := flag.Int("reps", 20, "replications per arm of the default experiment for the throughput figures")
	sizes := flag.String("sizes", "1e4,1e5,1e6", "buyer populations")
	peak := flag.Int("peak", 0, "internal: run one replication of N buyers and print the peak RSS in bytes")
	flag.Parse()
	if *peak > 0 {
		runOne(*peak)
		fmt.Println(vmHWM())
		return
	}
	fmt.Printf("frontiersim performance (%s, %s/%s, %d cores, %s)\n\n", experiments.ProgramVersion(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), cpuModel())
	fmt.Println("| buyers | ns per buyer-month (84-month replication) | replication time | allocs per step (reused World) | peak memory per buyer |")
	fmt.Println("| ---: | ---: | ---: | ---: | ---: |")
	base := peakOf(1)
	for _, s := range strings.Split(*sizes, ",") {
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || f < 1 {
			fmt.Fprintf(os.Stderr, "benchtable: bad size %q\n", s)
			os.Exit(2)
		}
		n := int(f)
		ns, per := nsPerBuyerMonth(n)
		allocs := allocsPerStep(min(n, 100_000))
		p := peakOf(n)
		perBuyer := "n/a"
		if p > 0 && base > 0 {
			perBuyer = fmt.Sprintf("%.0f B", float64(p-base)/float64(n))
		}
		fmt.Printf("| %d | %.1f ns | %.3f s | %.2f | %s |\n", n, ns, per.Seconds(), allocs, perBuyer)
	}
	fmt.Println()
	one := throughput(*reps, 1)
	all := throughput(*reps, runtime.GOMAXPROCS(0))
	eff := all / one / float64(runtime.GOMAXPROCS(0))
	fmt.Println("| default experiment (5 arms × 10,000 buyers × 84 months) | value |")
	fmt.Println("| --- | ---: |")
	fmt.Printf("| replications per second, 1 worker | %.2f |\n", one)
	fmt.Printf("| replications per second, %d workers | %.2f |\n", runtime.GOMAXPROCS(0), all)
	fmt.Printf("| parallel efficiency (%d workers vs 1) | %.0f%% |\n", runtime.GOMAXPROCS(0), 100*eff)
	fmt.Printf("| projected time for 1,000 replications per arm (5,000 runs) | %.0f s |\n", 5000/all)
}

func scenario() agents.Scenario { return agents.DefaultScenario() }

// nsPerBuyerMonth times whole replications (Reset + 84 months) and returns
// the cost per buyer-month and per replication.
func nsPerBuyerMonth(n int) (float64, time.Duration) {
	s := scenario()
	w, err := agents.NewWorld(s, n, engine.NewStreams(1, 0), 84, false)
	check(err)
	ctx := context.Background()
	check(engine.Run(ctx, w, 84)) // warm-up
	runs := max(1, 2_000_000/n)
	runs = min(runs, 50)
	start := time.Now()
	for i := 0; i < runs; i++ {
		check(w.Reset(s, engine.NewStreams(1, uint64(i+1))))
		check(engine.Run(ctx, w, 84))
	}
	el := time.Since(start)
	return float64(el.Nanoseconds()) / float64(runs) / float64(n) / 84, el / time.Duration(runs)
}

// allocsPerStep returns the allocations per monthly step of a replication
// run on a reused World (after Reset, as every worker does): the first
// replication grows slices once (cap tables, event lists), later ones only
// reuse them.
func allocsPerStep(n int) float64 {
	s := scenario()
	w, err := agents.NewWorld(s, n, engine.NewStreams(1, 0), 84, false)
	check(err)
	ctx := context.Background()
	check(engine.Run(ctx, w, 84))
	var total uint64
	var ms runtime.MemStats
	for rep := uint64(1); rep <= 3; rep++ {
		check(w.Reset(s, engine.NewStreams(1, rep)))
		runtime.ReadMemStats(&ms)
		before := ms.Mallocs
		check(engine.Run(ctx, w, 84))
		runtime.ReadMemStats(&ms)
		total += ms.Mallocs - before
	}
	return float64(total) / (3 * 84)
}

func runOne(n int) {
	w, err := agents.NewWorld(scenario(), n, engine.NewStreams(1, 0), 84, false)
	check(err)
	check(engine.Run(context.Background(), w, 84))
	runtime.KeepAlive(w)
}

// peakOf runs one replication of n buyers in a fresh process and returns its
// peak resident memory in bytes (0 if unknown).
func peakOf(n int) int64 {
	exe, err := os.Executable()
	if err != nil {
		return 0
	}
	out, err := exec.Command(exe, "-peak", strconv.Itoa(n)).Output()
	if err != nil {
		return 0
	}
	v, _ := strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
	return v
}

func vmHWM() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if fields := strings.Fields(s.Text()); len(fields) >= 2 && fields[0] == "VmHWM:" {
			kb, _ := strconv.ParseInt(fields[1], 10, 64)
			return kb * 1024
		}
	}
	return 0
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "model name") {
			if _, v, ok := strings.Cut(line, ":"); ok {
				return strings.TrimSpace(v)
			}
		}
	}
	return "unknown CPU"
}

// throughput runs the default experiment with reps replications per arm on
// workers workers and returns replications per second.
func throughput(reps, workers int) float64 {
	sim := marketsim.Simulator{}
	e, err := experiments.LoadDefault(sim)
	check(err)
	e.Replications = reps
	dir, err := os.MkdirTemp("", "benchtable")
	check(err)
	defer os.RemoveAll(dir)
	// Time the replications only: from the start to the last one finished
	// (the statistics that follow are the same work on any worker count).
	start := time.Now()
	var end time.Time
	_, err = experiments.Execute(context.Background(), e, sim, experiments.RunOptions{Dir: dir, Workers: workers, Force: true,
		Progress: func(done, total int) {
			if done == total {
				end = time.Now()
			}
		}})
	check(err)
	return float64(5*reps) / end.Sub(start).Seconds()
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
}
