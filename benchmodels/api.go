package benchmodels

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sort"
	"strings"
	"time"

	"frontiersim/engine"
)

// Size names a benchmark size of a model.
type Size string

// The benchmark sizes. Medium exists for Boltzmann only.
const (
	Small  Size = "small"
	Medium Size = "medium"
	Large  Size = "large"
	Huge   Size = "huge"
)

// Check is one named check value of a finished run.
type Check struct {
	Name  string
	Value float64
}

// Result describes one benchmark run.
type Result struct {
	Model      string
	Size       string
	Steps      int
	Seed       uint64
	Agents     int           // agents at the start
	AgentSteps int64         // agent activations in the stepping loop
	Wall       time.Duration // the stepping loop only, not the set-up
	Checks     []Check       // the model's check values, in a stable order
}

// AgentStepsPerSecond returns AgentSteps / Wall (0 when Wall is 0).
func (r Result) AgentStepsPerSecond() float64 {
	if r.Wall <= 0 {
		return 0
	}
	return float64(r.AgentSteps) / r.Wall.Seconds()
}

// Check returns the value of the named check and whether it exists.
func (r Result) Check(name string) (float64, bool) {
	for _, c := range r.Checks {
		if c.Name == name {
			return c.Value, true
		}
	}
	return 0, false
}

// benchModel is what Run needs of a model.
type benchModel interface {
	engine.Model
	Agents() int
	AgentSteps() int64
	Checks() []Check
}

type spec struct {
	steps int
	build func(steps int, r rand.Source) (benchModel, error)
}

func boltzmannSpec(n, w, h, steps int) spec {
	return spec{steps, func(s int, r rand.Source) (benchModel, error) {
		return NewBoltzmann(BoltzmannConfig{N: n, Width: w, Height: h, Steps: s}, r)
	}}
}

func schellingSpec(w, h int, density, homophily float64, radius, steps int) spec {
	return spec{steps, func(s int, r rand.Source) (benchModel, error) {
		return NewSchelling(SchellingConfig{Width: w, Height: h, Density: density, MinorityPC: 0.5,
			Homophily: homophily, Radius: radius, Steps: s}, r)
	}}
}

func wolfSheepSpec(w, h, sheep, wolves int, ps, pw float64, regrowth, steps int) spec {
	return spec{steps, func(s int, r rand.Source) (benchModel, error) {
		return NewWolfSheep(WolfSheepConfig{Width: w, Height: h, Sheep: sheep, Wolves: wolves,
			SheepReproduce: ps, WolfReproduce: pw, GrassRegrowth: regrowth,
			SheepGain: 4, WolfGain: 20, Steps: s}, r)
	}}
}

// specs holds the benchmark sizes. Small and large (and Boltzmann's medium
// and huge) are Mesa 3.3.1's benchmark sizes; Schelling's and Wolf-Sheep's
// huge sizes are ours: the large configuration on a 316×316 grid with ten
// times the agents (same densities), for which no Mesa reference exists.
var specs = map[string]map[Size]spec{
	"boltzmann": {
		Small:  boltzmannSpec(100, 10, 10, 125),
		Medium: boltzmannSpec(10_000, 100, 100, 100),
		Large:  boltzmannSpec(10_000, 100, 100, 10),
		Huge:   boltzmannSpec(100_000, 316, 316, 100),
	},
	"schelling": {
		Small: schellingSpec(40, 40, 0.625, 0.4, 1, 20),
		Large: schellingSpec(100, 100, 0.8, 1.0, 2, 10),
		Huge:  schellingSpec(316, 316, 0.8, 1.0, 2, 10),
	},
	"wolfsheep": {
		Small: wolfSheepSpec(25, 25, 60, 40, 0.2, 0.1, 20, 80),
		Large: wolfSheepSpec(100, 100, 1000, 500, 0.4, 0.2, 10, 20),
		Huge:  wolfSheepSpec(316, 316, 10_000, 5_000, 0.4, 0.2, 10, 20),
	},
}

// Names returns the model names Run accepts, sorted.
func Names() []string {
	names := make([]string, 0, len(specs))
	for n := range specs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Sizes returns the sizes the named model accepts, smallest first, or nil
// for an unknown model.
func Sizes(name string) []Size {
	var out []Size
	for _, s := range []Size{Small, Medium, Large, Huge} {
		if _, ok := specs[name][s]; ok {
			out = append(out, s)
		}
	}
	return out
}

// DefaultSteps returns the number of steps of a model's size, or 0 when the
// pair is unknown.
func DefaultSteps(name string, size Size) int { return specs[name][size].steps }

func sizeList(sizes []Size) string {
	s := make([]string, len(sizes))
	for i, z := range sizes {
		s[i] = string(z)
	}
	return strings.Join(s, ", ")
}

// newModel builds the named model at the given size for steps steps (the size's
// default when steps <= 0), drawing from the stream named after the model
// of replication 0 under seed. It returns the model (an engine.Model) and
// the steps it was built for.
func newModel(name string, size Size, steps int, seed uint64) (benchModel, int, error) {
	bySize, ok := specs[name]
	if !ok {
		return nil, 0, fmt.Errorf("benchmodels: unknown model %q (allowed: %s)", name, strings.Join(Names(), ", "))
	}
	sp, ok := bySize[size]
	if !ok {
		return nil, 0, fmt.Errorf("benchmodels: %s has no size %q (allowed: %s)", name, size, sizeList(Sizes(name)))
	}
	if steps <= 0 {
		steps = sp.steps
	}
	m, err := sp.build(steps, engine.NewStreams(seed, 0).Source(name))
	return m, steps, err
}

// Run builds the named model at the given size (not timed), runs steps steps
// with engine.Run (timed; steps <= 0 means the size's default) and returns
// the result. An unknown name or size is an error listing the allowed values.
func Run(ctx context.Context, name string, size Size, steps int, seed uint64) (Result, error) {
	m, steps, err := newModel(name, size, steps, seed)
	if err != nil {
		return Result{}, err
	}
	res := Result{Model: name, Size: string(size), Steps: steps, Seed: seed, Agents: m.Agents()}
	// Collect the set-up's garbage now so the collector does not run during
	// the timed loop (the models allocate nothing per step).
	runtime.GC()
	start := time.Now()
	err = engine.Run(ctx, m, steps)
	res.Wall = time.Since(start)
	res.AgentSteps = m.AgentSteps()
	res.Checks = m.Checks()
	if err != nil {
		return res, fmt.Errorf("benchmodels: %s %s: %w", name, size, err)
	}
	return res, nil
}
