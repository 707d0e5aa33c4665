package calibration

import (
	"context"
	"fmt"
	"math"
	"sync"

	"frontiersim/agents"
	"frontiersim/engine"
)

// Months is the horizon of every run: Jan 2019 (month 0) to Dec 2025.
const Months = agents.DefaultMonths

// Rep is one replication: the recorded metrics plus a few statistics read
// from the world's state that the recorder does not keep (Cramér's V of
// primary cloud x chosen lab's partner cloud, the OpenAI-like lab's backer,
// the largest single enterprise customer of the OpenAI-like lab).
type Rep struct {
	cols int
	data []float64
	// CramerV[m] is Cramér's V between buyers' primary cloud and the partner
	// cloud (backer, owner or largest hyperscaler shareholder; "none") of
	// their main vendor, over adopters, in month m.
	CramerV [Months]float64
	// Backer is the OpenAI-like lab's backer hyperscaler at each month (-1 none).
	Backer [Months]int
	// MaxBuyerOpenAI[m] is the largest total spend (US$B/month) of one
	// simulated buyer whose main vendor is the OpenAI-like lab (an upper
	// bound on its spend with that lab).
	MaxBuyerOpenAI [Months]float64
}

// Get returns metric column c in month m.
func (r *Rep) Get(m, c int) float64 { return r.data[m*r.cols+c] }

// Col returns the column index of a metric name; it panics on an unknown
// name (names are fixed by agents.Metrics).
func Col(name string) int {
	c, err := agents.MetricIndex(name)
	if err != nil {
		panic(err)
	}
	return c
}

// Batch runs reps replications of scenario s with the given number of
// buyers and seed (replication r uses engine.NewStreams(seed, r), so
// scenarios run with the same seed share common random numbers) on all
// cores, and calls emit for each in replication order. If keep is false
// the Rep passed to emit is reused after emit returns.
func Batch(ctx context.Context, s agents.Scenario, buyers int, seed uint64, reps int, emit func(r int, rep *Rep) error) error {
	pool := sync.Pool{}
	return engine.Replicate(ctx, reps, 0,
		func(ctx context.Context, r int) (*Rep, error) {
			w, _ := pool.Get().(*agents.World)
			var err error
			st := engine.NewStreams(seed, uint64(r))
			if w == nil {
				// Check mode: every month asserts the model's invariants
				// (money conserved, shares, cap tables, finite metrics). It
				// only reads the state, so results are the same without it.
				w, err = agents.NewWorld(s, buyers, st, Months, true)
			} else {
				err = w.Reset(s, st)
			}
			if err != nil {
				return nil, err
			}
			defer pool.Put(w)
			rep := &Rep{}
			openai := w.LabIndex(leaderLab)
			if openai < 0 {
				return nil, fmt.Errorf("calibration: the world has no lab %q", leaderLab)
			}
			for m := 0; m < Months; m++ {
				if err := w.Step(ctx, m); err != nil {
					return nil, fmt.Errorf("month %d: %w", m, err)
				}
				rep.Backer[m] = w.Labs[openai].Backer
				if m >= 46 {
					rep.CramerV[m] = cramerV(w)
					rep.MaxBuyerOpenAI[m] = maxBuyer(w, openai, m)
				}
			}
			rec := w.Recorder()
			rep.cols = len(rec.Columns())
			rep.data = append([]float64(nil), rec.Data()...)
			return rep, nil
		},
		emit)
}

// RunAll runs a batch and keeps every replication.
func RunAll(ctx context.Context, s agents.Scenario, buyers int, seed uint64, reps int) ([]*Rep, error) {
	out := make([]*Rep, reps)
	err := Batch(ctx, s, buyers, seed, reps, func(r int, rep *Rep) error { out[r] = rep; return nil })
	return out, err
}

var colSpend = Col("enterprise_spend")

// leaderLab is the lab of the default world whose series the stylized facts
// follow (the OpenAI-like lab).
const leaderLab = "openai"

// partnerCloud is lab l's partner hyperscaler: owner, backer, else largest
// hyperscaler shareholder; len(w.Hyper) ("none") otherwise.
func partnerCloud(w *agents.World, l int) int {
	L := &w.Labs[l]
	if L.Owner >= 0 {
		return L.Owner
	}
	if L.Backer >= 0 {
		return L.Backer
	}
	best, bs := len(w.Hyper), 0.0
	for h := range w.Hyper {
		if L.Cap == nil {
			break
		}
		if st := L.Cap.Stake(w.Hyper[h].Name); st > bs {
			best, bs = h, st
		}
	}
	return best
}

// cramerV is Cramér's V of the contingency table primary cloud x partner
// cloud of the buyer's main vendor (each hyperscaler, none) over adopted
// buyers, counting buyers.
func cramerV(w *agents.World) float64 {
	pc := make([]int, len(w.Labs))
	for l := range pc {
		pc[l] = partnerCloud(w, l)
	}
	tab := make([][]float64, w.Clouds())
	for i := range tab {
		tab[i] = make([]float64, len(w.Hyper)+1)
	}
	n := 0.0
	for i, inc := range w.Buyers.Inc {
		if inc == 0 {
			continue
		}
		prim, _, _ := w.Segment(w.Buyers.Seg[i])
		tab[prim][pc[inc-1]]++
		n++
	}
	return cramer(tab, n)
}

func cramer(tab [][]float64, n float64) float64 {
	if n == 0 || len(tab) == 0 {
		return 0
	}
	rows := make([]float64, len(tab))
	cols := make([]float64, len(tab[0]))
	for i := range tab {
		for j, x := range tab[i] {
			rows[i] += x
			cols[j] += x
		}
	}
	chi := 0.0
	nr, nc := 0, 0
	for i := range rows {
		if rows[i] > 0 {
			nr++
		}
	}
	for j := range cols {
		if cols[j] > 0 {
			nc++
		}
	}
	for i := range tab {
		for j := range cols {
			e := rows[i] * cols[j] / n
			if e > 0 {
				d := tab[i][j] - e
				chi += d * d / e
			}
		}
	}
	k := min(nr, nc) - 1
	if k < 1 {
		return 0
	}
	return math.Sqrt(chi / n / float64(k))
}

// maxBuyer is the largest spend of one buyer whose main vendor is lab l:
// its size times total spend over the adopted buyers' total size.
func maxBuyer(w *agents.World, l, m int) float64 {
	tot, mx := 0.0, 0.0
	for i, inc := range w.Buyers.Inc {
		if inc == 0 {
			continue
		}
		sz := float64(w.Buyers.Size[i])
		tot += sz
		if int(inc) == l+1 && sz > mx {
			mx = sz
		}
	}
	if tot == 0 {
		return 0
	}
	return mx / tot * w.Recorder().Get(m, colSpend)
}
