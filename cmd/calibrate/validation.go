package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"frontiersim/calibration"
)

// validation is the subcommand "calibrate validation": it measures every
// stylized fact of the default scenario and writes the validation report
// (make validation-report; docs/validation.md).
func validation(args []string) error {
	fs := flag.NewFlagSet("validation", flag.ContinueOnError)
	reps := fs.Int("reps", calibration.FactReps, "replications of each mode (endogenous, historical replay)")
	buyers := fs.Int("buyers", calibration.FactBuyers, "enterprise buyers per replication")
	seed := fs.Uint64("seed", calibration.FactSeed, "seed: replication r runs on engine.NewStreams(seed, r)")
	out := fs.String("o", "docs/validation.md", "report file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("calibrate validation: unexpected argument %q", fs.Arg(0))
	}
	if *reps < 2 || *buyers < 1 {
		return fmt.Errorf("calibrate validation: -reps %d -buyers %d: want at least 2 replications and 1 buyer", *reps, *buyers)
	}
	rev, dirty := buildRevision(*out)
	run := calibration.ValidationRun{
		Command:  fmt.Sprintf("go run ./cmd/calibrate validation -reps %d -buyers %d -seed %d -o %s", *reps, *buyers, *seed, filepath.ToSlash(*out)),
		Revision: rev, Dirty: dirty, Reps: *reps, Buyers: *buyers, Seed: *seed,
	}
	t0 := time.Now()
	v, err := calibration.MeasureValidation(context.Background(), run, func(f string, a ...any) {
		fmt.Fprintf(os.Stderr, "%6.1fs "+f+"\n", append([]any{time.Since(t0).Seconds()}, a...)...)
	})
	if err != nil {
		return err
	}
	b, err := v.Markdown()
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		return fmt.Errorf("calibrate validation: %w", err)
	}
	pass, fail, none := 0, 0, 0
	for _, vf := range v.Facts {
		switch f, ok := find(v.Measured, vf.ID); {
		case !ok:
			none++
		case f.Pass():
			pass++
		default:
			fail++
		}
	}
	fmt.Fprintf(os.Stderr, "%6.1fs wrote %s: %d facts pass, %d fail, %d not measured\n", time.Since(t0).Seconds(), *out, pass, fail, none)
	return nil
}

func find(fs []calibration.Fact, id string) (calibration.Fact, bool) {
	for _, f := range fs {
		if f.ID == id {
			return f, true
		}
	}
	return calibration.Fact{}, false
}

// buildRevision is the commit the binary was built from and whether the
// working tree had uncommitted changes, as the Go toolchain records them
// (vcs.revision, vcs.modified). go run and builds with -buildvcs=false or
// from a linked worktree record none; then it asks git about the current
// directory: git rev-parse HEAD, and dirty if git status --porcelain lists
// any path (untracked ones too, as the toolchain counts them) other than
// the report file out itself, which regeneration rewrites. "" if neither
// knows.
func buildRevision(out string) (rev string, dirty bool) {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	if rev != "" {
		return rev, dirty
	}
	git := func(args ...string) (string, error) {
		b, err := exec.Command("git", args...).Output()
		return string(b), err
	}
	head, err := git("rev-parse", "HEAD")
	if err != nil {
		return "", false
	}
	prefix, err := git("rev-parse", "--show-prefix")
	if err != nil {
		return "", false
	}
	status, err := git("status", "--porcelain")
	if err != nil {
		return "", false
	}
	// Porcelain paths are relative to the top of the working tree.
	self := ""
	if !filepath.IsAbs(out) {
		self = filepath.ToSlash(filepath.Join(strings.TrimSpace(prefix), out))
	}
	for _, line := range strings.Split(status, "\n") {
		if len(line) > 3 && line[3:] != self {
			dirty = true
		}
	}
	return strings.TrimSpace(head), dirty
}
