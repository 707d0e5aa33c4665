package benchmodels

import (
	"context"
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

func TestGiniMatchesSortFormula(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 50 {
		m, err := NewBoltzmann(BoltzmannConfig{N: 1 + trial*7, Width: 5, Height: 5, Steps: 1}, rand.NewPCG(3, uint64(trial)))
		if err != nil {
			t.Fatal(err)
		}
		for i := range m.ag {
			m.ag[i].w = int32(r.IntN(1 + trial%12))
		}
		if trial == 0 {
			m.ag[0].w = 0
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

// boltzmannConsistent checks the cell lists against the agents' positions.
func boltzmannConsistent(t *testing.T, m *Boltzmann) {
	t.Helper()
	seen := make([]int, len(m.ag))
	for p := 0; p < len(m.cells)/m.k; p++ {
		n := m.cells[p*m.k]
		x, y := p%m.stride-1, p/m.stride-1
		inside := x >= 0 && x < m.cfg.Width && y >= 0 && y < m.cfg.Height
		if !inside {
			if n != -1 {
				t.Fatalf("border cell %d has count %d", p, n)
			}
			continue
		}
		for s := range int(n) {
			a := m.cells[p*m.k+1+s]
			seen[a]++
			if m.ag[a].cell != int32(p) || m.ag[a].slot != int32(s) {
				t.Fatalf("agent %d listed in cell %d slot %d but is at %d slot %d", a, p, s, m.ag[a].cell, m.ag[a].slot)
			}
		}
	}
	for a, c := range seen {
		if c != 1 {
			t.Fatalf("agent %d listed %d times", a, c)
		}
	}
}

func TestBoltzmannRules(t *testing.T) {
	ctx := context.Background()
	cfgs := []BoltzmannConfig{
		{N: 100, Width: 10, Height: 10, Steps: 125},
		{N: 10_000, Width: 100, Height: 100, Steps: 10},
		{N: 300, Width: 3, Height: 2, Steps: 30}, // crowded
		{N: 5, Width: 1, Height: 2, Steps: 20},   // one neighbour each
	}
	for i, cfg := range cfgs {
		m, err := NewBoltzmann(cfg, engine.NewStreams(uint64(i), 0).Source("boltzmann"))
		if err != nil {
			t.Fatal(err)
		}
		boltzmannConsistent(t, m)
		prev := make([]int32, cfg.N)
		for step := range cfg.Steps {
			for a := range m.ag {
				prev[a] = m.ag[a].cell
			}
			if err := m.Step(ctx, step); err != nil {
				t.Fatal(err)
			}
			for a := range m.ag {
				dx := m.ag[a].cell%int32(m.stride) - prev[a]%int32(m.stride)
				dy := m.ag[a].cell/int32(m.stride) - prev[a]/int32(m.stride)
				if max(dx, -dx, dy, -dy) != 1 {
					t.Fatalf("cfg %d step %d: agent %d moved by (%d,%d)", i, step, a, dx, dy)
				}
				if m.ag[a].w < 0 {
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
	// Crowding one cell beyond its stride grows the stride, keeping order.
	m, _ := NewBoltzmann(BoltzmannConfig{N: 12, Width: 10, Height: 10, Steps: 1}, rand.NewPCG(1, 1))
	if m.k != 8 {
		t.Fatalf("initial stride %d", m.k)
	}
	p0 := m.ag[0].cell
	for a := range int32(12) {
		m.remove(a, m.ag[a].cell)
		m.add(a, p0)
	}
	if m.k != 16 || m.cells[int(p0)*m.k] != 12 {
		t.Fatalf("stride %d, count %d", m.k, m.cells[int(p0)*m.k])
	}
	boltzmannConsistent(t, m)
	if err := m.Step(ctx, 0); err != nil {
		t.Fatal(err)
	}
	boltzmannConsistent(t, m)
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
