// Package results defines frontiersim's result files and reads and writes
// them: manifest.json, runs.csv, timeseries.csv and comparison.csv. It is the
// only thing the charts (package plots) and the merge step know about a run.
//
// results imports only the standard library.
//
// Every file is written under a temporary name in the same directory and
// renamed into place (WriteFileAtomic), so a reader never sees half a file.
// Floats are written with strconv.FormatFloat(x, 'g', -1, 64): they round-trip
// exactly, and the bytes depend only on the values.
//
// Each table is declared once, as a column list (RunsTable, SeriesTable,
// ComparisonTable: a Table of Fields), which drives its header, its writer
// and its reader. A Writer hands rows to a RowSink, the storage format;
// CSVSink is the format of the result directory, and another format is
// another RowSink.
package results
