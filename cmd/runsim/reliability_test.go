package main

// Reliability tests of runsim as a program: kill -9 and SIGINT at random
// points followed by -resume, a damaged replication store, an output
// directory that cannot be written, a full disk, and extreme plan sizes.
// The tests that build and run the binary are named TestSlow... (run them
// with go test -run Slow ./cmd/runsim/, without -race); the others are
// quick. They use no parameter name of a particular model: the arm's lever
// is picked from simulator().Params() at test time.

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"frontiersim/experiments"
	"frontiersim/results"
)

// relLever picks a parameter of the current simulator and a value for it
// that differs from its default, so the experiment has an arm to compare.
func relLever(t testing.TB) (string, string) {
	params := simulator().Params()
	// Prefer a policy lever, when the model has one.
	slices.SortStableFunc(params, func(a, b experiments.Param) int {
		return cmp.Compare(relRank(a.Name), relRank(b.Name))
	})
	for _, p := range params {
		if math.IsInf(p.Min, 0) || math.IsInf(p.Max, 0) || p.Max <= p.Min {
			continue
		}
		for _, q := range []float64{0.25, 0.75, 0, 1} {
			v := p.Min + q*(p.Max-p.Min)
			if p.Integer {
				v = math.Round(v)
			}
			if v != p.Default && v >= p.Min && v <= p.Max {
				if p.Integer {
					return p.Name, strconv.FormatInt(int64(v), 10)
				}
				return p.Name, strconv.FormatFloat(v, 'g', -1, 64)
			}
		}
	}
	t.Fatal("the simulator has no parameter to use as a lever")
	return "", ""
}

func relRank(name string) int {
	if strings.HasPrefix(name, "policy.") {
		return 0
	}
	return 1
}

// relExperiment returns an experiment file with the baseline and one arm.
func relExperiment(t testing.TB, name string, reps, months, buyers int) string {
	p, v := relLever(t)
	return fmt.Sprintf(`name = %q
description = "reliability test"
seed = 4242
replications = %d
months = %d
buyers = %d

[[arms]]
name = "lever"
[arms.overrides]
%q = %s
`, name, reps, months, buyers, p, v)
}

func relWrite(t testing.TB, dir, name, text string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// relBuild builds the runsim binary into a temporary directory.
func relBuild(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "runsim")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// relCmd returns a command running the binary with a 2-worker, quiet run.
func relCmd(bin string, args ...string) (*exec.Cmd, *bytes.Buffer) {
	cmd := exec.Command(bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Stdout = &stderr
	cmd.Env = append(os.Environ(), "SLURM_CPUS_PER_TASK=")
	return cmd, &stderr
}

func relRunArgs(file, dir string, extra ...string) []string {
	return append([]string{"run", file, "-o", dir, "-q", "-workers", "2"}, extra...)
}

// relRun runs the binary to completion and returns the exit code.
func relRun(t *testing.T, bin string, args ...string) (int, string) {
	t.Helper()
	cmd, stderr := relCmd(bin, args...)
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("%v: %v", args, err)
	}
	return cmd.ProcessState.ExitCode(), stderr.String()
}

// relFixture is a calibrated experiment and its uninterrupted reference run.
type relFixture struct {
	bin, file, ref string
	dur            time.Duration // of the reference run
	jobs           int
	storeSize      int64 // of the reference run's replications.bin
}

// relReps caches the calibrated number of replications across the slow
// tests of one go test process.
var relReps int

// relSetup builds runsim, sizes an experiment so that one run takes about
// 3 s on this machine with this simulator, and runs it once uninterrupted.
// The size is found by runs of 4, 16, 64, ... replications per arm until
// one takes 1.5 s: the last two give the cost of a replication and the
// fixed cost (start-up, statistics, charts, report).
func relSetup(t *testing.T, name string) *relFixture {
	t.Helper()
	bin := relBuild(t)
	dir := t.TempDir()
	const months, buyers = 60, 2000
	timeRun := func(reps int) time.Duration {
		file := relWrite(t, dir, "exp.toml", relExperiment(t, name, reps, months, buyers))
		out := filepath.Join(dir, fmt.Sprintf("calibrate-%d", reps))
		start := time.Now()
		if code, msg := relRun(t, bin, relRunArgs(file, out)...); code != 0 {
			t.Fatalf("calibration run: exit %d: %s", code, msg)
		}
		os.RemoveAll(out)
		return time.Since(start)
	}
	if relReps == 0 {
		prevR, prevT := 0, time.Duration(0)
		r := 4
		for {
			d := timeRun(r)
			if d >= 1500*time.Millisecond || r >= 16384 {
				perRep := max(float64(d-prevT)/float64(r-prevR), float64(time.Microsecond))
				fixed := max(float64(d)-float64(r)*perRep, 0)
				relReps = int(math.Round((3*float64(time.Second) - fixed) / perRep))
				relReps = min(max(relReps, 4), 20000)
				t.Logf("calibration: %d replications per arm took %v (%d took %v): about %v fixed, %v per replication",
					r, d.Round(time.Millisecond), prevR, prevT.Round(time.Millisecond), time.Duration(fixed).Round(time.Millisecond), time.Duration(perRep).Round(time.Microsecond))
				break
			}
			prevR, prevT = r, d
			r *= 4
		}
	}
	reps := relReps
	file := relWrite(t, dir, "exp.toml", relExperiment(t, name, reps, months, buyers))
	f := &relFixture{bin: bin, file: file, ref: filepath.Join(dir, "ref"), jobs: 2 * reps}
	start := time.Now()
	if code, msg := relRun(t, bin, relRunArgs(file, f.ref)...); code != 0 {
		t.Fatalf("reference run: exit %d: %s", code, msg)
	}
	f.dur = time.Since(start)
	if st, err := os.Stat(filepath.Join(f.ref, results.StoreFile)); err == nil {
		f.storeSize = st.Size()
	}
	t.Logf("experiment: %d replications × 2 arms, %d months, %d buyers; a run takes %v", reps, months, buyers, f.dur.Round(time.Millisecond))
	return f
}

// relSignalAtStoreSize starts a run and sends sig once its replication
// store has grown to frac of its final size (so the signal arrives while
// replications are running, not while charts are drawn). It returns the
// exit code and how long the process took to exit after the signal.
func relSignalAtStoreSize(t *testing.T, f *relFixture, args []string, frac float64, sig os.Signal) (int, time.Duration, string) {
	t.Helper()
	cmd, stderr := relCmd(f.bin, args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	store := filepath.Join(args[3], results.StoreFile)
	target := int64(frac * float64(f.storeSize))
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return cmd.ProcessState.ExitCode(), 0, stderr.String()
		case <-tick.C:
		}
		if st, err := os.Stat(store); err == nil && st.Size() >= target {
			break
		}
	}
	return relSignal(t, cmd, done, sig, stderr.String)
}

// relSignal sends sig to the running cmd (done receives when it exits)
// and returns its exit code, how long it took to exit, and its stderr.
func relSignal(t *testing.T, cmd *exec.Cmd, done <-chan error, sig os.Signal, stderr func() string) (int, time.Duration, string) {
	t.Helper()
	sent := time.Now()
	cmd.Process.Signal(sig)
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Errorf("runsim did not exit within 30 s of %v", sig)
	}
	return cmd.ProcessState.ExitCode(), time.Since(sent), stderr()
}

// relChartNames lists the charts of a result directory, leaving out
// hidden files (temporary files of an interrupted write, counted apart as
// stray files).
func relChartNames(dir string) []string {
	var out []string
	entries, _ := os.ReadDir(filepath.Join(dir, results.ChartsDir))
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") {
			out = append(out, e.Name())
		}
	}
	return out
}

var relTimeRE = regexp.MustCompile(`"(start_time|end_time)": "[^"]*"`)

// relDiff lists the result files that differ between the reference and dir
// (manifest.json compared without start_time and end_time).
func relDiff(ref, dir string) []string {
	var diffs []string
	names := []string{results.RunsFile, results.TimeseriesFile, results.ComparisonFile, results.StoreFile,
		results.ExperimentFile, results.ReportFile, results.ManifestFile}
	charts := relChartNames(ref)
	for _, c := range charts {
		names = append(names, filepath.Join(results.ChartsDir, c))
	}
	if got := relChartNames(dir); !slices.Equal(got, charts) {
		diffs = append(diffs, fmt.Sprintf("charts: %v, reference %v", got, charts))
	}
	if len(charts) == 0 {
		diffs = append(diffs, "the reference has no charts")
	}
	for _, n := range names {
		a, err1 := os.ReadFile(filepath.Join(ref, n))
		b, err2 := os.ReadFile(filepath.Join(dir, n))
		if err1 != nil || err2 != nil {
			diffs = append(diffs, fmt.Sprintf("%s: %v %v", n, err1, err2))
			continue
		}
		if n == results.ManifestFile {
			a, b = relTimeRE.ReplaceAll(a, nil), relTimeRE.ReplaceAll(b, nil)
		}
		if !bytes.Equal(a, b) {
			diffs = append(diffs, n+" differs")
		}
	}
	return diffs
}

// relCheckRuns checks runs.csv: one row per planned replication, none
// twice.
func relCheckRuns(t *testing.T, dir string, jobs int) {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, results.RunsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range rows[1:] {
		k := r[0] + "\x00" + r[1] + "\x00" + r[2]
		if seen[k] {
			t.Errorf("runs.csv: replication %v twice", r[:3])
		}
		seen[k] = true
	}
	if len(rows)-1 != jobs || len(seen) != jobs {
		t.Errorf("runs.csv has %d rows (%d distinct), want %d", len(rows)-1, len(seen), jobs)
	}
}

// relStray lists files in dir that are not result files (temporary files
// left by a kill); the lock file, which stays, is not stray.
func relStray(dir string) []string {
	known := map[string]bool{results.RunsFile: true, results.TimeseriesFile: true, results.ComparisonFile: true,
		results.StoreFile: true, results.ExperimentFile: true, results.ReportFile: true, results.ManifestFile: true, results.ChartsDir: true,
		results.LockFile: true}
	var out []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !known[e.Name()] {
			out = append(out, e.Name())
		}
	}
	charts, _ := os.ReadDir(filepath.Join(dir, results.ChartsDir))
	for _, e := range charts {
		if strings.HasPrefix(e.Name(), ".") {
			out = append(out, filepath.Join(results.ChartsDir, e.Name()))
		}
	}
	return out
}

// relKillAfter starts a run and kills it with sig after d. It returns the
// exit code (-1 when killed by the signal) and how long the process took
// to exit after the signal.
func relKillAfter(t *testing.T, bin string, args []string, d time.Duration, sig os.Signal) (int, time.Duration, string) {
	t.Helper()
	cmd, stderr := relCmd(bin, args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
		return cmd.ProcessState.ExitCode(), 0, stderr.String()
	case <-time.After(d):
	}
	return relSignal(t, cmd, done, sig, stderr.String)
}

// TestSlowKillAndResume kills runs with SIGKILL at random points (some of
// them twice, the second time during the resume) and resumes them: the
// result files must be byte-identical to the uninterrupted run.
func TestSlowKillAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: builds and runs the binary")
	}
	f := relSetup(t, "crash")
	rng := rand.New(rand.NewPCG(20260101, 10))
	const trials = 12
	killed, identical := 0, 0
	var stray []string
	for i := range trials {
		dir := filepath.Join(t.TempDir(), "out")
		at := time.Duration((0.03 + 0.97*rng.Float64()) * float64(f.dur))
		code, _, msg := relKillAfter(t, f.bin, relRunArgs(f.file, dir), at, syscall.SIGKILL)
		what := fmt.Sprintf("trial %d: kill -9 at %v", i, at.Round(time.Millisecond))
		if code == -1 {
			killed++
		} else if code != 0 {
			t.Fatalf("%s: exit %d before the kill: %s", what, code, msg)
		} else {
			what += " (finished first)"
		}
		if i%3 == 2 { // kill the resume too
			at2 := time.Duration(rng.Float64() * float64(f.dur) / 2)
			if c, _, _ := relKillAfter(t, f.bin, relRunArgs(f.file, dir, "-resume"), at2, syscall.SIGKILL); c == -1 {
				killed++
				what += fmt.Sprintf(", kill -9 of the resume at %v", at2.Round(time.Millisecond))
			}
		}
		if m, err := results.ReadManifest(dir); err == nil && m.Status == results.StatusComplete && code == -1 {
			what += " (killed after the manifest said complete: drawing charts)"
		}
		if code, msg := relRun(t, f.bin, relRunArgs(f.file, dir, "-resume")...); code != 0 {
			t.Fatalf("%s: resume: exit %d: %s", what, code, msg)
		}
		if d := relDiff(f.ref, dir); len(d) > 0 {
			t.Errorf("%s: after -resume: %v", what, d)
		} else {
			identical++
		}
		relCheckRuns(t, dir, f.jobs)
		stray = append(stray, relStray(dir)...)
		t.Log(what)
	}
	if len(stray) > 0 {
		t.Logf("files left behind by kills: %v", stray)
	}
	t.Logf("RELIABILITY kill9: trials=%d kills=%d identical=%d stray_files=%d run=%v", trials, killed, identical, len(stray), f.dur.Round(time.Millisecond))
}

// TestSlowInterruptAndResume sends SIGINT: runsim exits with 130 within
// about a second, leaves a partial manifest, and -resume completes it
// byte-identically.
func TestSlowInterruptAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: builds and runs the binary")
	}
	f := relSetup(t, "sigint")
	rng := rand.New(rand.NewPCG(20260101, 130))
	const trials = 3
	var worst time.Duration
	for range trials {
		dir := filepath.Join(t.TempDir(), "out")
		at := 0.1 + 0.6*rng.Float64()
		code, took, msg := relSignalAtStoreSize(t, f, relRunArgs(f.file, dir), at, os.Interrupt)
		worst = max(worst, took)
		if code != exitInterrupted {
			t.Fatalf("SIGINT at %.2f of the store: exit %d, want %d: %s", at, code, exitInterrupted, msg)
		}
		if took > 1500*time.Millisecond {
			t.Errorf("SIGINT at %v: exit took %v, want about a second at most", at, took)
		}
		m, err := results.ReadManifest(dir)
		if err != nil || m.Status != results.StatusPartial {
			t.Fatalf("SIGINT at %v: manifest %+v, %v; want status partial", at, m.Status, err)
		}
		if _, err := os.Stat(filepath.Join(dir, results.RunsFile)); err == nil {
			t.Errorf("runs.csv exists after SIGINT")
		}
		if code, msg := relRun(t, f.bin, relRunArgs(f.file, dir, "-resume")...); code != 0 {
			t.Fatalf("resume: exit %d: %s", code, msg)
		}
		if d := relDiff(f.ref, dir); len(d) > 0 {
			t.Errorf("SIGINT at %v, then -resume: %v", at, d)
		}
		relCheckRuns(t, dir, f.jobs)
		t.Logf("SIGINT at %.0f%% of the store: exit 130 after %v, %d of %d done; resume identical", 100*at, took.Round(time.Millisecond), m.JobsDone, m.JobsTotal)
	}
	t.Logf("RELIABILITY sigint: trials=%d worst_exit=%v", trials, worst.Round(time.Millisecond))
}

// relCorrupt flips bytes in the middle of the store (inside a record past
// the header) and cuts its last record in half. It returns the number of
// records it damaged.
func relCorrupt(t *testing.T, dir string) int {
	t.Helper()
	m, err := results.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	h := results.StoreHeader{Months: m.Plan.Months, Metrics: len(m.Plan.Metrics)}
	size := int(h.RecordSize())
	path := filepath.Join(dir, results.StoreFile)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const header = 48
	n := (len(b) - header) / size
	if n < 3 {
		t.Fatalf("store has %d records, too few to damage", n)
	}
	mid := header + (n/2)*size + size/2
	for i := 0; i < 8; i++ {
		b[mid+i] ^= 0xA5
	}
	b = b[:header+(n-1)*size+size/3]
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return 2
}

// TestSlowCorruptStoreResume damages replications.bin (flipped bytes in
// the middle, a record cut in half at the end) of an interrupted and of a
// complete run before -resume: the damaged replications run again and the
// results are identical to the uninterrupted run.
func TestSlowCorruptStoreResume(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: builds and runs the binary")
	}
	f := relSetup(t, "corrupt")
	// An interrupted run.
	dir := filepath.Join(t.TempDir(), "partial")
	if code, _, msg := relSignalAtStoreSize(t, f, relRunArgs(f.file, dir), 0.5, os.Interrupt); code != exitInterrupted {
		t.Fatalf("SIGINT: exit %d: %s", code, msg)
	}
	relCorrupt(t, dir)
	if code, msg := relRun(t, f.bin, relRunArgs(f.file, dir, "-resume")...); code != 0 {
		t.Fatalf("resume after damage: exit %d: %s", code, msg)
	}
	if d := relDiff(f.ref, dir); len(d) > 0 {
		t.Errorf("interrupted run, damaged store, -resume: %v", d)
	}
	relCheckRuns(t, dir, f.jobs)
	// A complete run.
	dir = filepath.Join(t.TempDir(), "complete")
	if code, msg := relRun(t, f.bin, relRunArgs(f.file, dir)...); code != 0 {
		t.Fatalf("run: exit %d: %s", code, msg)
	}
	relCorrupt(t, dir)
	if code, msg := relRun(t, f.bin, relRunArgs(f.file, dir, "-resume")...); code != 0 {
		t.Fatalf("resume of a complete run after damage: exit %d: %s", code, msg)
	}
	if d := relDiff(f.ref, dir); len(d) > 0 {
		t.Errorf("complete run, damaged store, -resume: %v", d)
	}
	relCheckRuns(t, dir, f.jobs)
	t.Logf("RELIABILITY corrupt: cases=2 identical=%v", !t.Failed())
}

// relNoCompleteManifest fails if dir holds a manifest that says complete.
func relNoCompleteManifest(t *testing.T, dir string) {
	t.Helper()
	if m, err := results.ReadManifest(dir); err == nil && m.Status == results.StatusComplete {
		t.Errorf("%s: manifest says complete after a failed run", dir)
	}
}

// TestUnwritableOutputDir: root ignores permission bits, so the output
// directory is made unwritable by putting it under a regular file
// (-o FILE/sub: mkdir fails with ENOTDIR) and under /proc (where nothing
// can be created). runsim must give a clear error with exit 1 or 2 and
// leave nothing that claims to be complete.
func TestUnwritableOutputDir(t *testing.T) {
	tmp := t.TempDir()
	file := relWrite(t, tmp, "exp.toml", relExperiment(t, "unwritable", 2, 3, 5))
	blocker := relWrite(t, tmp, "regular_file", "not a directory\n")
	outs := []string{filepath.Join(blocker, "sub"), filepath.Join(blocker, "a", "b")}
	if _, err := os.Stat("/proc/self"); err == nil {
		outs = append(outs, "/proc/runsim-reliability-test")
	}
	for _, out := range outs {
		e, _, stderr := relEnv()
		code := dispatch(context.Background(), e, []string{"run", file, "-o", out, "-q", "-workers", "1"})
		msg := stderr.String()
		if code != exitFailure && code != exitUsage {
			t.Errorf("-o %s: exit %d, want 1 or 2: %s", out, code, msg)
		}
		if !strings.Contains(msg, out) && !strings.Contains(msg, "output directory") {
			t.Errorf("-o %s: the error does not say which directory: %s", out, msg)
		}
		relNoCompleteManifest(t, out)
		t.Logf("-o %s: exit %d: %s", out, code, strings.TrimSpace(msg))
	}
	if b, _ := os.ReadFile(blocker); string(b) != "not a directory\n" {
		t.Errorf("the regular file was changed")
	}
}

// TestSlowFullDisk runs on a small tmpfs: a plan that cannot fit is
// refused up front, and a disk that fills up during the run gives a clear
// error, no complete manifest, and a -resume (after space is freed) that
// is identical to the uninterrupted run.
func TestSlowFullDisk(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: builds and runs the binary")
	}
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs (needs root): %v %s", err, out)
	}
	unmount := func() { exec.Command("umount", mnt).Run() }
	defer unmount()
	f := relSetup(t, "fulldisk")

	// 1. The plan does not fit in 64 KiB: refused before running.
	dir := filepath.Join(mnt, "out")
	code, msg := relRun(t, f.bin, relRunArgs(f.file, dir)...)
	t.Logf("64 KiB disk: exit %d: %s", code, strings.TrimSpace(msg))
	if code == 0 {
		t.Errorf("a run on a 64 KiB disk succeeded")
	} else if !strings.Contains(msg, "disk") && !strings.Contains(msg, "no space") {
		t.Errorf("the error does not mention the disk: %s", msg)
	}
	relNoCompleteManifest(t, dir)
	unmount()

	// 2. Room for the plan, but the disk fills up during the run.
	// Room for twice the complete results (store, tables, charts, report).
	var total int64
	filepath.WalkDir(f.ref, func(_ string, d fs.DirEntry, _ error) error {
		if d != nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				total += fi.Size()
			}
		}
		return nil
	})
	size := 2*total + 1<<20
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d", size), "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Fatalf("mount: %v %s", err, out)
	}
	dir = filepath.Join(mnt, "out")
	cmd, stderr := relCmd(f.bin, relRunArgs(f.file, dir)...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Fill the disk once the first replications are on it: while the
	// replications run, not while the charts are drawn.
	for deadline := time.Now().Add(2 * f.dur); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if st, err := os.Stat(filepath.Join(dir, results.StoreFile)); err == nil && st.Size() > 0 {
			break
		}
	}
	filler := filepath.Join(mnt, "filler")
	ff, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 1<<16)
	for {
		if _, err := ff.Write(chunk); err != nil {
			break
		}
	}
	ff.Close()
	cmd.Wait()
	code, msg = cmd.ProcessState.ExitCode(), stderr.String()
	t.Logf("disk of %d KiB (results: %d KiB) filled during the run: exit %d: %s", size>>10, total>>10, code, strings.TrimSpace(msg))
	full := code != 0
	if code == 0 {
		t.Logf("the run finished before the disk filled up (it took less than %v)", f.dur/4)
	} else {
		if code != exitFailure {
			t.Errorf("exit %d, want %d", code, exitFailure)
		}
		if !strings.Contains(msg, "no space left on device") {
			t.Errorf("the error does not say the disk is full: %s", msg)
		}
		relNoCompleteManifest(t, dir)
	}
	os.Remove(filler)
	if code, msg := relRun(t, f.bin, relRunArgs(f.file, dir, "-resume")...); code != 0 {
		t.Fatalf("resume after freeing space: exit %d: %s", code, msg)
	}
	if d := relDiff(f.ref, dir); len(d) > 0 {
		t.Errorf("full disk, then -resume: %v", d)
	}
	relCheckRuns(t, dir, f.jobs)
	t.Logf("RELIABILITY fulldisk: refused_upfront=%v enospc_during_run=%v resume_identical=%v", true, full, !t.Failed())
}

// TestExtremeInputs runs tiny and long plans: each completes, or fails
// with exit 2 and a message naming the key whose limit it hit.
//
// TODO(market model, for the maintainer): 10^6 buyers; a scenario with a
// single lab; no hyperscaler investments at all; every policy lever at
// its extreme at once; the longest horizon with the full buyer count.
func TestExtremeInputs(t *testing.T) {
	cases := []struct {
		name                  string
		reps, months, buyers  int
		key                   string
		skipShort, mustRefuse bool
	}{
		{"one_buyer", 2, 12, 1, "buyers", false, false},
		{"one_month", 2, 1, 20, "months", false, false},
		{"one_replication", 1, 12, 20, "replications", false, false},
		{"all_ones", 1, 1, 1, "", false, false},
		{"600_months", 2, 600, 20, "months", true, false},
		{"max_months", 1, experiments.MaxMonths, 5, "months", true, false},
		{"over_max_months", 1, experiments.MaxMonths + 1, 5, "months", false, true},
		{"zero_buyers", 1, 12, 0, "buyers", false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.skipShort && testing.Short() {
				t.Skip("long horizon: skipped with -short")
			}
			tmp := t.TempDir()
			file := relWrite(t, tmp, "exp.toml", relExperiment(t, c.name, c.reps, c.months, c.buyers))
			dir := filepath.Join(tmp, "out")
			e, _, stderr := relEnv()
			args := []string{"run", file, "-o", dir, "-q", "-workers", "2"}
			if raceDetector || testing.Short() && c.months != 1 && c.reps != 1 {
				// Charts are ten times slower under -race; without it (make
				// test-slow) every case draws them, and with -short the
				// one-month and one-replication cases still do.
				args = append(args, "-no-charts")
			}
			code := dispatch(context.Background(), e, args)
			msg := stderr.String()
			switch code {
			case exitOK:
				if c.mustRefuse {
					t.Fatalf("ran a plan beyond the limit of %s", c.key)
				}
				m, err := results.ReadManifest(dir)
				if err != nil || m.Status != results.StatusComplete {
					t.Fatalf("exit 0 but manifest %v, %v", m.Status, err)
				}
				relCheckRuns(t, dir, 2*c.reps)
				n := 0
				filepath.WalkDir(filepath.Join(dir, results.ChartsDir), func(_ string, d fs.DirEntry, _ error) error {
					if d != nil && !d.IsDir() {
						n++
					}
					return nil
				})
				t.Logf("%d reps × %d months × %d buyers: complete, %d charts", c.reps, c.months, c.buyers, n)
			case exitUsage:
				if c.key == "" || !strings.Contains(msg, c.key) {
					t.Errorf("exit 2 without naming the limit (%q): %s", c.key, msg)
				}
				t.Logf("%d reps × %d months × %d buyers: refused: %s", c.reps, c.months, c.buyers, strings.Join(strings.Fields(msg), " "))
			default:
				t.Errorf("exit %d: %s", code, msg)
			}
		})
	}
}
