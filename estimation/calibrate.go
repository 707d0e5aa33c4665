package estimation

import (
	"context"
	"fmt"
	"math"
)

// Evaluation is one evaluation of the objective in a search.
type Evaluation struct {
	N         int       `json:"evaluation"` // from 1
	X         []float64 `json:"x"`
	Objective float64   `json:"objective"`
	Best      float64   `json:"best"` // the least objective so far
	Recorded  bool      `json:"-"`    // taken from the checkpoint, not simulated
}

// Result is the outcome of a calibration.
type Result struct {
	Parameters  []Parameter        `json:"parameters"`
	Values      map[string]float64 `json:"values"` // the fitted parameters
	X           []float64          `json:"x"`      // the same, in the order of Parameters
	OnBound     []string           `json:"on_bound,omitempty"`
	Objective   float64            `json:"objective"`
	Terms       []Term             `json:"terms"`
	SD          []float64          `json:"replication_sd"` // the replication standard deviation of each target's statistic at the fit
	Evaluations int                `json:"evaluations"`
	Converged   bool               `json:"converged"` // stopped by the tolerance, not by max_evaluations
	Search      Search             `json:"search"`
	Trace       []Evaluation       `json:"-"`
	Start       Evaluation         `json:"-"`
	Identification
}

// Calibrate fits tg's parameters: a Nelder–Mead search (Minimize) of the
// objective from the parameters' starts, then the identification at the
// optimum (Identify). Each parameter vector's moments come from ck if it
// holds them, else from eval (and are recorded in ck). progress, if set,
// gets each evaluation of the search.
func Calibrate(ctx context.Context, eval Evaluate, tg *Targets, ck *Checkpoint, progress func(Evaluation)) (Result, error) {
	ps := tg.Parameters
	k := len(ps)
	cached := func(ctx context.Context, xs [][]float64) ([][]float64, [][]float64, bool, error) {
		means, sds := make([][]float64, len(xs)), make([][]float64, len(xs))
		var todo []int
		var run [][]float64
		for i, x := range xs {
			if m, s, ok := ck.Lookup(x); ok {
				means[i], sds[i] = m, s
			} else {
				todo = append(todo, i)
				run = append(run, x)
			}
		}
		if len(run) == 0 {
			return means, sds, true, nil
		}
		m, s, err := eval(ctx, run)
		if err != nil {
			return nil, nil, false, err
		}
		for j, i := range todo {
			if err := ck.Record(xs[i], m[j], s[j]); err != nil {
				return nil, nil, false, err
			}
			means[i], sds[i] = m[j], s[j]
		}
		return means, sds, false, nil
	}
	toX := func(u []float64) []float64 {
		x := make([]float64, k)
		for j, p := range ps {
			x[j] = p.Min + u[j]*(p.Max-p.Min)
			if u[j] == 1 {
				x[j] = p.Max
			}
		}
		return x
	}
	var trace []Evaluation
	best := math.Inf(1)
	f := func(ctx context.Context, u []float64) (float64, error) {
		x := toX(u)
		means, _, rec, err := cached(ctx, [][]float64{x})
		if err != nil {
			return 0, err
		}
		obj, _ := Objective(tg.Targets, means[0])
		if math.IsNaN(obj) {
			obj = math.Inf(1)
		}
		best = math.Min(best, obj)
		ev := Evaluation{N: len(trace) + 1, X: x, Objective: obj, Best: best, Recorded: rec}
		trace = append(trace, ev)
		if progress != nil {
			progress(ev)
		}
		return obj, nil
	}
	u0 := make([]float64, k)
	for j, p := range ps {
		u0[j] = (p.Start - p.Min) / (p.Max - p.Min)
	}
	u, _, converged, err := Minimize(ctx, f, u0, tg.Search.MaxEvaluations, tg.Search.Tolerance)
	if err != nil {
		return Result{}, fmt.Errorf("search: %w", err)
	}
	x := toX(u)
	means, sds, _, err := cached(ctx, [][]float64{x})
	if err != nil {
		return Result{}, err
	}
	res := Result{Parameters: ps, Values: map[string]float64{}, X: x, SD: sds[0], Evaluations: len(trace), Search: tg.Search, Trace: trace, Start: trace[0]}
	res.Converged = converged
	res.Objective, res.Terms = Objective(tg.Targets, means[0])
	for j, p := range ps {
		res.Values[p.Name] = x[j]
		if x[j] == p.Min || x[j] == p.Max {
			res.OnBound = append(res.OnBound, p.Name)
		}
	}
	idEval := func(ctx context.Context, xs [][]float64) ([][]float64, [][]float64, error) {
		m, s, _, err := cached(ctx, xs)
		return m, s, err
	}
	res.Identification, err = Identify(ctx, idEval, ps, tg.Targets, x, tg.Search.Step)
	if err != nil {
		return Result{}, err
	}
	return res, nil
}
