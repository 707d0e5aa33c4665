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
//
// Layout: one byte per cell on a grid padded with a border of Radius cells.
// An empty cell is drawn uniformly from the padded grid and redrawn while it
// is occupied or border, which is uniform over the empty cells exactly like
// Mesa's draw from the W·H cells. Happiness is evaluated from per-step box
// sums of the two types' counts (both packed in one uint16) over every
// cell's (2r+1)² neighbourhood, built with sliding sums, so an agent costs
// one read.
type Schelling struct {
	cfg     SchellingConfig
	r       *src
	stride  int
	rad     int
	grid    []uint8     // padded grid: cellEmpty, 1+type, or cellBorder
	code    [256]uint16 // cell value -> packed count: type 0 in the low byte, type 1 in the high byte
	rowSum  []uint16    // per-step sliding sums of code over 2r+1 columns
	box     []uint16    // per-step sums of code over the (2r+1)² box around each cell
	happyOK []bool      // indexed by 256*total + same
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
// Radius may be 1 to 7.
func NewSchelling(cfg SchellingConfig, r rand.Source) (*Schelling, error) {
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Radius < 1 || cfg.Radius > 7 || cfg.Steps < 0 ||
		!(cfg.Density >= 0 && cfg.Density <= 1) || !(cfg.MinorityPC >= 0 && cfg.MinorityPC <= 1) {
		return nil, fmt.Errorf("benchmodels: schelling: bad config %+v", cfg)
	}
	nbMax := (2*cfg.Radius+1)*(2*cfg.Radius+1) - 1
	rec, err := engine.NewRecorder([]string{"happy", "movers"}, cfg.Steps)
	if err != nil {
		return nil, err
	}
	rad := cfg.Radius
	m := &Schelling{cfg: cfg, r: newSrc(r), rec: rec, stride: cfg.Width + 2*rad, rad: rad}
	m.grid = make([]uint8, m.stride*(cfg.Height+2*rad))
	m.rowSum = make([]uint16, len(m.grid))
	m.box = make([]uint16, len(m.grid))
	for i := range m.grid {
		m.grid[i] = cellBorder
	}
	m.code[1] = 1
	m.code[2] = 1 << 8
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
	for y := range cfg.Height {
		for x := range cfg.Width {
			p := (y+rad)*m.stride + x + rad
			m.grid[p] = cellEmpty
			if m.r.float64() < cfg.Density {
				t := uint8(0)
				if m.r.float64() < cfg.MinorityPC {
					t = 1
				}
				m.grid[p] = 1 + t
				m.pos = append(m.pos, int32(p))
				m.typ = append(m.typ, t)
			}
		}
	}
	n := len(m.pos)
	m.empties = cfg.Width*cfg.Height - n
	m.isHappy = make([]bool, n)
	m.perm = make([]int32, n)
	identity(m.perm)
	m.evaluate()
	return m, nil
}

// evaluate re-evaluates every agent's happiness, in creation order, and sets
// the happy count. It first builds the (2r+1)×(2r+1) box sums of the packed
// type counts around every inner cell (sliding sums along rows, then along
// columns), so each agent costs one read.
func (m *Schelling) evaluate() {
	rad, stride, w, h := m.rad, m.stride, m.cfg.Width, m.cfg.Height
	grid, rs, box, code := m.grid, m.rowSum, m.box, &m.code
	// Row sums over columns x−r..x+r of every inner column (border rows
	// stay zero).
	for y := rad; y < rad+h; y++ {
		row := grid[y*stride : (y+1)*stride]
		out := rs[y*stride : (y+1)*stride]
		var acc uint16
		for x := 0; x < 2*rad; x++ {
			acc += code[row[x]]
		}
		for x := rad; x < rad+w; x++ {
			acc += code[row[x+rad]]
			out[x] = acc
			acc -= code[row[x-rad]]
		}
	}
	// Box sums: column sums of the row sums over rows y−r..y+r.
	first := box[rad*stride : (rad+1)*stride]
	clear(first)
	for yy := 0; yy <= 2*rad; yy++ {
		in := rs[yy*stride : (yy+1)*stride]
		for x := rad; x < rad+w; x++ {
			first[x] += in[x]
		}
	}
	for y := rad + 1; y < rad+h; y++ {
		prev := box[(y-1)*stride : y*stride]
		out := box[y*stride : (y+1)*stride]
		add := rs[(y+rad)*stride : (y+rad+1)*stride]
		sub := rs[(y-rad-1)*stride : (y-rad)*stride]
		for x := rad; x < rad+w; x++ {
			out[x] = prev[x] + add[x] - sub[x]
		}
	}
	happy := 0
	for a, p := range m.pos {
		acc := box[p] - code[grid[p]]
		t0, t1 := int(acc&0xff), int(acc>>8)
		same := t0
		if m.typ[a] == 1 {
			same = t1
		}
		h := m.happyOK[(t0+t1)*256+same]
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
	r.shuffle(m.perm)
	movers := 0
	if m.empties > 0 {
		grid := m.grid
		cells := uint32(len(grid))
		thresh := lemireThresh(cells)
		small := cells <= 1<<16
		for _, a := range m.perm {
			if m.isHappy[a] {
				continue
			}
			var p uint32
			if small {
				// emptyCell's 16-bit loop, spelled out (over the inliner's budget).
				for {
					mm := uint32(r.u16()) * cells
					if mm&0xffff < thresh {
						continue
					}
					if p = mm >> 16; grid[p] == cellEmpty {
						break
					}
				}
			} else {
				p = r.emptyCell(grid, cells, thresh)
			}
			old := m.pos[a]
			grid[p] = grid[old]
			grid[old] = cellEmpty
			m.pos[a] = int32(p)
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

// emptyCell draws cells uniformly from [0, n) until grid holds cellEmpty
// there (rejection sampling). Each try is Lemire's method on 16 random bits
// when n <= 2¹⁶ (32 otherwise), rejecting a product whose low word is below
// thresh = 2¹⁶ mod n (2³² mod n): exactly uniform.
func (s *src) emptyCell(grid []uint8, n, thresh uint32) uint32 {
	if n <= 1<<16 {
		for {
			m := uint32(s.u16()) * n
			if m&0xffff < thresh {
				continue
			}
			if p := m >> 16; grid[p] == cellEmpty {
				return p
			}
		}
	}
	for {
		m := uint64(s.u32()) * uint64(n)
		if uint32(m) < thresh {
			continue
		}
		if p := uint32(m >> 32); grid[p] == cellEmpty {
			return p
		}
	}
}

// lemireThresh returns 2¹⁶ mod n for n <= 2¹⁶, else 2³² mod n.
func lemireThresh(n uint32) uint32 {
	if n <= 1<<16 {
		return (1 << 16) % n
	}
	return uint32((1 << 32) % uint64(n))
}
