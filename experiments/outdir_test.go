package experiments

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"frontiersim/internal/toysim"
	"frontiersim/results"
)

// writeTree creates files (relative path -> content) below dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o666); err != nil {
			t.Fatal(err)
		}
	}
}

// snapshot returns every file below dir with its content, and every
// directory (with a trailing "/"), relative to dir.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			out[rel+"/"] = ""
			return nil
		}
		b, err := os.ReadFile(p)
		out[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameSnapshot(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	var diffs []string
	for k, v := range want {
		if g, ok := got[k]; !ok {
			diffs = append(diffs, k+" is gone")
		} else if g != v {
			diffs = append(diffs, k+" changed")
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, k+" is new")
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 0 {
		t.Errorf("%s: %s", what, strings.Join(diffs, "; "))
	}
}

// TestRunRefusesForeignDir is the reproduction of the issue: a directory
// runsim did not write (no manifest.json) with a user's charts/sub/thesis.tex
// and report.html. Without -force the run is refused and nothing changes;
// with -force only runsim's own names go (report.html, chart files in
// charts/), and thesis.tex, notes and other files stay.
func TestRunRefusesForeignDir(t *testing.T) {
	e := loadString(t, toyExperiment)
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"charts/sub/thesis.tex": "x\n",
		"report.html":           "y\n",
	})
	before := snapshot(t, dir)
	_, err := Execute(context.Background(), e, toysim.Simulator{}, RunOptions{Dir: dir, Now: fixedNow})
	if !errors.Is(err, ErrResultsExist) {
		t.Fatalf("got %v, want ErrResultsExist", err)
	}
	for _, want := range []string{dir, "holds no manifest.json", "charts/, report.html", "-force", "removes only its own files (here report.html)"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not say %q: %v", want, err)
		}
	}
	after := snapshot(t, dir)
	delete(after, results.LockFile) // the lock file may be left; it is runsim's
	sameSnapshot(t, "after a refused run", after, before)

	// -resume does not make it runsim's either.
	if _, err := Execute(context.Background(), e, toysim.Simulator{}, RunOptions{Dir: dir, Resume: true, Now: fixedNow}); !errors.Is(err, ErrResultsExist) {
		t.Errorf("-resume into a foreign directory: got %v, want ErrResultsExist", err)
	}

	// -force: runsim's names are replaced, the rest stays.
	writeTree(t, dir, map[string]string{
		"charts/fan_spend.png": "an old chart",
		"charts/mine.png":      "the user's figure",
		"notes.txt":            "notes",
		"data/input.csv":       "1,2",
		".runs.csv.tmp-42":     "a temporary of a killed run",
		".thesis.tex.tmp-42":   "not runsim's temporary",
	})
	run(t, e, dir, RunOptions{Force: true})
	got := snapshot(t, dir)
	for name, want := range map[string]string{
		"charts/sub/thesis.tex": "x\n", "charts/mine.png": "the user's figure", "notes.txt": "notes",
		"data/input.csv": "1,2", ".thesis.tex.tmp-42": "not runsim's temporary",
	} {
		if got[name] != want {
			t.Errorf("-force: %s is %q, want %q (kept)", name, got[name], want)
		}
	}
	for _, gone := range []string{"report.html", "charts/fan_spend.png", ".runs.csv.tmp-42"} {
		if _, ok := got[gone]; ok {
			t.Errorf("-force: runsim's old %s is still there", gone)
		}
	}
	ref := t.TempDir()
	run(t, e, ref, RunOptions{})
	sameFiles(t, ref, dir)
}

// TestStartOverKeepsOtherFiles: in runsim's own directory (it holds a
// manifest), -force and a failed finishing step remove only runsim's files;
// charts/ goes only when nothing else is in it.
func TestStartOverKeepsOtherFiles(t *testing.T) {
	e := loadString(t, toyExperiment)
	dir := t.TempDir()
	drawn := func(ctx context.Context, m results.Manifest) error {
		if err := os.MkdirAll(filepath.Join(dir, results.ChartsDir), 0o777); err != nil {
			return err
		}
		return results.WriteFileAtomic(filepath.Join(dir, results.ChartsDir, "summary.png"), []byte("chart"))
	}
	run(t, e, dir, RunOptions{Finish: drawn})
	writeTree(t, dir, map[string]string{"notes.txt": "mine", "charts/figure.pdf": "mine"})

	// A finishing step that fails: the results go, the user's files stay.
	broken := func(ctx context.Context, m results.Manifest) error {
		if err := drawn(ctx, m); err != nil {
			return err
		}
		return errors.New("the chart library broke")
	}
	if _, err := Execute(context.Background(), e, toysim.Simulator{}, RunOptions{Dir: dir, Force: true, Now: fixedNow, Finish: broken}); err == nil {
		t.Fatal("a failing finish step did not fail the run")
	}
	got := snapshot(t, dir)
	if got["notes.txt"] != "mine" || got["charts/figure.pdf"] != "mine" {
		t.Errorf("the user's files did not survive a failed finishing step: %v", got)
	}
	for _, gone := range []string{results.RunsFile, results.ReportFile, "charts/summary.png"} {
		if _, ok := got[gone]; ok {
			t.Errorf("%s is still there after a failed finishing step", gone)
		}
	}

	// With nothing else in charts/, a start-over removes charts/ as well.
	os.Remove(filepath.Join(dir, "charts", "figure.pdf"))
	run(t, e, dir, RunOptions{Resume: true, Finish: drawn})
	other := loadString(t, strings.Replace(toyExperiment, "seed = 7", "seed = 9", 1))
	run(t, other, dir, RunOptions{Force: true})
	if _, err := os.Stat(filepath.Join(dir, results.ChartsDir)); !os.IsNotExist(err) {
		t.Errorf("charts/ with only runsim's charts in it was kept by a start-over: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "notes.txt")); string(b) != "mine" {
		t.Errorf("notes.txt did not survive -force")
	}
}

// TestResumeOwnDir: a resumed run into its own directory is not refused,
// whatever else the user put there, and ends with the same bytes.
func TestResumeOwnDir(t *testing.T) {
	e := loadString(t, toyExperiment)
	ref := t.TempDir()
	run(t, e, ref, RunOptions{})
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	_, err := Execute(ctx, e, toysim.Simulator{}, RunOptions{Dir: dir, Workers: 1, Now: fixedNow,
		Progress: func(done, total int) {
			if done >= 5 {
				cancel()
			}
		}})
	cancel()
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("got %v, want ErrInterrupted", err)
	}
	writeTree(t, dir, map[string]string{"notes.txt": "mine"})
	run(t, e, dir, RunOptions{Resume: true})
	sameFiles(t, ref, dir)
}

// TestOutputPathErrors: an output directory that is a symbolic link to
// nothing, or a file, is refused with a message that says so (not "file
// exists" or "not a directory"), and nothing is created.
func TestOutputPathErrors(t *testing.T) {
	e := loadString(t, toyExperiment)
	tmp := t.TempDir()
	missing := filepath.Join(tmp, "scratch", "gone")
	link := filepath.Join(tmp, "out")
	if err := os.Symlink(missing, link); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(tmp, "results.txt")
	writeTree(t, tmp, map[string]string{"results.txt": "mine"})
	cases := []struct {
		dir  string
		want string
	}{
		{link, link + " is a symbolic link to " + missing + ", which does not exist"},
		{filepath.Join(link, "sub"), link + " is a symbolic link to " + missing + ", which does not exist"},
		{file, file + " is a regular file, not a directory"},
	}
	for _, c := range cases {
		_, err := Execute(context.Background(), e, toysim.Simulator{}, RunOptions{Dir: c.dir, Now: fixedNow})
		if !errors.Is(err, ErrOutputDir) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("-o %s: got %v, want ErrOutputDir saying %q", c.dir, err, c.want)
		}
		_, err = Merge(context.Background(), c.dir, []string{t.TempDir()}, toysim.Simulator{}, fixedNow, nil)
		if err == nil {
			t.Errorf("merge -o %s: no error", c.dir)
		}
	}
	if _, err := os.Lstat(filepath.Join(tmp, "scratch")); !os.IsNotExist(err) {
		t.Errorf("the link's target was created: %v", err)
	}
	if b, _ := os.ReadFile(file); string(b) != "mine" {
		t.Errorf("the regular file was changed")
	}
	// A link to an existing directory is followed.
	target := t.TempDir()
	good := filepath.Join(tmp, "good")
	os.Symlink(target, good)
	run(t, e, good, RunOptions{})
	if _, err := os.Stat(filepath.Join(target, results.ManifestFile)); err != nil {
		t.Errorf("the run into a link to a directory did not write there: %v", err)
	}
}

// shards runs the toy experiment as n shards and returns their directories.
func shards(t *testing.T, e *Experiment, n int) []string {
	t.Helper()
	var dirs []string
	for k := 1; k <= n; k++ {
		d := t.TempDir()
		run(t, e, d, RunOptions{Workers: 2, Shard: ShardSpec{k, n}})
		dirs = append(dirs, d)
	}
	return dirs
}

// TestMergeRefusesItsInput: merge -o s1 s1 s2 (or -o a link to s1) is
// refused before anything is written, even with -force: shard 1 stays
// byte-identical.
func TestMergeRefusesItsInput(t *testing.T) {
	e := loadString(t, toyExperiment)
	dirs := shards(t, e, 2)
	before := snapshot(t, dirs[0])
	link := filepath.Join(t.TempDir(), "s1")
	os.Symlink(dirs[0], link)
	for _, out := range []string{dirs[0], link, dirs[0] + "/.", dirs[1]} {
		for _, force := range []bool{false, true} {
			_, err := MergeWith(context.Background(), toysim.Simulator{}, MergeOptions{Dir: out, Shards: dirs, Force: force, Now: fixedNow})
			if !errors.Is(err, ErrOutputDir) || !strings.Contains(err.Error(), "is the shard directory") {
				t.Errorf("merge -o %s (force %v): got %v, want ErrOutputDir", out, force, err)
			}
		}
	}
	sameSnapshot(t, "shard 1 after merge -o shard 1", snapshot(t, dirs[0]), before)
}

// TestMergeOutputRules: merge refuses to write over another experiment's
// results or over files runsim did not write, unless -force (which keeps
// the files that are not runsim's); it redoes an earlier merge of the same
// shards.
func TestMergeOutputRules(t *testing.T) {
	e := loadString(t, toyExperiment)
	ref := t.TempDir()
	run(t, e, ref, RunOptions{})
	dirs := shards(t, e, 2)

	other := t.TempDir()
	run(t, loadString(t, strings.Replace(toyExperiment, "seed = 7", "seed = 8", 1)), other, RunOptions{})
	foreign := t.TempDir()
	writeTree(t, foreign, map[string]string{"thesis.tex": "x", "runs.csv": "my own table"})
	for _, out := range []string{other, foreign, dirs[0] + "-copy"} {
		if out == dirs[0]+"-copy" { // a copy of a shard: another result directory
			if err := os.CopyFS(out, os.DirFS(dirs[0])); err != nil {
				t.Fatal(err)
			}
		}
		before := snapshot(t, out)
		_, err := Merge(context.Background(), out, dirs, toysim.Simulator{}, fixedNow, nil)
		if !errors.Is(err, ErrResultsExist) || !strings.Contains(err.Error(), out) || !strings.Contains(err.Error(), "-force") {
			t.Errorf("merge -o %s: got %v, want ErrResultsExist naming the directory and -force", out, err)
		}
		after := snapshot(t, out)
		delete(after, results.LockFile)
		delete(before, results.LockFile)
		sameSnapshot(t, "after a refused merge", after, before)
		if _, err := MergeWith(context.Background(), toysim.Simulator{}, MergeOptions{Dir: out, Shards: dirs, Force: true, Now: fixedNow}); err != nil {
			t.Fatalf("merge -force -o %s: %v", out, err)
		}
		sameFiles(t, ref, out)
	}
	if b, _ := os.ReadFile(filepath.Join(foreign, "thesis.tex")); string(b) != "x" {
		t.Errorf("merge -force removed thesis.tex")
	}
	// An earlier merge of the same shards is redone without -force.
	merged := t.TempDir()
	for i := 0; i < 2; i++ {
		if _, err := Merge(context.Background(), merged, dirs, toysim.Simulator{}, fixedNow, nil); err != nil {
			t.Fatalf("merge %d into %s: %v", i+1, merged, err)
		}
	}
	sameFiles(t, ref, merged)
}

// lockedRun starts a run of e into dir that holds its lock until release
// is closed; it returns when the run is under way, with a channel of its
// result.
func lockedRun(t *testing.T, e *Experiment, dir string, mode results.LockMode, release <-chan struct{}) <-chan error {
	t.Helper()
	started := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		first := true
		_, err := Execute(context.Background(), e, toysim.Simulator{}, RunOptions{Dir: dir, Workers: 1, Now: fixedNow, Lock: mode,
			Progress: func(int, int) {
				if first {
					first = false
					close(started)
					<-release
				}
			}})
		if first {
			close(started)
		}
		done <- err
	}()
	select {
	case <-started:
	case <-time.After(time.Minute):
		t.Fatal("the first run did not start within a minute")
	}
	return done
}

// TestConcurrentRunsAreLocked: while one Execute writes into a directory,
// a second Execute, a merge into it and a lock by another process's rules
// are refused at once, naming the holder; the first run ends with the same
// bytes as an undisturbed one. Both lock modes (flock alone, flock and the
// lock file).
func TestConcurrentRunsAreLocked(t *testing.T) {
	e := loadString(t, toyExperiment)
	ref := t.TempDir()
	run(t, e, ref, RunOptions{})
	dirs := shards(t, e, 2)
	for _, mode := range []results.LockMode{results.LockAuto, results.LockWithFile} {
		dir := t.TempDir()
		release := make(chan struct{})
		done := lockedRun(t, e, dir, mode, release)
		want := "is in use by another runsim (pid " + strconv.Itoa(os.Getpid()) + " on host "
		for _, second := range []results.LockMode{results.LockAuto, results.LockWithFile} {
			_, err := Execute(context.Background(), e, toysim.Simulator{}, RunOptions{Dir: dir, Resume: true, Now: fixedNow, Lock: second})
			if !errors.Is(err, results.ErrLocked) || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), dir) {
				t.Errorf("mode %d/%d: second run: got %v, want ErrLocked saying %q", mode, second, err, want)
			}
			_, err = MergeWith(context.Background(), toysim.Simulator{}, MergeOptions{Dir: dir, Shards: dirs, Force: true, Now: fixedNow, Lock: second})
			if !errors.Is(err, results.ErrLocked) {
				t.Errorf("mode %d/%d: merge into a directory in use: got %v, want ErrLocked", mode, second, err)
			}
		}
		close(release)
		if err := <-done; err != nil {
			t.Fatalf("mode %d: the first run: %v", mode, err)
		}
		sameFiles(t, ref, dir)
		if _, err := os.Stat(filepath.Join(dir, results.OwnerFile)); !os.IsNotExist(err) {
			t.Errorf("mode %d: %s left after the run: %v", mode, results.OwnerFile, err)
		}
		// Released: the next run may start over.
		run(t, e, dir, RunOptions{Force: true, Lock: mode})
	}
}

// TestResultPermissionsFollowUmask: every file and directory a run and a
// merge write (the lock file included) has mode 0666 (0777) less the umask,
// not 0600.
func TestResultPermissionsFollowUmask(t *testing.T) {
	e := loadString(t, toyExperiment)
	for _, c := range []struct{ umask, file, dir os.FileMode }{{0o022, 0o644, 0o755}, {0o002, 0o664, 0o775}, {0o077, 0o600, 0o700}} {
		old := syscall.Umask(int(c.umask))
		tmp := t.TempDir()
		out := filepath.Join(tmp, "out", "study")
		drawn := func(ctx context.Context, m results.Manifest) error {
			if err := os.MkdirAll(filepath.Join(out, results.ChartsDir), 0o777); err != nil {
				return err
			}
			return results.WriteFileAtomic(filepath.Join(out, results.ChartsDir, "summary.png"), []byte("chart"))
		}
		run(t, e, out, RunOptions{Finish: drawn})
		dirs := shards(t, e, 2)
		merged := filepath.Join(tmp, "merged")
		_, err := Merge(context.Background(), merged, dirs, toysim.Simulator{}, fixedNow, nil)
		syscall.Umask(old)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, root := range []string{filepath.Join(tmp, "out"), merged, dirs[0]} {
			filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
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
				n++
				return nil
			})
		}
		if n < 20 {
			t.Errorf("umask %03o: only %d files checked", c.umask, n)
		}
	}
}

// TestNoManifestOnlyTemporaries: a directory that holds only runsim's lock
// and temporary files (a run killed before its first manifest) counts as
// empty.
func TestNoManifestOnlyTemporaries(t *testing.T) {
	e := loadString(t, toyExperiment)
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{".lock": "", ".manifest.json.tmp-77": "{", "replications.bin.tmp": "x", "charts/.summary.png.tmp-1": "x"})
	run(t, e, dir, RunOptions{})
	got := snapshot(t, dir)
	for name := range got {
		if strings.Contains(name, ".tmp") {
			t.Errorf("temporary %s left", name)
		}
	}
	if !bytes.Contains([]byte(got[results.ManifestFile]), []byte(`"complete"`)) {
		t.Errorf("the run did not complete")
	}
}
