// Package parquetout writes the result tables as Apache Parquet files: a
// results.RowSink that takes any results.Table (runs, timeseries,
// comparison) column for column, and the long-form table of every
// replication's monthly path (PathsTable). Columns keep the tables' order
// and kinds (Text as UTF-8 strings, Int as INT64, Float as DOUBLE, Bool as
// BOOLEAN, all required), pages are Snappy-compressed, and the bytes depend
// only on the rows: the same rows give the same file on every run.
package parquetout
