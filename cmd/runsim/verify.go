package main

import (
	"context"
	"fmt"
	"strings"

	"frontiersim/experiments"
)

const verifySynopsis = `verify DIR [-k N] [-workers N]

Checks a complete result directory: the size and SHA-256 of runs.csv,
timeseries.csv, comparison.csv and replications.bin against manifest.json,
experiment.toml against the experiment hash, and re-runs a sample of N
replications (the first, the last, and the rest drawn from the experiment's
seed, so the same sample every time) and compares them bit for bit with
their records in replications.bin.

Exit 0: everything matches (a one-line summary on stdout). Exit 1: a file or
a replication differs; each is named. Exit 2: DIR is not a complete result
directory, or it was made by another program version or revision (verify it
with a runsim built from that revision).`

func runVerify(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "verify", verifySynopsis)
	k := fs.Int("k", experiments.DefaultVerifySample, "replications to re-run (0: check the checksums only; more than DIR holds: all)")
	workers := fs.Int("workers", 0, "parallel workers (default: SLURM_CPUS_PER_TASK if set, else all cores)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("verify takes one result directory, got %d arguments", len(pos))
	}
	if *k < 0 {
		return usagef("-k %d: want 0 or more replications to re-run", *k)
	}
	if *workers < 0 {
		return usagef("-workers %d: want 1 or more (0 = default)", *workers)
	}
	if *workers == 0 {
		w, err := experiments.DefaultWorkers(e.getenv)
		if err != nil {
			return usagef("%v", err)
		}
		*workers = w
	}
	dir := pos[0]
	b := e.binaryBuild()
	rep, err := experiments.Verify(ctx, dir, e.simulator(), experiments.VerifyOptions{Sample: *k, Workers: *workers, Binary: &b})
	if err != nil {
		return err
	}
	rev := "revision unknown"
	if rep.Build.Known() {
		rev = "revision " + shortRevision(rep.Build)
	}
	fmt.Fprintf(e.stdout, "runsim verify: %s: ok: %s and %s match the manifest's SHA-256; %d of %d replications re-run bit-identical; %s\n",
		dir, strings.Join(rep.Files, ", "), "experiment.toml", len(rep.Jobs), rep.Total, rev)
	return nil
}

// shortRevision abbreviates a build's revision for a summary line.
func shortRevision(b experiments.Build) string {
	s := b.Revision
	if len(s) > 12 {
		s = s[:12]
	}
	if b.Dirty {
		s += "+dirty"
	}
	return s
}
