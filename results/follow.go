package results

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
)

// StoreFollower reads a replication store that a run may still be
// appending to, without locking or changing it: each Poll reads the whole
// records added since the last one and hands on those whose checksum
// holds. It is what a live view of a running experiment reads.
//
// A record at the end that is torn (its bytes not all written yet) or
// fails its checksum is not read past: the next Poll tries it again, once
// the writer has written it whole. A bad record followed by a good one is
// corrupt, and skipped (counted in Dropped), as the store's other readers
// do. A store replaced by another file (a run started over, a store
// rewritten) or cut shorter than what was read is read again from the
// start, and Poll says so.
type StoreFollower struct {
	path   string
	file   os.FileInfo // identity of the file read so far; nil before the first header
	header StoreHeader
	off    int64 // offset just past the last record handed on (or skipped)
	buf    []byte
	// Dropped counts the corrupt records skipped since the last restart.
	Dropped int
}

// FollowStore returns a follower of the store at path. Nothing is read
// before the first Poll.
func FollowStore(path string) *StoreFollower { return &StoreFollower{path: path} }

// Header returns the header of the store read so far, and false before a
// Poll has read one.
func (f *StoreFollower) Header() (StoreHeader, bool) { return f.header, f.file != nil }

// Poll reads the records added since the last Poll and calls fn with the
// job and values (months × metrics, month-major, a new slice each call) of
// each valid one, in file order. restarted is true when the store was
// replaced or cut shorter since the last Poll: the caller should forget
// the records it was handed before, which fn then gets again. A store that
// does not exist yet, or has no whole header yet, gives no record and no
// error (os.ErrNotExist is not an error here: the run may not have
// started).
func (f *StoreFollower) Poll(fn func(job int, values []float64)) (restarted bool, err error) {
	file, err := os.Open(f.path)
	if errors.Is(err, os.ErrNotExist) {
		restarted = f.file != nil
		f.reset()
		return restarted, nil
	}
	if err != nil {
		return false, err
	}
	defer file.Close()
	fi, err := file.Stat()
	if err != nil {
		return false, err
	}
	if f.file != nil && (!os.SameFile(f.file, fi) || fi.Size() < f.off) {
		f.reset()
		restarted = true
	}
	if f.file == nil {
		if fi.Size() < storeHeaderSize {
			return restarted, nil
		}
		h, err := readHeader(file)
		if err != nil {
			return restarted, fmt.Errorf("%s: %w", f.path, err)
		}
		f.file, f.header, f.off = fi, h, storeHeaderSize
	}
	size := f.header.RecordSize()
	if f.buf == nil && f.off+size <= fi.Size() { // sized once a whole record is there, not by the header alone
		f.buf = make([]byte, size)
	}
	n := f.header.Months * f.header.Metrics
	next := f.off // the first record not yet read
	bad := 0      // bad records read since the last good one
	for next+size <= fi.Size() {
		if _, err := file.ReadAt(f.buf, next); err != nil {
			if err == io.EOF {
				break
			}
			return restarted, fmt.Errorf("%s: %w", f.path, err)
		}
		next += size
		body := f.buf[:len(f.buf)-4]
		if crc32.Checksum(body, castagnoli) != binary.LittleEndian.Uint32(f.buf[len(f.buf)-4:]) {
			bad++
			continue
		}
		values := make([]float64, n)
		for i := range values {
			values[i] = math.Float64frombits(binary.LittleEndian.Uint64(body[4+8*i:]))
		}
		f.Dropped += bad
		bad = 0
		f.off = next
		fn(int(binary.LittleEndian.Uint32(body)), values)
	}
	return restarted, nil
}

func (f *StoreFollower) reset() {
	f.file, f.header, f.off, f.buf, f.Dropped = nil, StoreHeader{}, 0, nil, 0
}
