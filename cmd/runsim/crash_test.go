package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontiersim/experiments"
	"frontiersim/internal/toysim"
	"frontiersim/results"
)

// TestPanicInReplicationExits3: a replication that panics (a bug in the
// model, on a worker goroutine) exits 3, not 2 like an invalid experiment;
// the stack goes to a crash file in the output directory, not to stderr;
// the finished replications are kept (manifest partial) for -resume.
func TestPanicInReplicationExits3(t *testing.T) {
	file := writeToy(t, toyStudy)
	dir := filepath.Join(t.TempDir(), "out")
	sim := toysim.PanicAfter(toysim.Simulator{}, 5)
	code, _, stderr := runToy(t, context.Background(), sim, "run", file, "-o", dir, "-q", "-workers", "2", "-no-charts")
	if code != exitCrash {
		t.Fatalf("exit %d, want %d: %s", code, exitCrash, stderr)
	}
	files, _ := filepath.Glob(filepath.Join(dir, crashFilePrefix+"*.txt"))
	if len(files) != 1 {
		t.Fatalf("crash files %v, want one in %s; stderr:\n%s", files, dir, stderr)
	}
	for _, want := range []string{"internal error", "index out of range", "bug in runsim", files[0], "-resume"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "goroutine ") {
		t.Errorf("stack printed without -debug:\n%s", stderr)
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	crash := string(b)
	for _, want := range []string{"panic: runtime error: index out of range", "goroutine ", "toysim.wrappedRunner.Run",
		programVersion(experiments.CurrentBuild()), "command: runsim run " + file + " -o " + dir} {
		if !strings.Contains(crash, want) {
			t.Errorf("crash file lacks %q:\n%s", want, crash)
		}
	}
	m, err := results.ReadManifest(dir)
	if err != nil || m.Status != results.StatusPartial {
		t.Errorf("manifest after the crash: %+v, %v; want partial", m.Status, err)
	}

	// With -debug the stack is printed too.
	dir2 := filepath.Join(t.TempDir(), "out")
	sim = toysim.PanicAfter(toysim.Simulator{}, 5)
	code, _, stderr = runToy(t, context.Background(), sim, "run", file, "-o", dir2, "-q", "-workers", "2", "-no-charts", "-debug")
	if code != exitCrash || !strings.Contains(stderr, "goroutine ") || !strings.Contains(stderr, "toysim.wrappedRunner.Run") {
		t.Errorf("-debug: exit %d, stderr without the stack:\n%s", code, stderr)
	}
}

// TestPanicOnCommandGoroutineExits3: a panic on the command's own goroutine
// (here while loading the experiment, before there is an output directory)
// exits 3 and says that -debug prints the stack; -debug prints it.
func TestPanicOnCommandGoroutineExits3(t *testing.T) {
	file := writeToy(t, toyStudy)
	code, _, stderr := runToy(t, context.Background(), paramsPanicSim{}, "validate", file)
	if code != exitCrash || !strings.Contains(stderr, "nil map") || !strings.Contains(stderr, "-debug") || strings.Contains(stderr, "goroutine ") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	code, _, stderr = runToy(t, context.Background(), paramsPanicSim{}, "validate", "-debug", file)
	if code != exitCrash || !strings.Contains(stderr, "goroutine ") || !strings.Contains(stderr, "paramsPanicSim.Params") {
		t.Errorf("-debug: exit %d, stderr:\n%s", code, stderr)
	}
}

// TestPanicBeforeTheOutputDirectoryExists: when the crash file cannot be
// written, the message says so and points to -debug, and does not promise
// finished replications.
func TestPanicBeforeTheOutputDirectoryExists(t *testing.T) {
	file := writeToy(t, toyStudy)
	dir := filepath.Join(t.TempDir(), "missing", "out")
	code, _, stderr := runToy(t, context.Background(), sizePanicSim{}, "run", file, "-o", dir, "-q")
	if code != exitCrash || !strings.Contains(stderr, "no crash file could be written in "+dir) || !strings.Contains(stderr, "-debug") || strings.Contains(stderr, "-resume") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}
