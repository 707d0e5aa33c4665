package calibration

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"

	"frontiersim/agents"
	"frontiersim/design"
	"frontiersim/engine"
	"frontiersim/stats"
)

// Free is one calibrated (D-graded) parameter and its search range.
type Free struct {
	Name   string
	Lo, Hi float64
	Why    string
	// Prior is the assumption value before calibration (the author's
	// hand-set default); the search starts from it as well as from the
	// hypercube, so its result does not depend on the current defaults.
	Prior float64
}

// FreeParams are the D-graded parameters the search moves: those that
// drive the targets (ARR levels and timing, enterprise shares and their
// erosion, cloud affinity, round pricing and frequency). The other
// D-graded parameters stay at their documented assumption values; the
// sensitivity analysis varies them all.
func FreeParams() []Free {
	return []Free{
		{"labs.openai.brand", -1, 1.5, "level of the OpenAI-like enterprise share (Menlo 2023)", 0.3},
		{"labs.anthropic.brand", -2.5, 1, "level of the Anthropic-like enterprise share (Menlo 2023-25)", 0.3},
		{"labs.google.brand", -1.5, 0.5, "Google-like share, hence the leader's and second lab's residual", -0.5},
		{"labs.anthropic.log10_c0", 22.5, 24, "Anthropic-like starting compute: its capability gap in 2023 and catch-up", 23.7},
		{"buyers.review_rate", 0.03, 0.3, "speed at which shares follow capability (erosion of the leader)", 0.1},
		{"logit.beta_k", 1, 4, "weight of capability in vendor choice (erosion, open-weight share)", 2},
		{"logit.beta_a", 0.5, 2.5, "cloud affinity (SF3) and the partner clouds' pull", 1},
		{"labs.openai.consumer_brand", 1.5, 4, "consumer (ChatGPT) revenue in the OpenAI-like ARR path", 3},
		{"capability.k_star", 3.5, 5.2, "timing of the enterprise market (ARR levels 2023-25)", 4.6},
		{"finance.max_new_stake", 0.1, 0.5, "pricing of early rounds (SF9 multiples); at most half the company per round", 0.3},
		{"finance.runway_trigger", 6, 24, "round frequency (SF9 intervals, SF12 rounds per year): months of planned net spend the cash must cover; at most two years", 12},
		{"bargaining.phi0", 0.6, 1, "revenue lost on exit in the exclusive era: level of the Nash share (SF1 before the crossing)", 0.9},
		{"bargaining.phi1", 0.2, 0.9, "fall of phi with multi-cloud capacity: the share after exclusivity ends (SF1, effective share 2024-25)", 0.5},
		{"bargaining.phi2", 0.2, 0.9, "fall of phi with the direct-revenue share: the share after the crossing (SF1, effective share 2024-25)", 0.5},
	}
}

// SearchConfig sets the size of the search.
type SearchConfig struct {
	Seed         uint64 // seed of the Latin hypercube and of the replications
	Points       int    // Latin-hypercube points
	Reps         int    // replications per point (common random numbers across points)
	Buyers       int    // buyers per replication
	RefineReps   int    // replications per point in the local refinement
	RefineSweeps int    // coordinate-search sweeps
	RefineStarts int    // best hypercube points refined
	Digits       int    // significant digits of the committed values
}

// DefaultSearch is the configuration of make calibrate.
var DefaultSearch = SearchConfig{Seed: 2019, Points: 256, Reps: 8, Buyers: 1000, RefineReps: 16, RefineSweeps: 4, RefineStarts: 2, Digits: 3}

// Result is the committed calibration result.
type Result struct {
	Config    SearchConfig       `json:"config"`
	Values    map[string]float64 `json:"values"`
	Order     []string           `json:"order"`
	Previous  map[string]float64 `json:"previous"`
	Objective float64            `json:"objective"`
	PrevObj   float64            `json:"previous_objective"`
	Terms     []TermValue        `json:"terms"`
}

// TermValue is one term of the objective at the chosen values.
type TermValue struct {
	ID        string  `json:"id"`
	Observed  string  `json:"observed"`
	Simulated float64 `json:"simulated"`
	Weight    float64 `json:"weight"`
	Term      float64 `json:"term"`
}

// penalty is a hinge moment from a stylized fact: zero inside [lo, hi],
// squared violation over scale outside.
type penalty struct {
	id            string
	lo, hi, scale float64
	stat          func(reps []*Rep) float64
}

func penalties() []penalty {
	return []penalty{
		{"SF1 pre-crossing effective share", 0.36, inf, 0.01, func(r []*Rep) float64 { return SF1(r).Parts[0].Mean }},
		{"SF1 share 24 months after crossing", -inf, 0.17, 0.02, func(r []*Rep) float64 { return SF1(r).Parts[1].Mean }},
		{"SF3 affinity gap", 0.17, inf, 0.03, func(r []*Rep) float64 { return SF3(r).Parts[0].Mean }},
		{"SF3 Cramér's V", 0.22, inf, 0.03, func(r []*Rep) float64 { return SF3(r).Parts[1].Mean }},
		{"SF5 tie lift", 1.25, inf, 0.05, func(r []*Rep) float64 { return SF5(r).Parts[1].Mean }},
		{"SF9 round multiple", 22, 44, 2, func(r []*Rep) float64 { return SF9(r).Parts[0].Mean }},
		{"SF9 months between rounds", 6.5, 14, 0.5, func(r []*Rep) float64 { return SF9(r).Parts[1].Mean }},
		{"SF9 step-up", 2, 2.7, 0.05, func(r []*Rep) float64 { return SF9(r).Parts[2].Mean }},
		{"SF12 OpenAI-like rounds per year", 1.2, inf, 0.03, func(r []*Rep) float64 { return SF12(r).Parts[3].Mean }},
	}
}

// Objective is the weighted distance of replications reps from the targets
// (mean of the per-replication statistic; of its log for ARR) plus the
// hinge penalties of the stylized facts; terms lists each contribution.
func Objective(reps []*Rep) (float64, []TermValue) {
	tot := 0.0
	var terms []TermValue
	v := make([]float64, len(reps))
	for _, t := range Targets() {
		for i, r := range reps {
			v[i] = t.Stat(r)
			if t.Log {
				v[i] = math.Log(math.Max(v[i], 1e-3))
			}
		}
		x := stats.MeanInOrder(v)
		if t.Log {
			x = math.Exp(x)
		}
		tv := t.Term(x)
		tot += tv
		terms = append(terms, TermValue{t.ID, strconv.FormatFloat(t.Observed, 'g', 4, 64), x, t.Weight, tv})
	}
	for _, p := range penalties() {
		x := p.stat(reps)
		d := 0.0
		switch {
		case math.IsNaN(x):
			d = 3
		case x < p.lo:
			d = (p.lo - x) / p.scale
		case x > p.hi:
			d = (x - p.hi) / p.scale
		}
		tv := d * d
		tot += tv
		terms = append(terms, TermValue{p.id, fmt.Sprintf("[%g, %g]", p.lo, p.hi), x, 1, tv})
	}
	return tot, terms
}

// Apply sets the free parameters of s to x.
func Apply(s *agents.Scenario, free []Free, x []float64) error {
	for i, f := range free {
		if err := s.Set(f.Name, x[i]); err != nil {
			return err
		}
	}
	return nil
}

func evaluate(ctx context.Context, base agents.Scenario, free []Free, x []float64, cfg SearchConfig, reps int) (float64, []TermValue, error) {
	s := base
	if err := Apply(&s, free, x); err != nil {
		return 0, nil, err
	}
	rs, err := RunAll(ctx, s, cfg.Buyers, cfg.Seed, reps)
	if err != nil {
		return 0, nil, err
	}
	obj, terms := Objective(rs)
	return obj, terms, nil
}

// roundSig rounds x to d significant digits.
func roundSig(x float64, d int) float64 {
	if x == 0 {
		return 0
	}
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', d, 64), 64)
	return v
}

// Calibrate runs the search from scenario base: a Latin hypercube of
// cfg.Points points over the free parameters' ranges (gonum samplemv with a
// ChaCha8 source from the engine stream "calibration"), each scored on
// cfg.Reps replications with common random numbers; then a coordinate
// search (steps of 1/8 of each range, halved after a sweep without
// improvement) from the best cfg.RefineStarts points on cfg.RefineReps
// replications; the winner rounded to cfg.Digits significant digits. The
// result is deterministic given cfg (replications are reduced in order).
// logf receives progress lines.
func Calibrate(ctx context.Context, base agents.Scenario, cfg SearchConfig, logf func(string, ...any)) (Result, error) {
	free := FreeParams()
	k := len(free)
	batch := design.LatinHypercube(cfg.Points, k, engine.NewStreams(cfg.Seed, 0).Source("calibration"))
	type cand struct {
		x   []float64
		obj float64
	}
	var cands []cand
	prev := make([]float64, k)
	for i, f := range free {
		prev[i] = f.Prior
	}
	prevObj, _, err := evaluate(ctx, base, free, prev, cfg, cfg.RefineReps)
	if err != nil {
		return Result{}, err
	}
	logf("prior values: objective %.3f (%d reps)", prevObj, cfg.RefineReps)
	for p := 0; p < cfg.Points; p++ {
		x := make([]float64, k)
		for i, f := range free {
			x[i] = design.Scale(batch[p][i], f.Lo, f.Hi)
		}
		obj, _, err := evaluate(ctx, base, free, x, cfg, cfg.Reps)
		if err != nil {
			return Result{}, err
		}
		cands = append(cands, cand{x, obj})
		if (p+1)%32 == 0 {
			logf("hypercube %d/%d", p+1, cfg.Points)
		}
	}
	// best points, ties broken by index (stable)
	order := make([]int, len(cands))
	for i := range order {
		order[i] = i
	}
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && cands[order[j]].obj < cands[order[j-1]].obj; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	bestX, bestObj := prev, prevObj
	starts := [][]float64{prev}
	for i := 0; i < cfg.RefineStarts && i < len(order); i++ {
		starts = append(starts, cands[order[i]].x)
		logf("hypercube best %d: objective %.3f (%d reps)", i+1, cands[order[i]].obj, cfg.Reps)
	}
	for si, x0 := range starts {
		x := append([]float64(nil), x0...)
		obj, _, err := evaluate(ctx, base, free, x, cfg, cfg.RefineReps)
		if err != nil {
			return Result{}, err
		}
		step := 0.125
		for sweep := 0; sweep < cfg.RefineSweeps; sweep++ {
			improved := false
			for i, f := range free {
				for _, dir := range []float64{1, -1} {
					y := append([]float64(nil), x...)
					y[i] = math.Max(f.Lo, math.Min(f.Hi, y[i]+dir*step*(f.Hi-f.Lo)))
					if y[i] == x[i] {
						continue
					}
					o, _, err := evaluate(ctx, base, free, y, cfg, cfg.RefineReps)
					if err != nil {
						return Result{}, err
					}
					if o < obj-1e-12 {
						x, obj, improved = y, o, true
						break
					}
				}
			}
			logf("start %d sweep %d: objective %.3f (step %.4g of range)", si, sweep+1, obj, step)
			if !improved {
				step /= 2
			}
		}
		if obj < bestObj {
			bestX, bestObj = x, obj
		}
	}
	for i := range bestX {
		bestX[i] = roundSig(bestX[i], cfg.Digits)
		if free[i].Name == "finance.runway_trigger" {
			bestX[i] = math.Round(bestX[i]*2) / 2
		}
	}
	obj, terms, err := evaluate(ctx, base, free, bestX, cfg, cfg.RefineReps)
	if err != nil {
		return Result{}, err
	}
	res := Result{Config: cfg, Values: map[string]float64{}, Previous: map[string]float64{}, Objective: obj, PrevObj: prevObj, Terms: terms}
	for i, f := range free {
		res.Order = append(res.Order, f.Name)
		res.Values[f.Name] = bestX[i]
		res.Previous[f.Name] = prev[i]
	}
	logf("chosen: objective %.3f (previous %.3f)", obj, prevObj)
	return res, nil
}

// WriteResult writes r as indented JSON.
func WriteResult(path string, r Result) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// ReadResult reads a committed result.
func ReadResult(path string) (Result, error) {
	var r Result
	b, err := os.ReadFile(path)
	if err != nil {
		return r, err
	}
	err = json.Unmarshal(b, &r)
	return r, err
}
