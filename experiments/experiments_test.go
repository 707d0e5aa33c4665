package experiments

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"frontiersim/internal/toysim"
	"frontiersim/results"
)

var fixedNow = func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }

const toyExperiment = `
name = "toy"
description = "toy policy study"
seed = 7
replications = 12
months = 24
buyers = 50

[scenario]
"toy.noise" = 0.03

[[arms]]
name = "cap"
[arms.overrides]
"toy.cap" = 0.6

[[arms]]
name = "slow"
overrides = { toy.growth = 0.01 }
`

const toySweep = toyExperiment + `
[sweep]
kind = "grid"
[[sweep.parameters]]
name = "toy.noise"
values = [0.01, 0.05]
[[sweep.parameters]]
name = "toy.lag"
min = 0
max = 12
steps = 3
`

func loadString(t *testing.T, text string) *Experiment {
	t.Helper()
	e, err := Load("exp.toml", func(string) ([]byte, error) { return []byte(text), nil }, toysim.Simulator{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func run(t *testing.T, e *Experiment, dir string, opt RunOptions) *results.Manifest {
	t.Helper()
	opt.Dir = dir
	opt.Now = fixedNow
	m, err := Execute(context.Background(), e, toysim.Simulator{}, opt)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// resultFiles lists the files compared byte for byte between runs.
var resultFiles = []string{results.RunsFile, results.TimeseriesFile, results.ComparisonFile, results.ExperimentFile, results.StoreFile, results.ManifestFile}

func sameFiles(t *testing.T, a, b string) {
	t.Helper()
	for _, f := range resultFiles {
		x, err := os.ReadFile(filepath.Join(a, f))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b, f))
		if err != nil {
			t.Fatal(err)
		}
		if f == results.ManifestFile {
			x, y = dropGoVersion(x), dropGoVersion(y)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between %s and %s", f, a, b)
		}
	}
}

func dropGoVersion(b []byte) []byte { return b }

func TestWorkersGiveIdenticalFiles(t *testing.T) {
	e := loadString(t, toySweep)
	ref := t.TempDir()
	run(t, e, ref, RunOptions{Workers: 1})
	for _, w := range []int{2, 8} {
		dir := t.TempDir()
		run(t, e, dir, RunOptions{Workers: w})
		sameFiles(t, ref, dir)
	}
}

func TestMergeEqualsSingleRun(t *testing.T) {
	for _, text := range []string{toyExperiment, toySweep} {
		e := loadString(t, text)
		ref := t.TempDir()
		run(t, e, ref, RunOptions{Workers: 2})
		for _, n := range []int{1, 2, 3, 7} {
			var dirs []string
			for k := 1; k <= n; k++ {
				d := t.TempDir()
				run(t, e, d, RunOptions{Workers: 2, Shard: ShardSpec{k, n}})
				dirs = append(dirs, d)
			}
			out := t.TempDir()
			if _, err := Merge(context.Background(), out, dirs, toysim.Simulator{}, fixedNow, nil); err != nil {
				t.Fatalf("n=%d: %v", n, err)
			}
			sameFiles(t, ref, out)
		}
	}
}

func TestMergeRejectsBadShards(t *testing.T) {
	e := loadString(t, toyExperiment)
	var dirs []string
	for k := 1; k <= 3; k++ {
		d := t.TempDir()
		run(t, e, d, RunOptions{Workers: 1, Shard: ShardSpec{k, 3}})
		dirs = append(dirs, d)
	}
	other := t.TempDir()
	run(t, loadString(t, strings.Replace(toyExperiment, "seed = 7", "seed = 8", 1)), other, RunOptions{Shard: ShardSpec{3, 3}})
	partial := t.TempDir()
	run(t, e, partial, RunOptions{Shard: ShardSpec{3, 3}})
	b, _ := os.ReadFile(filepath.Join(partial, results.StoreFile))
	os.WriteFile(filepath.Join(partial, results.StoreFile), b[:len(b)-100], 0o644)

	cases := []struct {
		name string
		dirs []string
		want string
	}{
		{"missing", dirs[:2], "shard(s) [3] of 3 missing"},
		{"duplicated", []string{dirs[0], dirs[1], dirs[1], dirs[2]}, "shard 2/3 is given twice"},
		{"other experiment", []string{dirs[0], dirs[1], other}, "shards of different experiments"},
		{"partial", []string{dirs[0], dirs[1], partial}, "shard 3/3 in " + partial + " is partial"},
		{"not a result dir", []string{dirs[0], t.TempDir()}, "is not a result directory"},
	}
	for _, c := range cases {
		_, err := Merge(context.Background(), t.TempDir(), c.dirs, toysim.Simulator{}, fixedNow, nil)
		if err == nil || !errors.Is(err, ErrBadShards) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", c.name, err, c.want)
		}
	}
}

func TestInterruptAndResume(t *testing.T) {
	e := loadString(t, toySweep)
	ref := t.TempDir()
	run(t, e, ref, RunOptions{Workers: 2})
	for _, stopAfter := range []int{1, 17, 40, 71} {
		dir := t.TempDir()
		// The model cancels the run when replication stopAfter+1 starts
		// (cancelling from Progress can come after every job has finished:
		// the workers run ahead of the in-order hand-over). A replication
		// running on the other worker then may stop too.
		ctx, cancel := context.WithCancel(context.Background())
		sim := toysim.CancelAfter(toysim.Simulator{}, stopAfter, cancel)
		_, err := Execute(ctx, e, sim, RunOptions{Dir: dir, Workers: 2, Now: fixedNow})
		cancel()
		if !errors.Is(err, ErrInterrupted) {
			t.Fatalf("stop after %d: got %v, want ErrInterrupted", stopAfter, err)
		}
		m, rerr := results.ReadManifest(dir)
		if rerr != nil || m.Status != results.StatusPartial || m.JobsDone < stopAfter-1 || m.JobsDone > stopAfter {
			t.Fatalf("after interrupt: manifest %+v, %v", m, rerr)
		}
		if _, err := os.Stat(filepath.Join(dir, results.RunsFile)); !os.IsNotExist(err) {
			t.Fatalf("runs.csv exists after an interrupted run")
		}
		run(t, e, dir, RunOptions{Workers: 2, Resume: true})
		sameFiles(t, ref, dir)
	}
}

func TestRefusesToClobber(t *testing.T) {
	e := loadString(t, toyExperiment)
	dir := t.TempDir()
	run(t, e, dir, RunOptions{})
	_, err := Execute(context.Background(), e, toysim.Simulator{}, RunOptions{Dir: dir})
	if !errors.Is(err, ErrResultsExist) {
		t.Fatalf("got %v, want ErrResultsExist", err)
	}
	other := loadString(t, strings.Replace(toyExperiment, "seed = 7", "seed = 9", 1))
	_, err = Execute(context.Background(), other, toysim.Simulator{}, RunOptions{Dir: dir, Resume: true})
	if !errors.Is(err, ErrResumeMismatch) {
		t.Fatalf("got %v, want ErrResumeMismatch", err)
	}
	run(t, other, dir, RunOptions{Force: true})
}

// TestFinishFailureStaysPartial: a run that fails or is interrupted while
// finishing (drawing charts) leaves a partial manifest, and -resume
// finishes it to the same bytes.
func TestFinishFailureStaysPartial(t *testing.T) {
	e := loadString(t, toyExperiment)
	ref := t.TempDir()
	run(t, e, ref, RunOptions{})
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".runs.csv.tmp-123"), []byte("stray"), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	_, err := Execute(ctx, e, toysim.Simulator{}, RunOptions{Dir: dir, Now: fixedNow,
		Finish: func(ctx context.Context, m results.Manifest) error {
			if m.Status != results.StatusComplete {
				t.Errorf("finish got status %q", m.Status)
			}
			cancel()
			return ctx.Err()
		}})
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("got %v, want ErrInterrupted", err)
	}
	m, _ := results.ReadManifest(dir)
	if m.Status != results.StatusPartial || m.JobsDone != m.JobsTotal {
		t.Fatalf("manifest %s %d/%d, want partial with every replication done", m.Status, m.JobsDone, m.JobsTotal)
	}
	finished := false
	run(t, e, dir, RunOptions{Resume: true, Finish: func(context.Context, results.Manifest) error { finished = true; return nil }})
	if !finished {
		t.Fatal("resume did not run the finishing step")
	}
	sameFiles(t, ref, dir)
	if m, _ := filepath.Glob(filepath.Join(dir, ".*.tmp-*")); len(m) != 0 {
		t.Fatalf("temporary files left: %v", m)
	}
}
