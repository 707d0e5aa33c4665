package results

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// The names runsim writes into a result directory. Nothing else in a
// result directory is runsim's: a start-over removes these names only
// and keeps every other file.

// ResultFiles returns the files runsim writes at the top of a result
// directory (the README's result-file table, without ChartsDir).
func ResultFiles() []string {
	return append(append([]string{ManifestFile, ExperimentFile, WorldFile, RunsFile, TimeseriesFile, ComparisonFile, StoreFile, ReportFile}, AnalysisFiles()...), ParquetFiles...)
}

// ParquetFiles are the tables written as Parquet with [output] formats =
// ["csv", "parquet"]: runs, timeseries and comparison, and the long-form
// monthly paths of every replication.
var ParquetFiles = []string{"runs.parquet", "timeseries.parquet", "comparison.parquet", "paths.parquet"}

// IsResultFile reports whether name is one of ResultFiles.
func IsResultFile(name string) bool {
	for _, f := range ResultFiles() {
		if name == f {
			return true
		}
	}
	return false
}

// chartPrefixes are the kinds of per-metric (or per-market) charts: a
// chart file is summary.EXT, effects.EXT (the effects matrix) or
// KIND_NAME.EXT.
var chartPrefixes = []string{"fan_", "forest_", "effect_", "box_", "hist_", "shares_", "heatmap_", "sweep_", "sobol_", "morris_", "oat_", "src_", "prim_", "cart_"}

// IsChartFile reports whether name is a file name the charts of package
// plots are written under in ChartsDir: summary.EXT, effects.EXT or KIND_NAME.EXT, with
// KIND one of fan, forest, effect, box, hist, shares, heatmap and sweep, NAME made of
// letters, digits, '_', '-' and '.', and EXT png or svg. plots refuses to
// write a chart under any other name, so that a start-over, which removes
// from ChartsDir only the names IsChartFile accepts, removes every chart.
func IsChartFile(name string) bool {
	stem, ok := strings.CutSuffix(name, ".png")
	if !ok {
		if stem, ok = strings.CutSuffix(name, ".svg"); !ok {
			return false
		}
	}
	if stem == "summary" || stem == "effects" {
		return true
	}
	for _, p := range chartPrefixes {
		if rest, ok := strings.CutPrefix(stem, p); ok && rest != "" && safeName(rest) {
			return true
		}
	}
	return false
}

func safeName(s string) bool {
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-', r == '.':
		default:
			return false
		}
	}
	return true
}

// tempInfix separates a file's name from the random suffix of its
// temporary: ".NAME.tmp-123456".
const tempInfix = ".tmp-"

// IsTemporary reports whether name is a temporary file runsim writes in a
// result directory (inCharts false) or in its ChartsDir (inCharts true):
// ".NAME.tmp-DIGITS" for a result or chart file NAME (an atomic write in
// progress), or the store's rewrite "replications.bin.tmp".
func IsTemporary(name string, inCharts bool) bool {
	if !inCharts && name == StoreFile+".tmp" {
		return true
	}
	rest, ok := strings.CutPrefix(name, ".")
	if !ok {
		return false
	}
	i := strings.LastIndex(rest, tempInfix)
	if i < 0 {
		return false
	}
	base, suffix := rest[:i], rest[i+len(tempInfix):]
	if suffix == "" || strings.Trim(suffix, "0123456789") != "" {
		return false
	}
	if inCharts {
		return IsChartFile(base)
	}
	return IsResultFile(base) || base == StoreFile+".tmp" // the store's header, written before the rename
}

// createTemp creates a new file ".BASE.tmp-DIGITS" next to path for an
// atomic write. Unlike os.CreateTemp (always 0600) it creates the file
// with mode 0666, so that the process umask decides its permissions, as
// for any file the user creates.
func createTemp(path string) (*os.File, error) {
	dir, base := filepath.Dir(path), filepath.Base(path)
	for try := 0; ; try++ {
		name := filepath.Join(dir, fmt.Sprintf(".%s%s%d", base, tempInfix, rand.Uint32()))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, os.ErrExist) || try == 100 {
			return nil, err
		}
	}
}
