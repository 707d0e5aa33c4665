package results

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"syscall"
	"testing"
)

// TestResultFilesMatchREADME: the names a start-over removes are those of
// the README's result-file table.
func TestResultFilesMatchREADME(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var table []string
	for _, m := range regexp.MustCompile("(?m)^\\| `([^`]+)` \\|").FindAllStringSubmatch(string(b), -1) {
		table = append(table, m[1])
	}
	want := append(ResultFiles(), ChartsDir+"/")
	slices.Sort(table)
	slices.Sort(want)
	if !slices.Equal(table, want) {
		t.Errorf("README result-file table %v, ResultFiles and charts/ %v", table, want)
	}
}

func TestIsTemporary(t *testing.T) {
	for _, c := range []struct {
		name     string
		inCharts bool
		want     bool
	}{
		{".runs.csv.tmp-123", false, true},
		{".manifest.json.tmp-9", false, true},
		{"replications.bin.tmp", false, true},
		{".replications.bin.tmp.tmp-77", false, true},
		{".replications.bin.tmp-77", false, true},
		{".summary.png.tmp-4", true, true},
		{".fan_hhi.svg.tmp-4", true, true},
		{".thesis.tex.tmp-1", false, false},
		{".runs.csv.tmp-", false, false},
		{".runs.csv.tmp-12a", false, false},
		{".summary.png.tmp-4", false, false},
		{".runs.csv.tmp-1", true, false},
		{"runs.csv", false, false},
		{"replications.bin.tmp", true, false},
	} {
		if got := IsTemporary(c.name, c.inCharts); got != c.want {
			t.Errorf("IsTemporary(%q, %v) = %v, want %v", c.name, c.inCharts, got, c.want)
		}
	}
}

// TestWritesFollowUmask: atomic writes, tables and the store are created
// 0666 less the umask (os.CreateTemp would give 0600).
func TestWritesFollowUmask(t *testing.T) {
	old := syscall.Umask(0o027)
	defer syscall.Umask(old)
	dir := t.TempDir()
	if err := WriteFileAtomic(filepath.Join(dir, ManifestFile), []byte("{}")); err != nil {
		t.Fatal(err)
	}
	tw, err := CreateCSV(filepath.Join(dir, RunsFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	sw, err := CreateStore(filepath.Join(dir, StoreFile), StoreHeader{Months: 1, Metrics: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.Close(); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{ManifestFile, RunsFile, StoreFile} {
		fi, err := os.Stat(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != 0o640 {
			t.Errorf("%s: mode %03o under umask 027, want 640", f, got)
		}
	}
}
