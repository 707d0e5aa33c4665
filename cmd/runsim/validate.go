package main

import (
	"context"
	"fmt"

	"frontiersim/experiments"
)

func runValidate(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "validate", "validate FILE\n\nChecks an experiment file and lists every problem at once (file:line: key: what is wrong and what is allowed); exit 2 if there is any. Warnings (a horizon past the model's calibrated period, fewer than 30 replications for a paired comparison) go to stderr and do not change the exit code.")
	workers := fs.Int("workers", 0, "workers assumed for the memory check (default: as runsim run)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("validate takes one experiment file")
	}
	sim := e.simulator()
	exp, err := experiments.Load(pos[0], experiments.FileReader(ctx), sim)
	if err != nil {
		return err
	}
	w := *workers
	if w <= 0 {
		if w, err = experiments.DefaultWorkers(e.getenv); err != nil {
			return usagef("%v; or give -workers N", err)
		}
	}
	if err := checkResources(exp, sim, w, "."); err != nil {
		return &experiments.InvalidError{Problems: []experiments.Problem{{File: pos[0], Key: "buyers", Msg: err.Error()}}}
	}
	printWarnings(e, "validate", pos[0]+": ", exp)
	plan := exp.Plan(sim)
	est := experiments.Estimate(exp, sim, w)
	fmt.Fprintf(e.stdout, "%s: valid: experiment %q, %d arm(s) × %d sweep point(s) × %d replications = %d runs of %d months with %d buyers (about %s of memory on %d workers, %s of disk)\n",
		pos[0], exp.Name, len(plan.Arms), len(plan.Points), plan.Replications, plan.Jobs(), plan.Months, plan.Buyers,
		human(est.MemoryBytes), w, human(est.DiskBytes))
	for _, n := range exp.Notes {
		fmt.Fprintf(e.stdout, "%s: note: %s\n", pos[0], n)
	}
	return nil
}

// printWarnings prints the experiment's warnings on stderr: things allowed
// but probably not meant. They never change the exit code.
func printWarnings(e *env, cmd, prefix string, exp *experiments.Experiment) {
	for _, w := range experiments.Warnings(exp, e.simulator()) {
		fmt.Fprintf(e.stderr, "runsim %s: warning: %s%s\n", cmd, prefix, w)
	}
}
