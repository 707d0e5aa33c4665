package results

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
)

// StoreFile is the replication store: the full monthly path of every metric
// of every finished replication. Resume reads it to skip finished work,
// merge reads the shards' stores, and the statistics are computed from it,
// one arm × point group at a time, so memory stays bounded whatever the
// number of replications.
const StoreFile = "replications.bin"

// storeMagic starts every store; the version is part of it.
var storeMagic = [8]byte{'F', 'S', 'R', 'E', 'P', 'S', '0', '1'}

// Store layout (all integers little-endian):
//
//	header: magic [8]byte, months uint32, metrics uint32, planHash [32]byte
//	record: job uint32, values [months*metrics]float64 (month-major), crc uint32
//
// The CRC-32 (Castagnoli) covers the job index and the values. A record
// that is truncated or fails its CRC is dropped by the reader (and its
// replication runs again on resume).
const storeHeaderSize = 8 + 4 + 4 + 32

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// StoreHeader identifies the shape and plan of a store.
type StoreHeader struct {
	Months, Metrics int
	PlanHash        [32]byte
}

// MaxRecordValues bounds Months*Metrics, the values of one record (2^24,
// a record of 128 MiB: a plan of 1,000 months and 16,000 metrics). A
// header that declares more is not a store this program writes: its
// readers reject it rather than size a buffer by it (or overflow the
// record size: months and metrics are 32-bit each).
const MaxRecordValues = 1 << 24

// check rejects a header whose record is negative or larger than
// MaxRecordValues values.
func (h StoreHeader) check() error {
	if h.Months < 0 || h.Metrics < 0 || uint64(h.Months)*uint64(h.Metrics) > MaxRecordValues {
		return fmt.Errorf("store: a record of %d months × %d metrics is more than the %d values a store holds", h.Months, h.Metrics, MaxRecordValues)
	}
	return nil
}

// RecordSize is the size in bytes of one record.
func (h StoreHeader) RecordSize() int64 { return 4 + 8*int64(h.Months)*int64(h.Metrics) + 4 }

// StoreWriter appends records to a store.
type StoreWriter struct {
	f   *os.File
	w   *bufio.Writer
	h   StoreHeader
	buf []byte
}

// CreateStore creates (replacing) a store at path, with permissions 0666
// less the umask. The header is written and synced under a temporary name
// that is then renamed to path, so that path never holds a store without
// its header: a process killed at any moment leaves the old file or a
// store with a whole header (and at worst a temporary that the next
// start-over removes).
func CreateStore(path string, h StoreHeader) (*StoreWriter, error) {
	if err := h.check(); err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	f, err := createTemp(path)
	if err != nil {
		return nil, err
	}
	tmp := f.Name()
	var hb [storeHeaderSize]byte
	copy(hb[:8], storeMagic[:])
	binary.LittleEndian.PutUint32(hb[8:], uint32(h.Months))
	binary.LittleEndian.PutUint32(hb[12:], uint32(h.Metrics))
	copy(hb[16:], h.PlanHash[:])
	_, err = f.Write(hb[:])
	if err == nil {
		err = f.Sync()
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		f.Close()
		os.Remove(tmp)
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return &StoreWriter{f: f, w: bufio.NewWriterSize(f, 1<<16), h: h}, nil
}

// AppendStore opens an existing store for appending after its valid
// records: a torn record at the end is cut off first. It returns the valid
// records' jobs (in file order).
func AppendStore(path string, h StoreHeader) (*StoreWriter, []int, error) {
	jobs, validEnd, err := scanStore(path, h)
	if err != nil {
		return nil, nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0o644)
	if err != nil {
		return nil, nil, err
	}
	if err := f.Truncate(validEnd); err != nil {
		f.Close()
		return nil, nil, err
	}
	if _, err := f.Seek(validEnd, io.SeekStart); err != nil {
		f.Close()
		return nil, nil, err
	}
	return &StoreWriter{f: f, w: bufio.NewWriterSize(f, 1<<16), h: h}, jobs, nil
}

// Append writes one record. values must hold Months*Metrics values.
func (s *StoreWriter) Append(job int, values []float64) error {
	n := s.h.Months * s.h.Metrics
	if len(values) != n {
		return fmt.Errorf("store: record of job %d has %d values, want %d", job, len(values), n)
	}
	s.buf = s.buf[:0]
	s.buf = binary.LittleEndian.AppendUint32(s.buf, uint32(job))
	for _, v := range values {
		s.buf = binary.LittleEndian.AppendUint64(s.buf, math.Float64bits(v))
	}
	s.buf = binary.LittleEndian.AppendUint32(s.buf, crc32.Checksum(s.buf, castagnoli))
	_, err := s.w.Write(s.buf)
	return err
}

// Flush writes buffered records to the file and syncs it, so that they
// survive a crash of the process.
func (s *StoreWriter) Flush() error {
	if err := s.w.Flush(); err != nil {
		return err
	}
	return s.f.Sync()
}

// Close flushes and closes the store.
func (s *StoreWriter) Close() error {
	err := s.Flush()
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// ErrStoreMismatch is returned when a store belongs to another plan or shape.
var ErrStoreMismatch = errors.New("replication store belongs to another experiment or program version")

func readHeader(r io.Reader) (StoreHeader, error) {
	var hb [storeHeaderSize]byte
	if _, err := io.ReadFull(r, hb[:]); err != nil {
		return StoreHeader{}, fmt.Errorf("store header: %w", err)
	}
	if [8]byte(hb[:8]) != storeMagic {
		return StoreHeader{}, fmt.Errorf("store: not a frontiersim replication store (bad magic)")
	}
	h := StoreHeader{
		Months:  int(binary.LittleEndian.Uint32(hb[8:])),
		Metrics: int(binary.LittleEndian.Uint32(hb[12:])),
	}
	copy(h.PlanHash[:], hb[16:])
	return h, h.check()
}

// StoreReader reads the valid records of a store.
type StoreReader struct {
	r       *bufio.Reader
	f       *os.File
	h       StoreHeader
	buf     []byte // one record; nil when the file holds no whole record
	tail    bool   // bytes after the header, fewer than a record (with buf nil)
	Dropped int    // records dropped for a bad checksum or a torn tail
}

// OpenStore opens a store and checks its header against want (Months,
// Metrics and PlanHash must all match). The memory it takes is bounded by
// the file's size, whatever its header declares.
func OpenStore(path string, want StoreHeader) (*StoreReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	// A store is read once, front to back: a buffer larger than the file
	// would only be cleared and collected (a small store is the common
	// case of a resume, a shard, a test).
	r := bufio.NewReaderSize(f, int(min(1<<16, max(fi.Size(), 16))))
	h, err := readHeader(r)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if h != want {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, ErrStoreMismatch)
	}
	s := &StoreReader{r: r, f: f, h: h}
	if rest := fi.Size() - storeHeaderSize; h.RecordSize() <= rest {
		s.buf = make([]byte, h.RecordSize())
	} else {
		s.tail = rest > 0
	}
	return s, nil
}

// Next reads the next valid record into values (len Months*Metrics) and
// returns its job, or io.EOF at the end. Corrupt records are skipped and
// counted in Dropped; a torn last record counts as dropped too.
func (s *StoreReader) Next(values []float64) (int, error) {
	job, err := s.next()
	if err != nil {
		return 0, err
	}
	body := s.buf[4 : len(s.buf)-4]
	for i := range values {
		values[i] = math.Float64frombits(binary.LittleEndian.Uint64(body[8*i:]))
	}
	return job, nil
}

// next reads the next valid record into s.buf and returns its job.
func (s *StoreReader) next() (int, error) {
	if s.buf == nil { // no whole record in the file (a store cut short, or a header declaring more than the file holds)
		if s.tail {
			s.Dropped++
			s.tail = false
		}
		return 0, io.EOF
	}
	for {
		n, err := io.ReadFull(s.r, s.buf)
		if err == io.EOF {
			return 0, io.EOF
		}
		if err == io.ErrUnexpectedEOF {
			if n > 0 {
				s.Dropped++
			}
			return 0, io.EOF
		}
		if err != nil {
			return 0, err
		}
		body := s.buf[:len(s.buf)-4]
		if crc32.Checksum(body, castagnoli) != binary.LittleEndian.Uint32(s.buf[len(s.buf)-4:]) {
			s.Dropped++
			continue
		}
		return int(binary.LittleEndian.Uint32(body)), nil
	}
}

// Close closes the reader.
func (s *StoreReader) Close() error { return s.f.Close() }

// walkStore calls fn with the job and byte offset of every valid record,
// in file order, and returns the offset just past the last valid, complete
// record (records after a corrupt one are still valid: each is checked on
// its own).
func walkStore(path string, h StoreHeader, fn func(job int, off int64)) (int64, error) {
	r, err := OpenStore(path, h)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	off := int64(storeHeaderSize)
	size := h.RecordSize()
	for {
		before := r.Dropped
		job, err := r.next()
		if err == io.EOF {
			return off, nil
		}
		if err != nil {
			return 0, err
		}
		off += size * int64(r.Dropped-before) // corrupt records skipped
		fn(job, off)
		off += size
	}
}

// scanStore returns the jobs of the valid records and the offset just past
// the last valid one.
func scanStore(path string, h StoreHeader) ([]int, int64, error) {
	var jobs []int
	end, err := walkStore(path, h, func(job int, _ int64) { jobs = append(jobs, job) })
	if err != nil {
		return nil, 0, err
	}
	return jobs, end, nil
}

// Index maps each job to its record's byte offset in a store, for reading
// the records back in job order.
type Index struct {
	path   string
	h      StoreHeader
	offset map[int]int64
}

// IndexStore reads a store and indexes its valid records by job. A job that
// appears twice (a replication rerun after a crash) keeps its first valid
// record: both are the same bytes, replications being deterministic.
func IndexStore(path string, h StoreHeader) (*Index, error) {
	ix := &Index{path: path, h: h, offset: map[int]int64{}}
	_, err := walkStore(path, h, func(job int, off int64) {
		if _, dup := ix.offset[job]; !dup {
			ix.offset[job] = off
		}
	})
	if err != nil {
		return nil, err
	}
	return ix, nil
}

// Jobs returns the indexed jobs in increasing order.
func (ix *Index) Jobs() []int {
	jobs := make([]int, 0, len(ix.offset))
	for j := range ix.offset {
		jobs = append(jobs, j)
	}
	slices.Sort(jobs)
	return jobs
}

// Has reports whether job is in the store.
func (ix *Index) Has(job int) bool { _, ok := ix.offset[job]; return ok }

// Len returns the number of distinct jobs.
func (ix *Index) Len() int { return len(ix.offset) }

// Canonical reports whether the store is exactly the records of jobs, in
// that order, and nothing else (no duplicate, corrupt or extra record): the
// form a finished run leaves it in.
func (ix *Index) Canonical(jobs []int) (bool, error) {
	if len(ix.offset) != len(jobs) {
		return false, nil
	}
	size := ix.h.RecordSize()
	for i, j := range jobs {
		if off, ok := ix.offset[j]; !ok || off != storeHeaderSize+int64(i)*size {
			return false, nil
		}
	}
	fi, err := os.Stat(ix.path)
	if err != nil {
		return false, err
	}
	return fi.Size() == storeHeaderSize+int64(len(jobs))*size, nil
}

// RecordReader reads records by job from an indexed store.
type RecordReader struct {
	ix  *Index
	f   *os.File
	buf []byte
}

// Open opens the indexed store for random access.
func (ix *Index) Open() (*RecordReader, error) {
	f, err := os.Open(ix.path)
	if err != nil {
		return nil, err
	}
	rr := &RecordReader{ix: ix, f: f}
	if len(ix.offset) > 0 { // the file holds a whole record of this size
		rr.buf = make([]byte, ix.h.RecordSize())
	}
	return rr, nil
}

// Read reads job's values into values.
func (rr *RecordReader) Read(job int, values []float64) error {
	off, ok := rr.ix.offset[job]
	if !ok {
		return fmt.Errorf("store %s: no record of job %d", rr.ix.path, job)
	}
	if _, err := rr.f.ReadAt(rr.buf, off); err != nil {
		return err
	}
	body := rr.buf[:len(rr.buf)-4]
	if crc32.Checksum(body, castagnoli) != binary.LittleEndian.Uint32(rr.buf[len(rr.buf)-4:]) {
		return fmt.Errorf("store %s: record of job %d changed on disk", rr.ix.path, job)
	}
	for i := range values {
		values[i] = math.Float64frombits(binary.LittleEndian.Uint64(body[4+8*i:]))
	}
	return nil
}

// Close closes the reader.
func (rr *RecordReader) Close() error { return rr.f.Close() }

// ReadStoreHeader reads the header of the store at path: its months and
// metrics per record and the plan hash it was written for.
func ReadStoreHeader(path string) (StoreHeader, error) {
	f, err := os.Open(path)
	if err != nil {
		return StoreHeader{}, err
	}
	defer f.Close()
	h, err := readHeader(f)
	if err != nil {
		return StoreHeader{}, fmt.Errorf("%s: %w", path, err)
	}
	return h, nil
}

// ReadPaths reads from the directory's replication store the monthly path
// (months × metrics, month-major) of every replication of each of arms at
// one sweep point (indices into the manifest's plan): out[i][r] is arm
// arms[i]'s replication r, nil for a replication the store does not hold
// (a partial run, a shard). A directory without a store gives an error
// wrapping os.ErrNotExist.
func (d *Dir) ReadPaths(point int, arms ...int) ([][][]float64, error) {
	p := d.Manifest.Plan
	path := filepath.Join(d.Path, StoreFile)
	h, err := ReadStoreHeader(path)
	if err != nil {
		return nil, err
	}
	if h.Months != p.Months || h.Metrics != len(p.Metrics) {
		return nil, inconsistent("%s holds %d months × %d metrics per replication, but the manifest's plan has %d × %d",
			path, h.Months, h.Metrics, p.Months, len(p.Metrics))
	}
	if point < 0 || point >= len(p.Points) {
		return nil, fmt.Errorf("%s: no sweep point %d in the plan", path, point)
	}
	ix, err := IndexStore(path, h)
	if err != nil {
		return nil, err
	}
	rr, err := ix.Open()
	if err != nil {
		return nil, err
	}
	defer rr.Close()
	out := make([][][]float64, len(arms))
	for i, a := range arms {
		if a < 0 || a >= len(p.Arms) {
			return nil, fmt.Errorf("%s: no arm %d in the plan", path, a)
		}
		out[i] = make([][]float64, p.Replications)
		for r := range out[i] {
			j := p.JobIndex(a, point, r)
			if !ix.Has(j) {
				continue
			}
			out[i][r] = make([]float64, p.Months*len(p.Metrics))
			if err := rr.Read(j, out[i][r]); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}
