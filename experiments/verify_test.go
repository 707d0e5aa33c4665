package experiments

import (
	"context"
	"slices"
	"testing"

	"frontiersim/internal/toysim"
)

// TestVerifyShard: a complete shard verifies against its own files (no
// timeseries.csv or comparison.csv) and samples only its own jobs.
func TestVerifyShard(t *testing.T) {
	e := loadString(t, toyExperiment)
	dir := t.TempDir()
	run(t, e, dir, RunOptions{Shard: ShardSpec{2, 3}})
	rep, err := Verify(context.Background(), dir, toysim.Simulator{}, VerifyOptions{Sample: 4, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	own := ShardSpec{2, 3}.Jobs(e.Plan(toysim.Simulator{}).Jobs())
	if rep.Total != len(own) || len(rep.Jobs) != 4 || rep.Jobs[0] != own[0] || rep.Jobs[3] != own[len(own)-1] {
		t.Errorf("shard 2/3: re-ran %v of %d jobs, want 4 of its %d jobs %v, first and last among them", rep.Jobs, rep.Total, len(own), own)
	}
	for _, j := range rep.Jobs {
		if !slices.Contains(own, j) {
			t.Errorf("re-ran job %d, which is not in shard 2/3", j)
		}
	}
	if !slices.Equal(rep.Files, []string{"runs.csv", "replications.bin"}) {
		t.Errorf("checked %v, want runs.csv and replications.bin", rep.Files)
	}
}

func TestSampleJobs(t *testing.T) {
	jobs := []int{3, 5, 7, 9, 11, 13, 15, 17, 19, 21}
	s := SampleJobs(jobs, 5, 7)
	if len(s) != 5 || s[0] != 3 || s[4] != 21 || !slices.IsSorted(s) || len(slices.Compact(slices.Clone(s))) != 5 {
		t.Fatalf("sample %v: want 5 distinct jobs in order, the first and the last among them", s)
	}
	if !slices.Equal(s, SampleJobs(jobs, 5, 7)) {
		t.Error("the sample changes between calls")
	}
	differ := false
	for seed := uint64(8); seed < 20; seed++ {
		differ = differ || !slices.Equal(s, SampleJobs(jobs, 5, seed))
	}
	if !differ {
		t.Error("the sample does not depend on the seed")
	}
	if got := SampleJobs(jobs, 50, 7); !slices.Equal(got, jobs) {
		t.Errorf("k above the job count: %v, want every job", got)
	}
	if got := SampleJobs(jobs, 0, 7); len(got) != 0 {
		t.Errorf("k = 0: %v, want none", got)
	}
	if got := SampleJobs(jobs, 1, 7); !slices.Equal(got, []int{3}) {
		t.Errorf("k = 1: %v, want the first job", got)
	}
}
