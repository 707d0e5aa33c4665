package experiments

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"frontiersim/results"
)

// An output directory is runsim's when runsim created it or it holds
// runsim's manifest. runsim writes only into such a directory (or an empty
// one), under its lock, and removes from it only the names runsim writes
// (results.IsResultFile, results.IsChartFile, results.IsTemporary):
// anything else in it is kept.

// ErrOutputDir is wrapped by the errors about an output directory that
// cannot be one: a symbolic link to nothing, a file, or, for merge, one of
// the shard directories being merged.
var ErrOutputDir = errors.New("unusable output directory")

// dirError reads as its message and matches its kind (ErrOutputDir or
// ErrResultsExist).
type dirError struct {
	kind error
	msg  string
}

func (e *dirError) Error() string { return e.msg }
func (e *dirError) Unwrap() error { return e.kind }

// makeOutputDir checks the path of an output directory and creates it if
// it is missing (mode 0777 less the umask, parents included).
func makeOutputDir(dir string) error {
	if dir == "" {
		return &dirError{ErrOutputDir, "no output directory given"}
	}
	fi, err := os.Stat(dir)
	switch {
	case err == nil:
		if !fi.IsDir() {
			return &dirError{ErrOutputDir, fmt.Sprintf("output directory %s is %s, not a directory; choose another -o", dir, fileKind(fi.Mode()))}
		}
		return nil
	case errors.Is(err, os.ErrNotExist):
		if link, target, ok := danglingLink(dir); ok {
			where := "output directory " + link
			if link != filepath.Clean(dir) {
				where = fmt.Sprintf("output directory %s: its parent %s", dir, link)
			}
			return &dirError{ErrOutputDir, fmt.Sprintf("%s is a symbolic link to %s, which does not exist; create %s, remove the link, or choose another -o",
				where, target, target)}
		}
		if err := os.MkdirAll(dir, 0o777); err != nil {
			return fmt.Errorf("output directory %s: %w", dir, err)
		}
		return nil
	default:
		return fmt.Errorf("output directory %s: %w", dir, err)
	}
}

// danglingLink finds the symbolic link to nothing that makes dir (or a
// parent of it) not exist.
func danglingLink(dir string) (link, target string, ok bool) {
	for p := filepath.Clean(dir); ; p = filepath.Dir(p) {
		if fi, err := os.Lstat(p); err == nil {
			if fi.Mode()&os.ModeSymlink != 0 {
				if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
					t, _ := os.Readlink(p)
					return p, t, true
				}
			}
			return "", "", false // the nearest existing component is fine
		}
		if filepath.Dir(p) == p {
			return "", "", false
		}
	}
}

// openOutputDir creates dir if needed and locks it. note, if not nil, gets
// what the lock has to say (a stale lock file removed).
func openOutputDir(dir string, mode results.LockMode, note func(string)) (*results.Lock, error) {
	if err := makeOutputDir(dir); err != nil {
		return nil, err
	}
	lock, err := results.LockDir(dir, mode)
	if err != nil {
		return nil, err
	}
	if lock.Note != "" && note != nil {
		note(lock.Note)
	}
	return lock, nil
}

// contents lists what dir holds besides its lock files and runsim's
// temporary files (and a charts/ that holds nothing else): every entry
// (directories with a trailing "/"), and runsim's own among them (result
// files and charts).
func contents(dir string) (all, own []string, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("output directory %s: %w", dir, err)
	}
	for _, e := range entries {
		name := e.Name()
		switch {
		case results.IsLockFile(name), results.IsTemporary(name, false):
			continue
		case name == results.ChartsDir && e.IsDir():
			charts, _ := os.ReadDir(filepath.Join(dir, name))
			held := false // anything but runsim's temporaries
			for _, c := range charts {
				if c.Type().IsRegular() && results.IsTemporary(c.Name(), true) {
					continue
				}
				held = true
				if c.Type().IsRegular() && results.IsChartFile(c.Name()) {
					own = append(own, name+"/"+c.Name())
				}
			}
			if held {
				all = append(all, name+"/")
			}
		case e.IsDir():
			all = append(all, name+"/")
		default:
			all = append(all, name)
			if results.IsResultFile(name) && e.Type().IsRegular() {
				own = append(own, name)
			}
		}
	}
	sort.Strings(all)
	sort.Strings(own)
	return all, own, nil
}

// checkNotForeign refuses (ErrResultsExist) a directory without a manifest
// that holds anything, unless force: runsim did not write it.
func checkNotForeign(dir string, force bool) error {
	all, own, err := contents(dir)
	if err != nil || len(all) == 0 || force {
		return err
	}
	what := "none here"
	if len(own) > 0 {
		what = "here " + listNames(own, 6)
	}
	return &dirError{ErrResultsExist, fmt.Sprintf("%s is not empty and holds no %s, so runsim did not write it: it holds %s; use a new or empty directory, or -force to write into it anyway: runsim then removes only its own files (%s) and keeps everything else",
		dir, results.ManifestFile, listNames(all, 8), what)}
}

// listNames lists at most max names, and how many more there are.
func listNames(names []string, max int) string {
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:max], ", "), len(names)-max)
}

// removeResults removes the files a finished run writes from its store:
// the tables, the report and the charts (charts/ itself only if it is then
// empty), so that nothing claims to be complete before it is.
func removeResults(dir string) error {
	var errs []error
	for _, f := range append(append([]string{results.RunsFile, results.TimeseriesFile, results.ComparisonFile, results.ReportFile}, results.AnalysisFiles()...), results.ParquetFiles...) {
		errs = append(errs, removeFile(filepath.Join(dir, f)))
	}
	charts := filepath.Join(dir, results.ChartsDir)
	if fi, err := os.Lstat(charts); err != nil || !fi.IsDir() {
		return errors.Join(errs...) // no charts/, or not runsim's (a link, a file)
	}
	entries, err := os.ReadDir(charts)
	errs = append(errs, err)
	for _, e := range entries {
		if e.Type().IsRegular() && (results.IsChartFile(e.Name()) || results.IsTemporary(e.Name(), true)) {
			errs = append(errs, removeFile(filepath.Join(charts, e.Name())))
		}
	}
	if rest, err := os.ReadDir(charts); err == nil && len(rest) == 0 {
		errs = append(errs, removeFile(charts))
	}
	return errors.Join(errs...)
}

// removeAll removes every file runsim writes into dir, for a start-over:
// the manifest first (so that nothing claims to be a result directory
// while the rest goes), the results, the store, the experiment and the
// temporary files. Everything else is kept.
func removeAll(dir string) error {
	errs := []error{removeFile(filepath.Join(dir, results.ManifestFile)), removeResults(dir)}
	for _, f := range []string{results.StoreFile, results.ExperimentFile} {
		errs = append(errs, removeFile(filepath.Join(dir, f)))
	}
	errs = append(errs, removeTemporaries(dir))
	return errors.Join(errs...)
}

// removeTemporaries removes the temporary files a killed run may have
// left: ".NAME.tmp-*" of atomic writes of runsim's files in dir and its
// charts, and the store's rewrite.
func removeTemporaries(dir string) error {
	var errs []error
	for _, sub := range []string{"", results.ChartsDir} {
		entries, _ := os.ReadDir(filepath.Join(dir, sub))
		for _, e := range entries {
			if e.Type().IsRegular() && results.IsTemporary(e.Name(), sub != "") {
				errs = append(errs, removeFile(filepath.Join(dir, sub, e.Name())))
			}
		}
	}
	return errors.Join(errs...)
}

func removeFile(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// sameDir reports whether a and b name the same existing directory
// (through symbolic links, bind mounts or different spellings alike).
func sameDir(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}
