package parquetout

import "frontiersim/results"

// PathsFile is the long-form table of every replication's monthly path.
const PathsFile = "paths.parquet"

// PathRow is one value of one replication's monthly path: metric Metric
// at month Month (0 = the plan's first month) of replication Replication
// of arm Arm at sweep point Point, whose swept parameters have the values
// Swept (in the sweep's order; none without a sweep).
type PathRow struct {
	Arm, Point  string
	Swept       []float64
	Replication int
	Month       int
	Metric      string
	Value       float64
}

// PathsTable is the long-form table of paths: arm, point, one column per
// swept parameter (named by it), replication, month, metric, value.
func PathsTable(swept []string) results.Table[PathRow] {
	type row = PathRow
	fs := []results.Field[PathRow]{
		results.TextField("arm", func(r *row) *string { return &r.Arm }),
		results.TextField("point", func(r *row) *string { return &r.Point }),
	}
	for i, name := range swept {
		fs = append(fs, results.FloatField(name, func(r *row) *float64 { return &r.Swept[i] }))
	}
	fs = append(fs,
		results.IntField("replication", func(r *row) *int { return &r.Replication }),
		results.IntField("month", func(r *row) *int { return &r.Month }),
		results.TextField("metric", func(r *row) *string { return &r.Metric }),
		results.FloatField("value", func(r *row) *float64 { return &r.Value }),
	)
	n := len(swept)
	return results.Table[PathRow]{Name: "paths", File: PathsFile, Fields: fs, New: func() PathRow { return PathRow{Swept: make([]float64, n)} }}
}
