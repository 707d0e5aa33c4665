package results

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// storeBytes returns the bytes of a store of h holding the records of jobs
// (job j's values all j+0.5), and the size of its header.
func storeBytes(t *testing.T, h StoreHeader, jobs ...int) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), StoreFile)
	w, err := CreateStore(path, h)
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs {
		v := make([]float64, h.Months*h.Metrics)
		for i := range v {
			v[i] = float64(j) + 0.5
		}
		if err := w.Append(j, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestStoreFollower writes a store piece by piece, as a run's buffered
// writes reach the disk (a header in two parts, records torn anywhere, a
// corrupt record), and checks that each Poll hands on exactly the whole,
// valid records written so far, once each; and that a replaced or cut
// store is read again from the start.
func TestStoreFollower(t *testing.T) {
	h := StoreHeader{Months: 3, Metrics: 2}
	full := storeBytes(t, h, 4, 1, 7, 2)
	rec := int(h.RecordSize())
	hdr := storeHeaderSize
	path := filepath.Join(t.TempDir(), StoreFile)
	f := FollowStore(path)
	var got []int
	poll := func(step string, wantRestart bool, want ...int) {
		t.Helper()
		var jobs []int
		restarted, err := f.Poll(func(job int, values []float64) {
			if len(values) != 6 || values[5] != float64(job)+0.5 {
				t.Errorf("%s: job %d has values %v", step, job, values)
			}
			jobs = append(jobs, job)
		})
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if restarted != wantRestart {
			t.Errorf("%s: restarted %v, want %v", step, restarted, wantRestart)
		}
		if !slices.Equal(jobs, want) {
			t.Errorf("%s: read jobs %v, want %v", step, jobs, want)
		}
		got = append(got, jobs...)
	}
	write := func(b []byte) {
		t.Helper()
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	appendBytes := func(b []byte) {
		t.Helper()
		fh, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fh.Write(b); err != nil {
			t.Fatal(err)
		}
		fh.Close()
	}

	poll("no store yet", false)
	write(full[:hdr-5])
	poll("half a header", false)
	if _, ok := f.Header(); ok {
		t.Errorf("a header before it is whole")
	}
	appendBytes(full[hdr-5 : hdr+rec/2])
	poll("header and half a record", false)
	if got, ok := f.Header(); !ok || got != h {
		t.Errorf("header %+v, %v; want %+v", got, ok, h)
	}
	appendBytes(full[hdr+rec/2 : hdr+rec+3])
	poll("first record whole", false, 4)
	appendBytes(full[hdr+rec+3 : hdr+2*rec])
	poll("second record whole", false, 1)
	poll("nothing new", false)

	// A record whose bytes are all there but whose checksum fails is not
	// read past while it is the last one...
	third := slices.Clone(full[hdr+2*rec : hdr+3*rec])
	third[10] ^= 0xff
	appendBytes(third)
	poll("corrupt last record", false)
	// ... and is skipped, as corrupt, once a valid record follows it.
	appendBytes(full[hdr+3*rec:])
	poll("valid record after a corrupt one", false, 2)
	if f.Dropped != 1 {
		t.Errorf("Dropped %d, want 1", f.Dropped)
	}

	// A store started over (a new file renamed into place) is read anew.
	other := storeBytes(t, h, 9)
	tmp := path + ".new"
	if err := os.WriteFile(tmp, other, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
	poll("store replaced", true, 9)
	if f.Dropped != 0 {
		t.Errorf("Dropped %d after a restart, want 0", f.Dropped)
	}
	// Cut shorter than what was read (the same file truncated).
	if err := os.Truncate(path, int64(hdr)); err != nil {
		t.Fatal(err)
	}
	poll("store truncated", true)
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	poll("store removed", true)
	if !slices.Equal(got, []int{4, 1, 2, 9}) {
		t.Errorf("handed on %v over all polls", got)
	}
}

// TestStoreFollowerBadMagic: a file that is not a store is an error.
func TestStoreFollowerBadMagic(t *testing.T) {
	path := filepath.Join(t.TempDir(), StoreFile)
	if err := os.WriteFile(path, make([]byte, 100), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := FollowStore(path).Poll(func(int, []float64) {}); err == nil {
		t.Fatal("no error for a file without the store's magic")
	}
}

// TestStoreFollowerChunks writes stores with corrupt records in random
// pieces, polling after each, and checks that the follower hands on, once
// each and in file order, exactly the records the store's reader reads
// from the finished file.
func TestStoreFollowerChunks(t *testing.T) {
	h := StoreHeader{Months: 2, Metrics: 3}
	rec := int(h.RecordSize())
	for seed := range uint64(40) {
		rng := rand.New(rand.NewPCG(seed, 1))
		jobs := rng.Perm(25)
		full := storeBytes(t, h, jobs...)
		for range rng.IntN(4) { // corrupt a few records
			i := storeHeaderSize + rng.IntN(len(jobs))*rec + rng.IntN(rec)
			full[i] ^= byte(1 + rng.IntN(255))
		}
		path := filepath.Join(t.TempDir(), StoreFile)
		f := FollowStore(path)
		var got []int
		for off := 0; off < len(full); {
			n := min(len(full)-off, 1+rng.IntN(2*rec))
			fh, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
			if err != nil {
				t.Fatal(err)
			}
			fh.Write(full[off : off+n])
			fh.Close()
			off += n
			if _, err := f.Poll(func(job int, _ []float64) { got = append(got, job) }); err != nil {
				t.Fatalf("seed %d: %v", seed, err)
			}
		}
		r, err := OpenStore(path, h)
		if err != nil {
			t.Fatal(err)
		}
		var want []int
		values := make([]float64, 6)
		for {
			j, err := r.Next(values)
			if err != nil {
				break
			}
			want = append(want, j)
		}
		r.Close()
		if !slices.Equal(got, want) {
			t.Errorf("seed %d: follower read %v, the reader %v", seed, got, want)
		}
		if f.Dropped > r.Dropped {
			t.Errorf("seed %d: follower dropped %d, the reader %d", seed, f.Dropped, r.Dropped)
		}
	}
}
