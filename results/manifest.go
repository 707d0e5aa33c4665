package results

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// File names inside a result directory.
const (
	ManifestFile   = "manifest.json"
	RunsFile       = "runs.csv"
	TimeseriesFile = "timeseries.csv"
	ComparisonFile = "comparison.csv"
	ExperimentFile = "experiment.toml"
	WorldFile      = "world.toml" // the world the experiment ran, for a model with world files
	ChartsDir      = "charts"
	ReportFile     = "report.html"
)

// Status values of a manifest.
const (
	StatusComplete = "complete"
	StatusPartial  = "partial"
)

// Manifest describes a result directory: what was run, by which program, and
// whether it is complete.
type Manifest struct {
	Experiment     string `json:"experiment"`
	Description    string `json:"description"`
	ExperimentHash string `json:"experiment_hash"` // SHA-256 of the resolved experiment, hex
	ProgramVersion string `json:"program_version"`
	GoVersion      string `json:"go_version"`
	Seed           uint64 `json:"seed"`
	Plan           Plan   `json:"plan"`
	Shard          *Shard `json:"shard,omitempty"`
	Status         string `json:"status"`     // "complete" or "partial"
	JobsDone       int    `json:"jobs_done"`  // replications finished (arm × point × replication)
	JobsTotal      int    `json:"jobs_total"` // replications planned (of this shard, if any)
	StartTime      string `json:"start_time"` // RFC 3339, UTC
	EndTime        string `json:"end_time"`   // RFC 3339, UTC; empty while running

	// Revision, RevisionTime and Dirty identify the program's source: the
	// VCS revision it was built from (vcs.revision of its build
	// information), that commit's time (vcs.time, RFC 3339) and whether the
	// working tree had uncommitted changes (vcs.modified). They are empty
	// when the binary was built without VCS information (go test, go build
	// -buildvcs=false, a build outside the repository).
	Revision     string `json:"revision"`
	RevisionTime string `json:"revision_time"`
	Dirty        bool   `json:"dirty"`

	// Stopped is in the complete manifest of a whole run (or merge) with a
	// stopping rule (Plan.Stopping): how many replications it needed.
	Stopped *Stopped `json:"stopped,omitempty"`
	// StoppingChecks are the stopping rule's checks so far, one per
	// checkpoint in order, written after each batch while a whole run goes
	// on (progress a dashboard can read) and kept in the complete manifest.
	StoppingChecks []StoppingCheck `json:"stopping_checks,omitempty"`

	// Files is in the complete manifest only: the size and SHA-256 of each
	// data file the directory holds (runs.csv, timeseries.csv,
	// comparison.csv, replications.bin, the Parquet tables, sensitivity.csv;
	// a shard has no timeseries.csv or comparison.csv), computed once when
	// the run finished, and of the discovery_*.csv tables, added when runsim
	// discover writes them.
	Files []FileDigest `json:"files,omitempty"`
}

// FileDigest is the size and SHA-256 of one result file.
type FileDigest struct {
	Name   string `json:"name"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"` // hex
}

// Shard says which part of a plan a result directory holds. Index counts
// from 1: shard K of N.
type Shard struct {
	Index int `json:"index"`
	Count int `json:"count"`
}

// Plan is the expanded experiment: arms × sweep points × replications, each
// stepped for Months months from StartYear-StartMonth.
type Plan struct {
	Arms         []Arm        `json:"arms"`   // Arms[0] is the baseline
	Points       []Point      `json:"points"` // sweep points; one unnamed point without a sweep
	Replications int          `json:"replications"`
	Months       int          `json:"months"`
	Buyers       int          `json:"buyers"`
	StartYear    int          `json:"start_year"`
	StartMonth   int          `json:"start_month"` // 1-12
	Metrics      []Metric     `json:"metrics"`     // every recorded metric, in column order
	Report       ReportSpec   `json:"report"`
	Charts       ChartSpec    `json:"charts"`
	Sweep        *SweepSpec   `json:"sweep,omitempty"`
	Overrides    []ParamValue `json:"overrides,omitempty"` // scenario overrides common to all arms

	// Parameters is every scenario parameter's value, in the model's order:
	// the defaults with Overrides applied. The vector of an arm at a sweep
	// point is Parameters, then the arm's Overrides, then the point's Params.
	Parameters []ParamValue `json:"parameters,omitempty"`

	// Definitional lists the (lever, metric) pairs the model declares to be
	// moved by definition (simulator.Definitional): an arm that sets the
	// lever changes the metric by construction, not through behaviour.
	Definitional []DefinitionalEffect `json:"definitional,omitempty"`

	// Stopping is the experiment's stopping rule, if any. A plan with one
	// numbers its jobs replication-major (see Job), so that a job's index
	// does not depend on Replications: while it runs, and in a shard,
	// Replications is the rule's MaxReplications; in a finished whole run
	// it is the number the rule needed (Manifest.Stopped).
	Stopping *StoppingRule `json:"stopping,omitempty"`

	// Output lists the file formats of the tables; nil: CSV only.
	Output *OutputSpec `json:"output,omitempty"`
}

// File formats of the tables ([output] formats).
const (
	FormatCSV     = "csv"
	FormatParquet = "parquet"
)

// OutputSpec holds the experiment's output choices.
type OutputSpec struct {
	// Formats are the formats the tables are written in: always FormatCSV
	// (the charts, report and compare read it), and FormatParquet for
	// runs.parquet, timeseries.parquet, comparison.parquet and
	// paths.parquet besides.
	Formats []string `json:"formats"`
}

// WritesParquet reports whether the plan's tables are written as Parquet
// too.
func (p Plan) WritesParquet() bool {
	return p.Output != nil && slices.Contains(p.Output.Formats, FormatParquet)
}

// StoppingRule runs replications in batches of Batch until the paired 95%
// interval of the effect of each of Arms on Metric over Window (a window
// of Plan.ComparisonWindows, or "m" and any month index) has a half-width
// below HalfWidth at every sweep point, checked after each batch once at
// least MinReplications are done, and at most MaxReplications.
type StoppingRule struct {
	Metric          string   `json:"metric"`
	Arms            []string `json:"arms"` // the policy arms whose effects are targeted
	Window          string   `json:"window"`
	From            int      `json:"from"` // the window's months, From to To inclusive
	To              int      `json:"to"`
	HalfWidth       float64  `json:"half_width"`
	Batch           int      `json:"batch"`
	MinReplications int      `json:"min_replications"`
	MaxReplications int      `json:"max_replications"`
}

// Stopped is what a stopping rule decided, in the manifest of a finished
// whole run or merge.
type Stopped struct {
	// Replications is the number of replications per arm and sweep point
	// the rule needed (MaxReplications when Met is false).
	Replications int  `json:"replications"`
	Met          bool `json:"met"` // every targeted interval was narrower than the target
	// HalfWidth is the widest half-width of the targeted intervals at
	// Replications, found for Arm at sweep point Point; nil when undefined
	// (a metric that is not a number).
	HalfWidth *float64 `json:"half_width"`
	Arm       string   `json:"arm"`
	Point     string   `json:"point"`
	Batches   int      `json:"batches"` // checks made
}

// StoppingCheck is one check of a stopping rule: after Replications
// replications, the widest targeted half-width (nil when undefined) was
// HalfWidth, for Arm at Point; Met says it was below the target.
type StoppingCheck struct {
	Replications int      `json:"replications"`
	HalfWidth    *float64 `json:"half_width"`
	Arm          string   `json:"arm"`
	Point        string   `json:"point"`
	Met          bool     `json:"met"`
}

// DefinitionalEffect is a (lever, metric) pair that a model declares to be
// moved by definition: setting the lever parameter changes the metric by
// construction (a cap on revenue shares lowers the revenue share paid), so
// that a paired difference there measures the lever's size, not a response
// of the market to it.
type DefinitionalEffect struct {
	Lever  string `json:"lever"`  // a scenario parameter
	Metric string `json:"metric"` // a recorded metric
	Why    string `json:"why"`    // one sentence: why the lever moves the metric by definition
	// Values are the lever's values at which the effect holds by
	// definition (an enum lever whose other settings do not touch the
	// metric); empty means any value other than the scenario's.
	Values []float64 `json:"values,omitempty"`
}

// Arm is a policy arm: a named set of scenario overrides.
type Arm struct {
	Name        string       `json:"name"`
	Description string       `json:"description,omitempty"`
	Overrides   []ParamValue `json:"overrides,omitempty"`
	// From is the month the arm's levers switch on (0: from the start).
	// Before it the arm runs the baseline's parameters, so that its months
	// 0 to From-1 equal the baseline's replication for replication.
	From int `json:"from,omitempty"`
}

// Point is one sweep point: parameter values applied on top of the arm.
type Point struct {
	Name   string       `json:"name"`
	Params []ParamValue `json:"params,omitempty"`
}

// ParamValue sets a scenario parameter by name.
type ParamValue struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
}

// Metric describes one recorded metric.
type Metric struct {
	Name        string `json:"name"`
	Unit        string `json:"unit"`
	Description string `json:"description"`
	Group       string `json:"group,omitempty"` // e.g. GroupModelShare; charts find the share metrics of a market by group
	Scale       string `json:"scale,omitempty"` // ScaleLog: a positive metric that spans orders of magnitude, charted on a log axis; empty: linear
}

// ScaleLog is Metric.Scale of a metric charted on a logarithmic axis.
const ScaleLog = "log"

// Metric groups that charts read: the metrics of one of these groups are
// the shares of one market, summing to 1 (the stacked-share charts).
const (
	GroupModelShare = "model share" // spend shares by lab
	GroupCloudShare = "cloud share" // revenue shares by cloud
)

// ReportSpec says which metrics and months the tables report. Empty Metrics
// means every metric; empty Months means every month in timeseries.csv
// (and the end of each calendar year in comparison.csv, see
// Plan.ComparedMonths). Windows are named ranges of months whose mean
// comparison.csv compares too. Adjust and MatrixWindow shape the report's
// effects matrix: the adjustment of its p-values for multiplicity ("holm",
// "bh" or "none"; empty means "holm") and the window of comparison.csv it
// shows (empty means the horizon).
type ReportSpec struct {
	Metrics      []string `json:"metrics,omitempty"`
	Months       []int    `json:"months,omitempty"`
	Windows      []Window `json:"windows,omitempty"`
	Adjust       string   `json:"adjust,omitempty"`
	MatrixWindow string   `json:"matrix_window,omitempty"`
}

// Window is a named range of months, From to To inclusive (month indices):
// comparison.csv compares each replication's mean over those months.
type Window struct {
	Name string `json:"name"`
	From int    `json:"from"`
	To   int    `json:"to"`
}

// HorizonWindow is the window column of comparison.csv's rows at the
// horizon (the last month).
const HorizonWindow = "horizon"

// MonthWindow is the window column of comparison.csv's rows at month t: "m"
// and the month index, as in m47.
func MonthWindow(t int) string { return fmt.Sprintf("m%d", t) }

// FromWindow is the window column of comparison.csv's rows over months t
// to the horizon, compared when an arm's levers switch on at month t
// ([[arms]] from): "from" and the month index, as in from84.
func FromWindow(t int) string { return fmt.Sprintf("from%d", t) }

// IsReservedWindowName reports whether name is the horizon's, a month's or
// a lever start's window name (horizon, m0, m47, from84, ...), which a
// named window cannot take.
func IsReservedWindowName(name string) bool {
	if name == HorizonWindow {
		return true
	}
	for _, prefix := range []string{"m", "from"} {
		if rest, ok := strings.CutPrefix(name, prefix); ok && rest != "" && strings.Trim(rest, "0123456789") == "" {
			return true
		}
	}
	return false
}

// ChartSpec holds the experiment's chart choices.
type ChartSpec struct {
	Format  string   `json:"format"`            // "png" (default) or "svg"
	Metrics []string `json:"metrics,omitempty"` // metrics for fan charts, forest and small multiples; empty = a default set
	Heatmap string   `json:"heatmap,omitempty"` // metric for the two-parameter sweep heatmap
	Points  []string `json:"points,omitempty"`  // sweep points whose per-point charts are drawn besides the central one's; ["all"]: every point
	Disable bool     `json:"disable,omitempty"` // no charts
}

// AllPoints in ChartSpec.Points draws the per-point charts at every sweep
// point.
const AllPoints = "all"

// SweepSpec records how the sweep points were made.
type SweepSpec struct {
	Kind       string   `json:"kind"` // "grid" or "lhs"
	Parameters []string `json:"parameters"`
	// Levels names the values of each categorical swept parameter (an
	// enumeration or a flag of the model): Levels[name][k] labels value k,
	// as the parameter's column in the tables writes it. A numeric swept
	// parameter has no entry.
	Levels map[string][]string `json:"levels,omitempty"`
}

// Horizon returns the last month index of the plan.
func (p Plan) Horizon() int { return p.Months - 1 }

// ComparedMonths returns the months other than the horizon that
// comparison.csv has rows for: those of Report.Months, or, when it lists
// none, the last month (December) of each calendar year before the horizon.
func (p Plan) ComparedMonths() []int {
	var out []int
	if len(p.Report.Months) > 0 {
		for _, t := range p.Report.Months {
			if t != p.Horizon() {
				out = append(out, t)
			}
		}
		return out
	}
	for t := 0; t < p.Horizon(); t++ {
		if _, m := p.Calendar(t); m == 12 {
			out = append(out, t)
		}
	}
	return out
}

// ComparisonWindows returns the windows comparison.csv compares, in the
// order of its rows: the horizon, each of ComparedMonths (a window of one
// month, named MonthWindow), then Report.Windows, then for each month at
// which an arm's levers switch on (Arm.From > 0, in increasing order) the
// months from it to the horizon (named FromWindow). Every arm has rows for
// every window; an arm's rows over months before its From compare the
// baseline with itself (a difference of 0 by construction).
func (p Plan) ComparisonWindows() []Window {
	h := p.Horizon()
	out := []Window{{Name: HorizonWindow, From: h, To: h}}
	for _, t := range p.ComparedMonths() {
		out = append(out, Window{Name: MonthWindow(t), From: t, To: t})
	}
	out = append(out, p.Report.Windows...)
	var starts []int
	for _, a := range p.Arms {
		if a.From > 0 && a.From <= h && !slices.Contains(starts, a.From) {
			starts = append(starts, a.From)
		}
	}
	slices.Sort(starts)
	for _, t := range starts {
		out = append(out, Window{Name: FromWindow(t), From: t, To: h})
	}
	return out
}

// AveragedWindows returns the comparison windows over which comparison.csv
// averages months, in its order: Report.Windows, then the window of each
// lever start (FromWindow), that is ComparisonWindows without the horizon
// and the compared months. The charts and the report show each of them
// where they show a named window.
func (p Plan) AveragedWindows() []Window {
	return p.ComparisonWindows()[1+len(p.ComparedMonths()):]
}

// IsLeverStart reports whether w is the window of a lever start: the
// months from an arm's From to the horizon (FromWindow).
func (p Plan) IsLeverStart(w Window) bool {
	return w.Name == FromWindow(w.From) && w.To == p.Horizon() && slices.ContainsFunc(p.Arms, func(a Arm) bool { return a.From == w.From })
}

// IsDefinitional reports whether arm moves metric by definition: the arm
// sets a lever of p.Definitional for metric to a value other than the
// scenario's (Parameters; an arm that sets a lever to its scenario value
// changes nothing), and one of the effect's Values if it lists any.
func (p Plan) IsDefinitional(arm Arm, metric string) bool {
	for _, d := range p.Definitional {
		if d.Metric != metric {
			continue
		}
		for _, o := range arm.Overrides {
			if o.Name == d.Lever && !p.scenarioValueIs(o.Name, o.Value) && (len(d.Values) == 0 || slices.Contains(d.Values, o.Value)) {
				return true
			}
		}
	}
	return false
}

// scenarioValueIs reports whether parameter name has value v in
// Parameters (false when Parameters does not list it).
func (p Plan) scenarioValueIs(name string, v float64) bool {
	for _, pv := range p.Parameters {
		if pv.Name == name {
			return pv.Value == v
		}
	}
	return false
}

// MetricIndex returns the column of the named metric, or -1.
func (p Plan) MetricIndex(name string) int {
	for i, m := range p.Metrics {
		if m.Name == name {
			return i
		}
	}
	return -1
}

// MonthLabel returns the calendar month of month index t as "YYYY-MM".
func (p Plan) MonthLabel(t int) string {
	y, m := p.Calendar(t)
	return fmt.Sprintf("%04d-%02d", y, m)
}

// Calendar returns the year and month (1-12) of month index t.
func (p Plan) Calendar(t int) (year, month int) {
	start := p.StartMonth
	if start < 1 {
		start = 1
	}
	m0 := p.StartYear*12 + start - 1 + t
	return m0 / 12, m0%12 + 1
}

// DecimalYear returns month index t as a decimal year (Jan 2019 = 2019.0).
func (p Plan) DecimalYear(t int) float64 {
	y, m := p.Calendar(t)
	return float64(y) + float64(m-1)/12
}

// Jobs returns the number of replications in the plan (arms × points × replications).
func (p Plan) Jobs() int { return len(p.Arms) * len(p.Points) * p.Replications }

// Job maps a job index to its arm, point and replication. Jobs are ordered
// arm-major, then point, then replication; with a stopping rule they are
// ordered replication-major, then arm, then point (every arm and point of
// replication r before r + 1), so that the jobs of the first R
// replications are jobs 0 to R × arms × points − 1 whatever Replications.
func (p Plan) Job(i int) (arm, point, rep int) {
	if p.Stopping != nil {
		cells := len(p.Arms) * len(p.Points)
		rep, i = i/cells, i%cells
		return i / len(p.Points), i % len(p.Points), rep
	}
	return p.Position(i)
}

// Position maps position i of the plan order (arm-major, then point, then
// replication: the order of runs.csv and of a finished replication store)
// to its arm, point and replication.
func (p Plan) Position(i int) (arm, point, rep int) {
	rep = i % p.Replications
	i /= p.Replications
	point = i % len(p.Points)
	arm = i / len(p.Points)
	return
}

// JobIndex is the inverse of Job.
func (p Plan) JobIndex(arm, point, rep int) int {
	if p.Stopping != nil {
		return (rep*len(p.Arms)+arm)*len(p.Points) + point
	}
	return (arm*len(p.Points)+point)*p.Replications + rep
}

// InPlanOrder returns jobs sorted into plan order (see Position): for a
// plan without a stopping rule, increasing order.
func (p Plan) InPlanOrder(jobs []int) []int {
	out := slices.Clone(jobs)
	if p.Stopping == nil {
		slices.Sort(out)
		return out
	}
	slices.SortFunc(out, func(a, b int) int {
		aa, ap, ar := p.Job(a)
		ba, bp, br := p.Job(b)
		if c := cmp.Compare(aa*len(p.Points)+ap, ba*len(p.Points)+bp); c != 0 {
			return c
		}
		return cmp.Compare(ar, br)
	})
	return out
}

// WriteManifest writes m to dir/manifest.json atomically.
func WriteManifest(dir string, m Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	return WriteFileAtomic(filepath.Join(dir, ManifestFile), b)
}

// ReadManifest reads dir/manifest.json strictly: unknown fields are an error.
func ReadManifest(dir string) (Manifest, error) {
	var m Manifest
	path := filepath.Join(dir, ManifestFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return m, err
	}
	if err := DecodeManifest(b, &m); err != nil {
		return m, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// DecodeManifest decodes and checks a manifest.
func DecodeManifest(b []byte, m *Manifest) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(m); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("trailing data after the manifest")
	}
	return m.Check()
}

// Check reports whether the manifest is internally consistent.
func (m Manifest) Check() error {
	p := m.Plan
	switch {
	case m.Status != StatusComplete && m.Status != StatusPartial:
		return fmt.Errorf("status %q: want %q or %q", m.Status, StatusComplete, StatusPartial)
	case len(p.Arms) == 0:
		return fmt.Errorf("plan has no arms")
	case len(p.Points) == 0:
		return fmt.Errorf("plan has no sweep points")
	case p.Replications < 1:
		return fmt.Errorf("plan has %d replications", p.Replications)
	case p.Months < 1:
		return fmt.Errorf("plan has %d months", p.Months)
	case len(p.Metrics) == 0:
		return fmt.Errorf("plan has no metrics")
	case m.JobsDone < 0 || m.JobsDone > m.JobsTotal:
		return fmt.Errorf("jobs done %d outside [0, %d]", m.JobsDone, m.JobsTotal)
	}
	if int64(len(p.Arms))*int64(len(p.Points))*int64(p.Replications) > 1<<31 {
		return fmt.Errorf("plan too large")
	}
	if m.Shard != nil && (m.Shard.Count < 1 || m.Shard.Index < 1 || m.Shard.Index > m.Shard.Count) {
		return fmt.Errorf("shard %d/%d: want 1 <= K <= N", m.Shard.Index, m.Shard.Count)
	}
	return m.checkPlan()
}

// WriteFileAtomic writes data to path through a temporary file in the same
// directory, synced and then renamed into place. The file's permissions
// are 0666 less the umask.
func WriteFileAtomic(path string, data []byte) error {
	f, err := createTemp(path)
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
