package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"frontiersim/calibration"
)

// acceptance is the subcommand "calibrate acceptance": the paired effects
// of the exclusivity ban and of a non-strategic second hyperscaler on the
// challenger's training compute and capability (model v2 part 1), part 2's
// welfare, price, cloud-share and pricing-solve figures over the default
// experiment's levers, and (part 4) merger control's on consumer surplus,
// prices and capability (make acceptance-report; docs/acceptance.md).
func acceptance(args []string) error {
	fs := flag.NewFlagSet("acceptance", flag.ContinueOnError)
	reps := fs.Int("reps", 200, "replications of each arm (the baseline and every change)")
	buyers := fs.Int("buyers", 10000, "enterprise buyers per replication (the default experiment's)")
	seed := fs.Uint64("seed", calibration.FactSeed, "seed: replication r runs on engine.NewStreams(seed, r)")
	out := fs.String("o", "docs/acceptance.md", "report file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("calibrate acceptance: unexpected argument %q", fs.Arg(0))
	}
	if *reps < 2 || *buyers < 1 {
		return fmt.Errorf("calibrate acceptance: -reps %d -buyers %d: want at least 2 replications and 1 buyer", *reps, *buyers)
	}
	rev, dirty := buildRevision(*out)
	run := calibration.ValidationRun{
		Command:  fmt.Sprintf("go run ./cmd/calibrate acceptance -reps %d -buyers %d -seed %d -o %s", *reps, *buyers, *seed, filepath.ToSlash(*out)),
		Revision: rev, Dirty: dirty, Reps: *reps, Buyers: *buyers, Seed: *seed,
	}
	t0 := time.Now()
	a, err := calibration.MeasureAcceptance(context.Background(), run, func(f string, x ...any) {
		fmt.Fprintf(os.Stderr, "%6.1fs "+f+"\n", append([]any{time.Since(t0).Seconds()}, x...)...)
	})
	if err != nil {
		return err
	}
	b, err := a.Markdown()
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		return fmt.Errorf("calibrate acceptance: %w", err)
	}
	fmt.Fprintf(os.Stderr, "%6.1fs wrote %s\n", time.Since(t0).Seconds(), *out)
	return nil
}
