package benchmodels

import (
	"context"
	"fmt"
	"math/rand/v2"

	"frontiersim/engine"
)

// WolfSheepConfig sizes a Wolf-Sheep predation model.
type WolfSheepConfig struct {
	Width, Height  int
	Sheep, Wolves  int     // initial populations
	SheepReproduce float64 // per-step reproduction probability of a sheep
	WolfReproduce  float64 // per-step reproduction probability of a wolf
	GrassRegrowth  int     // R: an eaten patch is grown again at the end of tick t+R
	SheepGain      float64 // energy from a grass patch (Mesa default 4)
	WolfGain       float64 // energy from a sheep (Mesa default 20)
	Steps          int     // steps the model is built for
}

// animals is a struct-of-arrays population with slot reuse. Slots freed
// during a phase are reused only after it (pending), so a newborn never
// takes the slot of an agent still waiting in the phase's permutation.
type animals struct {
	cell    []int32
	energy  []float64
	alive   []bool
	free    []int32
	pending []int32
	n       int // alive
}

func newAnimals(capacity int) animals {
	return animals{
		cell:    make([]int32, 0, capacity),
		energy:  make([]float64, 0, capacity),
		alive:   make([]bool, 0, capacity),
		free:    make([]int32, 0, capacity),
		pending: make([]int32, 0, capacity),
	}
}

func (a *animals) spawn(c int32, e float64) int32 {
	a.n++
	if k := len(a.free); k > 0 {
		i := a.free[k-1]
		a.free = a.free[:k-1]
		a.cell[i], a.energy[i], a.alive[i] = c, e, true
		return i
	}
	a.cell = append(a.cell, c)
	a.energy = append(a.energy, e)
	a.alive = append(a.alive, true)
	return int32(len(a.cell) - 1)
}

func (a *animals) kill(i int32) {
	a.alive[i] = false
	a.pending = append(a.pending, i)
	a.n--
}

// endPhase makes the slots freed during the phase reusable.
func (a *animals) endPhase() {
	a.free = append(a.free, a.pending...)
	a.pending = a.pending[:0]
}

// order fills perm with the slots alive now, shuffled.
func (a *animals) order(r *src, perm []int32) []int32 {
	perm = perm[:0]
	for i, ok := range a.alive {
		if ok {
			perm = append(perm, int32(i))
		}
	}
	r.shuffle(perm)
	return perm
}

// WolfSheep is Mesa's Wolf-Sheep predation model with grass: each tick all
// sheep alive at the start of the phase act in random order, then all wolves
// alive at the start of theirs, then the grass regrowth due at the tick.
type WolfSheep struct {
	cfg     WolfSheepConfig
	r       *src
	nb      []int32 // 4 von Neumann neighbours per cell, torus
	sheep   animals
	wolves  animals
	inCell  buckets // sheep slots per cell
	wolfN   []int32 // wolves per cell
	grown   []bool
	due     []int32 // tick at whose end an eaten patch regrows
	grassN  int
	perm    []int32
	rec     *engine.Recorder // columns sheep, wolves, grass
	agents0 int
	agentSt int64
	steps   int
}

// NewWolfSheep builds the model: sheep with energy ~ U[0, 2·SheepGain), then
// wolves with energy ~ U[0, 2·WolfGain), each on a uniformly drawn cell;
// then one grass patch per cell, fully grown with probability ½, otherwise
// with a countdown c uniform on {0, …, R−1} (0: grown; c ≥ 1: grown at the
// end of tick c).
func NewWolfSheep(cfg WolfSheepConfig, r rand.Source) (*WolfSheep, error) {
	if cfg.Width < 3 || cfg.Height < 3 || cfg.Sheep < 0 || cfg.Wolves < 0 || cfg.GrassRegrowth < 1 || cfg.Steps < 0 {
		return nil, fmt.Errorf("benchmodels: wolfsheep: bad config %+v", cfg)
	}
	rec, err := engine.NewRecorder([]string{"sheep", "wolves", "grass"}, cfg.Steps)
	if err != nil {
		return nil, err
	}
	cells := cfg.Width * cfg.Height
	// Room for either population to grow 16-fold over the initial animals
	// before a step has to grow an array (Wolf-Sheep large peaks near 10×).
	room := 16*(cfg.Sheep+cfg.Wolves) + 64
	m := &WolfSheep{
		cfg:     cfg,
		r:       newSrc(r),
		nb:      vonNeumannTorus(cfg.Width, cfg.Height),
		sheep:   newAnimals(room),
		wolves:  newAnimals(room),
		inCell:  newBuckets(cells, room, 8),
		wolfN:   make([]int32, cells),
		grown:   make([]bool, cells),
		due:     make([]int32, cells),
		perm:    make([]int32, 0, room),
		rec:     rec,
		agents0: cfg.Sheep + cfg.Wolves,
	}
	for range cfg.Sheep {
		e := m.r.float64() * 2 * cfg.SheepGain
		m.addSheep(int32(m.r.intn(uint32(cells))), e)
	}
	for range cfg.Wolves {
		e := m.r.float64() * 2 * cfg.WolfGain
		m.addWolf(int32(m.r.intn(uint32(cells))), e)
	}
	for c := range cells {
		m.due[c] = -1
		grown := m.r.bitsN(1) == 0
		if !grown {
			cd := int(m.r.intn(uint32(cfg.GrassRegrowth)))
			if cd == 0 {
				grown = true
			} else {
				m.due[c] = int32(cd)
			}
		}
		m.grown[c] = grown
		if grown {
			m.grassN++
		}
	}
	return m, nil
}

func (m *WolfSheep) addSheep(c int32, e float64) {
	s := m.sheep.spawn(c, e)
	m.inCell.growAgents(len(m.sheep.cell))
	m.inCell.add(s, c)
}

func (m *WolfSheep) addWolf(c int32, e float64) {
	m.wolves.spawn(c, e)
	m.wolfN[c]++
}

func (m *WolfSheep) killSheep(s int32) {
	m.inCell.remove(s, m.sheep.cell[s])
	m.sheep.kill(s)
}

// Step runs tick t+1 (t = 0, 1, ...): the sheep phase, the wolf phase, the
// grass regrowth due at the tick, then data collection.
func (m *WolfSheep) Step(_ context.Context, t int) error {
	if t < 0 || t >= m.cfg.Steps {
		return fmt.Errorf("benchmodels: wolfsheep: step %d outside the %d steps the model was built for", t, m.cfg.Steps)
	}
	tick := int32(t + 1)
	r := m.r

	m.perm = m.sheep.order(r, m.perm)
	for _, s := range m.perm {
		if m.sheep.alive[s] {
			m.sheepStep(s, tick)
			m.agentSt++
		}
	}
	m.sheep.endPhase()

	m.perm = m.wolves.order(r, m.perm)
	for _, w := range m.perm {
		if m.wolves.alive[w] {
			m.wolfStep(w)
			m.agentSt++
		}
	}
	m.wolves.endPhase()
	m.sheep.endPhase()

	for c, d := range m.due {
		if d == tick {
			m.grown[c] = true
			m.due[c] = -1
			m.grassN++
		}
	}
	m.steps = t + 1
	m.rec.Set(t, 0, float64(m.sheep.n))
	m.rec.Set(t, 1, float64(m.wolves.n))
	m.rec.Set(t, 2, float64(m.grassN))
	return nil
}

func (m *WolfSheep) sheepStep(s, tick int32) {
	r := m.r
	c := m.sheep.cell[s]
	// Move: among the neighbours without wolves prefer those with grown
	// grass; stay put if every neighbour has a wolf.
	var cand, grass [4]int32
	nc, ng := 0, 0
	for _, d := range m.nb[c*4 : c*4+4] {
		if m.wolfN[d] == 0 {
			cand[nc] = d
			nc++
			if m.grown[d] {
				grass[ng] = d
				ng++
			}
		}
	}
	if nc > 0 {
		var d int32
		if ng > 0 {
			d = grass[r.intn(uint32(ng))]
		} else {
			d = cand[r.intn(uint32(nc))]
		}
		m.inCell.remove(s, c)
		m.inCell.add(s, d)
		m.sheep.cell[s] = d
		c = d
	}
	e := m.sheep.energy[s] - 1
	if m.grown[c] {
		e += m.cfg.SheepGain
		m.grown[c] = false
		m.due[c] = tick + int32(m.cfg.GrassRegrowth)
		m.grassN--
	}
	if e < 0 {
		m.killSheep(s)
		return
	}
	if r.float64() < m.cfg.SheepReproduce {
		e /= 2
		m.addSheep(c, e)
	}
	m.sheep.energy[s] = e
}

func (m *WolfSheep) wolfStep(w int32) {
	r := m.r
	c := m.wolves.cell[w]
	// Move: to a neighbour with sheep if any, else to any neighbour.
	var cand [4]int32
	nc := 0
	nbs := m.nb[c*4 : c*4+4]
	for _, d := range nbs {
		if len(m.inCell.cell[d]) > 0 {
			cand[nc] = d
			nc++
		}
	}
	var d int32
	if nc > 0 {
		d = cand[r.intn(uint32(nc))]
	} else {
		d = nbs[r.bitsN(2)]
	}
	m.wolfN[c]--
	m.wolfN[d]++
	m.wolves.cell[w] = d
	e := m.wolves.energy[w] - 1
	// Feed: eat one sheep of the cell chosen uniformly.
	if l := m.inCell.cell[d]; len(l) > 0 {
		m.killSheep(l[r.intn(uint32(len(l)))])
		e += m.cfg.WolfGain
	}
	if e < 0 {
		m.wolves.kill(w)
		m.wolfN[d]--
		return
	}
	if r.float64() < m.cfg.WolfReproduce {
		e /= 2
		m.addWolf(d, e)
	}
	m.wolves.energy[w] = e
}

// Sheep returns the number of living sheep.
func (m *WolfSheep) Sheep() int { return m.sheep.n }

// Wolves returns the number of living wolves.
func (m *WolfSheep) Wolves() int { return m.wolves.n }

// Grass returns the number of fully grown grass patches.
func (m *WolfSheep) Grass() int { return m.grassN }

// Recorder returns the per-step series (columns "sheep", "wolves", "grass",
// counted at the end of each step).
func (m *WolfSheep) Recorder() *engine.Recorder { return m.rec }

// Agents returns the number of animals at the start (grass patches are not
// agents that act).
func (m *WolfSheep) Agents() int { return m.agents0 }

// AgentSteps returns the number of animal activations so far.
func (m *WolfSheep) AgentSteps() int64 { return m.agentSt }

// Checks returns sheep, wolves and grass.
func (m *WolfSheep) Checks() []Check {
	return []Check{
		{"sheep", float64(m.sheep.n)},
		{"wolves", float64(m.wolves.n)},
		{"grass", float64(m.grassN)},
	}
}
