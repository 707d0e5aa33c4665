package agents

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"testing"

	"frontiersim/engine"
)

// benchStep measures one monthly step of the whole model in the adoption era
// (months 48-83 cycled after a warm-up), reporting ns per buyer-month of wall
// time and, where the thread's CPU time can be read (Linux), of CPU time
// (cpu-ns/buyer-month: what to compare on a shared machine), and
// allocations per step.
func benchStep(b *testing.B, buyers int) {
	w, err := NewWorld(DefaultScenario(), buyers, engine.NewStreams(1, 0), DefaultMonths, false)
	if err != nil {
		b.Fatal(err)
	}
	cpu, _, ok := stepAdoptionEra(b, w, 60)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(buyers), "ns/buyer-month")
	if ok {
		b.ReportMetric(float64(cpu)/float64(b.N)/float64(buyers), "cpu-ns/buyer-month")
	}
}

// stepAdoptionEra steps w through months 0..warm-1 untimed, then times b.N
// steps cycling months 48-83 (allocations reported), on one locked OS
// thread; it returns the steps' CPU time and that of the dearest step (ns),
// and whether the thread's CPU time could be read. The timer is stopped on
// return.
func stepAdoptionEra(b *testing.B, w *World, warm int) (cpu, worst int64, ok bool) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	ctx := context.Background()
	for m := 0; m < warm; m++ {
		if err := w.Step(ctx, m); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	_, ok = threadCPU()
	for i := 0; i < b.N; i++ {
		t0, _ := threadCPU()
		if err := w.Step(ctx, 48+i%36); err != nil {
			b.Fatal(err)
		}
		t1, _ := threadCPU()
		cpu += t1 - t0
		worst = max(worst, t1-t0)
	}
	b.StopTimer()
	return cpu, worst, ok
}

func BenchmarkStep1e4(b *testing.B) { benchStep(b, 10_000) }
func BenchmarkStep1e5(b *testing.B) { benchStep(b, 100_000) }
func BenchmarkStep1e6(b *testing.B) { benchStep(b, 1_000_000) }

// BenchmarkReplication1e6 runs whole 84-month replications of 10^6 buyers,
// reusing the World with Reset (allocations per op are Reset's, not the steps').
func BenchmarkReplication1e6(b *testing.B) {
	const buyers = 1_000_000
	s := DefaultScenario()
	w, err := NewWorld(s, buyers, engine.NewStreams(1, 0), DefaultMonths, false)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := w.Reset(s, engine.NewStreams(1, uint64(i))); err != nil {
			b.Fatal(err)
		}
		if err := w.Run(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(buyers*DefaultMonths), "ns/buyer-month")
}

// TestStepAllocatesNothing: the steady-state step allocates nothing.
func TestStepAllocatesNothing(t *testing.T) {
	w := newTestWorld(t, DefaultScenario(), 2000, 1)
	w.check = false
	stepTo(t, w, 0, 60)
	m := 60
	allocs := testing.AllocsPerRun(20, func() {
		if err := w.Step(context.Background(), m); err != nil {
			t.Fatal(err)
		}
		m++
		if m == 71 {
			m = 60 // avoid the year-end IRR month
		}
	})
	if allocs != 0 {
		t.Fatalf("%g allocations per step", allocs)
	}
}

// benchFirms measures the firm-level work of a month (everything but the
// per-buyer loop, which 1,000 buyers make negligible) in world c, over the
// adoption era (months 48-83, quarterly conflict months and Decembers
// included), reporting ms per month of wall time and, where the thread's
// CPU time can be read (Linux), cpu-ms/month, the CPU time per month (what
// to compare on a shared machine, where wall time includes waiting for a
// core), and max-cpu-ms/month, that of the dearest month (an event month:
// a bargaining round, a merger screen, a year end).
func benchFirms(b *testing.B, s Scenario) {
	w, err := NewWorld(s, 1000, engine.NewStreams(1, 0), DefaultMonths, false)
	if err != nil {
		b.Fatal(err)
	}
	cpu, worst, ok := stepAdoptionEra(b, w, 48)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/month")
	if ok {
		b.ReportMetric(float64(cpu)/float64(b.N)/1e6, "cpu-ms/month")
		b.ReportMetric(float64(worst)/1e6, "max-cpu-ms/month")
	}
}

// BenchmarkStepFirmsDefault: the firm-level cost per month of the shipped world.
func BenchmarkStepFirmsDefault(b *testing.B) { benchFirms(b, NewScenario(defaultCast)) }

// BenchmarkStepFirmsDefaultSeamQuarterly: the same with the demand seam
// evaluated every third month (demand.seam_period = 3, the pricing period).
func BenchmarkStepFirmsDefaultSeamQuarterly(b *testing.B) {
	s := NewScenario(defaultCast)
	s.Demand.SeamPeriod = 3
	benchFirms(b, s)
}

// BenchmarkStepFirmsMaxima: the firm-level cost per month of a world at the
// maxima (16 labs, 8 clouds, 8 funds).
func BenchmarkStepFirmsMaxima(b *testing.B) {
	c, err := DecodeWorld("maxima.toml", []byte(maximaWorld()))
	if err != nil {
		b.Fatal(err)
	}
	benchFirms(b, NewScenario(c))
}

// BenchmarkRunFirmsDefault runs whole replications (months 0-83) of the
// shipped world with 1,000 buyers, each the same computation (one seed),
// and takes each month's least CPU time over the b.N runs, which the
// machine's noise (a vCPU's stolen time counts as the thread's) does not
// inflate as it does max-cpu-ms/month of StepFirmsDefault. It reports
// their mean over the adoption era (months 48-83, run-cpu-ms/month) and
// the dearest of them (event-cpu-ms/month). Unlike StepFirmsDefault, whose
// world after its first pass re-steps months 48-83 from month 83's state
// (pricing solves and seam evaluations then fall due only when the
// products on offer change), every month here is the month of a run.
func BenchmarkRunFirmsDefault(b *testing.B) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	s := NewScenario(defaultCast)
	var least [DefaultMonths]int64
	for m := range least {
		least[m] = -1
	}
	ctx := context.Background()
	ok := true
	for i := 0; i < b.N; i++ {
		w, err := NewWorld(s, 1000, engine.NewStreams(1, 0), DefaultMonths, false)
		if err != nil {
			b.Fatal(err)
		}
		for m := range DefaultMonths {
			t0, ok0 := threadCPU()
			if err := w.Step(ctx, m); err != nil {
				b.Fatal(err)
			}
			t1, _ := threadCPU()
			ok = ok && ok0
			if d := t1 - t0; least[m] < 0 || d < least[m] {
				least[m] = d
			}
		}
	}
	if ok {
		var worst, sum int64
		for m := 48; m < DefaultMonths; m++ {
			worst = max(worst, least[m])
			sum += least[m]
		}
		b.ReportMetric(float64(sum)/float64(DefaultMonths-48)/1e6, "run-cpu-ms/month")
		b.ReportMetric(float64(worst)/1e6, "event-cpu-ms/month")
	}
}

// BenchmarkRunMonths runs the default world (seed 1, 1000 buyers) for the
// first $FRONTIERSIM_BENCH_MONTHS months (default all 84), one run per
// iteration: the difference of two instruction counts of it (valgrind
// --tool=cachegrind, GOGC=off GOMAXPROCS=1, -benchtime 1x) at 48 and 84
// months is the deterministic cost of months 48-83, which the noisy
// machine's CPU times cannot resolve below a few per cent
// (docs/performance.md).
func BenchmarkRunMonths(b *testing.B) {
	n := DefaultMonths
	if v := os.Getenv("FRONTIERSIM_BENCH_MONTHS"); v != "" {
		k, err := strconv.Atoi(v)
		if err != nil || k < 0 || k > DefaultMonths {
			b.Fatalf("FRONTIERSIM_BENCH_MONTHS=%q: want a number of months in [0,%d]", v, DefaultMonths)
		}
		n = k
	}
	s := NewScenario(defaultCast)
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		w, err := NewWorld(s, 1000, engine.NewStreams(1, 0), DefaultMonths, false)
		if err != nil {
			b.Fatal(err)
		}
		for m := range n {
			if err := w.Step(ctx, m); err != nil {
				b.Fatal(err)
			}
		}
	}
}
