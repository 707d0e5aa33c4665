package results

import (
	"encoding/binary"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"
)

func testHeader() StoreHeader { return StoreHeader{Months: 3, Metrics: 2, PlanHash: [32]byte{1, 2, 3}} }

func record(job int) []float64 {
	v := make([]float64, 6)
	for i := range v {
		v[i] = float64(job*10 + i)
	}
	return v
}

func writeStore(t *testing.T, jobs ...int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), StoreFile)
	w, err := CreateStore(path, testHeader())
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs {
		if err := w.Append(j, record(j)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestStoreRoundTripAndDamage(t *testing.T) {
	h := testHeader()
	cases := []struct {
		name    string
		damage  func(path string)
		want    []int
		dropped int
	}{
		{"intact", func(string) {}, []int{0, 1, 2, 3}, 0},
		{"torn tail", func(p string) {
			fi, _ := os.Stat(p)
			os.Truncate(p, fi.Size()-5)
		}, []int{0, 1, 2}, 1},
		{"flipped byte in record 1", func(p string) {
			b, _ := os.ReadFile(p)
			b[storeHeaderSize+int(h.RecordSize())+9] ^= 0xff
			os.WriteFile(p, b, 0o644)
		}, []int{0, 2, 3}, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := writeStore(t, 0, 1, 2, 3)
			c.damage(path)
			ix, err := IndexStore(path, h)
			if err != nil {
				t.Fatal(err)
			}
			if got := ix.Jobs(); !reflect.DeepEqual(got, c.want) {
				t.Fatalf("jobs %v, want %v", got, c.want)
			}
			rr, err := ix.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rr.Close()
			v := make([]float64, 6)
			for _, j := range c.want {
				if err := rr.Read(j, v); err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(v, record(j)) {
					t.Fatalf("job %d: %v", j, v)
				}
			}
			// Appending after damage keeps the valid records and cuts the torn tail.
			w, jobs, err := AppendStore(path, h)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(jobs, c.want) {
				t.Fatalf("append saw %v, want %v", jobs, c.want)
			}
			w.Append(9, record(9))
			w.Close()
			ix2, err := IndexStore(path, h)
			if err != nil {
				t.Fatal(err)
			}
			if want := append(append([]int(nil), c.want...), 9); !reflect.DeepEqual(ix2.Jobs(), want) {
				t.Fatalf("after append: %v, want %v", ix2.Jobs(), want)
			}
		})
	}
}

func TestStoreRejectsOtherPlan(t *testing.T) {
	path := writeStore(t, 0)
	other := testHeader()
	other.PlanHash[0] = 9
	if _, err := IndexStore(path, other); err == nil {
		t.Fatal("store of another plan accepted")
	}
	os.WriteFile(path, []byte("not a store at all, but long enough to hold a header......"), 0o644)
	if _, err := IndexStore(path, testHeader()); err == nil {
		t.Fatal("garbage accepted")
	}
}

func TestPlanJobIndex(t *testing.T) {
	p := Plan{Arms: make([]Arm, 3), Points: make([]Point, 4), Replications: 5}
	for i := 0; i < p.Jobs(); i++ {
		a, pt, r := p.Job(i)
		if p.JobIndex(a, pt, r) != i {
			t.Fatalf("job %d -> (%d,%d,%d) -> %d", i, a, pt, r, p.JobIndex(a, pt, r))
		}
	}
	if y, m := (Plan{StartYear: 2019, StartMonth: 1}).Calendar(83); y != 2025 || m != 12 {
		t.Fatalf("month 83 = %d-%d, want 2025-12", y, m)
	}
}

func TestIndexCanonical(t *testing.T) {
	h := testHeader()
	cases := []struct {
		name   string
		stored []int
		jobs   []int
		want   bool
	}{
		{"in order", []int{0, 1, 2}, []int{0, 1, 2}, true},
		{"a subset in order (a shard)", []int{1, 4, 7}, []int{1, 4, 7}, true},
		{"out of order", []int{1, 0, 2}, []int{0, 1, 2}, false},
		{"a duplicate", []int{0, 1, 1, 2}, []int{0, 1, 2}, false},
		{"an extra record", []int{0, 1, 2, 3}, []int{0, 1, 2}, false},
		{"a missing record", []int{0, 2}, []int{0, 1, 2}, false},
	}
	for _, c := range cases {
		ix, err := IndexStore(writeStore(t, c.stored...), h)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := ix.Canonical(c.jobs); err != nil || got != c.want {
			t.Errorf("%s: Canonical = %v, %v; want %v", c.name, got, err, c.want)
		}
	}
	// A torn record after the last one is not canonical either.
	path := writeStore(t, 0, 1)
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.Write([]byte{1, 2, 3})
	f.Close()
	ix, _ := IndexStore(path, h)
	if got, _ := ix.Canonical([]int{0, 1}); got {
		t.Error("a store with a torn tail counts as canonical")
	}
}

// TestCreateStoreHeaderIsDurable: from the moment CreateStore returns, the
// file at path holds a whole header, before any record is flushed (a
// process killed then leaves a store that resumes with nothing done), and
// a store that replaces an old one never shows a truncated file.
func TestCreateStoreHeaderIsDurable(t *testing.T) {
	path := writeStore(t, 1, 2)
	w, err := CreateStore(path, testHeader())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	// Not flushed, not closed: read it as a resume after kill -9 would.
	jobs, _, err := scanStore(path, testHeader())
	if err != nil {
		t.Fatalf("a store just created does not open: %v", err)
	}
	if len(jobs) != 0 {
		t.Errorf("a replaced store still holds jobs %v", jobs)
	}
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != StoreFile {
			t.Errorf("CreateStore left %s beside the store", e.Name())
		}
	}
}

// TestReadPaths: a directory's replication store read back by arm and
// replication; a replication the store lacks is nil; no store is
// os.ErrNotExist.
func TestReadPaths(t *testing.T) {
	dir, _ := smallDir(t)
	store := filepath.Join(dir, StoreFile)
	h, err := ReadStoreHeader(store)
	if err != nil {
		t.Fatal(err)
	}
	w, err := CreateStore(store, h)
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range []int{0, 1, 3} { // job 2 (cap, replication 0) missing
		v := make([]float64, 6)
		for i := range v {
			v[i] = float64(10*j + i)
		}
		if err := w.Append(j, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	m, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	d := &Dir{Path: dir, Manifest: m}
	got, err := d.ReadPaths(0, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := [][][]float64{{nil, {30, 31, 32, 33, 34, 35}}, {{0, 1, 2, 3, 4, 5}, {10, 11, 12, 13, 14, 15}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if _, err := d.ReadPaths(0, 2); err == nil {
		t.Error("arm 2 of a two-arm plan: no error")
	}
	os.Remove(store)
	if _, err := d.ReadPaths(0, 0); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("no store: got %v, want os.ErrNotExist", err)
	}
}

// headerOnly is a store file whose header declares months × metrics,
// followed by tail bytes of garbage.
func headerOnly(t *testing.T, months, metrics uint32, tail int) string {
	t.Helper()
	b := append([]byte(nil), storeMagic[:]...)
	b = binary.LittleEndian.AppendUint32(b, months)
	b = binary.LittleEndian.AppendUint32(b, metrics)
	b = append(b, make([]byte, 32+tail)...)
	path := filepath.Join(t.TempDir(), StoreFile)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// A header declaring more values than a record holds (here 2^32-1 × 2^32-1,
// whose byte size overflows) is rejected by every reader that takes the
// header from the file, and by CreateStore: no reader sizes a buffer by it.
func TestStoreRejectsOversizedRecord(t *testing.T) {
	path := headerOnly(t, math.MaxUint32, math.MaxUint32, 100)
	if h, err := ReadStoreHeader(path); err == nil {
		t.Fatalf("header of %d × %d values accepted", h.Months, h.Metrics)
	}
	if _, err := FollowStore(path).Poll(func(int, []float64) { t.Fatal("record read") }); err == nil {
		t.Fatal("follower accepts the header")
	}
	big := StoreHeader{Months: 1 << 13, Metrics: 1 << 12} // 2^25 values
	if _, err := CreateStore(filepath.Join(t.TempDir(), StoreFile), big); err == nil {
		t.Fatal("CreateStore writes a store its readers reject")
	}
}

// A header within the bound but declaring a record larger than the file
// (2^24 values, 128 MiB, over 100 bytes) reads as a torn tail and nothing
// else, and the readers' memory is bounded by the file, not the header.
func TestStoreShortOfOneRecord(t *testing.T) {
	path := headerOnly(t, 1<<12, 1<<12, 100)
	h, err := ReadStoreHeader(path)
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r, err := OpenStore(path, h)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(nil); err != io.EOF || r.Dropped != 1 {
		t.Fatalf("Next: %v, dropped %d; want EOF and the torn tail dropped", err, r.Dropped)
	}
	r.Close()
	ix, err := IndexStore(path, h)
	if err != nil || ix.Len() != 0 {
		t.Fatalf("index: %v, %d jobs", err, ix.Len())
	}
	rr, err := ix.Open()
	if err != nil {
		t.Fatal(err)
	}
	rr.Close()
	if _, err := FollowStore(path).Poll(func(int, []float64) { t.Fatal("record read") }); err != nil {
		t.Fatal(err)
	}
	w, jobs, err := AppendStore(path, h) // cuts the torn tail
	if err != nil || len(jobs) != 0 {
		t.Fatalf("append: %v, %d jobs", err, len(jobs))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 1<<20 {
		t.Fatalf("reading a %d-byte store allocated %d bytes", storeHeaderSize+100, got)
	}
}
