package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"frontiersim/results"
)

// tinyStudy writes a small experiment (baseline and one arm) into dir.
func tinyStudy(t *testing.T, dir, name string) string {
	t.Helper()
	// Charts of one metric: every kind of chart file and the report, at a
	// fraction of the default set's drawing time (slow under -race).
	m := simulator().Metrics()[0].Name
	return relWrite(t, dir, name+".toml", relExperiment(t, name, 3, 12, 60)+fmt.Sprintf("\n[charts]\nmetrics = [%q]\n", m))
}

// TestRunIntoForeignDir is the reproduction of the issue:
//
//	mkdir -p charts/sub; echo x > charts/sub/thesis.tex; echo y > report.html
//	runsim run e.toml -o . -q
//
// exits 2 and keeps both files; with -force it exits 0 and thesis.tex
// (and e.toml) survive, next to the charts and report of the run.
func TestRunIntoForeignDir(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	tinyStudy(t, ".", "e")
	os.MkdirAll(filepath.Join("charts", "sub"), 0o777)
	relWrite(t, ".", filepath.Join("charts", "sub", "thesis.tex"), "x\n")
	relWrite(t, ".", "report.html", "y\n")

	code, _, stderr := dispatchT(t, "run", "e.toml", "-o", ".", "-q")
	if code != exitUsage || !strings.Contains(stderr, "holds no manifest.json") || !strings.Contains(stderr, "-force") {
		t.Errorf("run -o . into a foreign directory: exit %d, want 2 saying why and -force: %s", code, stderr)
	}
	for name, want := range map[string]string{"charts/sub/thesis.tex": "x\n", "report.html": "y\n"} {
		if b, err := os.ReadFile(name); err != nil || string(b) != want {
			t.Errorf("%s after the refused run: %q, %v; want %q", name, b, err, want)
		}
	}

	code, _, stderr = dispatchT(t, "run", "e.toml", "-o", ".", "-q", "-force")
	if code != exitOK {
		t.Fatalf("run -o . -force: exit %d: %s", code, stderr)
	}
	if b, err := os.ReadFile("charts/sub/thesis.tex"); err != nil || string(b) != "x\n" {
		t.Errorf("-force: thesis.tex is %q, %v", b, err)
	}
	if _, err := os.Stat("e.toml"); err != nil {
		t.Errorf("-force removed the experiment file: %v", err)
	}
	if b, _ := os.ReadFile("report.html"); !strings.Contains(string(b), "<html") {
		t.Errorf("report.html was not rewritten by the run")
	}
	if len(relChartNames(".")) < 3 {
		t.Errorf("charts/ holds %v, want the run's charts next to sub/", relChartNames("."))
	}
}

// TestMergeOutputDirCLI: merge -o s1 s1 s2 exits 2 and leaves shard 1's
// store byte-identical; merge over another experiment's results exits 2
// without -force and 0 with it.
func TestMergeOutputDirCLI(t *testing.T) {
	dir := t.TempDir()
	file := tinyStudy(t, dir, "m")
	s1, s2 := filepath.Join(dir, "s1"), filepath.Join(dir, "s2")
	for i, s := range []string{s1, s2} {
		if code, _, stderr := dispatchT(t, "run", file, "-o", s, "-q", "-shard", strconv.Itoa(i+1)+"/2"); code != exitOK {
			t.Fatalf("shard %d: exit %d: %s", i+1, code, stderr)
		}
	}
	store, _ := os.ReadFile(filepath.Join(s1, results.StoreFile))
	code, _, stderr := dispatchT(t, "merge", "-o", s1, s1, s2)
	if code != exitUsage || !strings.Contains(stderr, "is the shard directory") {
		t.Errorf("merge -o s1 s1 s2: exit %d, want 2: %s", code, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(s1, results.StoreFile)); len(store) == 0 || string(b) != string(store) {
		t.Errorf("merge -o s1 s1 s2 changed shard 1's store (%d bytes, was %d)", len(b), len(store))
	}

	other := filepath.Join(dir, "other")
	if code, _, stderr := dispatchT(t, "run", tinyStudy(t, dir, "other"), "-o", other, "-q", "-no-charts"); code != exitOK {
		t.Fatalf("other run: exit %d: %s", code, stderr)
	}
	runs, _ := os.ReadFile(filepath.Join(other, results.RunsFile))
	code, _, stderr = dispatchT(t, "merge", "-o", other, "-no-charts", s1, s2)
	if code != exitUsage || !strings.Contains(stderr, `already holds the results of experiment "other"`) {
		t.Errorf("merge over another experiment: exit %d, want 2: %s", code, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(other, results.RunsFile)); string(b) != string(runs) {
		t.Errorf("the refused merge changed the other experiment's runs.csv")
	}
	if code, _, stderr := dispatchT(t, "merge", "-o", other, "-force", "-no-charts", s1, s2); code != exitOK {
		t.Errorf("merge -force over another experiment: exit %d: %s", code, stderr)
	}
	if m, err := results.ReadManifest(other); err != nil || m.Experiment != "m" || m.Status != results.StatusComplete {
		t.Errorf("after merge -force: manifest %+v, %v", m, err)
	}
}

// TestOutputPathMessages: -o naming a symbolic link to nothing, or a
// regular file, exits 2 with a message that says so.
func TestOutputPathMessages(t *testing.T) {
	dir := t.TempDir()
	file := tinyStudy(t, dir, "p")
	link := filepath.Join(dir, "out")
	os.Symlink(filepath.Join(dir, "scratch", "study"), link)
	regular := relWrite(t, dir, "notes.txt", "mine\n")
	for _, c := range []struct{ out, want string }{
		{link, "output directory " + link + " is a symbolic link to " + filepath.Join(dir, "scratch", "study") + ", which does not exist"},
		{regular, "output directory " + regular + " is a regular file, not a directory"},
	} {
		for _, args := range [][]string{{"run", file, "-o", c.out, "-q"}, {"merge", "-o", c.out, dir}} {
			code, _, stderr := dispatchT(t, args...)
			if args[0] == "run" && (code != exitUsage || !strings.Contains(stderr, c.want)) {
				t.Errorf("%s: exit %d, want 2 saying %q: %s", strings.Join(args, " "), code, c.want, stderr)
			}
			if args[0] == "merge" && code != exitUsage {
				t.Errorf("%s: exit %d, want 2: %s", strings.Join(args, " "), code, stderr)
			}
		}
	}
	if b, _ := os.ReadFile(regular); string(b) != "mine\n" {
		t.Errorf("the regular file was changed")
	}
}

// TestLockedDirCLI: while another runsim holds a result directory, run,
// merge, plot and report into it exit 2 at once, naming the holder; a bad
// RUNSIM_LOCK is a usage error.
func TestLockedDirCLI(t *testing.T) {
	dir := t.TempDir()
	file := tinyStudy(t, dir, "l")
	out := filepath.Join(dir, "out")
	if code, _, stderr := dispatchT(t, "run", file, "-o", out, "-q", "-no-charts"); code != exitOK {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	var shards []string
	for k := 1; k <= 2; k++ {
		s := filepath.Join(dir, "shard-"+strconv.Itoa(k))
		if code, _, stderr := dispatchT(t, "run", file, "-o", s, "-q", "-shard", strconv.Itoa(k)+"/2"); code != exitOK {
			t.Fatalf("shard %d: exit %d: %s", k, code, stderr)
		}
		shards = append(shards, s)
	}
	l, err := results.LockDir(out, results.LockAuto)
	if err != nil {
		t.Fatal(err)
	}
	want := out + " is in use by another runsim (pid " + strconv.Itoa(os.Getpid()) + " on host "
	for _, args := range [][]string{
		{"run", file, "-o", out, "-q", "-resume"},
		{"run", file, "-o", out, "-q", "-force"},
		append([]string{"merge", "-o", out, "-force"}, shards...),
		{"plot", out},
		{"report", out},
	} {
		start := time.Now()
		code, _, stderr := dispatchT(t, args...)
		if code != exitUsage || !strings.Contains(stderr, want) {
			t.Errorf("%s: exit %d, want 2 saying %q: %s", strings.Join(args, " "), code, want, stderr)
		}
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("%s took %v to be refused", strings.Join(args, " "), d)
		}
	}
	l.Unlock()
	if code, _, stderr := dispatchT(t, "plot", out); code != exitOK {
		t.Errorf("plot after the lock is released: exit %d: %s", code, stderr)
	}

	e, _, errb := testEnv()
	e.getenv = func(k string) string {
		if k == lockEnv {
			return "nfs"
		}
		return ""
	}
	if code := dispatch(context.Background(), e, []string{"plot", out}); code != exitUsage || !strings.Contains(errb.String(), "RUNSIM_LOCK") {
		t.Errorf("RUNSIM_LOCK=nfs: exit %d, want 2: %s", code, errb.String())
	}
}

// TestResultModesCLI: under umask 022 every file of a result directory is
// 0644 and every directory 0755, the charts, the report and the lock
// included; under umask 002, 0664 and 0775.
func TestResultModesCLI(t *testing.T) {
	dir := t.TempDir()
	file := tinyStudy(t, dir, "u")
	for _, c := range []struct{ umask, file, dir os.FileMode }{{0o022, 0o644, 0o755}, {0o002, 0o664, 0o775}} {
		out := filepath.Join(dir, "u"+strconv.Itoa(int(c.umask)), "study")
		old := syscall.Umask(int(c.umask))
		code, _, stderr := dispatchT(t, "run", file, "-o", out, "-q")
		syscall.Umask(old)
		if code != exitOK {
			t.Fatalf("umask %03o: exit %d: %s", c.umask, code, stderr)
		}
		var charts int
		filepath.WalkDir(filepath.Dir(out), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			fi, _ := d.Info()
			want := c.file
			if d.IsDir() {
				want = c.dir
			}
			if got := fi.Mode().Perm(); got != want {
				t.Errorf("umask %03o: %s has mode %03o, want %03o", c.umask, p, got, want)
			}
			if results.IsChartFile(d.Name()) {
				charts++
			}
			return nil
		})
		if charts < 6 {
			t.Errorf("umask %03o: only %d charts checked", c.umask, charts)
		}
		old = syscall.Umask(int(c.umask))
		tmpl := filepath.Join(filepath.Dir(out), "template.toml")
		code, _, stderr = dispatchT(t, "init", tmpl)
		syscall.Umask(old)
		if fi, err := os.Stat(tmpl); code != exitOK || err != nil {
			t.Errorf("umask %03o: runsim init: exit %d (%s), %v", c.umask, code, stderr, err)
		} else if fi.Mode().Perm() != c.file {
			t.Errorf("umask %03o: runsim init wrote mode %03o, want %03o", c.umask, fi.Mode().Perm(), c.file)
		}
	}
}

// TestSlowTwoRunsOneDir starts a long run and, while it holds the lock of
// its directory, a second run into the same directory: the second exits 2
// at once, naming the first's pid. With flock (the default) the first is
// then interrupted and its lock is free; with RUNSIM_LOCK=file the first
// is killed with SIGKILL, so its lock file stays behind, and the next run
// removes it as stale (this host, process gone), says so, and runs.
func TestSlowTwoRunsOneDir(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: builds and runs the binary")
	}
	bin := relBuild(t)
	tmp := t.TempDir()
	long := relWrite(t, tmp, "long.toml", relExperiment(t, "long", 5000, 60, 2000))
	for _, c := range []struct {
		mode string
		sig  syscall.Signal
	}{{"auto", syscall.SIGINT}, {"file", syscall.SIGKILL}} {
		dir := filepath.Join(tmp, "out-"+c.mode)
		first, firstErr := relCmd(bin, relRunArgs(long, dir)...)
		first.Env = append(first.Env, lockEnv+"="+c.mode)
		if err := first.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- first.Wait() }()
		holder := "pid " + strconv.Itoa(first.Process.Pid) + " on host "
		deadline := time.Now().Add(2 * time.Minute)
		for {
			b, _ := os.ReadFile(filepath.Join(dir, results.LockFile))
			if strings.Contains(string(b), "\npid "+strconv.Itoa(first.Process.Pid)+"\n") {
				break
			}
			select {
			case err := <-done:
				t.Fatalf("%s: the first run ended before it was seen holding the lock: %v\n%s", c.mode, err, firstErr)
			default:
			}
			if time.Now().After(deadline) {
				first.Process.Kill()
				t.Fatalf("%s: the first run did not take the lock within 2 minutes", c.mode)
			}
			time.Sleep(20 * time.Millisecond)
		}
		second, secondErr := relCmd(bin, relRunArgs(long, dir, "-resume")...)
		second.Env = append(second.Env, lockEnv+"="+c.mode)
		start := time.Now()
		err := second.Run()
		if code := second.ProcessState.ExitCode(); code != exitUsage || !strings.Contains(secondErr.String(), dir+" is in use by another runsim ("+holder) {
			t.Errorf("%s: second run: exit %d (%v), want 2 naming %q: %s", c.mode, code, err, holder, secondErr)
		}
		t.Logf("%s: second run refused in %v: %s", c.mode, time.Since(start).Round(time.Millisecond), strings.TrimSpace(secondErr.String()))
		select {
		case err := <-done:
			t.Fatalf("%s: the first run ended before the second was refused: %v\n%s", c.mode, err, firstErr)
		default:
		}
		first.Process.Signal(c.sig)
		select {
		case <-done:
		case <-time.After(time.Minute):
			first.Process.Kill()
			t.Fatalf("%s: the first run did not stop within a minute of %v", c.mode, c.sig)
		}
		owner := filepath.Join(dir, results.OwnerFile)
		_, statErr := os.Stat(owner)
		if c.mode == "file" && statErr != nil {
			t.Errorf("%s: no lock file left by the killed run: %v", c.mode, statErr)
		}
		code, msg := relRun(t, bin, relRunArgs(long, dir, "-force", "-reps", "2", "-no-charts")...)
		if code != exitOK {
			t.Errorf("%s: the run after the first ended: exit %d: %s", c.mode, code, msg)
		}
		if stale := strings.Contains(msg, "removed the stale lock file "+owner); stale != (c.mode == "file") {
			t.Errorf("%s: the run after the first says stale=%v, want %v: %s", c.mode, stale, c.mode == "file", msg)
		}
	}
}
