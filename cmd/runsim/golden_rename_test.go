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

// goldensAfterRenames are the SHA-256 of the regression goldens (the
// uncompressed tables) that the renames produced, model v1's last goldens.
// A later change of behaviour on purpose regenerates the goldens (model v2
// part 1 did), after which the rename check has nothing left to compare:
// it applied to these tables and passed on them.
func goldensAfterRenames() map[string]string {
	return map[string]string{
		results.RunsFile:       "fcaf9e92bf97e64f99bb26e1087b9d9474c026d43980d3a4415297bd3ad728fe",
		results.TimeseriesFile: "a453861fcc023405afa276f4590a0edbc3c0c6e21f7daee26d813c5b48f43d0c",
		results.ComparisonFile: "243de4bb93ae26d748d735a9da8961d9d52e5a19bd6e0dd440f560332fa3207d",
	}
}

// TestGoldenRenamesOnlyNames: the metric renames changed only names in the
// goldens. Mapping every metric name of the current goldens back through
// the rename table (the header of runs.csv, the metric column of
// timeseries.csv and comparison.csv) gives the pre-rename goldens byte for
// byte, and every new name occurs. One exception, by design of the
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
		if sum := sha256.Sum256([]byte(text)); hex.EncodeToString(sum[:]) != goldensAfterRenames()[name] {
			t.Skipf("%s is no longer the golden the renames produced (a change of behaviour on purpose regenerated it): the rename check applied to model v1's goldens", name)
		}
		if strings.Contains(text, `"`) {
			t.Fatalf("%s has quoted fields; the mapping below splits on commas", name)
		}
		lines := strings.Split(text, "\n")
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
