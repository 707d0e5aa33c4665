package engine

import (
	"fmt"
	"math"
)

// Recorder holds per-month metrics in fixed columns. All storage is
// allocated by NewRecorder; Set, Add and Row allocate nothing.
type Recorder struct {
	columns []string
	months  int
	data    []float64 // months × len(columns), row-major by month
}

// NewRecorder returns a recorder for months months of the named columns,
// every value initialised to NaN (never recorded). Column names must be
// unique and non-empty.
func NewRecorder(columns []string, months int) (*Recorder, error) {
	if months < 0 {
		return nil, fmt.Errorf("engine: recorder: negative months %d", months)
	}
	seen := make(map[string]bool, len(columns))
	for i, c := range columns {
		if c == "" {
			return nil, fmt.Errorf("engine: recorder: column %d has no name", i)
		}
		if seen[c] {
			return nil, fmt.Errorf("engine: recorder: duplicate column %q", c)
		}
		seen[c] = true
	}
	r := &Recorder{
		columns: append([]string(nil), columns...),
		months:  months,
		data:    make([]float64, months*len(columns)),
	}
	r.Reset()
	return r, nil
}

// Reset marks every value as not recorded (NaN), keeping the storage.
func (r *Recorder) Reset() {
	for i := range r.data {
		r.data[i] = math.NaN()
	}
}

// Columns returns the column names. The slice must not be modified.
func (r *Recorder) Columns() []string { return r.columns }

// Months returns the number of months the recorder holds.
func (r *Recorder) Months() int { return r.months }

// Set records value v of column col for month t.
func (r *Recorder) Set(t, col int, v float64) { r.data[t*len(r.columns)+col] = v }

// Get returns the value of column col for month t.
func (r *Recorder) Get(t, col int) float64 { return r.data[t*len(r.columns)+col] }

// Row returns the values of month t, one per column, as a view into the
// recorder's storage.
func (r *Recorder) Row(t int) []float64 {
	n := len(r.columns)
	return r.data[t*n : (t+1)*n : (t+1)*n]
}

// Data returns all values, month-major (month t, column c at t*len(Columns())+c),
// as a view into the recorder's storage.
func (r *Recorder) Data() []float64 { return r.data }
