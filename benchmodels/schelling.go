package benchmodels

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"

	"frontiersim/engine"
)

// SchellingConfig sizes a Schelling segregation model.
type SchellingConfig struct {
	Width, Height int
	Density       float64 // probability that a cell starts occupied
	MinorityPC    float64 // probability that an agent is of type 1 (Mesa default 0.5)
	Homophily     float64 // fraction of same-type neighbours needed to be happy
	Radius        int     // Chebyshev neighbourhood radius, no torus
	Steps         int     // steps the model is built for
}

// Schelling is Mesa's Schelling segregation model: every step, in a fresh
// random order, each agent that was unhappy at the last evaluation moves to
// an empty cell found by rejection sampling; then every agent re-evaluates
// its happiness.
type Schelling struct {
	cfg     SchellingConfig
	r       *rand.Rand
	stride  int
	grid    []uint8 // padded grid: cellEmpty, 1+type, or cellBorder
	inner   []int32 // unpadded cell index -> padded index
	offs    []int32 // neighbourhood offsets in the padded grid, own cell excluded
	code    [2][4]uint16
	happyOK []bool // indexed by same + 256*total
	pos     []int32
	typ     []uint8
	isHappy []bool
	perm    []int32
	happy   int
	empties int
	rec     *engine.Recorder // columns happy, movers
	moves   int64
	agentSt int64
	steps   int
}

const (
	cellEmpty  = 0
	cellBorder = 3
)

// NewSchelling builds the model: every cell, in coordinate order, is occupied
// with probability Density by an agent of type 1 with probability
// MinorityPC (else type 0); then every agent evaluates its happiness.
func NewSchelling(cfg SchellingConfig, r *rand.Rand) (*Schelling, error) {
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Radius < 1 || cfg.Steps < 0 ||
		!(cfg.Density >= 0 && cfg.Density <= 1) || !(cfg.MinorityPC >= 0 && cfg.MinorityPC <= 1) {
		return nil, fmt.Errorf("benchmodels: schelling: bad config %+v", cfg)
	}
	nbMax := (2*cfg.Radius+1)*(2*cfg.Radius+1) - 1
	if nbMax > 255 {
		return nil, fmt.Errorf("benchmodels: schelling: radius %d too large", cfg.Radius)
	}
	rec, err := engine.NewRecorder([]string{"happy", "movers"}, cfg.Steps)
	if err != nil {
		return nil, err
	}
	rad := cfg.Radius
	m := &Schelling{cfg: cfg, r: r, rec: rec, stride: cfg.Width + 2*rad}
	m.grid = make([]uint8, m.stride*(cfg.Height+2*rad))
	for i := range m.grid {
		m.grid[i] = cellBorder
	}
	m.inner = make([]int32, cfg.Width*cfg.Height)
	for y := range cfg.Height {
		for x := range cfg.Width {
			p := (y+rad)*m.stride + x + rad
			m.inner[y*cfg.Width+x] = int32(p)
			m.grid[p] = cellEmpty
		}
	}
	for dy := -rad; dy <= rad; dy++ {
		for dx := -rad; dx <= rad; dx++ {
			if dx != 0 || dy != 0 {
				m.offs = append(m.offs, int32(dy*m.stride+dx))
			}
		}
	}
	// A neighbour cell contributes 256 to the total and 1 to "same" when it
	// holds an agent of the evaluating agent's type.
	for t := range 2 {
		m.code[t][1+t] = 256 + 1
		m.code[t][2-t] = 256
	}
	m.happyOK = make([]bool, 256*(nbMax+1))
	for total := 0; total <= nbMax; total++ {
		for same := 0; same <= total; same++ {
			frac := 0.0
			if total > 0 {
				frac = float64(same) / float64(total)
			}
			m.happyOK[total*256+same] = frac >= cfg.Homophily
		}
	}
	for _, p := range m.inner {
		if r.Float64() < cfg.Density {
			t := uint8(0)
			if r.Float64() < cfg.MinorityPC {
				t = 1
			}
			m.grid[p] = 1 + t
			m.pos = append(m.pos, p)
			m.typ = append(m.typ, t)
		}
	}
	n := len(m.pos)
	m.empties = len(m.inner) - n
	m.isHappy = make([]bool, n)
	m.perm = make([]int32, n)
	identity(m.perm)
	m.evaluate()
	return m, nil
}

// evaluate re-evaluates every agent's happiness, in creation order, and sets
// the happy count.
func (m *Schelling) evaluate() {
	grid, offs := m.grid, m.offs
	happy := 0
	for a, p := range m.pos {
		code := &m.code[m.typ[a]]
		var acc uint16
		for _, o := range offs {
			acc += code[grid[p+o]]
		}
		h := m.happyOK[acc]
		m.isHappy[a] = h
		if h {
			happy++
		}
	}
	m.happy = happy
}

// Step runs step t: shuffled sequential activation (unhappy agents move to a
// uniformly random empty cell), then re-evaluation of all agents.
func (m *Schelling) Step(_ context.Context, t int) error {
	if t < 0 || t >= m.cfg.Steps {
		return fmt.Errorf("benchmodels: schelling: step %d outside the %d steps the model was built for", t, m.cfg.Steps)
	}
	r := m.r
	m.happy = 0
	shuffle(r, m.perm)
	movers := 0
	if m.empties > 0 {
		grid, inner := m.grid, m.inner
		cells := uint32(len(inner))
		for _, a := range m.perm {
			if m.isHappy[a] {
				continue
			}
			var p int32
			for {
				p = inner[r.Uint32N(cells)]
				if grid[p] == cellEmpty {
					break
				}
			}
			old := m.pos[a]
			grid[p] = grid[old]
			grid[old] = cellEmpty
			m.pos[a] = p
			movers++
		}
	}
	m.agentSt += int64(len(m.perm))
	m.moves += int64(movers)
	m.steps = t + 1
	m.evaluate()
	m.rec.Set(t, 0, float64(m.happy))
	m.rec.Set(t, 1, float64(movers))
	return nil
}

// Happy returns the number of happy agents at the last evaluation.
func (m *Schelling) Happy() int { return m.happy }

// Movers returns the number of agents that moved in step t.
func (m *Schelling) Movers(t int) int { return int(m.rec.Get(t, 1)) }

// TotalMoves returns the number of moves so far.
func (m *Schelling) TotalMoves() int64 { return m.moves }

// Recorder returns the per-step series (columns "happy", "movers").
func (m *Schelling) Recorder() *engine.Recorder { return m.rec }

// Agents returns the number of agents.
func (m *Schelling) Agents() int { return len(m.pos) }

// AgentSteps returns the number of agent activations so far (happy agents
// are activated too; they just do nothing).
func (m *Schelling) AgentSteps() int64 { return m.agentSt }

// Checks returns agents, happy, total_moves, then movers_step_1..N for the
// steps run.
func (m *Schelling) Checks() []Check {
	cs := []Check{
		{"agents", float64(len(m.pos))},
		{"happy", float64(m.happy)},
		{"total_moves", float64(m.moves)},
	}
	for t := range m.steps {
		cs = append(cs, Check{"movers_step_" + strconv.Itoa(t+1), m.rec.Get(t, 1)})
	}
	return cs
}
