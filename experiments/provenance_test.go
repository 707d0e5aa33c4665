package experiments

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"frontiersim/internal/toysim"
	"frontiersim/results"
)

var (
	buildA      = Build{Revision: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", Time: "2026-01-01T00:00:00Z"}
	buildADirty = Build{Revision: buildA.Revision, Time: buildA.Time, Dirty: true}
	buildB      = Build{Revision: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", Time: "2026-02-01T00:00:00Z"}
)

func sha256File(t *testing.T, path string) (string, int64) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:]), int64(len(b))
}

// TestManifestRecordsProvenance: the complete manifest records the build,
// every parameter's value and the size and SHA-256 of each data file; a
// shard's lists the files it has; a partial manifest lists none.
func TestManifestRecordsProvenance(t *testing.T) {
	e := loadString(t, toyExperiment)
	dir := t.TempDir()
	m := run(t, e, dir, RunOptions{Workers: 2, Build: &buildADirty})
	disk, err := results.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if disk.Revision != buildA.Revision || disk.RevisionTime != buildA.Time || !disk.Dirty {
		t.Errorf("manifest build: revision %q, time %q, dirty %v; want %+v", disk.Revision, disk.RevisionTime, disk.Dirty, buildADirty)
	}
	want := []results.ParamValue{{Name: "toy.cap", Value: 1}, {Name: "toy.noise", Value: 0.03}, {Name: "toy.growth", Value: 0.05}, {Name: "toy.lag", Value: 0}}
	if !slices.Equal(disk.Plan.Parameters, want) {
		t.Errorf("manifest parameters %v, want %v (the defaults with [scenario] applied, in the model's order)", disk.Plan.Parameters, want)
	}
	if !slices.Equal(disk.Plan.Overrides, []results.ParamValue{{Name: "toy.noise", Value: 0.03}}) {
		t.Errorf("manifest overrides %v, want only the scenario's", disk.Plan.Overrides)
	}
	var names []string
	for _, f := range disk.Files {
		names = append(names, f.Name)
		sum, n := sha256File(t, filepath.Join(dir, f.Name))
		if f.SHA256 != sum || f.Bytes != n {
			t.Errorf("%s: manifest says %s (%d bytes), the file is %s (%d bytes)", f.Name, f.SHA256, f.Bytes, sum, n)
		}
	}
	if !slices.Equal(names, []string{results.RunsFile, results.TimeseriesFile, results.ComparisonFile, results.StoreFile}) {
		t.Errorf("manifest checksums of %v, want the four data files", names)
	}
	if !slices.Equal(m.Files, disk.Files) {
		t.Errorf("Execute returned files %v, the manifest on disk %v", m.Files, disk.Files)
	}
	if sum, _ := sha256File(t, filepath.Join(dir, results.ExperimentFile)); sum != disk.ExperimentHash {
		t.Errorf("experiment.toml's SHA-256 %s is not the experiment hash %s", sum, disk.ExperimentHash)
	}

	// experiment.toml lists every value and loads to the same hash.
	text, _ := os.ReadFile(filepath.Join(dir, results.ExperimentFile))
	for _, line := range []string{"[parameters]", `"toy.cap" = 1.0`, `"toy.growth" = 0.05`, `"toy.lag" = 0.0`, `"toy.noise" = 0.03`} {
		if !strings.Contains(string(text), line) {
			t.Errorf("experiment.toml lacks %q:\n%s", line, text)
		}
	}
	e2, err := Load(filepath.Join(dir, results.ExperimentFile), os.ReadFile, toysim.Simulator{})
	if err != nil {
		t.Fatal(err)
	}
	if e2.Hash() != e.Hash() {
		t.Errorf("experiment.toml loads to hash %s, the run's is %s", e2.Hash(), e.Hash())
	}

	// A shard records the files it has.
	shard := t.TempDir()
	run(t, e, shard, RunOptions{Shard: ShardSpec{1, 2}})
	sm, _ := results.ReadManifest(shard)
	names = nil
	for _, f := range sm.Files {
		names = append(names, f.Name)
		if sum, n := sha256File(t, filepath.Join(shard, f.Name)); f.SHA256 != sum || f.Bytes != n {
			t.Errorf("shard %s: checksum does not match", f.Name)
		}
	}
	if !slices.Equal(names, []string{results.RunsFile, results.StoreFile}) {
		t.Errorf("shard manifest checksums of %v, want runs.csv and replications.bin", names)
	}

	// A run that fails while finishing stays partial, without checksums.
	partial := t.TempDir()
	_, err = Execute(context.Background(), e, toysim.Simulator{}, RunOptions{Dir: partial, Now: fixedNow,
		Finish: func(context.Context, results.Manifest) error { return errors.New("no charts today") }})
	if err == nil {
		t.Fatal("a failing finish hook did not fail the run")
	}
	pm, _ := results.ReadManifest(partial)
	if pm.Status != results.StatusPartial || len(pm.Files) != 0 {
		t.Errorf("partial manifest: status %s, %d checksums; want partial with none", pm.Status, len(pm.Files))
	}
}

// TestResumeAndMergeRefuseOtherRevision: results of another known revision
// (or the same revision with and without uncommitted changes) are not
// resumed or merged; an unknown revision is accepted.
func TestResumeAndMergeRefuseOtherRevision(t *testing.T) {
	e := loadString(t, toyExperiment)
	dir := t.TempDir()
	run(t, e, dir, RunOptions{Build: &buildA})
	for _, b := range []Build{buildB, buildADirty} {
		_, err := Execute(context.Background(), e, toysim.Simulator{}, RunOptions{Dir: dir, Resume: true, Now: fixedNow, Build: &b})
		if !errors.Is(err, ErrResumeMismatch) || !strings.Contains(err.Error(), b.String()) || !strings.Contains(err.Error(), buildA.String()) {
			t.Errorf("resume under %v of a run of %v: got %v, want ErrResumeMismatch naming both", b, buildA, err)
		}
	}
	for _, b := range []Build{buildA, {}} {
		run(t, e, dir, RunOptions{Resume: true, Build: &b})
	}

	shard := func(k int, b Build) string {
		d := t.TempDir()
		run(t, e, d, RunOptions{Shard: ShardSpec{k, 2}, Build: &b})
		return d
	}
	merge := func(b Build, shards ...string) (*results.Manifest, error) {
		return MergeWith(context.Background(), toysim.Simulator{}, MergeOptions{Dir: t.TempDir(), Shards: shards, Now: fixedNow, Build: &b})
	}
	s1, s2A, s2B := shard(1, buildA), shard(2, buildA), shard(2, buildB)
	if _, err := merge(buildA, s1, s2B); !errors.Is(err, ErrBadShards) || !strings.Contains(err.Error(), "different program code") {
		t.Errorf("merge of shards of two revisions: got %v, want ErrBadShards", err)
	}
	if _, err := merge(buildB, s1, s2A); !errors.Is(err, ErrBadShards) || !strings.Contains(err.Error(), "this binary is "+buildB.String()) {
		t.Errorf("merge of shards of revision A by revision B: got %v, want ErrBadShards", err)
	}
	m, err := merge(Build{}, s1, s2A)
	if err != nil {
		t.Fatalf("merge by a binary of unknown revision: %v", err)
	}
	if m.Revision != "" || len(m.Files) != 4 {
		t.Errorf("merged manifest: revision %q, %d checksums; want this binary's (unknown) revision and four checksums", m.Revision, len(m.Files))
	}
}

// TestChecksumsStopWhenCancelled: computing the checksums of a finished
// run is a phase that a signal stops; the manifest then stays partial.
func TestChecksumsStopWhenCancelled(t *testing.T) {
	e := loadString(t, toyExperiment)
	dir := t.TempDir()
	run(t, e, dir, RunOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := DigestFile(ctx, filepath.Join(dir, results.StoreFile)); !errors.Is(err, context.Canceled) {
		t.Errorf("DigestFile with a cancelled context: %v, want context.Canceled", err)
	}
	man, _ := results.ReadManifest(dir)
	man.Status, man.Files = results.StatusPartial, nil
	if err := results.WriteManifest(dir, man); err != nil {
		t.Fatal(err)
	}
	noTables := func(context.Context) error { return nil } // written by the run
	if err := complete(ctx, dir, &man, fixedNow, noTables, nil, nil); !errors.Is(err, ErrInterrupted) {
		t.Errorf("complete with a cancelled context: %v, want ErrInterrupted", err)
	}
	if m, _ := results.ReadManifest(dir); m.Status != results.StatusPartial || m.JobsDone != m.JobsTotal {
		t.Errorf("manifest %s with %d of %d done after an interrupted checksum, want partial with every replication done", m.Status, m.JobsDone, m.JobsTotal)
	}
	if _, err := os.Stat(filepath.Join(dir, results.RunsFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("runs.csv is left beside a partial manifest: %v", err)
	}
	run(t, e, dir, RunOptions{Resume: true})
	if m, _ := results.ReadManifest(dir); m.Status != results.StatusComplete || len(m.Files) != 4 {
		t.Errorf("after -resume: manifest %s with %d checksums, want complete with four", m.Status, len(m.Files))
	}
}

// TestTablesStopWhenCancelled: writing the tables from the replication
// store is a phase that a signal stops too (a large plan's statistics take
// minutes): Finalize returns the context's error, complete keeps the
// manifest partial with every replication done and no table beside it, and
// -resume writes the same bytes as an uninterrupted run.
func TestTablesStopWhenCancelled(t *testing.T) {
	e := loadString(t, toySweep)
	ref := t.TempDir()
	run(t, e, ref, RunOptions{Workers: 2})
	dir := t.TempDir()
	run(t, e, dir, RunOptions{Workers: 2})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	plan := e.Plan(toysim.Simulator{})
	h := results.StoreHeader{Months: plan.Months, Metrics: len(plan.Metrics), PlanHash: planHash(e, plan)}
	all := ShardSpec{}.Jobs(plan.Jobs())
	if err := Finalize(ctx, dir, e, plan, h, all); !errors.Is(err, context.Canceled) {
		t.Fatalf("Finalize with a cancelled context: %v, want context.Canceled", err)
	}
	man, _ := results.ReadManifest(dir)
	man.Status, man.Files = results.StatusPartial, nil
	tables := func(ctx context.Context) error { return Finalize(ctx, dir, e, plan, h, all) }
	if err := complete(ctx, dir, &man, fixedNow, tables, nil, nil); !errors.Is(err, ErrInterrupted) || !strings.Contains(err.Error(), "writing the tables") {
		t.Errorf("complete with a cancelled context: %v, want ErrInterrupted while writing the tables", err)
	}
	if m, _ := results.ReadManifest(dir); m.Status != results.StatusPartial || m.JobsDone != m.JobsTotal {
		t.Errorf("manifest %s with %d of %d done, want partial with every replication done", m.Status, m.JobsDone, m.JobsTotal)
	}
	for _, f := range []string{results.RunsFile, results.TimeseriesFile, results.ComparisonFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s is left beside a partial manifest: %v", f, err)
		}
	}
	run(t, e, dir, RunOptions{Workers: 2, Resume: true})
	sameFiles(t, ref, dir)
}
