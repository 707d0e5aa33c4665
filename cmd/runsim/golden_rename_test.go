package main

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"frontiersim/results"
)

// metricRenames is the rename table of the metric renames that followed the
// cast-as-data refactor (old name -> new name): names now say what they
// measure (the enterprise surplus, not consumers') and whose series they
// are (every per-lab series carries its lab's name).
func metricRenames() map[string]string {
	return map[string]string{
		"consumer_surplus":       "enterprise_surplus",
		"backer_compute_share":   "backer_compute_share_openai",
		"conflict_disparagement": "conflict_disparagement_openai",
		"conflict_lag":           "conflict_lag_openai",
	}
}

// goldensBeforeRenames are the SHA-256 of the regression goldens (the
// uncompressed tables) as they were before the renames; for comparison.csv
// with the bootstrap interval of the renamed metrics' rows blanked (see
// TestGoldenRenamesOnlyNames).
func goldensBeforeRenames() map[string]string {
	return map[string]string{
		results.RunsFile:       "cbbea6aebfa452b7c5553c8d6bb46b5c86747fc3b24b0889ac1206d8361ab888",
		results.TimeseriesFile: "37daeb81f7c6efe068011c39b92b8f1cf3e4b899de1a13ef9304eca9a96b3a29",
		results.ComparisonFile: "bde06c166d406bbcd7b19f4f365d77c96c087a3950d19c55cc35b5392bb1efcd",
	}
}

// horizonLayout returns comparison.csv's lines in the layout of the
// renames' time: the horizon's rows only, without the columns added since
// (window, from, definitional).
func horizonLayout(t *testing.T, lines []string) []string {
	t.Helper()
	header := strings.Split(lines[0], ",")
	win := slices.Index(header, "window")
	if win < 0 {
		return lines
	}
	drop := map[int]bool{win: true, slices.Index(header, "from"): true, slices.Index(header, "definitional"): true}
	keep := func(f []string) string {
		var out []string
		for i, x := range f {
			if !drop[i] {
				out = append(out, x)
			}
		}
		return strings.Join(out, ",")
	}
	out := []string{keep(header)}
	for _, l := range lines[1:] {
		if l == "" {
			out = append(out, l)
			continue
		}
		if f := strings.Split(l, ","); f[win] == results.HorizonWindow {
			out = append(out, keep(f))
		}
	}
	return out
}

// TestGoldenRenamesOnlyNames: the metric renames changed only names in the
// goldens. Mapping every metric name of the current goldens back through
// the rename table (the header of runs.csv, the metric column of
// timeseries.csv and comparison.csv) gives the pre-rename goldens byte for
// byte (comparison.csv in the layout of then: its horizon rows, without
// the columns added since), and every new name occurs. One exception, by design of the
// statistics: a comparison row's bootstrap resamples come from a stream
// named after its metric ("bootstrap/<arm>/<point>/<metric>", see
// experiments.Finalize), so a renamed metric's boot_ci95_lo and
// boot_ci95_hi are redrawn; they are blanked on both sides, and checked to
// be an interval.
func TestGoldenRenamesOnlyNames(t *testing.T) {
	before := goldensBeforeRenames()
	back := map[string]string{}
	for old, nw := range metricRenames() {
		back[nw] = old
	}
	for _, name := range goldenTables {
		text := string(readGzip(t, filepath.Join(goldenDir, name+".gz")))
		if strings.Contains(text, `"`) {
			t.Fatalf("%s has quoted fields; the mapping below splits on commas", name)
		}
		lines := strings.Split(text, "\n")
		if name == results.ComparisonFile {
			lines = horizonLayout(t, lines)
		}
		header := strings.Split(lines[0], ",")
		metricCol := -1
		for i, h := range header {
			if h == "metric" {
				metricCol = i
			}
		}
		seen := map[string]bool{}
		rename := func(s string) string {
			if old, ok := back[s]; ok {
				seen[s] = true
				return old
			}
			return s
		}
		if metricCol < 0 { // runs.csv: one column per metric
			for i, h := range header {
				header[i] = rename(h)
			}
			lines[0] = strings.Join(header, ",")
		} else { // one row per metric
			lo, hi := slices.Index(header, "boot_ci95_lo"), slices.Index(header, "boot_ci95_hi")
			for i := 1; i < len(lines); i++ {
				if lines[i] == "" {
					continue
				}
				f := strings.Split(lines[i], ",")
				old := rename(f[metricCol])
				if old != f[metricCol] && lo >= 0 && hi >= 0 {
					a, errA := strconv.ParseFloat(f[lo], 64)
					b, errB := strconv.ParseFloat(f[hi], 64)
					if errA != nil || errB != nil || a > b {
						t.Errorf("%s line %d: bootstrap interval [%s, %s]", name, i+1, f[lo], f[hi])
					}
					f[lo], f[hi] = "", ""
				}
				f[metricCol] = old
				lines[i] = strings.Join(f, ",")
			}
		}
		sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
		if got := hex.EncodeToString(sum[:]); got != before[name] {
			t.Errorf("%s with the old names has SHA-256 %s, the pre-rename golden %s: more than names changed", name, got, before[name])
		}
		for nw := range back {
			if !seen[nw] {
				t.Errorf("%s: renamed metric %s does not occur", name, nw)
			}
		}
	}
}
