package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"frontiersim/engine"
	"frontiersim/experiments"
)

// toyStudy is a small experiment of the toy model: a baseline and two
// policy arms.
const toyStudy = `name = "toy-study"
seed = 7
replications = 6
months = 12
buyers = 20

[[arms]]
name = "cap"
[arms.overrides]
"toy.cap" = 0.6

[[arms]]
name = "slow"
overrides = { "toy.growth" = 0.01 }
`

// writeToy writes an experiment file of the toy model into a new temporary
// directory (text with replacements applied: old, new, ...).
func writeToy(t *testing.T, text string, replace ...string) string {
	t.Helper()
	text = strings.NewReplacer(replace...).Replace(text)
	path := filepath.Join(t.TempDir(), "toy.toml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// toyEnv returns an env running sim, writing to buffers.
func toyEnv(sim experiments.Simulator) (*env, *strings.Builder, *strings.Builder) {
	var out, errb strings.Builder
	return &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }, sim: sim}, &out, &errb
}

// runToy runs runsim with the toy model (or sim) and returns the exit
// code, stdout and stderr.
func runToy(t *testing.T, ctx context.Context, sim experiments.Simulator, args ...string) (int, string, string) {
	t.Helper()
	if sim == nil {
		sim = experiments.ToySimulator{}
	}
	e, out, errb := toyEnv(sim)
	code := dispatch(ctx, e, args)
	return code, out.String(), errb.String()
}

// panicSim is the toy model whose replications panic from the after-th on
// (counted across workers), as a bug in a model would.
type panicSim struct {
	experiments.ToySimulator
	after int64
	n     *atomic.Int64
}

func (s panicSim) NewRunner(buyers, months int) (experiments.Runner, error) {
	r, err := s.ToySimulator.NewRunner(buyers, months)
	return panicRunner{r, s}, err
}

type panicRunner struct {
	experiments.Runner
	s panicSim
}

func (r panicRunner) Run(ctx context.Context, p []float64, st engine.Streams, out []float64) error {
	if r.s.n.Add(1) > r.s.after {
		var shares []float64
		_ = shares[len(p)] // index out of range, in a worker goroutine
	}
	return r.Runner.Run(ctx, p, st, out)
}

// cancelSim is the toy model that cancels the run after after
// replications: an interruption at a known point, in process.
type cancelSim struct {
	experiments.ToySimulator
	after  int64
	n      *atomic.Int64
	cancel context.CancelFunc
}

func (s cancelSim) NewRunner(buyers, months int) (experiments.Runner, error) {
	r, err := s.ToySimulator.NewRunner(buyers, months)
	return cancelRunner{r, s}, err
}

type cancelRunner struct {
	experiments.Runner
	s cancelSim
}

func (r cancelRunner) Run(ctx context.Context, p []float64, st engine.Streams, out []float64) error {
	if r.s.n.Add(1) > r.s.after {
		r.s.cancel()
		return ctx.Err()
	}
	return r.Runner.Run(ctx, p, st, out)
}

// paramsPanicSim panics on the command's own goroutine (while the
// experiment is loaded).
type paramsPanicSim struct{ experiments.ToySimulator }

func (paramsPanicSim) Params() []experiments.Param {
	var m map[string]experiments.Param
	m["toy.cap"] = experiments.Param{} // assignment to entry in nil map
	return nil
}

// sizePanicSim panics in the resource check, after the output directory
// is known but before it exists.
type sizePanicSim struct{ experiments.ToySimulator }

func (sizePanicSim) BytesPerBuyer() float64 { panic("no size") }
