package benchmodels

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"testing"
	"time"

	"frontiersim/engine"
)

// benchRun times the stepping loop of one model size per iteration (the
// set-up is excluded with StopTimer) and reports agent-steps per second and
// nanoseconds per agent-step.
func benchRun(b *testing.B, name string, size Size) {
	if size == Huge && testing.Short() {
		b.Skip("huge size skipped under -short")
	}
	ctx := context.Background()
	var steps int64
	var wall time.Duration
	seed := uint64(0)
	for b.Loop() {
		b.StopTimer()
		m, n, err := newModel(name, size, 0, seed)
		if err != nil {
			b.Fatal(err)
		}
		seed++
		runtime.GC() // as Run does: no collection of set-up garbage in the loop
		b.StartTimer()
		start := time.Now()
		for t := range n {
			if err := m.Step(ctx, t); err != nil {
				b.Fatal(err)
			}
		}
		wall += time.Since(start)
		steps += m.AgentSteps()
	}
	b.ReportMetric(float64(steps)/wall.Seconds(), "agent-steps/s")
	b.ReportMetric(float64(wall.Nanoseconds())/float64(steps), "ns/agent-step")
	b.ReportMetric(float64(wall.Nanoseconds())/float64(b.N)/1e6, "ms/run")
}

func BenchmarkBoltzmannSmall(b *testing.B)  { benchRun(b, "boltzmann", Small) }
func BenchmarkBoltzmannLarge(b *testing.B)  { benchRun(b, "boltzmann", Large) }
func BenchmarkBoltzmannMedium(b *testing.B) { benchRun(b, "boltzmann", Medium) }
func BenchmarkBoltzmannHuge(b *testing.B)   { benchRun(b, "boltzmann", Huge) }
func BenchmarkSchellingSmall(b *testing.B)  { benchRun(b, "schelling", Small) }
func BenchmarkSchellingLarge(b *testing.B)  { benchRun(b, "schelling", Large) }
func BenchmarkSchellingHuge(b *testing.B)   { benchRun(b, "schelling", Huge) }
func BenchmarkWolfSheepSmall(b *testing.B)  { benchRun(b, "wolfsheep", Small) }
func BenchmarkWolfSheepLarge(b *testing.B)  { benchRun(b, "wolfsheep", Large) }
func BenchmarkWolfSheepHuge(b *testing.B)   { benchRun(b, "wolfsheep", Huge) }

// BenchmarkBoltzmannSweep times Boltzmann at one agent per cell from 10^3 to
// 10^6 agents (square grids, about 2·10^6 agent-steps a run, at least 10
// steps), the working-set sweep of docs/performance.md: the cost per
// agent-step rises where the model's data outgrow a cache level.
func BenchmarkBoltzmannSweep(b *testing.B) {
	for _, n := range []int{1000, 3000, 10_000, 30_000, 50_000, 100_000, 200_000, 1_000_000} {
		b.Run(fmt.Sprintf("agents=%d", n), func(b *testing.B) {
			if n > 100_000 && testing.Short() {
				b.Skip("more than 10^5 agents skipped under -short")
			}
			side := int(math.Round(math.Sqrt(float64(n))))
			cfg := BoltzmannConfig{N: n, Width: side, Height: side, Steps: max(10, 2_000_000/n)}
			ctx := context.Background()
			var wall time.Duration
			var steps int64
			seed := uint64(0)
			for b.Loop() {
				b.StopTimer()
				m, err := NewBoltzmann(cfg, engine.NewStreams(seed, 0).Source("boltzmann"))
				if err != nil {
					b.Fatal(err)
				}
				seed++
				runtime.GC()
				b.StartTimer()
				start := time.Now()
				for t := range cfg.Steps {
					if err := m.Step(ctx, t); err != nil {
						b.Fatal(err)
					}
				}
				wall += time.Since(start)
				steps += m.AgentSteps()
			}
			b.ReportMetric(float64(wall.Nanoseconds())/float64(steps), "ns/agent-step")
		})
	}
}
