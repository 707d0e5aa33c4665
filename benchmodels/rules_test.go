package benchmodels

import (
	"context"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"frontiersim/engine"
)

func TestNamesAndSizes(t *testing.T) {
	if got := Names(); !slices.Equal(got, []string{"boltzmann", "schelling", "wolfsheep"}) {
		t.Fatalf("Names() = %v", got)
	}
	if got := Sizes("boltzmann"); !slices.Equal(got, []Size{Small, Medium, Large, Huge}) {
		t.Errorf("Sizes(boltzmann) = %v", got)
	}
	if got := Sizes("schelling"); !slices.Equal(got, []Size{Small, Large, Huge}) {
		t.Errorf("Sizes(schelling) = %v", got)
	}
	ctx := context.Background()
	_, err := Run(ctx, "boids", Small, 0, 1)
	if err == nil || !strings.Contains(err.Error(), "boltzmann, schelling, wolfsheep") {
		t.Errorf("unknown model: err = %v", err)
	}
	_, err = Run(ctx, "schelling", Medium, 0, 1)
	if err == nil || !strings.Contains(err.Error(), "small, large, huge") {
		t.Errorf("unknown size: err = %v", err)
	}
	r, err := Run(ctx, "boltzmann", Small, 0, 7)
	if err != nil {
		t.Fatal(err)
	}
	if r.Model != "boltzmann" || r.Size != "small" || r.Steps != 125 || r.Seed != 7 ||
		r.Agents != 100 || r.AgentSteps != 100*125 || r.Wall <= 0 || r.AgentStepsPerSecond() <= 0 {
		t.Errorf("result %+v", r)
	}
	names := []string{}
	for _, c := range r.Checks {
		names = append(names, c.Name)
	}
	if !slices.Equal(names, []string{"gini", "max_wealth", "total_wealth"}) {
		t.Errorf("checks %v", names)
	}
	r, err = Run(ctx, "schelling", Small, 3, 7)
	if err != nil {
		t.Fatal(err)
	}
	if r.Steps != 3 || len(r.Checks) != 6 || r.Checks[5].Name != "movers_step_3" {
		t.Errorf("schelling 3 steps: %+v", r)
	}
	if (Result{}).AgentStepsPerSecond() != 0 {
		t.Error("zero result rate")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Run(cctx, "wolfsheep", Small, 0, 1); err == nil {
		t.Error("cancelled run: no error")
	}
}

// TestDeterministic: a seed fixes the run; the *rand.Rand of Stream and the
// ChaCha8 of Source give the same draws.
func TestDeterministic(t *testing.T) {
	ctx := context.Background()
	for _, name := range Names() {
		a, _ := Run(ctx, name, Small, 0, 11)
		b, _ := Run(ctx, name, Small, 0, 11)
		c, _ := Run(ctx, name, Small, 0, 12)
		if !slices.Equal(a.Checks, b.Checks) {
			t.Errorf("%s: same seed, different checks", name)
		}
		if slices.Equal(a.Checks, c.Checks) {
			t.Errorf("%s: seeds 11 and 12 give the same checks %v", name, a.Checks)
		}
	}
	st := engine.NewStreams(5, 0)
	cfg := SchellingConfig{Width: 20, Height: 20, Density: 0.7, MinorityPC: 0.5, Homophily: 0.5, Radius: 1, Steps: 5}
	m1, _ := NewSchelling(cfg, st.Stream("schelling"))
	m2, _ := NewSchelling(cfg, st.Source("schelling"))
	engine.Run(ctx, m1, 5)
	engine.Run(ctx, m2, 5)
	if !slices.Equal(m1.Checks(), m2.Checks()) {
		t.Error("Stream and Source give different runs")
	}
	bcfg := BoltzmannConfig{N: 500, Width: 15, Height: 15, Steps: 20}
	b1, _ := NewBoltzmann(bcfg, st.Stream("boltzmann"))
	b2, _ := NewBoltzmann(bcfg, st.Source("boltzmann"))
	engine.Run(ctx, b1, bcfg.Steps)
	engine.Run(ctx, b2, bcfg.Steps)
	if !slices.Equal(b1.History(), b2.History()) {
		t.Error("Boltzmann: Stream and Source give different runs")
	}
}

func TestSrcUniform(t *testing.T) {
	s := newSrc(rand.NewChaCha8([32]byte{1}))
	const n, draws = 7, 70000
	var cnt [n]int
	for range draws {
		cnt[s.intn(n)]++
	}
	var cnt8 [8]int
	for range draws {
		cnt8[s.bitsN(3)]++
	}
	for i, c := range cnt {
		if c < draws/n-500 || c > draws/n+500 {
			t.Errorf("intn(%d): value %d drawn %d times", n, i, c)
		}
	}
	for i, c := range cnt8 {
		if c < draws/8-500 || c > draws/8+500 {
			t.Errorf("bitsN(3): value %d drawn %d times", i, c)
		}
	}
	if s.intn(1) != 0 {
		t.Error("intn(1) != 0")
	}
	p := make([]int32, 5)
	first := [5]int{}
	for range 50000 {
		identity(p)
		s.shuffle(p)
		first[p[0]]++
	}
	for i, c := range first {
		if c < 9400 || c > 10600 {
			t.Errorf("shuffle: %d first %d times of 50000", i, c)
		}
	}
}

// TestShuffle3Uniform: every permutation of 5 elements is about equally
// likely (chi-square over the 120), the batched words and the per-element
// draws included; a permutation longer than 2²¹ stays a permutation.
func TestShuffle3Uniform(t *testing.T) {
	s := newSrc(rand.NewChaCha8([32]byte{3}))
	const n, draws = 5, 120_000
	w := make([]byte, (shuffle3Words(n)+7)&^7)
	p := make([]uint64, n)
	seen := map[[n]uint64]int{}
	for range draws {
		for i := range p {
			p[i] = uint64(i)
		}
		s.fill(w)
		s.shuffle3(p, w)
		seen[[n]uint64(p)]++
	}
	chi2 := 0.0
	for _, c := range seen {
		d := float64(c) - draws/120
		chi2 += d * d / (draws / 120)
	}
	// 119 degrees of freedom: P(chi² > 180) < 2·10⁻⁴.
	if len(seen) != 120 || chi2 > 180 {
		t.Errorf("%d permutations drawn, chi² %.1f", len(seen), chi2)
	}
	big := make([]uint64, 1<<21+5)
	for i := range big {
		big[i] = uint64(i)
	}
	w = make([]byte, (shuffle3Words(len(big))+7)&^7)
	s.fill(w)
	s.shuffle3(big, w)
	slices.Sort(big)
	for i, x := range big {
		if x != uint64(i) {
			t.Fatalf("shuffle3 of %d elements: position %d holds %d after sorting", len(big), i, x)
		}
	}
}

// TestLemire8Exact: Lemire's method on 8 bits accepts every cellmate index
// of a cell of c agents for exactly as many of the 256 byte values.
func TestLemire8Exact(t *testing.T) {
	for c := 1; c < 256; c++ {
		cnt := make([]int, c)
		for x := range 256 {
			if mm := uint32(x) * uint32(c); uint8(mm) >= lemire8[c] {
				cnt[mm>>8]++
			}
		}
		for j, k := range cnt {
			if k != 256/c {
				t.Fatalf("c=%d: index %d accepted for %d bytes, want %d", c, j, k, 256/c)
			}
		}
	}
}

// TestBoltzmannMovesUniform: agents move to a uniformly chosen
// existing Moore neighbour, from corner, edge and interior cells alike.
func TestBoltzmannMovesUniform(t *testing.T) {
	m, _ := NewBoltzmann(BoltzmannConfig{N: 9, Width: 3, Height: 3, Steps: 1}, rand.NewPCG(4, 4))
	const trials = 24_000
	cnt := map[[2]uint32]int{}
	from := map[uint32]int{}
	for range trials {
		before := m.agentCells()
		m.r.fill(m.rnd)
		m.activate()
		for a, q := range m.agentCells() {
			cnt[[2]uint32{uint32(before[a]), uint32(q)}]++
			from[uint32(before[a])]++
		}
	}
	for pq, c := range cnt {
		p, q := int(pq[0]), int(pq[1])
		dx, dy := q%m.stride-p%m.stride, q/m.stride-p/m.stride
		if max(dx, -dx, dy, -dy) != 1 || m.count(int32(q)) < 0 {
			t.Fatalf("move from %d to %d", p, q)
		}
		want := float64(from[pq[0]]) / float64(bits.OnesCount8(m.valid[p]))
		if d := float64(c) - want; d*d > 16*want { // 4 standard deviations
			t.Errorf("move from %d to %d: %d times, want about %.0f", p, q, c, want)
		}
	}
	if len(cnt) != 4*3+4*5+8 {
		t.Errorf("%d distinct moves, want 40", len(cnt))
	}
}

func TestGiniMatchesSortFormula(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 50 {
		m, err := NewBoltzmann(BoltzmannConfig{N: 1 + trial*7, Width: 5, Height: 5, Steps: 1}, rand.NewPCG(3, uint64(trial)))
		if err != nil {
			t.Fatal(err)
		}
		for i := range m.w {
			m.w[i] = int32(r.IntN(1 + trial%12))
		}
		if trial == 0 {
			m.w[0] = 0
		}
		x := m.Wealth()
		slices.Sort(x)
		n := float64(len(x))
		var num, sum float64
		for i, xi := range x {
			num += float64(xi) * (n - float64(i))
			sum += float64(xi)
		}
		want := 0.0
		if sum > 0 {
			want = 1 + 1/n - 2*num/(n*sum)
		}
		if got := m.Gini(); got-want > 1e-12 || want-got > 1e-12 {
			t.Errorf("trial %d: Gini %v, sort formula %v", trial, got, want)
		}
	}
}

// boltzmannConsistent checks the cell blocks and the overflow area against
// the activation order's cells: every agent in the order once and listed
// once, in its cell; counts matching; unused slots empty.
func boltzmannConsistent(t *testing.T, m *Boltzmann) {
	t.Helper()
	n := len(m.w)
	cellOf := make([]int32, n)
	inOrder := make([]int, n)
	for _, e := range m.order {
		a := uint32(e)
		if int(a) >= n {
			t.Fatalf("order entry %x", e)
		}
		inOrder[a]++
		cellOf[a] = int32(e >> 32)
	}
	seen := make([]int, n)
	cells := len(m.cells) / blockK
	if cells != m.stride*(m.cfg.Height+2) || len(m.ov) != cells*m.ovK {
		t.Fatalf("%d cells, overflow %d × %d", cells, len(m.ov)/m.ovK, m.ovK)
	}
	for p := range int32(cells) {
		c := m.count(p)
		x, y := int(p)%m.stride-1, int(p)/m.stride-1
		inside := x >= 0 && x < m.cfg.Width && y >= 0 && y < m.cfg.Height
		if !inside {
			c = 0
			if m.count(p) != -1 {
				t.Fatalf("border cell %d has count %d", p, m.count(p))
			}
		}
		if c < 0 || int(c) > inline+m.ovK {
			t.Fatalf("cell %d has count %d", p, c)
		}
		for j := range int32(inline + m.ovK) {
			a := *m.at(p, j)
			if j >= c {
				if a != -1 {
					t.Fatalf("cell %d: unused slot %d holds %d", p, j, a)
				}
				continue
			}
			if a < 0 || int(a) >= n {
				t.Fatalf("cell %d slot %d holds %d", p, j, a)
			}
			seen[a]++
			if cellOf[a] != p {
				t.Fatalf("agent %d listed in cell %d slot %d but is at %d", a, p, j, cellOf[a])
			}
		}
	}
	for a := range n {
		if seen[a] != 1 || inOrder[a] != 1 {
			t.Fatalf("agent %d listed %d times, in the order %d times", a, seen[a], inOrder[a])
		}
	}
}

// relocate moves agent a to cell p by hand, as a step would.
func relocate(m *Boltzmann, a, p int32) {
	for i, e := range m.order {
		if int32(uint32(e)) == a {
			m.remove(a, int32(e>>32))
			m.add(a, p)
			m.order[i] = uint64(uint32(a)) | uint64(uint32(p))<<32
		}
	}
}

func TestBoltzmannRules(t *testing.T) {
	ctx := context.Background()
	cfgs := []BoltzmannConfig{
		{N: 100, Width: 10, Height: 10, Steps: 125},
		{N: 10_000, Width: 100, Height: 100, Steps: 10},
		{N: 2000, Width: 200, Height: 200, Steps: 3}, // blocks prefetched
		{N: 300, Width: 3, Height: 2, Steps: 30},     // crowded
		{N: 5, Width: 1, Height: 2, Steps: 20},       // one neighbour each
	}
	for i, cfg := range cfgs {
		m, err := NewBoltzmann(cfg, engine.NewStreams(uint64(i), 0).Source("boltzmann"))
		if err != nil {
			t.Fatal(err)
		}
		boltzmannConsistent(t, m)
		for step := range cfg.Steps {
			prev := m.agentCells()
			if err := m.Step(ctx, step); err != nil {
				t.Fatal(err)
			}
			for a, p := range m.agentCells() {
				dx := p%int32(m.stride) - prev[a]%int32(m.stride)
				dy := p/int32(m.stride) - prev[a]/int32(m.stride)
				if max(dx, -dx, dy, -dy) != 1 {
					t.Fatalf("cfg %d step %d: agent %d moved by (%d,%d)", i, step, a, dx, dy)
				}
				if m.w[a] < 0 {
					t.Fatalf("negative wealth")
				}
			}
			if m.TotalWealth() != int64(cfg.N) {
				t.Fatalf("cfg %d step %d: total wealth %d, want %d", i, step, m.TotalWealth(), cfg.N)
			}
			boltzmannConsistent(t, m)
			if got := m.Recorder().Get(step, 0); got != m.Gini() {
				t.Fatalf("recorded gini %v != %v", got, m.Gini())
			}
		}
		if m.AgentSteps() != int64(cfg.N*cfg.Steps) || len(m.History()) != cfg.N*cfg.Steps {
			t.Errorf("cfg %d: agent steps %d, history %d", i, m.AgentSteps(), len(m.History()))
		}
		if !slices.Equal(m.History()[len(m.History())-cfg.N:], m.Wealth()) {
			t.Errorf("cfg %d: last history row is not the final wealth", i)
		}
		if err := m.Step(ctx, cfg.Steps); err == nil {
			t.Error("step beyond the configured steps: no error")
		}
	}
	// Crowding one cell beyond its block and its overflow slots grows the
	// overflow area, keeping every cell's agents in order.
	m, _ := NewBoltzmann(BoltzmannConfig{N: 12, Width: 10, Height: 10, Steps: 1}, rand.NewPCG(1, 1))
	if m.ovK != 4 {
		t.Fatalf("initial overflow slots %d", m.ovK)
	}
	p0 := m.agentCells()[0]
	for a := range int32(12) {
		relocate(m, a, p0)
	}
	if m.ovK != 8 || m.count(p0) != 12 {
		t.Fatalf("overflow slots %d, count %d", m.ovK, m.count(p0))
	}
	for a := range int32(12) {
		if *m.at(p0, a) != a {
			t.Fatalf("slot %d holds agent %d", a, *m.at(p0, a))
		}
	}
	boltzmannConsistent(t, m)
	if err := m.Step(ctx, 0); err != nil {
		t.Fatal(err)
	}
	boltzmannConsistent(t, m)
	// A row of three cells with all the agents at both ends, and one overflow
	// slot per cell: in a step every end agent moves to the middle, which
	// fills up mid-step, and the overflow area grows there.
	m, _ = newBoltzmann(BoltzmannConfig{N: 20, Width: 3, Height: 1, Steps: 10}, rand.NewPCG(2, 2), 1)
	for a := range int32(20) {
		relocate(m, a, int32(m.stride+1+2*int(a%2)))
	}
	boltzmannConsistent(t, m)
	grown := m.ovK
	for step := range 10 {
		if err := m.Step(ctx, step); err != nil {
			t.Fatal(err)
		}
		boltzmannConsistent(t, m)
		if m.TotalWealth() != 20 {
			t.Fatalf("step %d: wealth %v", step, m.Wealth())
		}
		if middle := m.count(int32(m.stride + 2)); step == 0 && middle != 20 {
			t.Fatalf("after step 0: %d agents in the middle", middle)
		}
	}
	if m.ovK == grown {
		t.Errorf("overflow slots stayed %d", m.ovK)
	}
}

// schellingHappyNaive evaluates an agent's happiness directly from the rules.
func schellingHappyNaive(m *Schelling, a int) bool {
	w, h, r := m.cfg.Width, m.cfg.Height, m.cfg.Radius
	p := int(m.pos[a])
	x, y := p%m.stride-r, p/m.stride-r
	same, total := 0, 0
	for yy := max(0, y-r); yy <= min(h-1, y+r); yy++ {
		for xx := max(0, x-r); xx <= min(w-1, x+r); xx++ {
			if xx == x && yy == y {
				continue
			}
			v := m.grid[(yy+r)*m.stride+xx+r]
			if v == 1 || v == 2 {
				total++
				if v == 1+m.typ[a] {
					same++
				}
			}
		}
	}
	frac := 0.0
	if total > 0 {
		frac = float64(same) / float64(total)
	}
	return frac >= m.cfg.Homophily
}

func TestSchellingRules(t *testing.T) {
	ctx := context.Background()
	cfgs := []SchellingConfig{
		{Width: 40, Height: 40, Density: 0.625, MinorityPC: 0.5, Homophily: 0.4, Radius: 1, Steps: 20},
		{Width: 100, Height: 100, Density: 0.8, MinorityPC: 0.5, Homophily: 1, Radius: 2, Steps: 3},
		{Width: 13, Height: 7, Density: 0.5, MinorityPC: 0.3, Homophily: 0.6, Radius: 3, Steps: 10},
	}
	for i, cfg := range cfgs {
		m, err := NewSchelling(cfg, engine.NewStreams(uint64(i), 0).Source("schelling"))
		if err != nil {
			t.Fatal(err)
		}
		n := m.Agents()
		wasHappy := make([]bool, n)
		prev := make([]int32, n)
		for step := range cfg.Steps {
			copy(wasHappy, m.isHappy)
			copy(prev, m.pos)
			if err := m.Step(ctx, step); err != nil {
				t.Fatal(err)
			}
			unhappy, happy := 0, 0
			occupied := 0
			for _, v := range m.grid {
				if v == 1 || v == 2 {
					occupied++
				}
			}
			if occupied != n {
				t.Fatalf("%d occupied cells for %d agents", occupied, n)
			}
			for a := range n {
				if m.grid[m.pos[a]] != 1+m.typ[a] {
					t.Fatalf("agent %d not on its cell", a)
				}
				moved := m.pos[a] != prev[a]
				if wasHappy[a] == moved {
					t.Fatalf("cfg %d step %d: agent %d happy=%v moved=%v", i, step, a, wasHappy[a], moved)
				}
				if !wasHappy[a] {
					unhappy++
				}
				if schellingHappyNaive(m, a) != m.isHappy[a] {
					t.Fatalf("cfg %d step %d: agent %d happiness differs from the rule", i, step, a)
				}
				if m.isHappy[a] {
					happy++
				}
			}
			if m.Movers(step) != unhappy || m.Happy() != happy {
				t.Fatalf("movers %d (want %d), happy %d (want %d)", m.Movers(step), unhappy, m.Happy(), happy)
			}
		}
	}
}

// wolfSheepConsistent checks the per-cell structures and the grass state.
func wolfSheepConsistent(t *testing.T, m *WolfSheep, tick int32) {
	t.Helper()
	wolves := make([]int32, len(m.wolfN))
	nw := 0
	for w, ok := range m.wolves.alive {
		if ok {
			wolves[m.wolves.cell[w]]++
			nw++
			if m.wolves.energy[w] < 0 {
				t.Fatalf("live wolf with energy %v", m.wolves.energy[w])
			}
		}
	}
	if !slices.Equal(wolves, m.wolfN) || nw != m.Wolves() {
		t.Fatalf("wolf counts inconsistent")
	}
	ns := 0
	for s, ok := range m.sheep.alive {
		if ok {
			ns++
			c := m.sheep.cell[s]
			if m.inCell.cell[c][m.inCell.slot[s]] != int32(s) || m.sheep.energy[s] < 0 {
				t.Fatalf("sheep %d not listed in its cell", s)
			}
		}
	}
	listed := 0
	for _, l := range m.inCell.cell {
		listed += len(l)
	}
	if ns != m.Sheep() || listed != ns {
		t.Fatalf("sheep: %d alive, count %d, listed %d", ns, m.Sheep(), listed)
	}
	grass := 0
	for c, g := range m.grown {
		if g {
			grass++
			if m.due[c] != -1 {
				t.Fatalf("grown patch with a pending regrowth")
			}
		} else if d := m.due[c]; d <= tick || d > tick+int32(m.cfg.GrassRegrowth) {
			t.Fatalf("tick %d: patch regrows at %d", tick, d)
		}
	}
	if grass != m.Grass() {
		t.Fatalf("grass %d, counted %d", m.Grass(), grass)
	}
}

func TestWolfSheepRules(t *testing.T) {
	ctx := context.Background()
	for _, size := range []Size{Small, Large} {
		for seed := range uint64(3) {
			bm, steps, err := newModel("wolfsheep", size, 0, seed)
			if err != nil {
				t.Fatal(err)
			}
			m := bm.(*WolfSheep)
			wolfSheepConsistent(t, m, 0)
			for step := range steps {
				before := m.Sheep() + m.Wolves()
				act := m.AgentSteps()
				if err := m.Step(ctx, step); err != nil {
					t.Fatal(err)
				}
				// Every animal alive at the start of the step acts once:
				// sheep die in their own phase only after acting, wolves eat
				// only sheep, and newborns wait for the next step.
				if got := m.AgentSteps() - act; got != int64(before) {
					t.Fatalf("step %d: %d activations for %d animals", step, got, before)
				}
				wolfSheepConsistent(t, m, int32(step+1))
				row := m.Recorder().Row(step)
				if row[0] != float64(m.Sheep()) || row[1] != float64(m.Wolves()) || row[2] != float64(m.Grass()) {
					t.Fatalf("recorder row %v", row)
				}
			}
		}
	}
}

// TestWolfSheepAnimalRules runs single animal steps in hand-made situations.
func TestWolfSheepAnimalRules(t *testing.T) {
	cfg := WolfSheepConfig{Width: 5, Height: 5, SheepReproduce: 0, WolfReproduce: 0, GrassRegrowth: 3, SheepGain: 4, WolfGain: 20, Steps: 5}
	newEmpty := func() *WolfSheep {
		m, err := NewWolfSheep(cfg, rand.NewPCG(1, 1))
		if err != nil {
			t.Fatal(err)
		}
		for c := range m.grown {
			m.grown[c], m.due[c] = false, 9
		}
		m.grassN = 0
		return m
	}
	at := func(x, y int) int32 { return int32(y*5 + x) }

	// A wolf with one neighbouring sheep moves there and eats it.
	for range 20 {
		m := newEmpty()
		m.addWolf(at(2, 2), 5)
		m.addSheep(at(2, 3), 3)
		m.wolfStep(0)
		if m.wolves.cell[0] != at(2, 3) || m.Sheep() != 0 || m.wolves.energy[0] != 5-1+20 {
			t.Fatalf("wolf at %d energy %v, sheep %d", m.wolves.cell[0], m.wolves.energy[0], m.Sheep())
		}
	}
	// A sheep surrounded by wolves stays; one next to a single grown patch
	// without wolves goes there and eats it; torus wrap-around included.
	m := newEmpty()
	m.addSheep(at(0, 0), 2)
	for _, c := range []int32{at(1, 0), at(4, 0), at(0, 1), at(0, 4)} {
		m.addWolf(c, 10)
	}
	m.sheepStep(0, 1)
	if m.sheep.cell[0] != at(0, 0) || m.sheep.energy[0] != 1 {
		t.Fatalf("surrounded sheep at %d energy %v", m.sheep.cell[0], m.sheep.energy[0])
	}
	for range 20 {
		m := newEmpty()
		m.addSheep(at(0, 0), 2)
		m.addWolf(at(1, 0), 10)
		m.grown[at(0, 4)], m.due[at(0, 4)] = true, -1
		m.grown[at(1, 0)], m.due[at(1, 0)] = true, -1 // has a wolf
		m.grassN = 2
		m.sheepStep(0, 7)
		if m.sheep.cell[0] != at(0, 4) || m.sheep.energy[0] != 2-1+4 || m.grown[at(0, 4)] || m.due[at(0, 4)] != 10 {
			t.Fatalf("sheep at %d energy %v", m.sheep.cell[0], m.sheep.energy[0])
		}
	}
	// A starving animal dies after feeding fails; one that reproduces halves
	// its energy and the newborn shares its cell.
	m = newEmpty()
	m.addSheep(at(2, 2), 0.5)
	m.sheepStep(0, 1)
	if m.Sheep() != 0 || len(m.inCell.cell[m.sheep.cell[0]]) != 0 {
		t.Fatal("starving sheep survived")
	}
	m = newEmpty()
	m.cfg.WolfReproduce = 1
	m.addWolf(at(2, 2), 9)
	m.wolfStep(0)
	if m.Wolves() != 2 || m.wolves.energy[0] != 4 || m.wolves.energy[1] != 4 || m.wolves.cell[1] != m.wolves.cell[0] {
		t.Fatalf("reproduction: %d wolves, energies %v", m.Wolves(), m.wolves.energy)
	}
}

// TestEmptyCellUniform: the rejection sampler draws only empty cells, and
// uniformly (checked per quarter of the grid and for the last cell), on both
// its 16-bit and its 32-bit path.
func TestEmptyCellUniform(t *testing.T) {
	for _, n := range []uint32{1000, 70_000} {
		grid := make([]uint8, n)
		empties := 0
		for i := range grid {
			grid[i] = 1
			if i%8 == 0 || i == int(n)-1 {
				grid[i] = cellEmpty
				empties++
			}
		}
		s := newSrc(rand.NewChaCha8([32]byte{byte(n)}))
		th := lemireThresh(n)
		var quarter [4]int
		last := 0
		const draws = 40_000
		for range draws {
			p := s.emptyCell(grid, n, th)
			if grid[p] != cellEmpty {
				t.Fatalf("n=%d: drew occupied cell %d", n, p)
			}
			quarter[uint64(p)*4/uint64(n)]++
			if p == n-1 {
				last++
			}
		}
		for q, c := range quarter {
			if c < draws/4-600 || c > draws/4+600 {
				t.Errorf("n=%d: quarter %d drawn %d times of %d", n, q, c, draws)
			}
		}
		if want := draws / empties; last > 3*want+10 {
			t.Errorf("n=%d: last cell drawn %d times, expected about %d", n, last, want)
		}
	}
}
