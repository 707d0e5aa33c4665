package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"frontiersim/internal/toysim"
	"frontiersim/results"
)

// sameResults checks that two result directories hold the same bytes
// (the manifest up to its start and end times).
func sameResults(t *testing.T, ref, dir string) {
	t.Helper()
	for _, f := range []string{results.RunsFile, results.TimeseriesFile, results.ComparisonFile, results.ExperimentFile, results.StoreFile, results.ManifestFile} {
		a, err1 := os.ReadFile(filepath.Join(ref, f))
		b, err2 := os.ReadFile(filepath.Join(dir, f))
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %v, %v", f, err1, err2)
		}
		if f == results.ManifestFile {
			if !reflect.DeepEqual(manifestWithoutTimes(t, a), manifestWithoutTimes(t, b)) {
				t.Errorf("manifests differ:\n%s\n%s", a, b)
			}
			continue
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs from the uninterrupted run", f)
		}
	}
}

// TestResumeWithoutFile: a run with -reps 40, interrupted, is finished by
// "runsim run -o DIR -resume" without the file and without -reps (the
// experiment as run comes from DIR/experiment.toml), byte-identical to an
// uninterrupted run; a file with another seed is refused, naming the seed.
func TestResumeWithoutFile(t *testing.T) {
	file := writeToy(t, toyStudy)
	ref := filepath.Join(t.TempDir(), "ref")
	if code, _, stderr := runToy(t, context.Background(), nil, "run", file, "-o", ref, "-reps", "40", "-q", "-no-charts"); code != exitOK {
		t.Fatalf("reference run: exit %d: %s", code, stderr)
	}
	dir := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sim := toysim.CancelAfter(toysim.Simulator{}, 50, cancel)
	code, _, stderr := runToy(t, ctx, sim, "run", file, "-o", dir, "-reps", "40", "-q", "-no-charts", "-workers", "2")
	if code != exitInterrupted {
		t.Fatalf("interrupted run: exit %d, want %d: %s", code, exitInterrupted, stderr)
	}
	m, err := results.ReadManifest(dir)
	if err != nil || m.Status != results.StatusPartial || m.JobsDone >= m.JobsTotal {
		t.Fatalf("after the interruption: %+v, %v; want a partial run", m, err)
	}

	// The original file without -reps 40: refused, saying replications.
	code, _, stderr = runToy(t, context.Background(), nil, "run", file, "-o", dir, "-resume", "-q", "-no-charts")
	if code != exitUsage || !strings.Contains(stderr, "replications 40 there, 6 here") || !strings.Contains(stderr, "runsim run -o "+dir+" -resume") {
		t.Errorf("resume with the file but not -reps: exit %d: %s", code, stderr)
	}
	// Another seed: refused, saying seed.
	other := writeToy(t, toyStudy, "seed = 7", "seed = 9")
	code, _, stderr = runToy(t, context.Background(), nil, "run", other, "-o", dir, "-reps", "40", "-resume", "-q", "-no-charts")
	if code != exitUsage || !strings.Contains(stderr, "seed 7 there, 9 here") || strings.Contains(stderr, "hash") {
		t.Errorf("resume with another seed: exit %d: %s", code, stderr)
	}

	code, _, stderr = runToy(t, context.Background(), nil, "run", "-o", dir, "-resume", "-q", "-no-charts")
	if code != exitOK {
		t.Fatalf("runsim run -o DIR -resume: exit %d: %s", code, stderr)
	}
	sameResults(t, ref, dir)

	// Without -o, or with a directory that holds no run: a usage error.
	if code, _, stderr := runToy(t, context.Background(), nil, "run", "-resume", "-q"); code != exitUsage || !strings.Contains(stderr, "-o DIR") {
		t.Errorf("-resume without FILE or -o: exit %d: %s", code, stderr)
	}
	empty := t.TempDir()
	if code, _, stderr := runToy(t, context.Background(), nil, "run", "-o", empty, "-resume", "-q"); code != exitUsage || !strings.Contains(stderr, "experiment.toml") {
		t.Errorf("-resume without FILE into an empty directory: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(empty, results.ManifestFile)); err == nil {
		t.Errorf("-resume without FILE into an empty directory ran something")
	}
	// -h says where the experiment comes from.
	if _, _, stderr := runToy(t, context.Background(), toysim.Simulator{}, "run", "-h"); !strings.Contains(stderr, "With -resume and no FILE, the experiment is DIR/experiment.toml") {
		t.Errorf("run -h does not document -resume without FILE:\n%s", stderr)
	}
}
