package main

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"frontiersim/experiments"
	"frontiersim/results"
)

// verifyFixture runs a small experiment of the current simulator (2 arms ×
// 4 replications) without charts and returns its directory.
func verifyFixture(t *testing.T) string {
	t.Helper()
	tmp := t.TempDir()
	file := relWrite(t, tmp, "exp.toml", relExperiment(t, "verify", 4, 24, 200))
	dir := filepath.Join(tmp, "out")
	if code, _, stderr := dispatchT(t, "run", file, "-o", dir, "-q", "-no-charts", "-workers", "2"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	return dir
}

// editManifest rewrites dir's manifest through edit.
func editManifest(t *testing.T, dir string, edit func(*results.Manifest)) {
	t.Helper()
	m, err := results.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	edit(&m)
	if err := results.WriteManifest(dir, m); err != nil {
		t.Fatal(err)
	}
}

// recordChecksum updates the manifest's checksum of the store to its bytes
// on disk, as a forger would.
func recordChecksum(t *testing.T, dir string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, results.StoreFile))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	editManifest(t, dir, func(m *results.Manifest) {
		for i := range m.Files {
			if m.Files[i].Name == results.StoreFile {
				m.Files[i].SHA256, m.Files[i].Bytes = hex.EncodeToString(sum[:]), int64(len(b))
			}
		}
	})
}

// alterRecord flips the lowest bit of month 10, metric 0 of job's record
// in the store (a complete run's store is in plan order) and, with fixCRC,
// recomputes the record's CRC so that only a re-run can tell.
func alterRecord(t *testing.T, dir string, job int, fixCRC bool) {
	t.Helper()
	m, err := results.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	const header = 48
	nm := len(m.Plan.Metrics)
	size := int(results.StoreHeader{Months: m.Plan.Months, Metrics: nm}.RecordSize())
	path := filepath.Join(dir, results.StoreFile)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rec := b[header+job*size : header+(job+1)*size]
	if got := int(binary.LittleEndian.Uint32(rec)); got != job {
		t.Fatalf("record %d holds job %d: the store is not in plan order", job, got)
	}
	rec[4+8*(10*nm)] ^= 1
	if fixCRC {
		binary.LittleEndian.PutUint32(rec[size-4:], crc32.Checksum(rec[:size-4], crc32.MakeTable(crc32.Castagnoli)))
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestVerifyFreshRun(t *testing.T) {
	dir := verifyFixture(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "5 of 8 replications re-run bit-identical"},
		{[]string{"-k", "0"}, "0 of 8 replications"},
		{[]string{"-k", "100"}, "8 of 8 replications"},
	} {
		code, out, stderr := dispatchT(t, append([]string{"verify", dir}, c.args...)...)
		if code != 0 || !strings.Contains(out, c.want) || !strings.Contains(out, "runs.csv, timeseries.csv, comparison.csv, replications.bin and experiment.toml match") ||
			strings.Count(out, "\n") != 1 {
			t.Errorf("verify %v: exit %d, stdout %q, stderr %q; want exit 0 and one line saying %q", c.args, code, out, stderr, c.want)
		}
	}
	if code, _, stderr := dispatchT(t, "verify", dir, "-k", "-1"); code != exitUsage {
		t.Errorf("verify -k -1: exit %d, want 2: %s", code, stderr)
	}
}

// TestVerifyAlteredRecord: a value changed in a record, its CRC and the
// manifest's checksum made to match, is found only by the re-run, which
// names the replication.
func TestVerifyAlteredRecord(t *testing.T) {
	for _, c := range []struct {
		job  int
		args []string
		want string
	}{
		{7, nil, `arm "lever", point -, replication 3 (job 7): the re-run differs from its record in replications.bin in 1 of`},
		{2, []string{"-k", "8"}, `arm "baseline", point -, replication 2 (job 2): the re-run differs`},
	} {
		dir := verifyFixture(t)
		alterRecord(t, dir, c.job, true)
		recordChecksum(t, dir)
		code, out, stderr := dispatchT(t, append([]string{"verify", dir}, c.args...)...)
		if code != exitFailure || !strings.Contains(stderr, c.want) || !strings.Contains(stderr, "month 10") || strings.Contains(stderr, "SHA-256") || out != "" {
			t.Errorf("job %d altered, CRC and checksum fixed: exit %d, stderr %q; want exit 1 naming only the replication (%q)", c.job, code, stderr, c.want)
		}
	}
	// Without the checksum fixed, the file is named too.
	dir := verifyFixture(t)
	alterRecord(t, dir, 0, true)
	code, _, stderr := dispatchT(t, "verify", dir)
	if code != exitFailure || !strings.Contains(stderr, "replications.bin: SHA-256") || !strings.Contains(stderr, `arm "baseline", point -, replication 0 (job 0): the re-run differs`) {
		t.Errorf("job 0 altered, CRC fixed: exit %d, stderr %q; want exit 1 naming replications.bin and the replication", code, stderr)
	}
}

// TestVerifyCorruptRecord: a byte flipped in a record (its CRC left as it
// was) makes the file's checksum differ and the record invalid.
func TestVerifyCorruptRecord(t *testing.T) {
	dir := verifyFixture(t)
	alterRecord(t, dir, 0, false)
	code, _, stderr := dispatchT(t, "verify", dir)
	if code != exitFailure || !strings.Contains(stderr, "replications.bin: SHA-256") ||
		!strings.Contains(stderr, `arm "baseline", point -, replication 0 (job 0): no valid record in replications.bin`) {
		t.Errorf("job 0 corrupt: exit %d, stderr %q; want exit 1 naming replications.bin and the replication", code, stderr)
	}
}

func TestVerifyEditedTable(t *testing.T) {
	dir := verifyFixture(t)
	path := filepath.Join(dir, results.RunsFile)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.LastIndexAny(string(b), "123456789")
	b[i] = '0'
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := dispatchT(t, "verify", dir)
	if code != exitFailure || !strings.Contains(stderr, "1 problem(s)") || !strings.Contains(stderr, "runs.csv: SHA-256") {
		t.Errorf("runs.csv edited: exit %d, stderr %q; want exit 1 naming runs.csv only", code, stderr)
	}
	os.Remove(filepath.Join(dir, results.ComparisonFile))
	code, _, stderr = dispatchT(t, "verify", dir, "-k", "0")
	if code != exitFailure || !strings.Contains(stderr, "comparison.csv: missing") {
		t.Errorf("comparison.csv removed: exit %d, stderr %q; want exit 1 naming comparison.csv", code, stderr)
	}
}

// TestVerifyOtherBuild: a directory made by another revision or program
// version, a partial run or no result directory at all exit 2.
func TestVerifyOtherBuild(t *testing.T) {
	dir := verifyFixture(t)
	const theirs, ours = "0123456789abcdef0123456789abcdef01234567", "fedcba9876543210fedcba9876543210fedcba98"
	editManifest(t, dir, func(m *results.Manifest) { m.Revision = theirs })
	code, _, stderr := dispatchBuild(t, experiments.Build{Revision: ours}, "verify", dir)
	if code != exitUsage || !strings.Contains(stderr, "made by revision "+theirs) || !strings.Contains(stderr, "this binary is revision "+ours) {
		t.Errorf("other revision: exit %d, stderr %q; want exit 2 naming both revisions", code, stderr)
	}
	if code, _, stderr := dispatchBuild(t, experiments.Build{Revision: theirs, Dirty: true}, "verify", dir); code != exitUsage || !strings.Contains(stderr, "with uncommitted changes") {
		t.Errorf("same revision with uncommitted changes: exit %d, stderr %q; want exit 2", code, stderr)
	}
	if code, _, stderr := dispatchBuild(t, experiments.Build{Revision: theirs}, "verify", dir); code != 0 {
		t.Errorf("same revision: exit %d: %s", code, stderr)
	}
	editManifest(t, dir, func(m *results.Manifest) { m.ProgramVersion = "frontiersim 0.0.9" })
	if code, _, stderr := dispatchT(t, "verify", dir); code != exitUsage || !strings.Contains(stderr, "frontiersim 0.0.9") {
		t.Errorf("other program version: exit %d, stderr %q; want exit 2", code, stderr)
	}
	editManifest(t, dir, func(m *results.Manifest) {
		m.ProgramVersion = experiments.ProgramVersion()
		m.Status = results.StatusPartial
	})
	if code, _, stderr := dispatchT(t, "verify", dir); code != exitUsage || !strings.Contains(stderr, "partial") {
		t.Errorf("partial run: exit %d, stderr %q; want exit 2", code, stderr)
	}
	if code, _, stderr := dispatchT(t, "verify", t.TempDir()); code != exitUsage || !strings.Contains(stderr, "not a result directory") {
		t.Errorf("empty directory: exit %d, stderr %q; want exit 2", code, stderr)
	}
}

// TestVerifyAnalysisTables: sensitivity.csv (written by the run of a
// [sensitivity] design) and the discovery tables (added by runsim discover)
// are in the manifest's checksums, so that runsim verify finds them edited
// or removed.
func TestVerifyAnalysisTables(t *testing.T) {
	edit := func(t *testing.T, path string) {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		i := strings.LastIndexAny(string(b), "123456789")
		b[i] = '0'
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	listed := func(t *testing.T, dir string, names ...string) {
		t.Helper()
		m, err := results.ReadManifest(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range names {
			if !slices.ContainsFunc(m.Files, func(f results.FileDigest) bool { return f.Name == name }) {
				t.Errorf("the manifest records no checksum of %s: %+v", name, m.Files)
			}
		}
	}
	t.Run("sensitivity", func(t *testing.T) {
		file := writeToy(t, toySensitivity, `method = "sobol"`, `method = "morris"`, "n = 16", "trajectories = 3")
		dir := filepath.Join(t.TempDir(), "out")
		if code, _, stderr := runToy(t, context.Background(), nil, "sensitivity", file, "-o", dir, "-q", "-no-charts"); code != exitOK {
			t.Fatalf("sensitivity: exit %d: %s", code, stderr)
		}
		listed(t, dir, results.SensitivityFile)
		if code, out, stderr := runToy(t, context.Background(), nil, "verify", dir, "-k", "0"); code != exitOK || !strings.Contains(out, results.SensitivityFile) {
			t.Fatalf("verify: exit %d, stdout %q, stderr %q; want exit 0 naming sensitivity.csv", code, out, stderr)
		}
		edit(t, filepath.Join(dir, results.SensitivityFile))
		if code, _, stderr := runToy(t, context.Background(), nil, "verify", dir, "-k", "0"); code != exitFailure || !strings.Contains(stderr, "sensitivity.csv: SHA-256") {
			t.Errorf("sensitivity.csv edited: exit %d, stderr %q; want exit 1 naming it", code, stderr)
		}
	})
	t.Run("discovery", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "out")
		if code, _, stderr := runToy(t, context.Background(), nil, "run", writeToy(t, toyLHS, "points = 120", "points = 40"), "-o", dir, "-q"); code != exitOK {
			t.Fatalf("run: exit %d: %s", code, stderr)
		}
		if code, _, stderr := runToy(t, context.Background(), nil, "discover", dir, "-arm", "capped", "-metric", "model_share_a", "-threshold", "-0.1"); code != exitOK {
			t.Fatalf("discover: exit %d: %s", code, stderr)
		}
		listed(t, dir, append([]string{results.RunsFile}, discoverFiles()...)...)
		if code, out, stderr := runToy(t, context.Background(), nil, "verify", dir, "-k", "0"); code != exitOK || !strings.Contains(out, results.DiscoveryTreeFile) {
			t.Fatalf("verify: exit %d, stdout %q, stderr %q; want exit 0 naming the discovery tables", code, out, stderr)
		}
		edit(t, filepath.Join(dir, results.DiscoveryBoxFile))
		os.Remove(filepath.Join(dir, results.DiscoveryTreeFile))
		code, _, stderr := runToy(t, context.Background(), nil, "verify", dir, "-k", "0")
		if code != exitFailure || !strings.Contains(stderr, "2 problem(s)") || !strings.Contains(stderr, "discovery_box.csv: SHA-256") || !strings.Contains(stderr, "discovery_tree.csv: missing") {
			t.Errorf("discovery tables edited and removed: exit %d, stderr %q; want exit 1 naming both", code, stderr)
		}
	})
}
