package benchmodels

import (
	"context"
	"fmt"
	"math/rand/v2"

	"frontiersim/engine"
)

// BoltzmannConfig sizes a Boltzmann wealth model (grid variant).
type BoltzmannConfig struct {
	N      int // number of agents, each starting with wealth 1
	Width  int
	Height int
	Steps  int // steps the model is built for (storage is preallocated)
}

// Boltzmann is Mesa's Boltzmann wealth model, grid variant: every step, in a
// fresh random order, each agent moves to a uniformly chosen existing Moore
// neighbour (no torus) and, if its wealth is positive, gives one unit to a
// uniformly chosen other agent in its new cell.
//
// After each step it computes the Gini coefficient and, like Mesa's
// DataCollector, keeps every agent's wealth for the whole run.
type Boltzmann struct {
	cfg   BoltzmannConfig
	r     *rand.Rand
	nb    []int32 // 8 Moore neighbour slots per cell
	nbN   []uint8 // number of existing neighbours per cell
	cells buckets
	pos   []int32 // agent -> cell
	w     []int32 // agent -> wealth
	perm  []int32
	hist  []int64 // wealth histogram scratch, grown to the max wealth
	rec   *engine.Recorder
	// History holds the per-agent records: step t's wealths are
	// History[t*N:(t+1)*N], agent ids in creation order.
	history []int32
	steps   int
	agentSt int64
}

// NewBoltzmann builds the model and places the agents: each on a cell drawn
// uniformly with replacement. r is the model's only source of randomness.
func NewBoltzmann(cfg BoltzmannConfig, r *rand.Rand) (*Boltzmann, error) {
	if cfg.N <= 0 || cfg.Width <= 0 || cfg.Height <= 0 || cfg.Steps < 0 {
		return nil, fmt.Errorf("benchmodels: boltzmann: bad config %+v", cfg)
	}
	if cfg.Width*cfg.Height < 2 {
		return nil, fmt.Errorf("benchmodels: boltzmann: grid %dx%d has no neighbours", cfg.Width, cfg.Height)
	}
	rec, err := engine.NewRecorder([]string{"gini"}, cfg.Steps)
	if err != nil {
		return nil, err
	}
	cells := cfg.Width * cfg.Height
	perCell := 2*cfg.N/cells + 4
	m := &Boltzmann{
		cfg:     cfg,
		r:       r,
		cells:   newBuckets(cells, cfg.N, perCell),
		pos:     make([]int32, cfg.N),
		w:       make([]int32, cfg.N),
		perm:    make([]int32, cfg.N),
		hist:    make([]int64, 64),
		rec:     rec,
		history: make([]int32, 0, cfg.N*cfg.Steps),
	}
	m.nb, m.nbN = mooreNoTorus(cfg.Width, cfg.Height)
	identity(m.perm)
	for a := range cfg.N {
		c := int32(r.IntN(cells))
		m.pos[a] = c
		m.w[a] = 1
		m.cells.add(int32(a), c)
	}
	return m, nil
}

// Step runs step t (t = 0, 1, ...): shuffled sequential activation of all
// agents, then data collection.
func (m *Boltzmann) Step(_ context.Context, t int) error {
	if t < 0 || t >= m.cfg.Steps {
		return fmt.Errorf("benchmodels: boltzmann: step %d outside the %d steps the model was built for", t, m.cfg.Steps)
	}
	r := m.r
	shuffle(r, m.perm)
	nb, nbN, pos, w := m.nb, m.nbN, m.pos, m.w
	for _, a := range m.perm {
		// Move to a uniformly chosen existing Moore neighbour.
		c := pos[a]
		nc := nb[int(c)*8+int(r.Uint32N(uint32(nbN[c])))]
		m.cells.remove(a, c)
		m.cells.add(a, nc)
		pos[a] = nc
		// Give one unit to a uniformly chosen cellmate. a was just appended,
		// so the others are exactly the first len-1 entries.
		if w[a] > 0 {
			l := m.cells.cell[nc]
			if k := len(l) - 1; k > 0 {
				o := l[r.Uint32N(uint32(k))]
				w[o]++
				w[a]--
			}
		}
	}
	m.agentSt += int64(len(m.perm))
	m.steps = t + 1
	m.rec.Set(t, 0, m.Gini())
	m.history = append(m.history, w...)
	return nil
}

// Gini returns the Gini coefficient of the current wealths (Mesa's formula:
// with x sorted ascending, B = Σ xᵢ(n−i)/(n·Σx), G = 1 + 1/n − 2B), computed
// exactly from a histogram of the integer wealths instead of a sort.
func (m *Boltzmann) Gini() float64 {
	maxW := m.MaxWealth()
	if int(maxW) >= len(m.hist) {
		m.hist = make([]int64, 2*int(maxW)+1)
	}
	h := m.hist[:maxW+1]
	clear(h)
	var sum int64
	for _, x := range m.w {
		h[x]++
		sum += int64(x)
	}
	n := int64(len(m.w))
	if sum == 0 {
		return 0
	}
	// Σ xᵢ(n−i) over sorted positions: a run of k equal values x starting at
	// position i0 contributes x·(k·n − k·i0 − k(k−1)/2).
	var num, i0 int64
	for x, k := range h {
		if k == 0 {
			continue
		}
		num += int64(x) * (k*n - k*i0 - k*(k-1)/2)
		i0 += k
	}
	b := float64(num) / (float64(n) * float64(sum))
	return 1 + 1/float64(n) - 2*b
}

// MaxWealth returns the largest wealth.
func (m *Boltzmann) MaxWealth() int32 {
	var mx int32
	for _, x := range m.w {
		mx = max(mx, x)
	}
	return mx
}

// TotalWealth returns the sum of all wealths (always N).
func (m *Boltzmann) TotalWealth() int64 {
	var s int64
	for _, x := range m.w {
		s += int64(x)
	}
	return s
}

// Wealth returns the agents' current wealths by id, as a view.
func (m *Boltzmann) Wealth() []int32 { return m.w }

// History returns the per-agent wealth records of the steps run so far:
// step t's wealths are History()[t*N:(t+1)*N].
func (m *Boltzmann) History() []int32 { return m.history }

// Recorder returns the per-step series (column "gini").
func (m *Boltzmann) Recorder() *engine.Recorder { return m.rec }

// Agents returns the number of agents.
func (m *Boltzmann) Agents() int { return m.cfg.N }

// AgentSteps returns the number of agent activations so far.
func (m *Boltzmann) AgentSteps() int64 { return m.agentSt }

// Checks returns gini, max_wealth and total_wealth.
func (m *Boltzmann) Checks() []Check {
	return []Check{
		{"gini", m.Gini()},
		{"max_wealth", float64(m.MaxWealth())},
		{"total_wealth", float64(m.TotalWealth())},
	}
}
