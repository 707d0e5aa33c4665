package main

import (
	"context"
	"fmt"

	"frontiersim/experiments"
	"frontiersim/results"
)

func runMerge(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "merge", "merge [-force] -o DIR DIR_1 ... DIR_N\n\nChecks that the shard directories come from one experiment, seed and program version, that none is missing, duplicated or partial (with a stopping rule, partial shards are merged over the replications every shard holds), and writes the result files (and charts and report) of the whole plan to DIR, byte-identical to a single-machine run.")
	out := fs.String("o", "", "output directory (required; new, empty, or an earlier merge of the same shards)")
	force := fs.Bool("force", false, "write into -o even though it holds other results or files (runsim's own files there are removed, nothing else)")
	noCharts := fs.Bool("no-charts", false, "write no charts and no report")
	stopFile := fs.String("stop-file", "", "with a stopping rule: merge shards that may still be running (the replications every shard holds; exit 1 if the rule does not stop within them) and, once it has stopped, write this file so that shards run with -stop-file stop")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if *out == "" {
		return usagef("merge needs -o DIR")
	}
	if len(pos) == 0 {
		return usagef("merge needs the shard directories")
	}
	e.outDir = *out
	var finish func(context.Context, results.Manifest) error
	if !*noCharts {
		finish = func(ctx context.Context, m results.Manifest) error { return drawAndReport(ctx, *out, m) }
	}
	lockMode, err := lockMode(e.getenv)
	if err != nil {
		return err
	}
	man, err := experiments.MergeWith(ctx, e.simulator(), experiments.MergeOptions{Dir: *out, Shards: pos, Force: *force,
		Lock: lockMode, Note: e.note, Finish: finish, StopFile: *stopFile})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "runsim: merged %d shard(s), %d replications, into %s\n", len(pos), man.JobsDone, *out)
	return nil
}
