package market

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func newRand() *rand.Rand { return rand.New(rand.NewPCG(1, 2)) }

func uniform(r *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }

// The Nash revenue share falls as the lab's disagreement payoff rises.
func TestPropertyShareFallsWithLabDisagreement(t *testing.T) {
	r := newRand()
	for trial := range 500 {
		in := ShareInputs{R: uniform(r, 1, 100), B: uniform(r, 0, 20), DH: uniform(r, 0, 10), Alpha: uniform(r, 0.01, 0.99)}
		maxDL := in.R + in.B - in.DH
		if maxDL <= 0 {
			continue
		}
		prev := math.Inf(1)
		for k := range 20 {
			in.DL = maxDL * float64(k) / 20
			s, ok := NashShare(in)
			if !ok {
				t.Fatalf("trial %d: no agreement at D_L=%g < %g", trial, in.DL, maxDL)
			}
			if !(s < prev) {
				t.Fatalf("trial %d: share %g did not fall below %g as D_L rose to %g", trial, s, prev, in.DL)
			}
			prev = s
		}
		// Beyond the surplus there is no agreement.
		in.DL = maxDL * 1.01
		if _, ok := NashShare(in); ok {
			t.Fatalf("trial %d: agreement with D_L above the surplus", trial)
		}
	}
}

// The closed form equals the direct Nash computation with D_L = (1-phi)R - k.
func TestPropertyClosedFormEqualsNash(t *testing.T) {
	r := newRand()
	for trial := range 1000 {
		phi, alpha, k := uniform(r, 0.1, 1), uniform(r, 0, 1), uniform(r, 0, 20)
		B, DH, R := uniform(r, 0, 30), uniform(r, 0, 10), uniform(r, 1, 500)
		DL := (1-phi)*R - k
		direct, ok := NashShare(ShareInputs{R: R, B: B, DL: DL, DH: DH, Alpha: alpha})
		if !ok {
			continue // surplus below disagreement payoffs
		}
		closed := ClosedFormShare(phi, alpha, k, B, DH, R)
		if math.Abs(direct-closed) > 1e-12*math.Max(1, math.Abs(direct)) {
			t.Fatalf("trial %d: direct %g != closed form %g", trial, direct, closed)
		}
	}
}

// Nash split: efficient, individually rational, monotone in alpha.
func TestPropertyNashSplit(t *testing.T) {
	r := newRand()
	for trial := range 1000 {
		d1, d2 := uniform(r, -10, 50), uniform(r, -10, 50)
		S := d1 + d2 + uniform(r, 0, 100)
		a := uniform(r, 0, 1)
		o, err := NashSplit(S, d1, d2, a)
		if err != nil || !o.Agreement {
			t.Fatalf("trial %d: %v %+v", trial, err, o)
		}
		if math.Abs(o.U1+o.U2-S) > 1e-9*math.Max(1, S) || o.U1 < d1-1e-12 || o.U2 < d2-1e-12 {
			t.Fatalf("trial %d: %+v for S=%g d=(%g,%g)", trial, o, S, d1, d2)
		}
		o2, _ := NashSplit(S, d1, d2, math.Min(1, a+0.1))
		if o2.U1 < o.U1 {
			t.Fatalf("trial %d: u1 fell with alpha", trial)
		}
		// Constraint mode never leaves a player below its outside option.
		w1, w2 := uniform(r, 0, S/2), uniform(r, 0, S/2)
		c, _ := NashWithOutsideOptions(S, d1, d2, w1, w2, a, Constraint)
		if c.Agreement && (c.U1 < w1-1e-12 || c.U2 < w2-1e-12 || math.Abs(c.U1+c.U2-S) > 1e-9*math.Max(1, S)) {
			t.Fatalf("trial %d: constraint outcome %+v with w=(%g,%g)", trial, c, w1, w2)
		}
	}
}

// Rubinstein tends to the Nash split with alpha = r2/(r1+r2) as the offer
// interval shrinks.
func TestPropertyRubinsteinTendsToNash(t *testing.T) {
	r := newRand()
	intervals := []float64{12, 1, 0.1, 0.01, 1e-3, 1e-4, 1e-6}
	for trial := range 300 {
		r1, r2 := uniform(r, 0.001, 0.2), uniform(r, 0.001, 0.2)
		nash := BargainingWeight(r1, r2) // player 1's weight r2/(r1+r2)
		prev := math.Inf(1)
		for _, dt := range intervals {
			x1, _, err := RubinsteinContinuous(r1, r2, dt)
			if err != nil {
				t.Fatal(err)
			}
			d := math.Abs(x1 - nash)
			if d > prev+1e-15 {
				t.Fatalf("trial %d (r1=%g r2=%g): distance %g at interval %g exceeds %g", trial, r1, r2, d, dt, prev)
			}
			prev = d
		}
		if prev > 1e-6 {
			t.Fatalf("trial %d: distance %g at the smallest interval", trial, prev)
		}
		// The discrete form agrees where both are defined.
		x1, _, _ := RubinsteinContinuous(r1, r2, 1)
		y1, _, _ := RubinsteinShares(math.Exp(-r1), math.Exp(-r2))
		if math.Abs(x1-y1) > 1e-12 {
			t.Fatalf("trial %d: continuous %g vs discrete %g", trial, x1, y1)
		}
	}
}

func randomUtilities(r *rand.Rand, n int, scale float64) []float64 {
	v := make([]float64, n)
	for j := range v {
		v[j] = scale * r.NormFloat64()
	}
	return v
}

// Nested logit with lambda = 1 in every nest is the plain logit.
func TestPropertyNestedLogitLambdaOneIsLogit(t *testing.T) {
	r := newRand()
	for trial := range 500 {
		n, G := 1+r.IntN(30), 1+r.IntN(6)
		v := randomUtilities(r, n, 3)
		nest := make([]int, n)
		for j := range nest {
			nest[j] = r.IntN(G)
		}
		lambda := make([]float64, G)
		for g := range lambda {
			lambda[g] = 1
		}
		out, mnl := make([]float64, n), make([]float64, n)
		ls, err := NestedLogit(v, nest, lambda, out, make([]float64, 2*G))
		if err != nil {
			t.Fatal(err)
		}
		lsM := LogitShares(v, mnl)
		if math.Abs(ls-lsM) > 1e-12 {
			t.Fatalf("trial %d: logsum %g vs %g", trial, ls, lsM)
		}
		for j := range out {
			if math.Abs(out[j]-mnl[j]) > 1e-12 {
				t.Fatalf("trial %d: share %d %g vs %g", trial, j, out[j], mnl[j])
			}
		}
	}
}

// Nested logit shares sum to 1 and are invariant to adding a constant to
// every utility (the log-sum shifts by that constant).
func TestPropertyNestedLogitSumsToOne(t *testing.T) {
	r := newRand()
	for trial := range 500 {
		n, G := 1+r.IntN(20), 1+r.IntN(5)
		v := randomUtilities(r, n, 5)
		nest := make([]int, n)
		for j := range nest {
			nest[j] = r.IntN(G)
		}
		lambda := make([]float64, G)
		for g := range lambda {
			lambda[g] = uniform(r, 0.05, 1)
		}
		out := make([]float64, n)
		scratch := make([]float64, 2*G)
		ls, err := NestedLogit(v, nest, lambda, out, scratch)
		if err != nil {
			t.Fatal(err)
		}
		sum := 0.0
		for _, p := range out {
			if p < 0 || math.IsNaN(p) {
				t.Fatalf("trial %d: share %g", trial, p)
			}
			sum += p
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Fatalf("trial %d: shares sum to %g", trial, sum)
		}
		c := uniform(r, -300, 300)
		w := make([]float64, n)
		for j := range v {
			w[j] = v[j] + c
		}
		out2 := make([]float64, n)
		ls2, _ := NestedLogit(w, nest, lambda, out2, scratch)
		if math.Abs(ls2-ls-c) > 1e-9 {
			t.Fatalf("trial %d: shifted logsum %g, want %g", trial, ls2, ls+c)
		}
		for j := range out {
			if math.Abs(out[j]-out2[j]) > 1e-10 {
				t.Fatalf("trial %d: share %d changed under shift: %g vs %g", trial, j, out[j], out2[j])
			}
		}
	}
}

// Logit shares sum to 1 and are invariant to adding a constant to every
// utility; the log-sum shifts by that constant.
func TestPropertyLogitSumAndShiftInvariance(t *testing.T) {
	r := newRand()
	for trial := range 1000 {
		n := 1 + r.IntN(40)
		v := randomUtilities(r, n, 4)
		out := make([]float64, n)
		ls := LogitShares(v, out)
		sum := 0.0
		for _, p := range out {
			sum += p
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Fatalf("trial %d: sum %g", trial, sum)
		}
		c := uniform(r, -700, 700)
		w := make([]float64, n)
		for j := range v {
			w[j] = v[j] + c
		}
		out2 := make([]float64, n)
		ls2 := LogitShares(w, out2)
		if math.Abs(ls2-ls-c) > 1e-9 {
			t.Fatalf("trial %d: logsum %g, want %g", trial, ls2, ls+c)
		}
		for j := range out {
			if math.Abs(out[j]-out2[j]) > 1e-10 {
				t.Fatalf("trial %d: share %d %g vs %g after adding %g", trial, j, out[j], out2[j], c)
			}
		}
	}
}

// Extreme utilities (+-700, +-1e300) give no overflow or NaN.
func TestPropertyLogitExtremeUtilities(t *testing.T) {
	cases := [][]float64{
		{700, -700, 0},
		{-700, -700, -700},
		{700, 700},
		{1e300, -1e300, 0},
		{-1e300, -1e300},
		{1e300, 1e300, 1e300},
		{710, 709, 0, -745, -800},
		{math.Inf(-1), 700, -700},
	}
	for _, v := range cases {
		t.Run(fmt.Sprint(v), func(t *testing.T) {
			out := make([]float64, len(v))
			ls := LogitShares(v, out)
			checkFinite(t, "shares", out...)
			checkFinite(t, "logsum", ls)
			checkFinite(t, "LogSumExp", LogSumExp(v))
			sum := 0.0
			for _, p := range out {
				sum += p
			}
			checkTol(t, "sum", sum, 1, 1e-12)
			nest := make([]int, len(v))
			nout := make([]float64, len(v))
			nls, err := NestedLogit(v, nest, []float64{1}, nout, make([]float64, 2))
			if err != nil {
				t.Fatal(err)
			}
			checkFinite(t, "nested shares", nout...)
			checkFinite(t, "nested logsum", nls)
			s := StayProbability(v[0], 0, v[1:])
			checkFinite(t, "stay", s)
		})
	}
	// Values whose log-sum is known exactly.
	checkTol(t, "ls(700,700)", LogSumExp([]float64{700, 700}), 700+math.Ln2, 1e-12)
	checkTol(t, "ls(1e300,1e300)", LogSumExp([]float64{1e300, 1e300}), 1e300, 0)
}

// The exact Bass map iterated 120 months matches the closed form F(t) to 1e-9.
func TestPropertyBassExactMap120Months(t *testing.T) {
	r := newRand()
	params := []Bass{{0.03, 0.38}, {0.01, 0.5}, {0.003, 0.5}, {0.047, 0.625}, {0.0047, 0.506}, {0.0212, 0.270}, {0.0017, 0.399}}
	for range 50 {
		params = append(params, Bass{P: uniform(r, 1e-4, 0.2), Q: uniform(r, 0, 1.5)})
	}
	for _, yearly := range params {
		m := yearly.Monthly()
		F := 0.0
		for month := 1; month <= 120; month++ {
			var h float64
			F, h = m.Step(F, 1)
			want := yearly.F(float64(month) / 12)
			if math.Abs(F-want) > 1e-9 {
				t.Fatalf("p=%g q=%g month %d: map %.15g vs closed form %.15g", yearly.P, yearly.Q, month, F, want)
			}
			if h < 0 || h > 1 || math.IsNaN(h) {
				t.Fatalf("hazard %g", h)
			}
			// The monthly closed form agrees with the yearly one.
			if math.Abs(m.F(float64(month))-want) > 1e-12 {
				t.Fatalf("time rescaling broken at month %d", month)
			}
		}
	}
	// From an arbitrary realised fraction the map follows the ODE solution
	// through that point: Step(F(t0), dt) = F(t0 + dt).
	for range 200 {
		b := Bass{P: uniform(r, 1e-3, 0.1), Q: uniform(r, 0, 1)}
		t0, dt := uniform(r, 0, 20), uniform(r, 0, 5)
		got, _ := b.Step(b.F(t0), dt)
		if math.Abs(got-b.F(t0+dt)) > 1e-12 {
			t.Fatalf("%+v t0=%g dt=%g: %g vs %g", b, t0, dt, got, b.F(t0+dt))
		}
	}
}

// The profit waterfall depends only on cumulative profit: any split of the
// same positive profits pays the same total (checks the exact recoup period).
func TestPropertyWaterfallPathIndependence(t *testing.T) {
	r := newRand()
	for trial := range 500 {
		mk := func() BackerContract {
			return BackerContract{ProfitShareBefore: 0.75, ProfitShareAfter: 0.49, RecoupAmount: 13, TotalCap: float64(r.IntN(2)) * 30}
		}
		c1 := mk()
		c2 := c1
		total := 0.0
		for range 1 + r.IntN(20) {
			p := uniform(r, 0, 10)
			total += p
			c1.ProfitPayment(p)
		}
		c2.ProfitPayment(total)
		if math.Abs(c1.Paid-c2.Paid) > 1e-9 {
			t.Fatalf("trial %d: paid %g in steps vs %g at once", trial, c1.Paid, c2.Paid)
		}
	}
}

// The IRR zeroes the net present value; cap tables keep summing to 1.
func TestPropertyIRRAndCapTable(t *testing.T) {
	r := newRand()
	for trial := range 300 {
		n := 2 + r.IntN(15)
		flows := make([]float64, n)
		for i := range flows {
			if i < 1+r.IntN(n-1) {
				flows[i] = -uniform(r, 0, 10)
			} else {
				flows[i] = uniform(r, 0, 30)
			}
		}
		flows[0] = -1 - uniform(r, 0, 10)
		flows[n-1] = 1 + uniform(r, 0, 30)
		irr, err := IRR(flows)
		if err != nil {
			t.Fatalf("trial %d %v: %v", trial, flows, err)
		}
		npv, scale := 0.0, 0.0
		for i, f := range flows {
			npv += f / math.Pow(1+irr, float64(i))
			scale += math.Abs(f) / math.Pow(1+irr, float64(i))
		}
		if math.Abs(npv) > 1e-9*scale {
			t.Fatalf("trial %d: NPV at IRR %g is %g (scale %g)", trial, irr, npv, scale)
		}
	}
	ct, _ := NewCapTable(Holding{"founders", 1})
	names := []string{"a", "b", "c", "d", "founders"}
	for range 200 {
		if r.IntN(2) == 0 {
			post := uniform(r, 1, 100)
			_ = ct.Issue(Round{Invest: uniform(r, 0, post), Post: post}, names[r.IntN(len(names))])
		} else {
			from, to := names[r.IntN(len(names))], names[r.IntN(len(names))]
			_ = ct.Transfer(from, to, ct.Stake(from)*r.Float64())
		}
		if math.Abs(ct.Sum()-1) > 1e-12 {
			t.Fatalf("cap table sums to %g: %v", ct.Sum(), ct.Holdings())
		}
	}
}

// Berry inversion round-trips random shares; MHHI equals HHI without
// cross-ownership.
func TestPropertyBerryAndMHHI(t *testing.T) {
	r := newRand()
	for trial := range 300 {
		n := 1 + r.IntN(10)
		raw := make([]float64, n+1)
		sum := 0.0
		for i := range raw {
			raw[i] = uniform(r, 0.01, 1)
			sum += raw[i]
		}
		for i := range raw {
			raw[i] /= sum
		}
		delta, err := BerryInversion(raw[:n], raw[n])
		if err != nil {
			t.Fatal(err)
		}
		out := make([]float64, n+1)
		LogitShares(append(delta, 0), out)
		for i := range out {
			if math.Abs(out[i]-raw[i]) > 1e-12 {
				t.Fatalf("trial %d: share %d %g vs %g", trial, i, out[i], raw[i])
			}
		}
		pct := make([]float64, n)
		id := make([][]float64, n)
		for i := range pct {
			pct[i] = 100 * raw[i]
			id[i] = make([]float64, n)
			id[i][i] = 1
		}
		m, err := MHHI(pct, id, id)
		if err != nil || math.Abs(m-HHI(pct)) > 1e-9 {
			t.Fatalf("trial %d: MHHI %g vs HHI %g (%v)", trial, m, HHI(pct), err)
		}
	}
}
