package experiments

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontiersim/internal/toysim"
	"frontiersim/results"
)

const toyParquet = toySweep + `
[output]
formats = ["csv", "parquet"]
`

// Parquet files are the same bytes on every run, for any worker count,
// and listed with their checksums in the manifest; without [output] none
// is written.
func TestParquetIsDeterministic(t *testing.T) {
	e := loadString(t, toyParquet)
	a, b := t.TempDir(), t.TempDir()
	m := run(t, e, a, RunOptions{Workers: 1})
	run(t, e, b, RunOptions{Workers: 3})
	listed := map[string]bool{}
	for _, f := range m.Files {
		listed[f.Name] = true
	}
	for _, f := range results.ParquetFiles {
		x, err := os.ReadFile(filepath.Join(a, f))
		if err != nil {
			t.Fatal(err)
		}
		y, _ := os.ReadFile(filepath.Join(b, f))
		if !bytes.HasPrefix(x, []byte("PAR1")) || !bytes.Equal(x, y) {
			t.Errorf("%s: %d and %d bytes, differ or not Parquet", f, len(x), len(y))
		}
		if !listed[f] {
			t.Errorf("%s has no checksum in the manifest", f)
		}
	}
	if _, err := Verify(t.Context(), a, toysim.Simulator{}, VerifyOptions{Sample: 2, Workers: 1}); err != nil {
		t.Errorf("verify: %v", err)
	}
	csvOnly := t.TempDir()
	run(t, loadString(t, toySweep), csvOnly, RunOptions{Workers: 1})
	for _, f := range results.ParquetFiles {
		if _, err := os.Stat(filepath.Join(csvOnly, f)); !os.IsNotExist(err) {
			t.Errorf("%s written without [output] formats", f)
		}
	}
}

func TestOutputValidation(t *testing.T) {
	cases := []struct{ output, key, want string }{
		{`formats = ["csv", "parket"]`, "output.formats[1]", `unknown format "parket" (did you mean "parquet"?)`},
		{`formats = ["parquet"]`, "output.formats", `want "csv" among the formats`},
		{`formats = ["csv", "csv"]`, "output.formats[1]", `format "csv" is listed twice`},
		{`format = ["csv"]`, "output.format", `did you mean "formats"?`},
	}
	for _, c := range cases {
		text := toyExperiment + "\n[output]\n" + c.output + "\n"
		p := findProblem(t, mustInvalid(t, "exp.toml", files(map[string]string{"exp.toml": text}), toysim.Simulator{}), c.key)
		if p.Line == 0 || !strings.Contains(p.Msg, c.want) {
			t.Errorf("%s: got line %d: %s, want %s", c.output, p.Line, p.Msg, c.want)
		}
	}
}
