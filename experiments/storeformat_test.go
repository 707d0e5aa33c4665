package experiments

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"hash/crc32"
	"math"
	"os"
	"path/filepath"
	"testing"

	"frontiersim/results"
)

// TestStoreFormatAsDocumented reads a finished replication store byte by
// byte as docs/store-format.md describes it: the header (magic, months,
// metrics, plan hash from the experiment hash, version and metric names),
// records of the documented size in plan order with CRC-32C, values
// month-major and the horizon's equal to runs.csv; with a stopping rule,
// the replication-major job index.
func TestStoreFormatAsDocumented(t *testing.T) {
	for _, text := range []string{toySweep, toyStopping} {
		e := loadString(t, text)
		dir := t.TempDir()
		m := run(t, e, dir, RunOptions{Workers: 2})
		b, err := os.ReadFile(filepath.Join(dir, results.StoreFile))
		if err != nil {
			t.Fatal(err)
		}
		p := m.Plan
		months, metrics := p.Months, len(p.Metrics)
		if string(b[:8]) != "FSREPS01" || int(binary.LittleEndian.Uint32(b[8:])) != months || int(binary.LittleEndian.Uint32(b[12:])) != metrics {
			t.Fatalf("header %q %d %d, want FSREPS01 %d %d", b[:8], binary.LittleEndian.Uint32(b[8:]), binary.LittleEndian.Uint32(b[12:]), months, metrics)
		}
		var h bytes.Buffer
		h.WriteString(m.ExperimentHash)
		h.WriteByte(0)
		h.WriteString(m.ProgramVersion)
		for _, mt := range p.Metrics {
			h.WriteByte(0)
			h.WriteString(mt.Name)
		}
		if want := sha256.Sum256(h.Bytes()); !bytes.Equal(b[16:48], want[:]) {
			t.Errorf("plan hash %x, want %x", b[16:48], want)
		}
		size := 4 + 8*months*metrics + 4
		if (len(b)-48)%size != 0 || (len(b)-48)/size != p.Jobs() {
			t.Fatalf("%d bytes: not %d records of %d bytes", len(b), p.Jobs(), size)
		}
		d, err := results.ReadTables(dir, *m)
		if err != nil {
			t.Fatal(err)
		}
		cells := len(p.Arms) * len(p.Points)
		for i := 0; i < p.Jobs(); i++ {
			rec := b[48+i*size : 48+(i+1)*size]
			if crc32.Checksum(rec[:size-4], crc32.MakeTable(crc32.Castagnoli)) != binary.LittleEndian.Uint32(rec[size-4:]) {
				t.Fatalf("record %d: CRC-32C does not match", i)
			}
			// Record i is runs.csv's row i (plan order); its job index follows the plan's numbering.
			arm, point, rep := i/(len(p.Points)*p.Replications), i/p.Replications%len(p.Points), i%p.Replications
			want := (arm*len(p.Points)+point)*p.Replications + rep
			if p.Stopping != nil {
				want = (rep*len(p.Arms)+arm)*len(p.Points) + point
			}
			if job := int(binary.LittleEndian.Uint32(rec)); job != want || want >= p.Replications*cells {
				t.Fatalf("record %d has job %d, want %d", i, job, want)
			}
			run := d.Runs[i]
			if run.Arm != p.Arms[arm].Name || run.Point != p.Points[point].Name || run.Replication != rep {
				t.Fatalf("record %d is not runs.csv's row %d", i, i)
			}
			for c := range metrics {
				v := math.Float64frombits(binary.LittleEndian.Uint64(rec[4+8*((months-1)*metrics+c):]))
				if math.Float64bits(v) != math.Float64bits(run.Values[c]) {
					t.Fatalf("record %d, metric %d at the horizon: %v, runs.csv %v", i, c, v, run.Values[c])
				}
			}
		}
	}
}
