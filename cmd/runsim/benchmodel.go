package main

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"frontiersim/benchmodels"
)

func runBenchModel(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "bench-model", "bench-model NAME [-size small|large|huge] [-steps N] [-seed S]\n\nRuns a standard ABM benchmark model ("+strings.Join(benchmodels.Names(), ", ")+") with Mesa 3.3.1's rules and prints the wall time of the stepping loop, agent-steps per second and the model's check values.")
	size := fs.String("size", "small", "small, large or huge")
	steps := fs.Int("steps", 0, "steps (default: the size's benchmark steps)")
	seed := fs.String("seed", "1", "random seed")
	repeat := fs.Int("repeat", 1, "run the model this many times (same seed) and report the median and fastest wall time")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("bench-model takes one model name: %s", strings.Join(benchmodels.Names(), ", "))
	}
	s, err := strconv.ParseUint(*seed, 10, 64)
	if err != nil {
		return usagef("-seed %q: want a whole number", *seed)
	}
	if *steps < 0 {
		return usagef("-steps %d: want 1 or more (0 = the size's default)", *steps)
	}
	if *repeat < 1 {
		return usagef("-repeat %d: want 1 or more", *repeat)
	}
	var walls []time.Duration
	var r benchmodels.Result
	for i := 0; i < *repeat; i++ {
		r, err = benchmodels.Run(ctx, pos[0], benchmodels.Size(*size), *steps, s)
		if err != nil {
			if ctx.Err() != nil {
				return err
			}
			return usagef("%v", err)
		}
		walls = append(walls, r.Wall)
	}
	slices.Sort(walls)
	r.Wall = walls[len(walls)/2]
	fmt.Fprintf(e.stdout, "model %s size %s steps %d seed %d agents %d\n", r.Model, r.Size, r.Steps, r.Seed, r.Agents)
	fmt.Fprintf(e.stdout, "wall %.6f s (stepping loop only", r.Wall.Seconds())
	if len(walls) > 1 {
		fmt.Fprintf(e.stdout, "; median of %d runs, fastest %.6f s", len(walls), walls[0].Seconds())
	}
	fmt.Fprintf(e.stdout, ")\nagent-steps %d\nagent-steps/s %.4g\n", r.AgentSteps, r.AgentStepsPerSecond())
	for _, c := range r.Checks {
		fmt.Fprintf(e.stdout, "%s %s\n", c.Name, strconv.FormatFloat(c.Value, 'g', 6, 64))
	}
	return nil
}
