package market

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

var inf = math.Inf(1)

// solveCompute solves m with the default solver and fails the test on error.
func solveCompute(t *testing.T, name string, m *ComputeMarket) *ComputeEquilibrium {
	t.Helper()
	var e ComputeEquilibrium
	if err := (ComputeSolver{}).Solve(m, &e); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &e
}

// lambertW is the principal branch of the Lambert W function for x >= 0
// (w e^w = x), by Halley's method.
func lambertW(x float64) float64 {
	w := math.Log1p(x)
	for range 100 {
		ew := math.Exp(w)
		f := w*ew - x
		d := ew*(w+1) - (w+2)*f/(2*w+2)
		step := f / d
		w -= step
		if math.Abs(step) <= 1e-15*math.Max(1, math.Abs(w)) {
			break
		}
	}
	return w
}

// monopolyPrice is the closed form of a cloud's price to a lab that can buy
// only there (single-product logit with outside good) when the cloud holds
// stake theta in the lab and values each GPU-hour the lab obtains at w:
// from (1−θ) − α(1−s)(p−c) − α w (1−s) = 0 and s/(1−s) = exp(α(V−p)),
// z e^z = (1−θ) exp(α(V−c+w) − (1−θ)) with z = α(p−c+w) − (1−θ), so
// p = c − w + (1 − θ + W((1−θ) e^{α(V−c+w)−(1−θ)}))/α. Without stakes it is
// the textbook p = c + (1 + W(e^{α(V−c)−1}))/α.
func monopolyPrice(alpha, value, cost, theta, w float64) float64 {
	z := lambertW((1 - theta) * math.Exp(alpha*(value-cost+w)-(1-theta)))
	return cost - w + (1-theta+z)/alpha
}

// Both clouds ample: the Bertrand–Nash prices on the logit compute demand.
// The first row is model-v2 §4's reference case B1 (solved there by a
// brute-force nested optimisation); every row must also satisfy the
// single-product markup p − c = 1/(α(1 − s)) lab by lab, and the scale of
// demand and capacity must not matter.
func TestComputePricesAmpleIsBertrandNash(t *testing.T) {
	cases := []struct {
		name              string
		m                 ComputeMarket
		wantPrice, wantSh []float64 // nil: check the markup identity only
		wantOutside       float64
	}{
		{"B1: a = (2, 1.5), c = (1, 0.8)", ComputeMarket{Labs: 1, Clouds: 2, Alpha: []float64{1}, Potential: []float64{1},
			Value: []float64{2, 1.5}, Cost: []float64{1, 0.8}, Capacity: []float64{inf, inf}},
			[]float64{2.425486, 2.124036}, []float64{0.298485, 0.244733}, 0.456782},
		{"B1 in GPU-hours: potential 4e8, finite ample capacity", ComputeMarket{Labs: 1, Clouds: 2, Alpha: []float64{1}, Potential: []float64{4e8},
			Value: []float64{2, 1.5}, Cost: []float64{1, 0.8}, Capacity: []float64{4e8, 4e8}},
			[]float64{2.425486, 2.124036}, []float64{0.298485, 0.244733}, 0.456782},
		{"three labs, three clouds, one lab barred from a cloud", ComputeMarket{Labs: 3, Clouds: 3,
			Alpha: []float64{1, 2.5, 0.6}, Potential: []float64{3, 1, 2},
			Value:  []float64{4, 3.5, 3, 2, 2.2, 1.9, 6, 5, 7},
			Access: []Access{0, 0, 0, 0, 0, AccessBarred, 0, AccessPriority, 0},
			Cost:   []float64{1, 1.2, 0.9}, Capacity: []float64{inf, 100, inf}}, nil, nil, 0},
	}
	for _, c := range cases {
		e := solveCompute(t, c.name, &c.m)
		K := c.m.Clouds
		for i, p := range c.wantPrice {
			checkAbs(t, c.name+" price", e.Price[i], p) // model-v2 §4: 1e-4 absolute
			checkTol(t, c.name+" price to the quoted digits", e.Price[i], p, 5e-7)
			checkTol(t, c.name+" share", e.Share[i], c.wantSh[i], 5e-7)
		}
		if c.wantPrice != nil {
			checkTol(t, c.name+" outside", e.Outside[0], c.wantOutside, 5e-7)
		}
		for j := range c.m.Labs {
			for k := range K {
				i := j*K + k
				if c.m.access(i) == AccessBarred {
					if !math.IsInf(e.Price[i], 1) || e.Quantity[i] != 0 {
						t.Errorf("%s: barred pair (%d,%d) price %g quantity %g", c.name, j, k, e.Price[i], e.Quantity[i])
					}
					continue
				}
				markup := 1 / (c.m.Alpha[j] * (1 - e.Share[i]))
				checkTol(t, fmt.Sprintf("%s markup (%d,%d)", c.name, j, k), e.Price[i]-c.m.Cost[k], markup, 1e-9)
			}
		}
		for k := range K {
			if e.Rent[k] != 0 || e.PriorityRent[k] != 0 {
				t.Errorf("%s: cloud %d rents %g, %g with ample capacity", c.name, k, e.Rent[k], e.PriorityRent[k])
			}
			// Without a rent, notional demand is what the cloud sells.
			checkTol(t, c.name+" notional = sold", e.Notional[k], e.Sold[k], 1e-12*e.Sold[k])
			var pq, q float64
			for j := range c.m.Labs {
				if x := e.Quantity[j*K+k]; x > 0 {
					pq, q = pq+x*e.Price[j*K+k], q+x
				}
			}
			if mean, ok := e.MeanPrice(k); !ok || math.Abs(mean-pq/q) > 1e-12*mean {
				t.Errorf("%s: cloud %d mean price %g (%v), want %g", c.name, k, mean, ok, pq/q)
			}
		}
		if _, ok := e.MeanPrice(K); ok {
			t.Errorf("%s: MeanPrice of cloud %d (out of range) reported", c.name, K)
		}
	}
}

// Bertrand–Nash checked by brute force: at the solution no cloud gains by
// moving one of its prices on a fine grid, others held.
func TestComputePricesAmpleGridSearch(t *testing.T) {
	m := ComputeMarket{Labs: 2, Clouds: 2, Alpha: []float64{1.3, 0.8}, Potential: []float64{1, 2},
		Value: []float64{3, 2.5, 2, 2.8}, Cost: []float64{1, 0.9}, Capacity: []float64{inf, inf}}
	e := solveCompute(t, "ample", &m)
	for j := range 2 {
		for k := range 2 {
			best, bestP := gridOwnPrice(&m, e.Price, j, k, 1.5, 1e-4)
			here := cloudObjective(&m, e.Price, k)
			if best > here+1e-12 {
				t.Errorf("cloud %d gains %g by pricing lab %d at %g instead of %g", k, best-here, j, bestP, e.Price[j*2+k])
			}
			if math.Abs(bestP-e.Price[j*2+k]) > 2e-4 {
				t.Errorf("cloud %d's best price to lab %d on the grid is %g, solver %g", k, j, bestP, e.Price[j*2+k])
			}
		}
	}
}

// labDemand returns lab j's demand row at the prices p (an independent
// evaluation of the logit for the brute-force checks).
func labDemand(m *ComputeMarket, p []float64, j int) (q []float64, outside float64) {
	K := m.Clouds
	q = make([]float64, K)
	var acc []Access
	if m.Access != nil {
		acc = m.Access[j*K : (j+1)*K]
	}
	_, outside, err := LabComputeDemand(m.Alpha[j], m.Potential[j], m.Value[j*K:(j+1)*K], p[j*K:(j+1)*K], acc, q)
	if err != nil {
		panic(err)
	}
	return q, outside
}

// cloudObjective is cloud k's objective at prices p, evaluated from its
// definition, not from first-order conditions: margin on what it can
// serve (demand beyond capacity is rationed pro rata by tier and lost, the
// capacity rule), plus Stake × the lab's compute surplus, plus UnitValue ×
// the lab's compute.
func cloudObjective(m *ComputeMarket, p []float64, k int) float64 {
	J, K := m.Labs, m.Clouds
	req := make([]float64, J)
	tier := make([]int, J)
	qs := make([][]float64, J)
	for j := range J {
		qs[j], _ = labDemand(m, p, j)
		req[j] = qs[j][k]
		tier[j] = 1
		if m.access(j*K+k) == AccessPriority {
			tier[j] = 0
		}
	}
	served := make([]float64, J)
	if _, err := Ration(m.Capacity[k], req, tier, served); err != nil {
		panic(err)
	}
	v := 0.0
	for j := range J {
		i := j*K + k
		if served[j] > 0 {
			v += (p[i] - m.Cost[k]) * served[j]
		}
		var acc []Access
		if m.Access != nil {
			acc = m.Access[j*K : (j+1)*K]
		}
		v += m.at(m.Stake, j, k) * ComputeSurplus(m.Alpha[j], m.Potential[j], m.Value[j*K:(j+1)*K], p[j*K:(j+1)*K], acc)
		x := 0.0
		for l := range K {
			x += qs[j][l]
		}
		x += served[j] - qs[j][k]
		v += m.at(m.UnitValue, j, k) * x
	}
	return v
}

// gridOwnPrice searches cloud k's price to lab j on a grid of step h
// within ±width of p's, the other prices held, and returns the best
// objective and price.
func gridOwnPrice(m *ComputeMarket, p []float64, j, k int, width, h float64) (best, bestP float64) {
	q := append([]float64(nil), p...)
	i := j*m.Clouds + k
	best = math.Inf(-1)
	for x := p[i] - width; x <= p[i]+width; x += h {
		q[i] = x
		if v := cloudObjective(m, q, k); v > best {
			best, bestP = v, x
		}
	}
	return best, bestP
}

// Both clouds short: every price is the market-clearing price, in closed
// form s_k = K_k/M, s_0 = 1 − ΣK/M, p_k = V_k − ln(s_k/s_0)/α, for one lab
// and for identical labs (which split each cloud equally); the rents are
// positive (the Bertrand–Nash prices lie below).
func TestComputePricesShortIsMarketClearing(t *testing.T) {
	cases := []struct {
		name  string
		labs  int
		alpha float64
		value []float64 // per cloud, the same for every lab
		cost  []float64
		pot   float64 // per lab
		capac []float64
	}{
		{"B1 demand, capacities 0.2 and 0.1", 1, 1, []float64{2, 1.5}, []float64{1, 0.8}, 1, []float64{0.2, 0.1}},
		{"one lab in GPU-hours", 1, 0.7, []float64{6, 5}, []float64{1.5, 1.2}, 3e8, []float64{2e7, 5e7}},
		{"two identical labs", 2, 1.4, []float64{4, 3.5}, []float64{1, 0.9}, 5, []float64{1.5, 2}},
		{"four identical labs, three clouds", 4, 2, []float64{3, 3.2, 2.5}, []float64{1, 1.1, 0.7}, 1, []float64{0.3, 0.5, 0.2}},
	}
	for _, c := range cases {
		K := len(c.value)
		m := ComputeMarket{Labs: c.labs, Clouds: K, Cost: c.cost, Capacity: c.capac}
		for range c.labs {
			m.Alpha = append(m.Alpha, c.alpha)
			m.Potential = append(m.Potential, c.pot)
			m.Value = append(m.Value, c.value...)
		}
		e := solveCompute(t, c.name, &m)
		M := c.pot * float64(c.labs)
		s0 := 1.0
		for _, x := range c.capac {
			s0 -= x / M
		}
		for k := range K {
			if !(e.Rent[k] > 0) || math.IsInf(e.Rent[k], 1) {
				t.Errorf("%s: cloud %d rent %g, want a positive finite rent (short)", c.name, k, e.Rent[k])
			}
			want := c.value[k] - math.Log(c.capac[k]/M/s0)/c.alpha
			for j := range c.labs {
				checkTol(t, c.name+" clearing price", e.Price[j*K+k], want, 1e-9)
				checkTol(t, c.name+" quantity", e.Quantity[j*K+k], c.capac[k]/float64(c.labs), 1e-9*c.capac[k])
			}
			checkTol(t, c.name+" sold = capacity", e.Sold[k], c.capac[k], 1e-9*c.capac[k])
			if e.Sold[k] > c.capac[k] {
				t.Errorf("%s: cloud %d sells %v above its capacity %v", c.name, k, e.Sold[k], c.capac[k])
			}
			if e.Notional[k] <= c.capac[k] {
				t.Errorf("%s: cloud %d notional demand %g not above its capacity %g", c.name, k, e.Notional[k], c.capac[k])
			}
		}
	}
}

// One cloud short, one ample: the rule converges, and by brute force over
// a fine grid of each cloud's pair of prices no cloud gains by a
// unilateral deviation, under the capacity rule (a cloud serves at most
// its capacity, pro rata, and rationed demand is lost).
func TestComputePricesOneShortOneAmpleNoProfitableDeviation(t *testing.T) {
	m := ComputeMarket{Labs: 2, Clouds: 2, Alpha: []float64{1.2, 0.9}, Potential: []float64{1, 1.5},
		Value: []float64{3, 2.6, 2.5, 2.7}, Cost: []float64{1, 0.9}, Capacity: []float64{0.25, 50}}
	e := solveCompute(t, "between", &m)
	if !(e.Rent[0] > 0) || e.Rent[1] != 0 {
		t.Fatalf("rents %v, want cloud 0 short and cloud 1 ample", e.Rent)
	}
	checkTol(t, "short cloud sells its capacity", e.Sold[0], 0.25, 1e-10)
	const width, h = 0.4, 0.002
	for k := range 2 {
		here := cloudObjective(&m, e.Price, k)
		q := append([]float64(nil), e.Price...)
		best, arg := math.Inf(-1), [2]float64{}
		for x := -width; x <= width+1e-12; x += h {
			for y := -width; y <= width+1e-12; y += h {
				q[0*2+k], q[1*2+k] = e.Price[0*2+k]+x, e.Price[1*2+k]+y
				if v := cloudObjective(&m, q, k); v > best {
					best, arg = v, [2]float64{q[k], q[2+k]}
				}
			}
		}
		if best > here+1e-12 {
			t.Errorf("cloud %d gains %g by deviating to %v from %v", k, best-here, arg, [2]float64{e.Price[k], e.Price[2+k]})
		}
		if math.Abs(arg[0]-e.Price[k]) > 2*h || math.Abs(arg[1]-e.Price[2+k]) > 2*h {
			t.Errorf("cloud %d's best grid point %v is not next to the solution %v", k, arg, [2]float64{e.Price[k], e.Price[2+k]})
		}
	}
}

// Priority where capacity binds: an exclusive partner is served first at
// the cloud's price without scarcity rent (the monopoly closed form), its
// rival gets exactly the capacity left at a clearing price; with the
// partner's demand alone above capacity the rival is shut out and the
// partner pays the clearing price; commitments beyond capacity are
// rationed pro rata and shut everyone else out. A ban on the exclusive
// deal lowers the rival's price at the short cloud.
func TestComputePricesPriorityWhereCapacityBinds(t *testing.T) {
	// Lab 0 is exclusive at cloud 0; lab 1 is open at both.
	access := make([]Access, 4)
	if err := ComputeAccess(0, true, false, access[:2]); err != nil {
		t.Fatal(err)
	}
	base := func(capacity0 float64) ComputeMarket {
		return ComputeMarket{Labs: 2, Clouds: 2, Alpha: []float64{1, 1.5}, Potential: []float64{1, 1},
			Value: []float64{2.5, 2, 2.5, 2.2}, Access: access, Cost: []float64{1, 0.9}, Capacity: []float64{capacity0, inf}}
	}

	m := base(0.6)
	e := solveCompute(t, "partner fits", &m)
	p0 := monopolyPrice(1, 2.5, 1, 0, 0)
	checkTol(t, "partner pays the monopoly price", e.Price[0], p0, 1e-9)
	q0 := 1 / (1 + math.Exp(p0-2.5))
	checkTol(t, "partner's quantity", e.Quantity[0], q0, 1e-9)
	checkTol(t, "rival gets the rest", e.Quantity[2], 0.6-q0, 1e-9)
	if e.PriorityRent[0] != 0 || !(e.Rent[0] > 0) || math.IsInf(e.Rent[0], 1) {
		t.Errorf("rents: priority %g open %g, want 0 and positive", e.PriorityRent[0], e.Rent[0])
	}
	if !math.IsInf(e.Price[1], 1) || e.Quantity[1] != 0 {
		t.Errorf("exclusive lab buys %g at the other cloud (price %g)", e.Quantity[1], e.Price[1])
	}
	rivalExclusive := e.Price[2]

	// The ban: lab 0 open everywhere.
	mb := base(0.6)
	mb.Access = nil
	eb := solveCompute(t, "ban", &mb)
	if !(eb.Price[2] < rivalExclusive) {
		t.Errorf("ban: rival's price at the short cloud %g, want below %g", eb.Price[2], rivalExclusive)
	}
	if !(eb.Total[1] > e.Total[1]) {
		t.Errorf("ban: rival's compute %g, want above %g", eb.Total[1], e.Total[1])
	}

	m = base(0.2) // the partner alone wants more than 0.2
	e = solveCompute(t, "partner short", &m)
	checkTol(t, "partner's clearing price", e.Price[0], 2.5-math.Log(0.2/0.8), 1e-9)
	if !math.IsInf(e.Price[2], 1) || e.Quantity[2] != 0 || !math.IsInf(e.Rent[0], 1) {
		t.Errorf("rival not shut out: price %g quantity %g rent %g", e.Price[2], e.Quantity[2], e.Rent[0])
	}
	if mean, ok := e.MeanPrice(0); !ok || math.Abs(mean-e.Price[0]) > 1e-12*mean {
		t.Errorf("mean price at the short cloud %g (%v), want the partner's %g", mean, ok, e.Price[0])
	}
	checkTol(t, "sold", e.Sold[0], 0.2, 1e-10)

	m = base(0.2)
	m.Committed = []float64{0.3, 0, 0.1, 0}
	e = solveCompute(t, "committed beyond capacity", &m)
	checkTol(t, "committed pro rata, lab 0", e.CommittedServed[0], 0.15, 1e-15)
	checkTol(t, "committed pro rata, lab 1", e.CommittedServed[2], 0.05, 1e-15)
	if e.Quantity[0] != 0 || e.Quantity[2] != 0 || !math.IsInf(e.PriorityRent[0], 1) {
		t.Errorf("others served beyond commitments: %g %g, priority rent %g", e.Quantity[0], e.Quantity[2], e.PriorityRent[0])
	}
	checkTol(t, "lab 1 total", e.Total[1], 0.05+e.Quantity[3], 1e-15)
}

// Stakes and unit values. Closed form: a cloud's price to a lab that can
// buy only there, with stake θ and unit value w, is
// c − w + (1 − θ + W((1−θ) e^{α(V−c+w)−(1−θ)}))/α (monopolyPrice). Direction:
// a cloud with a stake in a lab, valuing the lab's rival's compute
// negatively, prices compute to the rival higher and to its partner lower;
// brute force: neither cloud gains on a grid of its own prices under the
// objective with the stake terms.
func TestComputePricesStakesRaiseRivalsCosts(t *testing.T) {
	for _, c := range []struct{ theta, w float64 }{{0, 0}, {0.3, 0}, {0, -0.5}, {0.4, 0.8}, {1, 0}, {0.2, -2}} {
		m := ComputeMarket{Labs: 1, Clouds: 1, Alpha: []float64{1.3}, Potential: []float64{2},
			Value: []float64{4}, Stake: []float64{c.theta}, UnitValue: []float64{c.w}, Cost: []float64{1}, Capacity: []float64{inf}}
		e := solveCompute(t, "monopoly", &m)
		name := fmt.Sprintf("monopoly θ=%g w=%g", c.theta, c.w)
		checkTol(t, name, e.Price[0], monopolyPrice(1.3, 4, 1, c.theta, c.w), 1e-9)
		best, bestP := gridOwnPrice(&m, e.Price, 0, 0, 1.5, 1e-4)
		if best > cloudObjective(&m, e.Price, 0)+1e-12 || math.Abs(bestP-e.Price[0]) > 2e-4 {
			t.Errorf("%s: grid optimum %g at %g, solver %g", name, best, bestP, e.Price[0])
		}
	}

	// Cloud 0 holds 30% of lab 0; each GPU-hour lab 1 obtains costs lab 0
	// US$0.6 of profit, so cloud 0 values it at 0.3 × −0.6.
	stakeWorld := func(theta float64) ComputeMarket {
		return ComputeMarket{Labs: 2, Clouds: 2, Alpha: []float64{1, 1.2}, Potential: []float64{1, 1},
			Value: []float64{3, 2.8, 2.9, 2.7}, Stake: []float64{theta, 0, 0, 0}, UnitValue: []float64{0, 0, -0.6 * theta, 0},
			Cost: []float64{1, 1}, Capacity: []float64{inf, inf}}
	}
	m0, m1 := stakeWorld(0), stakeWorld(0.3)
	e0, e1 := solveCompute(t, "no stake", &m0), solveCompute(t, "stake", &m1)
	if !(e1.Price[2] > e0.Price[2]) {
		t.Errorf("rival's price at the cloud with a stake %g, want above %g without", e1.Price[2], e0.Price[2])
	}
	if !(e1.Price[0] < e0.Price[0]) {
		t.Errorf("partner's price at the cloud with a stake %g, want below %g without", e1.Price[0], e0.Price[0])
	}
	if !(e1.Total[1] < e0.Total[1]) {
		t.Errorf("rival's compute %g with the stake, want below %g", e1.Total[1], e0.Total[1])
	}
	for j := range 2 {
		for k := range 2 {
			best, bestP := gridOwnPrice(&m1, e1.Price, j, k, 1, 1e-4)
			if best > cloudObjective(&m1, e1.Price, k)+1e-12 || math.Abs(bestP-e1.Price[j*2+k]) > 2e-4 {
				t.Errorf("stake: cloud %d, lab %d: grid optimum at %g, solver %g", k, j, bestP, e1.Price[j*2+k])
			}
		}
	}
}

// Random markets of up to 16 labs and 8 clouds, with every kind of access,
// commitments, stakes and capacities from scarce to ample: the solver
// converges, every available price satisfies its first-order condition at
// its tier's rent, no cloud sells beyond capacity, a positive finite rent
// means the tier just fills what is left to it, and a warm start from the
// solution stays there.
func TestComputePricesRandomMarkets(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 3))
	var e ComputeEquilibrium
	for trial := range 1000 {
		m := randomComputeMarket(r, 1+r.IntN(16), 1+r.IntN(8))
		if err := (ComputeSolver{}).Solve(m, &e); err != nil {
			t.Fatalf("trial %d (%dx%d): %v", trial, m.Labs, m.Clouds, err)
		}
		checkComputeEquilibrium(t, fmt.Sprintf("trial %d", trial), m, &e)
		prices := append([]float64(nil), e.Price...)
		if err := (ComputeSolver{Warm: true}).Solve(m, &e); err != nil {
			t.Fatalf("trial %d warm: %v", trial, err)
		}
		if e.Iterations > 10 {
			t.Errorf("trial %d: warm start from the solution took %d iterations", trial, e.Iterations)
		}
		for i := range prices {
			if math.Abs(prices[i]-e.Price[i]) > 1e-8 && !(math.IsInf(prices[i], 1) && math.IsInf(e.Price[i], 1)) {
				t.Fatalf("trial %d: warm start moved price %d from %g to %g", trial, i, prices[i], e.Price[i])
			}
		}
	}
}

// The solver's robustness, measured: over 60,000 random markets (two
// seeds) of up to 16 labs and 8 clouds it fails to converge within its
// default 2,000 iterations in at most 1 in 10,000, and then still
// returns quantities within capacity. The markets are harsher than the
// model's (shares near 1, stakes up to 1, unit values of ±1.5 US$ per
// GPU-hour, capacities from 1% of demand, one lab facing clouds whose
// capacity exceeds its demand so that the rents are nearly
// indeterminate); it reports iteration quantiles for docs.
func TestComputePricesManyRandomMarkets(t *testing.T) {
	if testing.Short() {
		t.Skip("60,000 solves")
	}
	var e ComputeEquilibrium
	fails, n := 0, 0
	var iters []int
	for _, seed := range []uint64{100, 106} {
		r := rand.New(rand.NewPCG(seed, 5))
		for range 30000 {
			m := randomComputeMarket(r, 1+r.IntN(16), 1+r.IntN(8))
			n++
			err := (ComputeSolver{}).Solve(m, &e)
			if err != nil {
				if !errors.Is(err, ErrNoConvergence) {
					t.Fatal(err)
				}
				fails++
				for k := range m.Clouds {
					if e.Sold[k] > m.Capacity[k]*(1+1e-12) {
						t.Fatalf("not converged and cloud %d sells %g > capacity %g", k, e.Sold[k], m.Capacity[k])
					}
				}
				continue
			}
			iters = append(iters, e.Iterations)
		}
	}
	slices.Sort(iters)
	q := func(f float64) int { return iters[int(f*float64(len(iters)-1))] }
	t.Logf("%d markets: %d not converged; iterations p50 %d, p90 %d, p99 %d, max %d", n, fails, q(0.5), q(0.9), q(0.99), iters[len(iters)-1])
	if fails*10000 > n {
		t.Errorf("%d of %d markets not converged, want at most 1 in 10,000", fails, n)
	}
}

func randomComputeMarket(r *rand.Rand, J, K int) *ComputeMarket {
	m := &ComputeMarket{Labs: J, Clouds: K}
	scale := math.Pow(10, uniform(r, 0, 9)) // GPU-hours: any scale
	for range J {
		m.Alpha = append(m.Alpha, uniform(r, 0.3, 3))
		m.Potential = append(m.Potential, scale*uniform(r, 0, 2))
		partner, excl, rofr := -1, false, false
		if r.Float64() < 0.4 {
			partner, excl, rofr = r.IntN(K), r.Float64() < 0.5, r.Float64() < 0.5
		}
		if partner < 0 || (!excl && !rofr) {
			partner = -1
		}
		row := make([]Access, K)
		if err := ComputeAccess(partner, excl, rofr, row); err != nil {
			panic(err)
		}
		m.Access = append(m.Access, row...)
		for range K {
			m.Value = append(m.Value, uniform(r, 0, 8))
			stake, w := 0.0, 0.0
			if r.Float64() < 0.2 {
				stake = uniform(r, 0, 1)
			}
			if r.Float64() < 0.2 {
				w = uniform(r, -1.5, 1.5)
			}
			committed := 0.0
			if r.Float64() < 0.1 {
				committed = scale * uniform(r, 0, 0.3)
			}
			m.Stake = append(m.Stake, stake)
			m.UnitValue = append(m.UnitValue, w)
			m.Committed = append(m.Committed, committed)
		}
	}
	for range K {
		m.Cost = append(m.Cost, uniform(r, 0.3, 2))
		capacity := inf
		if r.Float64() < 0.7 {
			capacity = scale * float64(J) * math.Pow(10, uniform(r, -2, 0.5)) / float64(K)
		}
		m.Capacity = append(m.Capacity, capacity)
	}
	return m
}

// checkComputeEquilibrium asserts the conditions that define the solution.
func checkComputeEquilibrium(t *testing.T, name string, m *ComputeMarket, e *ComputeEquilibrium) {
	t.Helper()
	J, K := m.Labs, m.Clouds
	for k := range K {
		if e.Sold[k] > m.Capacity[k]*(1+1e-12) {
			t.Fatalf("%s: cloud %d sells %g > capacity %g", name, k, e.Sold[k], m.Capacity[k])
		}
		var prio, open, committed float64
		for j := range J {
			i := j*K + k
			committed += e.CommittedServed[i]
			if m.access(i) == AccessPriority {
				prio += e.Quantity[i]
			} else {
				open += e.Quantity[i]
			}
		}
		left := m.Capacity[k] - committed
		if r := e.PriorityRent[k]; r > 0 && !math.IsInf(r, 1) {
			checkTol(t, name+" priority tier fills the capacity left", prio, left, 1e-7*left)
			if !math.IsInf(e.Rent[k], 1) {
				t.Fatalf("%s: cloud %d priority rent %g but open buyers not shut out (rent %g)", name, k, r, e.Rent[k])
			}
		}
		if r := e.Rent[k]; r > 0 && !math.IsInf(r, 1) {
			checkTol(t, name+" open tier fills the capacity left", open, left-prio, 1e-7*left)
		}
	}
	for j := range J {
		for k := range K {
			i := j*K + k
			// Demand at the prices fits: the final rationing did not bite.
			if want := m.Potential[j] * e.Share[i]; math.Abs(e.Quantity[i]-want) > 1e-7*want {
				t.Fatalf("%s: (%d,%d) rationed from %g to %g", name, j, k, want, e.Quantity[i])
			}
			if math.IsInf(e.Price[i], 1) {
				if e.Quantity[i] != 0 {
					t.Fatalf("%s: (%d,%d) buys %g at price +Inf", name, j, k, e.Quantity[i])
				}
				continue
			}
			rent := e.Rent[k]
			if m.access(i) == AccessPriority {
				rent = e.PriorityRent[k]
			}
			a, s := m.Alpha[j], e.Share[i]
			foc := (1 - m.at(m.Stake, j, k)) - a*(1-s)*(e.Price[i]-m.Cost[k]-rent) - a*m.at(m.UnitValue, j, k)*e.Outside[j]
			if math.Abs(foc) > 1e-7 {
				t.Fatalf("%s: (%d,%d) first-order condition %g (price %g share %g rent %g)", name, j, k, foc, e.Price[i], s, rent)
			}
		}
	}
}

// The solver reports non-convergence by ErrNoConvergence.
func TestComputePricesNoConvergence(t *testing.T) {
	m := ComputeMarket{Labs: 1, Clouds: 2, Alpha: []float64{1}, Potential: []float64{1},
		Value: []float64{2, 1.5}, Cost: []float64{1, 0.8}, Capacity: []float64{0.2, 0.1}}
	var e ComputeEquilibrium
	err := ComputeSolver{MaxIter: 2}.Solve(&m, &e)
	if !errors.Is(err, ErrNoConvergence) {
		t.Fatalf("err = %v, want ErrNoConvergence", err)
	}
	if e.Iterations != 2 {
		t.Errorf("iterations %d, want 2", e.Iterations)
	}
}

// After the first call, a solve of the same size allocates nothing, nor
// do the other monthly compute-market functions.
func TestComputePricesDoNotAllocate(t *testing.T) {
	m := benchComputeMarket()
	var e ComputeEquilibrium
	if err := (ComputeSolver{}).Solve(m, &e); err != nil {
		t.Fatal(err)
	}
	if a := testing.AllocsPerRun(20, func() { _ = (ComputeSolver{}).Solve(m, &e) }); a != 0 {
		t.Errorf("Solve: %v allocs per call, want 0", a)
	}
	value, price, q := []float64{3, 2.5, 2}, []float64{2, 1.5, 1}, make([]float64, 3)
	if a := testing.AllocsPerRun(20, func() { _, _, _ = LabComputeDemand(1, 1e8, value, price, nil, q) }); a != 0 {
		t.Errorf("LabComputeDemand: %v allocs per call, want 0", a)
	}
	tiers := []int{1, 0, 1}
	if a := testing.AllocsPerRun(20, func() { _, _ = Ration(2, value, tiers, q) }); a != 0 {
		t.Errorf("Ration: %v allocs per call, want 0", a)
	}
	st, err := DefaultSupplyLine().SteadyCapacity(1e8, 0)
	if err != nil {
		t.Fatal(err)
	}
	if a := testing.AllocsPerRun(20, func() { _, _ = DefaultSupplyLine().Step(&st, 1.1e8, 1e-7) }); a != 0 {
		t.Errorf("SupplyLine.Step: %v allocs per call, want 0", a)
	}
}

// Invalid arguments return errors wrapping ErrInvalidArgument.
func TestComputeBadInput(t *testing.T) {
	good := func() *ComputeMarket {
		return &ComputeMarket{Labs: 1, Clouds: 2, Alpha: []float64{1}, Potential: []float64{1},
			Value: []float64{2, 1.5}, Cost: []float64{1, 0.8}, Capacity: []float64{1, 1}}
	}
	nan := math.NaN()
	mutations := []struct {
		name string
		f    func(m *ComputeMarket)
	}{
		{"negative capacity", func(m *ComputeMarket) { m.Capacity[0] = -1 }},
		{"NaN capacity", func(m *ComputeMarket) { m.Capacity[1] = nan }},
		{"NaN value", func(m *ComputeMarket) { m.Value[0] = nan }},
		{"infinite value", func(m *ComputeMarket) { m.Value[0] = inf }},
		{"NaN cost", func(m *ComputeMarket) { m.Cost[0] = nan }},
		{"alpha 0", func(m *ComputeMarket) { m.Alpha[0] = 0 }},
		{"negative potential", func(m *ComputeMarket) { m.Potential[0] = -1 }},
		{"stake above 1", func(m *ComputeMarket) { m.Stake = []float64{1.5, 0} }},
		{"NaN unit value", func(m *ComputeMarket) { m.UnitValue = []float64{nan, 0} }},
		{"negative commitment", func(m *ComputeMarket) { m.Committed = []float64{-1, 0} }},
		{"invalid access", func(m *ComputeMarket) { m.Access = []Access{7, 0} }},
		{"short value", func(m *ComputeMarket) { m.Value = m.Value[:1] }},
		{"negative dimension", func(m *ComputeMarket) { m.Labs = -1 }},
	}
	for _, c := range mutations {
		m := good()
		c.f(m)
		var e ComputeEquilibrium
		if err := (ComputeSolver{}).Solve(m, &e); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", c.name, err)
		}
	}
	for _, s := range []ComputeSolver{{Tol: -1}, {Tol: nan}, {MaxIter: -1}, {Damping: 1.5}, {Damping: -0.1}} {
		var e ComputeEquilibrium
		if err := s.Solve(good(), &e); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("solver %+v: err = %v, want ErrInvalidArgument", s, err)
		}
	}
	q := make([]float64, 2)
	other := []struct {
		name string
		err  error
	}{
		{"demand alpha NaN", err3(LabComputeDemand(nan, 1, []float64{1, 1}, []float64{1, 1}, nil, q))},
		{"demand negative potential", err3(LabComputeDemand(1, -1, []float64{1, 1}, []float64{1, 1}, nil, q))},
		{"demand NaN price", err3(LabComputeDemand(1, 1, []float64{1, 1}, []float64{nan, 1}, nil, q))},
		{"demand -Inf price", err3(LabComputeDemand(1, 1, []float64{1, 1}, []float64{math.Inf(-1), 1}, nil, q))},
		{"demand short q", err3(LabComputeDemand(1, 1, []float64{1, 1}, []float64{1, 1}, nil, q[:1]))},
		{"jacobian shares above 1", ComputeDemandJacobian(1, 1, []float64{0.7, 0.6}, make([]float64, 4), q)},
		{"jacobian NaN share", ComputeDemandJacobian(1, 1, []float64{nan, 0.1}, make([]float64, 4), q)},
		{"jacobian short buffer", ComputeDemandJacobian(1, 1, []float64{0.1, 0.1}, make([]float64, 3), q)},
		{"access partner out of range", ComputeAccess(3, true, false, make([]Access, 2))},
		{"access terms without partner", ComputeAccess(-1, false, true, make([]Access, 2))},
		{"ration negative capacity", err2r(Ration(-1, []float64{1}, nil, q))},
		{"ration NaN capacity", err2r(Ration(nan, []float64{1}, nil, q))},
		{"ration NaN request", err2r(Ration(1, []float64{nan}, nil, q))},
		{"ration infinite request", err2r(Ration(1, []float64{inf}, nil, q))},
		{"ration tier length", err2r(Ration(1, []float64{1, 1}, []int{0}, q))},
	}
	for _, c := range other {
		if !errors.Is(c.err, ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", c.name, c.err)
		}
	}
}

func err3(_, _ float64, err error) error { return err }
func err2r(_ float64, err error) error   { return err }

// With price sensitivities of tens to a hundred per US$ and values far
// above cost, a lab's logit terms span thousands of e-folds: the solver
// keeps them in shifted units, and a rent's jump used to push every one of
// them below the smallest double, or a pair's best response into
// lambertWStart's log(1 + C) = 0 (C = e^-1000), giving NaN prices (seen
// as a NaN compute price at month 0 of a random scenario). Every price
// is now a number, whether the solve converges or not.
func TestComputePricesHighSensitivityNoNaN(t *testing.T) {
	for _, a := range []float64{10, 30, 100} {
		for _, v := range []float64{1, 10, 30, 100} {
			for _, pot := range []float64{1e3, 1e6, 1e9} {
				m := ComputeMarket{Labs: 2, Clouds: 2, Alpha: []float64{a, a}, Potential: []float64{pot, pot},
					Value: []float64{v, v, v, v}, Cost: []float64{0.006, 0.48}, Capacity: []float64{1000, 2000}}
				var e ComputeEquilibrium
				err := ComputeSolver{}.Solve(&m, &e)
				if err != nil && !errors.Is(err, ErrNoConvergence) {
					t.Fatal(err)
				}
				for i, p := range e.Price {
					if math.IsNaN(p) || math.IsNaN(e.Quantity[i]) {
						t.Errorf("alpha %g, value %g, potential %g: pair %d price %g quantity %g (%v)", a, v, pot, i, p, e.Quantity[i], err)
					}
				}
			}
		}
	}
	// W(C) for C far below 1 is C; where C underflows, 0.
	for _, c := range []struct{ z, lnC, want float64 }{{1, -50, math.Exp(-50)}, {-1028, -1017, 0}, {0.5, -41, math.Exp(-41)}} {
		if got := lambertWStep(c.z, c.lnC); got != c.want {
			t.Errorf("lambertWStep(%g, %g) = %g, want %g", c.z, c.lnC, got, c.want)
		}
	}
}

// Random markets over wide ranges (price sensitivity 1-200 per US$,
// costs 0.005-50 US$ per GPU-hour, a third of the clouds without capacity,
// a third of the labs buying nothing, potentials up to 10^10 GPU-hours):
// no price, quantity, sale, rent or notional demand is NaN, whether the
// solve converges or not. Before the fixes of sweepLab (terms set again
// from the prices before they all underflow), lambertWStep (W(C) = C for
// tiny C) and diagSlope (labs that buy nothing at a cloud skipped, as in
// the Jacobian), 76 of these 3,000 markets gave NaN.
func TestComputePricesWideRandomMarketsNoNaN(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n := 3000
	if testing.Short() {
		n = 500
	}
	for trial := 0; trial < n; trial++ {
		J, K := 1+rng.IntN(4), 1+rng.IntN(4)
		m := ComputeMarket{Labs: J, Clouds: K, Alpha: make([]float64, J), Potential: make([]float64, J),
			Value: make([]float64, J*K), Cost: make([]float64, K), Capacity: make([]float64, K)}
		for j := range J {
			m.Alpha[j] = math.Exp(rng.Float64() * math.Log(200))
			if rng.IntN(3) > 0 {
				m.Potential[j] = math.Exp(rng.Float64() * math.Log(1e10))
			}
			for k := range K {
				m.Value[j*K+k] = 50 * rng.Float64()
			}
		}
		for k := range K {
			m.Cost[k] = math.Exp(math.Log(0.005) + rng.Float64()*math.Log(1e4))
			if rng.IntN(3) > 0 {
				m.Capacity[k] = math.Exp(rng.Float64() * math.Log(1e8))
			}
		}
		var e ComputeEquilibrium
		err := ComputeSolver{}.Solve(&m, &e)
		if err != nil && !errors.Is(err, ErrNoConvergence) {
			t.Fatalf("trial %d: %v", trial, err)
		}
		for _, xs := range [][]float64{e.Price, e.Quantity, e.Sold, e.Rent, e.PriorityRent, e.Notional} {
			for _, x := range xs {
				if math.IsNaN(x) {
					t.Fatalf("trial %d (%+v): NaN in the solution (%v): prices %v, quantities %v, notional %v", trial, m, err, e.Price, e.Quantity, e.Notional)
				}
			}
		}
	}
}
