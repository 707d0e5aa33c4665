package estimation

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
)

// ErrCheckpointMismatch: the checkpoint in the output directory is of
// other inputs (experiment, targets, replications or seed).
var ErrCheckpointMismatch = errors.New("the checkpoint is of another calibration")

// Checkpoint is the record of every evaluation of a search, one CSV line
// each (the parameter vector, the moments' means and standard deviations,
// in shortest exact decimal form), appended and synced as each finishes.
// A search re-run on it takes the evaluations it holds instead of
// simulating them again.
type Checkpoint struct {
	f     *os.File
	k, m  int
	known map[string][2][]float64
	n     int
}

// OpenCheckpoint opens the checkpoint at path for inputs of the given
// hash, with k parameters and the given target IDs; it reads what an
// earlier run recorded (a torn last line, from an interruption mid-write,
// is dropped). A checkpoint of another hash is ErrCheckpointMismatch.
func OpenCheckpoint(path, hash string, params []Parameter, targets []Target) (*Checkpoint, error) {
	head := "# inputs sha256 " + hash + "\n"
	var cols []string
	for _, p := range params {
		cols = append(cols, p.Name)
	}
	for _, t := range targets {
		cols = append(cols, "mean:"+t.ID)
	}
	for _, t := range targets {
		cols = append(cols, "sd:"+t.ID)
	}
	head += csvLine(cols)
	c := &Checkpoint{k: len(params), m: len(targets), known: map[string][2][]float64{}}
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		b = nil
	case err != nil:
		return nil, fmt.Errorf("reading the checkpoint: %w", err)
	}
	keep := 0
	if len(b) > 0 {
		if !bytes.HasPrefix(b, []byte(head)) {
			first, _, _ := strings.Cut(string(b), "\n")
			return nil, fmt.Errorf("%w: %s begins %q, this calibration's checkpoint %q", ErrCheckpointMismatch, path, first, strings.TrimSuffix(strings.SplitN(head, "\n", 2)[0], "\n"))
		}
		keep = len(head)
		rest := b[len(head):]
		for len(rest) > 0 {
			i := bytes.IndexByte(rest, '\n')
			if i < 0 {
				break // torn
			}
			if err := c.parse(string(rest[:i])); err != nil {
				return nil, fmt.Errorf("%s line %d: %w", path, c.n+3, err)
			}
			keep += i + 1
			rest = rest[i+1:]
		}
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("opening the checkpoint: %w", err)
	}
	if err := f.Truncate(int64(keep)); err == nil && keep == 0 {
		_, err = f.WriteString(head)
		if err == nil {
			err = f.Sync()
		}
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("writing the checkpoint: %w", err)
		}
	} else if err != nil {
		f.Close()
		return nil, fmt.Errorf("truncating the checkpoint: %w", err)
	}
	if _, err := f.Seek(0, 2); err != nil {
		f.Close()
		return nil, err
	}
	c.f = f
	return c, nil
}

func (c *Checkpoint) parse(line string) error {
	f := strings.Split(line, ",")
	if len(f) != c.k+2*c.m {
		return fmt.Errorf("%d fields, want %d", len(f), c.k+2*c.m)
	}
	v := make([]float64, len(f))
	for i, s := range f {
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return err
		}
		v[i] = x
	}
	c.known[key(v[:c.k])] = [2][]float64{v[c.k : c.k+c.m], v[c.k+c.m:]}
	c.n++
	return nil
}

// Len is the number of evaluations recorded.
func (c *Checkpoint) Len() int { return c.n }

// Lookup returns the recorded moments at x, if any.
func (c *Checkpoint) Lookup(x []float64) (means, sds []float64, ok bool) {
	v, ok := c.known[key(x)]
	return v[0], v[1], ok
}

// Record appends an evaluation and syncs it to disk.
func (c *Checkpoint) Record(x, means, sds []float64) error {
	var f []string
	for _, v := range [][]float64{x, means, sds} {
		for _, y := range v {
			f = append(f, strconv.FormatFloat(y, 'g', -1, 64))
		}
	}
	if _, err := c.f.WriteString(csvLine(f)); err != nil {
		return fmt.Errorf("writing the checkpoint: %w", err)
	}
	if err := c.f.Sync(); err != nil {
		return fmt.Errorf("syncing the checkpoint: %w", err)
	}
	c.known[key(x)] = [2][]float64{append([]float64(nil), means...), append([]float64(nil), sds...)}
	c.n++
	return nil
}

// Close closes the checkpoint file.
func (c *Checkpoint) Close() error { return c.f.Close() }

func key(x []float64) string {
	var b strings.Builder
	for _, v := range x {
		b.WriteString(strconv.FormatUint(math.Float64bits(v), 16))
		b.WriteByte(' ')
	}
	return b.String()
}

func csvLine(f []string) string {
	return strings.Join(f, ",") + "\n"
}
