package experiments

import (
	"slices"
	"testing"
)

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
