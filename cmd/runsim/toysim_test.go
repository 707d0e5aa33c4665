package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontiersim/experiments"
	"frontiersim/internal/toysim"
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
		sim = toysim.Simulator{}
	}
	e, out, errb := toyEnv(sim)
	code := dispatch(ctx, e, args)
	return code, out.String(), errb.String()
}

// paramsPanicSim panics on the command's own goroutine (while the
// experiment is loaded).
type paramsPanicSim struct{ toysim.Simulator }

func (paramsPanicSim) Params() []experiments.Param {
	var m map[string]experiments.Param
	//lint:ignore SA5000 the panic is what the test needs
	m["toy.cap"] = experiments.Param{} // assignment to entry in nil map
	return nil
}

// sizePanicSim panics in the resource check, after the output directory
// is known but before it exists.
type sizePanicSim struct{ toysim.Simulator }

func (sizePanicSim) BytesPerBuyer() float64 { panic("no size") }
