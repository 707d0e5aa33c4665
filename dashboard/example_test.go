package dashboard_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"frontiersim/dashboard"
	"frontiersim/experiments"
	"frontiersim/internal/toysim"
)

// A dashboard's view of a finished run of the toy model: the progress of
// its directory and the paired effect of each policy arm on a metric at
// the horizon. runsim serve sends the same Snapshot, as JSON, in each
// update event.
func ExampleServer_Snapshot() {
	top, _ := os.MkdirTemp("", "dashboard-example")
	defer os.RemoveAll(top)
	file := filepath.Join(top, "toy.toml")
	os.WriteFile(file, []byte(`name = "toy"
seed = 3
replications = 30
months = 12
buyers = 10

[[arms]]
name = "cap"
overrides = { "toy.cap" = 0.6 }
`), 0o644)
	sim := toysim.Simulator{}
	exp, err := experiments.Load(file, os.ReadFile, sim)
	if err != nil {
		panic(err)
	}
	dir := filepath.Join(top, "out", "toy")
	if _, err := experiments.Execute(context.Background(), exp, sim, experiments.RunOptions{Dir: dir, Workers: 1}); err != nil {
		panic(err)
	}

	s, err := dashboard.New(dashboard.Options{Dirs: []string{filepath.Join(top, "out")}})
	if err != nil {
		panic(err)
	}
	defer s.Close()
	s.Poll()
	snap := s.Snapshot(dashboard.ViewRequest{Metric: "model_share_a"})
	for _, r := range snap.Runs {
		fmt.Printf("%s: %s, %d of %d replications\n", r.Path, r.State, r.Done, r.Total)
	}
	for _, e := range snap.View.Effects {
		fmt.Printf("%s on %s at the %s: %d pairs, %.3f [%.3f, %.3f]\n", e.Arm, snap.View.Metric.Name, snap.View.Window, e.N, e.Diff, e.Lo, e.Hi)
	}
	// Output:
	// toy: complete, 60 of 60 replications
	// cap on model_share_a at the horizon: 30 pairs, -0.074 [-0.105, -0.042]
}
