package benchmodels

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"

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
//
// Layout: the grid is padded with a one-cell border, and every cell owns a
// fixed stride of int32s (8 to start: half a cache line) holding its agent
// count (−1 for a border cell) followed by its agents' ids; an agent records
// its cell and its slot there. A cell that fills its stride doubles the
// stride of the whole grid (rare; the only allocation in Step). The Gini
// coefficient is computed exactly from a histogram of the integer wealths
// instead of Mesa's sort.
type Boltzmann struct {
	cfg     BoltzmannConfig
	r       *src
	stride  int     // padded grid width
	k       int     // int32s per cell: count + k−1 agent slots
	cells   []int32 // padded cells × k
	offs    [8]int32
	ag      []bAgent
	perm    []int32
	hist    []int64 // wealth histogram scratch, grown to the max wealth
	rec     *engine.Recorder
	history []int32
	agentSt int64
}

type bAgent struct {
	cell int32 // padded cell index
	slot int32 // position among the cell's agents
	w    int32 // wealth
}

// NewBoltzmann builds the model and places the agents: each on a cell drawn
// uniformly with replacement. r is the model's only source of randomness.
func NewBoltzmann(cfg BoltzmannConfig, r rand.Source) (*Boltzmann, error) {
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
	m := &Boltzmann{
		cfg:     cfg,
		r:       newSrc(r),
		stride:  cfg.Width + 2,
		k:       8,
		ag:      make([]bAgent, cfg.N),
		perm:    make([]int32, cfg.N),
		hist:    make([]int64, 64),
		rec:     rec,
		history: make([]int32, cfg.N*cfg.Steps),
	}
	// Fault the history's pages in now, not in the timed steps.
	for i := 0; i < len(m.history); i += 1024 {
		m.history[i] = 1
	}
	m.history = m.history[:0]
	for mean := cfg.N / (cfg.Width * cfg.Height); m.k < 4*mean+8; {
		m.k *= 2
	}
	m.cells = make([]int32, m.stride*(cfg.Height+2)*m.k)
	for p := 0; p < len(m.cells); p += m.k {
		m.cells[p] = -1
	}
	for y := range cfg.Height {
		for x := range cfg.Width {
			m.cells[((y+1)*m.stride+x+1)*m.k] = 0
		}
	}
	i := 0
	for dy := -1; dy <= 1; dy++ {
		for dx := -1; dx <= 1; dx++ {
			if dx != 0 || dy != 0 {
				m.offs[i] = int32(dy*m.stride + dx)
				i++
			}
		}
	}
	identity(m.perm)
	cells := cfg.Width * cfg.Height
	for a := range cfg.N {
		c := int(m.r.intn(uint32(cells)))
		p := int32((c/cfg.Width+1)*m.stride + c%cfg.Width + 1)
		m.ag[a].w = 1
		m.add(int32(a), p)
	}
	return m, nil
}

// add puts agent a last in cell p, growing the stride if the cell is full.
func (m *Boltzmann) add(a, p int32) {
	base := int(p) * m.k
	n := m.cells[base]
	if int(n) == m.k-1 {
		m.grow()
		base = int(p) * m.k
	}
	m.cells[base+1+int(n)] = a
	m.cells[base] = n + 1
	m.ag[a].cell = p
	m.ag[a].slot = n
}

// remove takes agent a out of cell p, moving the cell's last agent into its
// slot.
func (m *Boltzmann) remove(a, p int32) {
	base := int(p) * m.k
	n := m.cells[base] - 1
	last := m.cells[base+1+int(n)]
	slot := m.ag[a].slot
	m.cells[base+1+int(slot)] = last
	m.ag[last].slot = slot
	m.cells[base] = n
}

// grow doubles the per-cell stride, keeping every cell's agents in order.
func (m *Boltzmann) grow() {
	k2 := 2 * m.k
	c2 := make([]int32, len(m.cells)/m.k*k2)
	for p := 0; p < len(m.cells)/m.k; p++ {
		copy(c2[p*k2:p*k2+m.k], m.cells[p*m.k:(p+1)*m.k])
	}
	m.cells, m.k = c2, k2
}

// Step runs step t (t = 0, 1, ...): shuffled sequential activation of all
// agents, then data collection.
func (m *Boltzmann) Step(_ context.Context, t int) error {
	if t < 0 || t >= m.cfg.Steps {
		return fmt.Errorf("benchmodels: boltzmann: step %d outside the %d steps the model was built for", t, m.cfg.Steps)
	}
	r := m.r
	r.shuffle(m.perm)
	// The loop spells out add, remove and the bounded draws (they are over
	// the inliner's budget) and keeps the slices and the 3-bit direction
	// buffer in locals.
	cells, k, ag, offs := m.cells, m.k, m.ag, &m.offs
	bits, nbits := r.bits, r.nbits
	for _, a := range m.perm {
		// Move to a uniformly chosen existing Moore neighbour: a uniform
		// direction, redrawn while it points outside the grid.
		p := ag[a].cell
		var np int32
		for {
			if nbits < 3 {
				bits, nbits = uint64(r.u32()), 32
			}
			np = p + offs[bits&7]
			bits >>= 3
			nbits -= 3
			if cells[int(np)*k] >= 0 {
				break
			}
		}
		// Remove a from p: the cell's last agent takes its slot.
		base := int(p) * k
		n := cells[base] - 1
		slot := ag[a].slot
		last := cells[base+1+int(n)]
		cells[base+1+int(slot)] = last
		ag[last].slot = slot
		cells[base] = n
		// Add a last in np; its c agents before it are its cellmates.
		nb := int(np) * k
		c := cells[nb]
		if int(c) == k-1 {
			m.grow()
			cells, k = m.cells, m.k
			nb = int(np) * k
		}
		cells[nb+1+int(c)] = a
		cells[nb] = c + 1
		ag[a].cell, ag[a].slot = np, c
		// Give one unit to a uniformly chosen cellmate, branch-free (the
		// branch is unpredictable): the draw is made even when nothing is
		// given, and with no cellmate o is a itself.
		mm := uint64(r.u32()) * uint64(c)
		if uint32(mm) < uint32(c) {
			mm = r.lemireSlow(uint32(c), mm)
		}
		o := cells[nb+1+int(mm>>32)]
		g := (-ag[a].w >> 31) & (-c >> 31) & 1 // 1 iff wealth > 0 and c > 0
		ag[o].w += g
		ag[a].w -= g
	}
	r.bits, r.nbits = bits, nbits
	m.agentSt += int64(len(m.perm))
	m.rec.Set(t, 0, m.Gini())
	m.history = slices.Grow(m.history, len(m.ag))
	for i := range m.ag {
		m.history = append(m.history, m.ag[i].w)
	}
	return nil
}

// Gini returns the Gini coefficient of the current wealths (Mesa's formula:
// with x sorted ascending, B = Σ xᵢ(n−i)/(n·Σx), G = 1 + 1/n − 2B), computed
// exactly from a histogram of the integer wealths instead of a sort.
func (m *Boltzmann) Gini() float64 {
	h := m.hist
	clear(h)
	var sum int64
	maxW := int32(0)
	for i := range m.ag {
		x := m.ag[i].w
		if int(x) >= len(h) {
			h = append(h, make([]int64, int(x)+1-len(h))...)
			m.hist = h
		}
		h[x]++
		sum += int64(x)
		maxW = max(maxW, x)
	}
	h = h[:maxW+1]
	n := int64(len(m.ag))
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
	for i := range m.ag {
		mx = max(mx, m.ag[i].w)
	}
	return mx
}

// TotalWealth returns the sum of all wealths (always N).
func (m *Boltzmann) TotalWealth() int64 {
	var s int64
	for i := range m.ag {
		s += int64(m.ag[i].w)
	}
	return s
}

// Wealth returns the agents' current wealths by id (a new slice).
func (m *Boltzmann) Wealth() []int32 {
	out := make([]int32, len(m.ag))
	for i := range m.ag {
		out[i] = m.ag[i].w
	}
	return out
}

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
