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
// Layout. The earlier one, a list of 16 int32s per cell and a 12-byte record
// per agent (6.5 MB and 1.2 MB at 10^5 agents), outgrew the 2 MB L2 cache of
// the development machine's cores past a few 10^4 agents; an agent step then
// missed that cache 2 to 3 times, on loads that waited for one another (the
// agent's record, then its cell's list, then the records of the agent moved
// into its slot and of the receiver). Now:
//
//   - The grid is padded with a one-cell border, and every cell owns a
//     block of 8 int32s (32 bytes, two to a cache line): its agent count
//     (−1 for a border cell) followed by 7 slots holding the ids of its
//     first 7 agents (−1 when empty). A cell's agents beyond the 7th have
//     their slots in an overflow area (rare at about one agent per cell: a
//     cell holds 8 or more agents about once in 10^5; the area grows when a
//     cell fills it, the only allocation in Step). 3.2 MB at 10^5 agents.
//   - The wealths are an array by agent id (0.4 MB at 10^5 agents).
//   - The activation order holds each agent's cell next to its id, so an
//     agent step starts from data read in order.
//   - An agent does not record its slot: it finds itself among the first
//     slots of its cell's block, which the step reads anyway.
//
// An agent step thus touches the two cells' blocks and two wealths, all
// addressed from the activation order, so consecutive steps' loads overlap;
// once the blocks outgrow the L2 cache, a step also prefetches the blocks of
// the agents 8 to 15 places ahead (see activate).
//
// The draws are exact: the permutation with three bounded draws per 64-bit
// word (see shuffle3), the directions with 3 bits per try, the cellmate with
// Lemire's method on 8 bits. The Gini coefficient is computed exactly from
// a histogram of the integer wealths instead of Mesa's sort.
type Boltzmann struct {
	cfg     BoltzmannConfig
	r       *src
	stride  int      // padded grid width
	cells   []int32  // padded cells × blockK: count (−1: border), then agent ids
	ov      []int32  // padded cells × ovK: agent ids in slots inline, inline+1, ...
	ovK     int      // overflow slots per cell
	offs    [8]int32 // padded-index offsets of the 8 directions
	valid   []uint8  // by padded cell: bit d set if direction d stays inside the grid
	w       []int32  // wealth by agent id
	order   []uint64 // the activation order: agent id | its cell<<32
	rnd     []byte   // a step's random bytes: 2 per activation position, then shuffle3's
	hist    []int64  // wealth histogram scratch, grown to the max wealth
	rec     *engine.Recorder
	history []int32
	agentSt int64
}

const (
	blockK = 8          // int32s per cell block
	inline = blockK - 1 // agent slots in a block

	// prefetchBytes is the size of the cell blocks above which a step
	// prefetches them (half the L2 cache of a core of the development
	// machine; the blocks of 10^4 agents take 0.3 MB, of 10^5 agents 3.2 MB).
	prefetchBytes = 1 << 20
)

// lemire8 is 2⁸ mod c for c = 1..255 (0 for c = 0): Lemire's method on 8
// bits rejects a product x·c whose low byte falls below it.
var lemire8 = func() (t [256]uint8) {
	for c := 1; c < 256; c++ {
		t[c] = uint8(256 % c)
	}
	return t
}()

// NewBoltzmann builds the model and places the agents: each on a cell drawn
// uniformly with replacement. r is the model's only source of randomness.
func NewBoltzmann(cfg BoltzmannConfig, r rand.Source) (*Boltzmann, error) {
	return newBoltzmann(cfg, r, 0)
}

// newBoltzmann is NewBoltzmann with ovK overflow slots per cell to start (0:
// from the density).
func newBoltzmann(cfg BoltzmannConfig, r rand.Source, ovK int) (*Boltzmann, error) {
	if cfg.N <= 0 || cfg.Width <= 0 || cfg.Height <= 0 || cfg.Steps < 0 {
		return nil, fmt.Errorf("benchmodels: boltzmann: bad config %+v", cfg)
	}
	if cfg.Width*cfg.Height < 2 {
		return nil, fmt.Errorf("benchmodels: boltzmann: grid %dx%d has no neighbours", cfg.Width, cfg.Height)
	}
	if int64(cfg.N) >= 1<<31 || int64(cfg.Width+2)*int64(cfg.Height+2) >= 1<<31 {
		return nil, fmt.Errorf("benchmodels: boltzmann: config %+v too large", cfg)
	}
	rec, err := engine.NewRecorder([]string{"gini"}, cfg.Steps)
	if err != nil {
		return nil, err
	}
	m := &Boltzmann{
		cfg:     cfg,
		r:       newSrc(r),
		stride:  cfg.Width + 2,
		ovK:     ovK,
		w:       make([]int32, cfg.N),
		order:   make([]uint64, cfg.N),
		rnd:     make([]byte, (2*cfg.N+shuffle3Words(cfg.N)+7)&^7),
		hist:    make([]int64, 64),
		rec:     rec,
		history: make([]int32, cfg.N*cfg.Steps),
	}
	// Fault the history's pages in now, not in the timed steps.
	for i := 0; i < len(m.history); i += 1024 {
		m.history[i] = 1
	}
	m.history = m.history[:0]
	if m.ovK == 0 {
		// Room for twice the mean occupancy beyond the block, at least 4.
		for mean := cfg.N / (cfg.Width * cfg.Height); m.ovK < 4 || m.ovK < 2*mean; {
			m.ovK = max(4, 2*m.ovK)
		}
	}
	cells := m.stride * (cfg.Height + 2)
	m.cells = make([]int32, cells*blockK)
	m.ov = make([]int32, cells*m.ovK)
	for i := range m.cells {
		m.cells[i] = -1
	}
	for i := range m.ov {
		m.ov[i] = -1
	}
	for y := range cfg.Height {
		for x := range cfg.Width {
			m.cells[((y+1)*m.stride+x+1)*blockK] = 0
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
	m.valid = make([]uint8, cells)
	for p := range m.valid {
		for d, o := range m.offs {
			if q := p + int(o); q >= 0 && q < cells && m.cells[q*blockK] >= 0 {
				m.valid[p] |= 1 << d
			}
		}
	}
	for a := range cfg.N {
		c := int(m.r.intn(uint32(cfg.Width * cfg.Height)))
		p := int32((c/cfg.Width+1)*m.stride + c%cfg.Width + 1)
		m.w[a] = 1
		m.add(int32(a), p)
		m.order[a] = uint64(a) | uint64(p)<<32
	}
	return m, nil
}

// at returns slot j of cell p.
func (m *Boltzmann) at(p, j int32) *int32 {
	if j < inline {
		return &m.cells[int(p)*blockK+1+int(j)]
	}
	return &m.ov[int(p)*m.ovK+int(j)-inline]
}

// count returns the number of agents in cell p.
func (m *Boltzmann) count(p int32) int32 { return m.cells[int(p)*blockK] }

// find returns agent a's slot in cell p.
func (m *Boltzmann) find(p, a int32) int32 {
	for j := range m.count(p) {
		if *m.at(p, j) == a {
			return j
		}
	}
	panic(fmt.Sprintf("benchmodels: boltzmann: agent %d is not in cell %d", a, p))
}

// add puts agent a last in cell p, growing the overflow area if the cell
// fills it.
func (m *Boltzmann) add(a, p int32) {
	n := m.count(p)
	if int(n) == inline+m.ovK {
		m.grow()
	}
	*m.at(p, n) = a
	m.cells[int(p)*blockK] = n + 1
}

// remove takes agent a out of cell p: the cell's last agent takes its slot.
func (m *Boltzmann) remove(a, p int32) {
	n := m.count(p) - 1
	*m.at(p, m.find(p, a)) = *m.at(p, n)
	*m.at(p, n) = -1
	m.cells[int(p)*blockK] = n
}

// grow doubles the overflow slots of every cell, keeping their agents in
// order.
func (m *Boltzmann) grow() {
	k2 := 2 * m.ovK
	ov := make([]int32, len(m.ov)/m.ovK*k2)
	for i := range ov {
		ov[i] = -1
	}
	for p := 0; p < len(m.ov)/m.ovK; p++ {
		copy(ov[p*k2:], m.ov[p*m.ovK:(p+1)*m.ovK])
	}
	m.ov, m.ovK = ov, k2
}

// agentCells returns every agent's cell, by agent id (a new slice).
func (m *Boltzmann) agentCells() []int32 {
	out := make([]int32, len(m.w))
	for _, e := range m.order {
		out[uint32(e)] = int32(e >> 32)
	}
	return out
}

// Step runs step t (t = 0, 1, ...): shuffled sequential activation of all
// agents, then data collection.
func (m *Boltzmann) Step(_ context.Context, t int) error {
	if t < 0 || t >= m.cfg.Steps {
		return fmt.Errorf("benchmodels: boltzmann: step %d outside the %d steps the model was built for", t, m.cfg.Steps)
	}
	m.r.fill(m.rnd)
	m.r.shuffle3(m.order, m.rnd[2*len(m.order):])
	m.activate()
	m.agentSt += int64(len(m.order))
	m.rec.Set(t, 0, m.record())
	return nil
}

// drawDir draws a direction uniformly among the valid ones of mask v with
// fresh bits.
func (m *Boltzmann) drawDir(v uint8) uint8 {
	for {
		if d := uint8(m.r.bitsN(3)); v>>d&1 != 0 {
			return d
		}
	}
}

// activate steps the agents in activation order. The agent at position i
// uses the random bytes rnd[2i] (its cellmate draw: Lemire's method on 8
// bits) and rnd[2i+1] (two 3-bit direction tries for its move to a
// uniformly chosen existing Moore neighbour).
//
// The inner loop makes no calls but the prefetches, every 8 agents (a call
// makes the compiler keep the loop's state on the stack instead of in
// registers): it stops for the outer loop to step an agent its fast path
// does not handle (move): one whose two direction tries point outside the
// grid, not among the first 4 slots of its cell, whose cell has agents in
// the overflow area, whose new cell has no free slot in its block, or whose
// 8-bit cellmate draw is rejected.
//
// Once the blocks outgrow the L2 cache (prefetchBytes), every 8 agents it
// prefetches the two blocks of each of the 8 agents after them: the
// activation order gives their cells and their random bytes their first
// direction tries, so those cache misses are served while the agents before
// them step. (Touching the blocks with plain loads instead does not help:
// a load that misses holds up the instructions behind it.)
func (m *Boltzmann) activate() {
	order, rnd := m.order, m.rnd
	rnd = rnd[:2*len(order)]
	cells, w, valid, offs := m.cells, m.w, m.valid, m.offs
	ahead := prefetching && 4*len(cells) > prefetchBytes
	var idx [16]uint32
	for i := 0; i < len(order); {
		for ; i < len(order); i++ {
			if ahead && i&7 == 0 && i+16 <= len(order) {
				for k := range 8 {
					pk := uint32(order[i+8+k] >> 32)
					idx[2*k] = pk * blockK
					idx[2*k+1] = uint32(int32(pk)+offs[rnd[2*(i+8+k)+1]&7]) * blockK
				}
				prefetch16(&cells[0], &idx)
			}
			// Agent a at activation position i moves from cell pc to a
			// uniformly chosen existing Moore neighbour qc.
			e := order[i]
			a := int32(uint32(e))
			r := rnd[2*i : 2*i+2 : 2*i+2]
			pc := uint32(e >> 32)
			v, d := valid[pc], r[1]&7
			if v>>d&1 == 0 {
				d = r[1] >> 3 & 7
			}
			qc := uint32(int32(pc) + offs[d])
			p, q := uint(pc)*blockK, uint(qc)*blockK
			pb := cells[p : p+blockK : p+blockK]
			qb := cells[q : q+blockK : q+blockK]
			cp, c := pb[0], qb[0]
			// a's slot among p's first four, branch-free (the branch would
			// be unpredictable): a is in one slot at most, and each term is
			// the slot's offset from slot 1 if it holds a, else 0.
			j := 1 + same(pb[2], a) + 2*same(pb[3], a) + 3*same(pb[4], a)
			// The cellmate, among q's c agents: Lemire's method on 8 bits.
			mm := uint32(r[0]) * uint32(c)
			if v>>d&1 == 0 || pb[j] != a || cp > inline || uint32(c) >= inline || uint8(mm) < lemire8[uint8(c)] {
				break
			}
			// Remove a from p: the cell's last agent takes its slot.
			pb[j] = pb[cp&(blockK-1)]
			pb[cp&(blockK-1)] = -1
			pb[0] = cp - 1
			// Add a last in q and give one unit to cellmate mm>>8,
			// branch-free (the branch is unpredictable): with no cellmate
			// the receiver is a itself and nothing is given.
			qb[(c+1)&(blockK-1)] = a
			qb[0] = c + 1
			o := qb[(mm>>8+1)&(blockK-1)]
			wa := w[uint32(a)]
			g := (-wa >> 31) & (-c >> 31) & 1 // 1 iff wealth > 0 and c > 0
			w[uint32(o)] += g
			w[uint32(a)] = wa - g
			order[i] = uint64(uint32(a)) | uint64(qc)<<32
		}
		if i < len(order) {
			m.move(i)
			i++
		}
	}
}

// same returns 1 if x == y, else 0, without a branch.
func same(x, y int32) int {
	d := uint32(x ^ y)
	return int(1 - (d|-d)>>31)
}

// move steps the agent at activation position i: it moves to a uniformly
// chosen existing Moore neighbour (its two direction tries, then fresh
// bits while they point outside the grid) and gives one unit to a
// cellmate drawn with its 8 random bits (Lemire's method on 8 bits,
// redrawing rejected bytes; 32 fresh bits for a cell of more than 255
// agents).
func (m *Boltzmann) move(i int) {
	a, p := int32(uint32(m.order[i])), int32(m.order[i]>>32)
	v, r := m.valid[p], m.rnd[2*i+1]
	d := r & 7
	if v>>d&1 == 0 {
		d = r >> 3 & 7
		if v>>d&1 == 0 {
			d = m.drawDir(v)
		}
	}
	q := p + m.offs[d]
	m.remove(a, p)
	c := m.count(q)
	var o int32
	if c > 0xff {
		o = int32(m.r.intn(uint32(c)))
	} else {
		mm := uint32(m.rnd[2*i]) * uint32(c)
		for uint8(mm) < lemire8[c] {
			mm = uint32(m.r.u32()&0xff) * uint32(c)
		}
		o = int32(mm >> 8)
	}
	if c > 0 && m.w[a] > 0 {
		m.w[*m.at(q, o)]++
		m.w[a]--
	}
	m.add(a, q)
	m.order[i] = uint64(uint32(a)) | uint64(uint32(q))<<32
}

// record appends every agent's wealth to the history and returns the Gini
// coefficient.
func (m *Boltzmann) record() float64 {
	at := len(m.history)
	m.history = append(m.history, m.w...)
	return m.gini(m.history[at:])
}

// Gini returns the Gini coefficient of the current wealths (Mesa's formula:
// with x sorted ascending, B = Σ xᵢ(n−i)/(n·Σx), G = 1 + 1/n − 2B), computed
// exactly from a histogram of the integer wealths instead of a sort.
func (m *Boltzmann) Gini() float64 { return m.gini(m.w) }

// gini returns the Gini coefficient of the wealths ws.
func (m *Boltzmann) gini(ws []int32) float64 {
	h := m.hist
	clear(h)
	for _, x := range ws {
		if int(x) >= len(h) {
			h = append(h, make([]int64, int(x)+1-len(h))...)
			m.hist = h
		}
		h[x]++
	}
	return giniHist(h, int64(len(ws)))
}

// giniHist returns the Gini coefficient of n integer wealths of histogram h
// (h[x] agents have wealth x).
func giniHist(h []int64, n int64) float64 {
	// Σ xᵢ(n−i) over sorted positions: a run of k equal values x starting at
	// position i0 contributes x·(k·n − k·i0 − k(k−1)/2).
	var num, i0, sum int64
	for x, k := range h {
		if k == 0 {
			continue
		}
		num += int64(x) * (k*n - k*i0 - k*(k-1)/2)
		sum += int64(x) * k
		i0 += k
	}
	if sum == 0 {
		return 0
	}
	b := float64(num) / (float64(n) * float64(sum))
	return 1 + 1/float64(n) - 2*b
}

// MaxWealth returns the largest wealth.
func (m *Boltzmann) MaxWealth() int32 {
	var mx int32
	for i := range m.w {
		mx = max(mx, m.w[i])
	}
	return mx
}

// TotalWealth returns the sum of all wealths (always N).
func (m *Boltzmann) TotalWealth() int64 {
	var s int64
	for i := range m.w {
		s += int64(m.w[i])
	}
	return s
}

// Wealth returns the agents' current wealths by id (a new slice).
func (m *Boltzmann) Wealth() []int32 { return slices.Clone(m.w) }

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
