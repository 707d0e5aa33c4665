package experiments

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"frontiersim/design"
	"frontiersim/engine"
	"frontiersim/results"
	"frontiersim/simulator"
)

// Version is the program version written into every manifest. Results are
// byte-identical only between runs of the same version.
const Version = "0.3.0"

// ProgramVersion returns the version string of the manifest.
func ProgramVersion() string { return "frontiersim " + Version }

// StartYear and StartMonth date month 0 of every run (January 2019).
const (
	StartYear  = 2019
	StartMonth = 1
)

// Plan expands the experiment into arms × sweep points × replications.
func (e *Experiment) Plan(sim Simulator) results.Plan {
	sim = e.simulator(sim)
	p := results.Plan{
		Arms:         e.Arms,
		Points:       e.points(),
		Replications: e.Replications,
		Months:       e.Months,
		Buyers:       e.Buyers,
		StartYear:    StartYear,
		StartMonth:   StartMonth,
		Metrics:      sim.Metrics(),
		Report:       e.Report,
		Charts:       e.Charts,
		Overrides:    e.Scenario,
		Parameters:   e.Parameters,
		Stopping:     e.Stopping,
		Output:       e.Output,
	}
	p.Definitional = definitional(sim, p.Metrics)
	if e.Sensitivity != nil {
		p.Sweep = e.Sensitivity.sweepSpec()
	}
	if e.Sweep != nil {
		s := &results.SweepSpec{Kind: e.Sweep.Kind}
		enums := map[string][]string{}
		for _, q := range sim.Params() {
			if q.Enum != nil {
				enums[q.Name] = q.Enum
			}
		}
		for _, sp := range e.Sweep.Parameters {
			s.Parameters = append(s.Parameters, sp.Name)
			if levels, ok := enums[sp.Name]; ok {
				if s.Levels == nil {
					s.Levels = map[string][]string{}
				}
				s.Levels[sp.Name] = levels
			}
		}
		p.Sweep = s
	}
	return p
}

// definitional returns the lever effects sim declares to hold by
// definition (simulator.Definitional), those naming one of its parameters
// and one of metrics.
func definitional(sim Simulator, metrics []results.Metric) []results.DefinitionalEffect {
	d, ok := sim.(simulator.Definitional)
	if !ok {
		return nil
	}
	params := map[string]bool{}
	for _, p := range sim.Params() {
		params[p.Name] = true
	}
	recorded := map[string]bool{}
	for _, m := range metrics {
		recorded[m.Name] = true
	}
	var out []results.DefinitionalEffect
	for _, de := range d.DefinitionalEffects() {
		if params[de.Lever] && recorded[de.Metric] {
			out = append(out, de)
		}
	}
	return out
}

// points returns the sweep points: the Cartesian product of the grid
// values (the last parameter varying fastest), or a Latin hypercube sample
// drawn from the experiment's seed (stream "sweep.lhs"; a whole-number
// parameter's values are whole numbers, each equally often), or one
// unnamed point without a sweep.
func (e *Experiment) points() []results.Point {
	if e.Sensitivity != nil {
		return e.Sensitivity.points()
	}
	if e.Sweep == nil {
		return []results.Point{{Name: "-"}}
	}
	s := e.Sweep
	var rows [][]float64
	if s.Kind == "lhs" {
		rows = design.LatinHypercube(s.Points, len(s.Parameters), engine.NewStreams(e.Seed, 0).Source("sweep.lhs"))
		for _, row := range rows {
			for j, sp := range s.Parameters {
				if sp.Integer {
					// Each whole number from min to max equally often.
					row[j] = design.ScaleWhole(row[j], sp.Min, sp.Max)
				} else {
					row[j] = design.Scale(row[j], sp.Min, sp.Max)
				}
			}
		}
	} else {
		values := make([][]float64, len(s.Parameters))
		for j, sp := range s.Parameters {
			values[j] = sp.Values
			if len(values[j]) == 0 {
				values[j] = design.Linspace(sp.Min, sp.Max, sp.Steps)
			}
		}
		rows = design.Grid(values)
	}
	width := len(fmt.Sprint(len(rows)))
	out := make([]results.Point, len(rows))
	for i, r := range rows {
		pt := results.Point{Name: fmt.Sprintf("p%0*d", width, i+1)}
		for j, sp := range s.Parameters {
			pt.Params = append(pt.Params, results.ParamValue{Name: sp.Name, Value: r[j]})
		}
		out[i] = pt
	}
	return out
}

// canonical is the resolved experiment as written to experiment.toml.
type canonical struct {
	Name         string             `toml:"name"`
	Description  string             `toml:"description,omitempty"`
	World        string             `toml:"world,omitempty"`
	WorldSHA256  string             `toml:"world_sha256,omitempty"`
	Seed         uint64             `toml:"seed"`
	Replications int                `toml:"replications"`
	Months       int                `toml:"months"`
	Buyers       int                `toml:"buyers"`
	Scenario     map[string]float64 `toml:"scenario,omitempty"`
	Parameters   map[string]float64 `toml:"parameters,omitempty"`
	Arms         []canonicalArm     `toml:"arms,omitempty"`
	Sweep        *canonicalSweep    `toml:"sweep,omitempty"`
	Report       canonicalReport    `toml:"report"`
	Charts       canonicalCharts    `toml:"charts"`

	Sensitivity *canonicalSensitivity `toml:"sensitivity,omitempty"`
	Stopping    *canonicalStopping    `toml:"stopping,omitempty"`
	Output      *canonicalOutput      `toml:"output,omitempty"`
}

type canonicalArm struct {
	Name        string             `toml:"name"`
	Description string             `toml:"description,omitempty"`
	From        int                `toml:"from,omitzero"`
	Overrides   map[string]float64 `toml:"overrides,omitempty"`
}

type canonicalSweep struct {
	Kind       string           `toml:"kind"`
	Points     int              `toml:"points,omitzero"`
	Parameters []canonicalParam `toml:"parameters"`
}

type canonicalParam struct {
	Name   string    `toml:"name"`
	Values []float64 `toml:"values,omitempty"`
	Min    *float64  `toml:"min,omitempty"`
	Max    *float64  `toml:"max,omitempty"`
	Steps  int       `toml:"steps,omitzero"`
}

type canonicalReport struct {
	Metrics      []string          `toml:"metrics,omitempty"`
	Months       []int             `toml:"months,omitempty"`
	Windows      []canonicalWindow `toml:"windows,omitempty"`
	Adjust       string            `toml:"adjust,omitempty"`
	MatrixWindow string            `toml:"matrix_window,omitempty"`
}

type canonicalWindow struct {
	Name string `toml:"name"`
	From int    `toml:"from"`
	To   int    `toml:"to"`
}

type canonicalCharts struct {
	Format  string   `toml:"format"`
	Metrics []string `toml:"metrics,omitempty"`
	Heatmap string   `toml:"heatmap,omitempty"`
	Points  []string `toml:"points,omitempty"`
	Enabled bool     `toml:"enabled"`
}

func toMap(pv []results.ParamValue) map[string]float64 {
	if len(pv) == 0 {
		return nil
	}
	m := make(map[string]float64, len(pv))
	for _, p := range pv {
		m[p.Name] = p.Value
	}
	return m
}

// canonicalNote explains [parameters] in experiment.toml.
const canonicalNote = `# [parameters] records every scenario parameter's value: the model's defaults with [scenario]
# applied (each arm's overrides and each sweep point's values apply on top). Loading this file checks
# it against the model, so a model with other defaults refuses it; a file that extends this one does
# not inherit it: set values in [scenario].
`

// Canonical returns the resolved experiment (base files merged, defaults
// filled in, every parameter's value listed in [parameters]) as TOML. It is
// the "experiment as run" and what the experiment hash is computed from,
// so the hash changes with any default of the model that the experiment
// runs with.
func (e *Experiment) Canonical() []byte {
	c := canonical{
		Name: e.Name, Description: e.Description, Seed: e.Seed, Replications: e.Replications,
		Months: e.Months, Buyers: e.Buyers, Scenario: toMap(e.Scenario), Parameters: toMap(e.Parameters),
		Report: canonicalReport{Metrics: e.Report.Metrics, Months: e.Report.Months, Adjust: e.Report.Adjust, MatrixWindow: e.Report.MatrixWindow},
		Charts: canonicalCharts{Format: e.Charts.Format, Metrics: e.Charts.Metrics, Heatmap: e.Charts.Heatmap, Points: e.Charts.Points, Enabled: !e.Charts.Disable},
	}
	c.Sensitivity = e.Sensitivity.canonical()
	c.Stopping = toCanonicalStopping(e.Stopping)
	c.Output = toCanonicalOutput(e.Output)
	for _, w := range e.Report.Windows {
		c.Report.Windows = append(c.Report.Windows, canonicalWindow(w))
	}
	if e.World != nil {
		c.World, c.WorldSHA256 = results.WorldFile, e.World.SHA256
	}
	for _, a := range e.Arms[1:] {
		c.Arms = append(c.Arms, canonicalArm{Name: a.Name, Description: a.Description, From: a.From, Overrides: toMap(a.Overrides)})
	}
	if e.Sweep != nil {
		s := &canonicalSweep{Kind: e.Sweep.Kind, Points: e.Sweep.Points}
		for _, sp := range e.Sweep.Parameters {
			cp := canonicalParam{Name: sp.Name, Values: sp.Values, Steps: sp.Steps}
			if len(sp.Values) == 0 {
				lo, hi := sp.Min, sp.Max
				cp.Min, cp.Max = &lo, &hi
			}
			s.Parameters = append(s.Parameters, cp)
		}
		c.Sweep = s
	}
	var b bytes.Buffer
	b.WriteString("# The experiment as run: base files merged, defaults filled in.\n")
	b.WriteString(canonicalNote)
	if err := toml.NewEncoder(&b).Encode(c); err != nil {
		panic(fmt.Sprintf("experiments: encoding the canonical experiment: %v", err)) // programmer error
	}
	return b.Bytes()
}

// Hash returns the SHA-256 of the canonical experiment, hex encoded.
func (e *Experiment) Hash() string {
	h := sha256.Sum256(e.Canonical())
	return hex.EncodeToString(h[:])
}

// planHash binds a replication store to the experiment, program version and
// metric columns.
func planHash(e *Experiment, plan results.Plan) [32]byte {
	h := sha256.New()
	h.Write([]byte(e.Hash()))
	h.Write([]byte{0})
	h.Write([]byte(ProgramVersion()))
	for _, m := range plan.Metrics {
		h.Write([]byte{0})
		h.Write([]byte(m.Name))
	}
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

// ShardSpec selects part K of N of a plan (K counts from 1).
type ShardSpec struct {
	Index, Count int
}

// ParseShard parses "K/N" (1 <= K <= N).
func ParseShard(s string) (ShardSpec, error) {
	var k, n int
	if _, err := fmt.Sscanf(s, "%d/%d", &k, &n); err != nil || fmt.Sprintf("%d/%d", k, n) != strings.TrimSpace(s) {
		return ShardSpec{}, fmt.Errorf("shard %q: want K/N with 1 <= K <= N, e.g. 2/4", s)
	}
	if n < 1 || k < 1 || k > n {
		return ShardSpec{}, fmt.Errorf("shard %q: want 1 <= K <= N (shards count from 1)", s)
	}
	return ShardSpec{k, n}, nil
}

// Jobs returns the plan's job indices that belong to shard s: job i goes to
// shard (i mod N) + 1. Every job costs about the same (same buyers and
// months), so dealing them out like cards balances the cost within one job
// and spreads every arm and sweep point across the shards.
func (s ShardSpec) Jobs(total int) []int {
	if s.Count <= 1 {
		out := make([]int, total)
		for i := range out {
			out[i] = i
		}
		return out
	}
	var out []int
	for i := s.Index - 1; i < total; i += s.Count {
		out = append(out, i)
	}
	return out
}

// DefaultWorkers returns the worker count to use when none is given:
// SLURM_CPUS_PER_TASK when set (a Slurm task should not take every core
// the node shows), otherwise every core. A SLURM_CPUS_PER_TASK that is not
// a whole number of 1 or more is an error naming it, not silently ignored.
func DefaultWorkers(getenv func(string) string) (int, error) {
	if v := getenv("SLURM_CPUS_PER_TASK"); v != "" {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 1 {
			return 0, fmt.Errorf("SLURM_CPUS_PER_TASK=%q: want a whole number of CPUs, 1 or more (or unset it)", v)
		}
		return n, nil
	}
	return runtime.GOMAXPROCS(0), nil
}

// Resources is the planned resource use of an experiment.
type Resources struct {
	MemoryBytes float64 // peak: the workers' models plus one arm × point group of statistics
	DiskBytes   float64 // the replication store plus the tables
}

// Estimate returns the memory and disk an experiment will need on workers workers.
func Estimate(e *Experiment, sim Simulator, workers int) Resources {
	sim = e.simulator(sim)
	metrics := float64(len(sim.Metrics()))
	perRep := float64(e.Months) * metrics * 8
	jobs := float64(len(e.Arms)) * float64(e.Points()) * float64(e.Replications)
	mem := float64(workers)*(sim.BytesPerBuyer()*float64(e.Buyers)+perRep) + float64(e.Replications)*perRep + 64<<20
	store := jobs * (perRep + 8)
	tables := jobs*metrics*24 + float64(len(e.Arms))*float64(e.Points())*float64(e.Months)*metrics*200
	// Charts: four per chart metric (fan, forest, box, histogram; by default
	// at most 12 metrics) plus the summary, market shares and a heatmap, of
	// about 40 KB each (110 dpi paletted PNG: the default experiment's 76
	// charts average 30 KB), and the report, which embeds charts up to a
	// budget and stays near 2 MB (2.5 MB allowed).
	charts := 0.0
	if !e.Charts.Disable {
		n := float64(len(e.Charts.Metrics))
		if n == 0 {
			n = min(metrics, 12)
		}
		charts = (n*4+4)*40e3 + 2.5e6
	}
	return Resources{MemoryBytes: mem, DiskBytes: store + tables + charts}
}
