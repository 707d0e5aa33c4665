package market

import (
	"errors"
	"math"
	"testing"
)

// §4.1 Rubinstein (1982) table.
func TestRubinsteinSharesTable(t *testing.T) {
	cases := []struct {
		name           string
		d1, d2, x1, x2 float64
		exact          bool
	}{
		{"0.90/0.90", 0.90, 0.90, 0.5263, 0.4737, false},
		{"0.95/0.90", 0.95, 0.90, 0.6897, 0.3103, false},
		{"0.90/0.95", 0.90, 0.95, 0.3448, 0.6552, false},
		{"0.50/0.50", 0.50, 0.50, 2.0 / 3, 1.0 / 3, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x1, x2, err := RubinsteinShares(c.d1, c.d2)
			if err != nil {
				t.Fatal(err)
			}
			if c.exact {
				checkExact(t, "x1", x1, c.x1)
				checkExact(t, "x2", x2, c.x2)
				return
			}
			checkAbs(t, "x1", x1, c.x1)
			checkAbs(t, "x2", x2, c.x2)
		})
	}
}

// §4.1 continuous-time limit, r1 = 0.05, r2 = 0.10.
func TestRubinsteinContinuousTable(t *testing.T) {
	cases := []struct {
		name         string
		interval, x1 float64
	}{
		{"interval 1", 1, 0.6832},
		{"interval 0.1", 0.1, 0.6683},
		{"interval 0.01", 0.01, 0.6668},
		{"limit", 0, 0.6667},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x1, x2, err := RubinsteinContinuous(0.05, 0.10, c.interval)
			if err != nil {
				t.Fatal(err)
			}
			checkAbs(t, "x1", x1, c.x1)
			checkExact(t, "x1+x2", x1+x2, 1)
		})
	}
	// The continuous form agrees with the discrete one at delta = exp(-r).
	x1, _, _ := RubinsteinContinuous(0.05, 0.10, 1)
	y1, _, _ := RubinsteinShares(math.Exp(-0.05), math.Exp(-0.10))
	checkTol(t, "continuous vs discrete", x1, y1, 1e-14)
}

// §4.1 bargaining weight from impatience.
func TestBargainingWeightTable(t *testing.T) {
	cases := []struct {
		name           string
		rL, rH, alphaL float64
	}{
		{"cash-constrained lab", 0.10, 0.02, 0.1667},
		{"intermediate", 0.05, 0.02, 0.2857},
		{"equal", 0.03, 0.03, 0.5000},
		{"patient lab", 0.02, 0.04, 0.6667},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkAbs(t, "alpha_L", BargainingWeight(c.rL, c.rH), c.alphaL)
		})
	}
}

// §4.1 responder outside option.
func TestRubinsteinOutsideOptionTable(t *testing.T) {
	cases := []struct {
		name           string
		delta, b       float64
		x1, x2         float64
		outsideBinding bool
	}{
		{"not binding", 0.9, 0.3, 0.5263, 0.4737, false},
		{"binding", 0.9, 0.6, 0.4000, 0.6000, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x1, x2, err := RubinsteinOutsideOption(c.delta, c.b)
			if err != nil {
				t.Fatal(err)
			}
			checkAbs(t, "x1", x1, c.x1)
			checkAbs(t, "x2", x2, c.x2)
			if got := x2 == c.b; got != c.outsideBinding {
				t.Errorf("outside option binding = %v, want %v", got, c.outsideBinding)
			}
		})
	}
	if _, _, err := RubinsteinOutsideOption(0.9, 1.2); !errors.Is(err, ErrNoAgreement) {
		t.Errorf("b > 1: err = %v, want ErrNoAgreement", err)
	}
}

// §3.1(d): runway -> impatience -> weight; early alpha ~ 0.1667, mature 0.5.
func TestImpatienceToWeight(t *testing.T) {
	const rMin, rMax, tau, rH = 0.02, 0.10, 12.0, 0.02
	cases := []struct {
		name          string
		runway, alpha float64
	}{
		{"no runway", 0, 0.1667},
		{"cash-flow positive", math.Inf(1), 0.5000},
		{"12 months", 12, 0.02 / (0.02 + 0.02 + 0.08*math.Exp(-1))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rL := ImpatienceRate(c.runway, rMin, rMax, tau)
			checkAbs(t, "alpha_L", BargainingWeight(rL, rH), c.alpha)
		})
	}
	if got := Runway(10, 2, 3); !math.IsInf(got, 1) {
		t.Errorf("Runway cash-flow positive = %g, want +Inf", got)
	}
	checkExact(t, "Runway(12,3,1)", Runway(12, 3, 1), 6)
	if got := Runway(-1, 3, 1); got != 0 {
		t.Errorf("Runway negative cash = %g, want 0", got)
	}
	// A lab that burns through its runway grows more impatient.
	if !(ImpatienceRate(1, rMin, rMax, tau) > ImpatienceRate(24, rMin, rMax, tau)) {
		t.Error("impatience should fall with runway")
	}
}

// §4.2 Nash bargaining with disagreement points.
func TestNashSplitTable(t *testing.T) {
	cases := []struct {
		name             string
		S, d1, d2, alpha float64
		u1, u2           float64
		agreement        bool
	}{
		{"symmetric", 1, 0, 0, 0.5, 0.5000, 0.5000, true},
		{"alpha 0.3", 1, 0, 0, 0.3, 0.3000, 0.7000, true},
		{"disagreement point", 100, 30, 10, 0.5, 60.00, 40.00, true},
		{"weak player 1", 100, 30, 10, 0.25, 45.00, 55.00, true},
		{"no agreement", 50, 30, 25, 0.5, 30, 25, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := NashSplit(c.S, c.d1, c.d2, c.alpha)
			if err != nil {
				t.Fatal(err)
			}
			if out.Agreement != c.agreement {
				t.Fatalf("agreement = %v, want %v", out.Agreement, c.agreement)
			}
			checkRel(t, "u1", out.U1, c.u1)
			checkRel(t, "u2", out.U2, c.u2)
		})
	}
}

// §4.2 BRW constraint mode: S = 1, impasse (0,0), alpha = 0.5.
func TestNashOutsideOptionConstraintTable(t *testing.T) {
	cases := []struct {
		name   string
		w1     float64
		u1, u2 float64
	}{
		{"w1 not binding", 0.4, 0.5000, 0.5000},
		{"w1 binding", 0.7, 0.7000, 0.3000},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := NashWithOutsideOptions(1, 0, 0, c.w1, 0, 0.5, Constraint)
			if err != nil {
				t.Fatal(err)
			}
			if !out.Agreement {
				t.Fatal("no agreement")
			}
			checkAbs(t, "u1", out.U1, c.u1)
			checkAbs(t, "u2", out.U2, c.u2)
		})
	}
}

func TestNashOutsideOptionModes(t *testing.T) {
	// Threat point: split the difference around (w1, w2).
	out, err := NashWithOutsideOptions(1, 0, 0, 0.4, 0, 0.5, ThreatPoint)
	if err != nil {
		t.Fatal(err)
	}
	checkExact(t, "threat u1", out.U1, 0.7)
	checkExact(t, "threat u2", out.U2, 0.3)
	// Player 2's constraint binds.
	out, _ = NashWithOutsideOptions(1, 0, 0, 0, 0.8, 0.5, Constraint)
	checkExact(t, "constraint u2", out.U2, 0.8)
	checkExact(t, "constraint u1", out.U1, 0.2)
	// Outside options exceeding the surplus: no agreement in both modes.
	for _, mode := range []OutsideOptionMode{Constraint, ThreatPoint} {
		out, err := NashWithOutsideOptions(1, 0.1, 0.1, 0.6, 0.6, 0.5, mode)
		if err != nil {
			t.Fatal(err)
		}
		if out.Agreement {
			t.Errorf("%v: agreement with w1+w2 > S", mode)
		}
		checkExact(t, mode.String()+" u1", out.U1, 0.6)
	}
	if _, err := NashWithOutsideOptions(1, 0, 0, 0, 0, 0.5, OutsideOptionMode(7)); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("unknown mode: err = %v", err)
	}
}

// §4.2 revenue share (U_L = (1-s)R, U_H = sR + B).
func TestRevenueShareTable(t *testing.T) {
	cases := []struct {
		name                string
		R, B, DL, DH, alpha float64
		UL, UH, s           float64
	}{
		{"equal weights", 10, 2, 0, 0, 0.5, 6.000, 6.000, 0.4000},
		{"impatient lab", 10, 2, 0, 0, 1.0 / 6, 2.000, 10.00, 0.8000},
		{"outside options, equal", 100, 20, 55, 5, 0.5, 85.00, 35.00, 0.1500},
		{"outside options, impatient", 100, 20, 55, 5, 1.0 / 6, 65.00, 55.00, 0.3500},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, ok := NashShare(ShareInputs{R: c.R, B: c.B, DL: c.DL, DH: c.DH, Alpha: c.alpha})
			if !ok {
				t.Fatal("no agreement")
			}
			checkAbs(t, "s", s, c.s)
			checkRel(t, "U_L", (1-s)*c.R, c.UL)
			checkRel(t, "U_H", s*c.R+c.B, c.UH)
			out, err := NashSplit(c.R+c.B, c.DL, c.DH, c.alpha)
			if err != nil {
				t.Fatal(err)
			}
			checkRel(t, "NashSplit U_L", out.U1, c.UL)
			checkRel(t, "NashSplit U_H", out.U2, c.UH)
		})
	}
}

// §4.2 closed form, which must equal the direct Nash computation with
// D_L = (1-phi)R - k.
func TestClosedFormShareTable(t *testing.T) {
	cases := []struct {
		name                    string
		phi, alpha, k, B, DH, R float64
		DL, s                   float64
	}{
		{"young lab", 0.5, 0.25, 10, 20, 5, 50, 15, 0.45},
		{"grown lab", 0.5, 0.25, 10, 20, 5, 200, 90, 0.39375},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			DL := (1-c.phi)*c.R - c.k
			checkExact(t, "D_L", DL, c.DL)
			got := ClosedFormShare(c.phi, c.alpha, c.k, c.B, c.DH, c.R)
			checkExact(t, "closed form s", got, c.s)
			direct, ok := NashShare(ShareInputs{R: c.R, B: c.B, DL: DL, DH: c.DH, Alpha: c.alpha})
			if !ok {
				t.Fatal("no agreement")
			}
			checkExact(t, "direct Nash s", direct, c.s)
		})
	}
	t.Run("long run", func(t *testing.T) {
		checkExact(t, "s(R=Inf)", ClosedFormShare(0.3, 0.5, 10, 20, 5, math.Inf(1)), 0.15)
		// Approaching the limit as R grows.
		prev := math.Inf(1)
		for _, R := range []float64{1e2, 1e4, 1e6, 1e8} {
			d := math.Abs(ClosedFormShare(0.3, 0.5, 10, 20, 5, R) - 0.15)
			if d >= prev {
				t.Errorf("R=%g: distance to limit %g did not shrink", R, d)
			}
			prev = d
		}
		if prev > 1e-6 {
			t.Errorf("R=1e8: distance to limit %g", prev)
		}
	})
}

// §3.1(a) comparative statics.
func TestShareComparativeStatics(t *testing.T) {
	base := ShareInputs{R: 100, B: 20, DL: 55, DH: 5, Alpha: 0.5}
	s0, _ := NashShare(base)
	up := base
	up.DL++
	s1, _ := NashShare(up)
	// The spec's §3.1(a) bullet says ds/dD_L = -1/R; differentiating its own
	// Nash formula s = 1 - [D_L + alpha(R+B-D_L-D_H)]/R gives -(1-alpha)/R
	// (consistent with ds/dphi = 1-alpha in the closed form), which is what
	// the direct computation and the §4.2 tables satisfy.
	checkTol(t, "ds/dD_L", s1-s0, -(1-base.Alpha)/base.R, 1e-12)
	up = base
	up.DH++
	s2, _ := NashShare(up)
	checkTol(t, "ds/dD_H", s2-s0, base.Alpha/base.R, 1e-12)
	// No agreement when the surplus is below the disagreement payoffs.
	if _, ok := NashShare(ShareInputs{R: 10, B: 2, DL: 10, DH: 3, Alpha: 0.5}); ok {
		t.Error("agreement with R+B < D_L+D_H")
	}
	if _, ok := NashShare(ShareInputs{R: 0, B: 2, Alpha: 0.5}); ok {
		t.Error("agreement with R = 0")
	}
}

func TestPhi(t *testing.T) {
	cases := []struct {
		name                    string
		p0, p1, p2, mc, d, want float64
	}{
		{"exclusive era", 0.9, 0.5, 0.3, 0, 0, 0.9},
		{"multi-cloud", 0.9, 0.5, 0.3, 0.6, 0.5, 0.45},
		{"clamped low", 0.9, 1, 1, 1, 1, 0.1},
		{"clamped high", 1.5, 0, 0, 0, 0, 1},
		{"NaN", math.NaN(), 0, 0, 0, 0, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkExact(t, "phi", Phi(c.p0, c.p1, c.p2, c.mc, c.d), c.want)
		})
	}
}

// §3.1(e) renegotiation triggers.
func TestRenegotiationTrigger(t *testing.T) {
	tr := DefaultRenegotiationTrigger()
	if tr.ARRThreshold != 2 || tr.Band != 0.05 || tr.HoldMonths != 6 {
		t.Fatalf("defaults = %+v", tr)
	}
	t.Run("ARR crosses once", func(t *testing.T) {
		var st TriggerState
		arr := []float64{1.0, 1.5, 1.9, 2.1, 2.5, 1.8, 2.2}
		want := []bool{false, false, false, true, false, false, false}
		for m, a := range arr {
			fire, why := tr.Check(&st, a, 0.2, 0.2, m, 0)
			if fire != want[m] {
				t.Errorf("month %d: fire = %v (%v), want %v", m, fire, why, want[m])
			}
			if fire && why != TriggerARR {
				t.Errorf("month %d: reason %v, want ARR", m, why)
			}
		}
	})
	t.Run("band held for 6 months", func(t *testing.T) {
		var st TriggerState
		// Nash share 0.12 vs contract 0.20: 8 points outside a 5-point band,
		// interrupted once at month 3 (within band), then held.
		nash := []float64{0.12, 0.12, 0.12, 0.18, 0.12, 0.12, 0.12, 0.12, 0.12, 0.12, 0.12}
		fireAt := 9 // months 4..9 are six consecutive months outside
		for m, n := range nash {
			fire, why := tr.Check(&st, 0.5, 0.20, n, m, 0)
			if fire != (m == fireAt) {
				t.Errorf("month %d: fire = %v (%v), counter %d", m, fire, why, st.MonthsOutside)
			}
			if fire && why != TriggerBand {
				t.Errorf("month %d: reason %v", m, why)
			}
		}
		if st.MonthsOutside != 1 {
			t.Errorf("counter after firing and one more month = %d, want 1", st.MonthsOutside)
		}
	})
	t.Run("exactly at band edge stays inside", func(t *testing.T) {
		var st TriggerState
		for m := range 10 {
			if fire, _ := tr.Check(&st, 0, 0.25, 0.25-0.05, m, 0); fire {
				t.Fatalf("month %d fired at the band edge", m)
			}
		}
	})
	t.Run("expiry", func(t *testing.T) {
		var st TriggerState
		for m := 70; m < 80; m++ {
			fire, why := tr.Check(&st, 0, 0.2, 0.2, m, 74)
			if fire != (m == 74) {
				t.Errorf("month %d: fire = %v", m, fire)
			}
			if fire && why != TriggerExpiry {
				t.Errorf("reason %v", why)
			}
		}
		// A renewed contract with a later expiry fires again.
		if fire, _ := tr.Check(&st, 0, 0.2, 0.2, 81, 81); !fire {
			t.Error("renewed contract expiry did not fire")
		}
	})
	t.Run("several reasons", func(t *testing.T) {
		st := TriggerState{MonthsOutside: 5}
		fire, why := tr.Check(&st, 3, 0.2, 0.1, 12, 12)
		if !fire || !why.Has(TriggerARR) || !why.Has(TriggerBand) || !why.Has(TriggerExpiry) {
			t.Errorf("fire=%v why=%v", fire, why)
		}
		if why.String() != "ARR|Band|Expiry" {
			t.Errorf("String = %q", why.String())
		}
		if TriggerNone.String() != "None" {
			t.Error(TriggerNone.String())
		}
	})
	t.Run("nil state", func(t *testing.T) {
		if fire, why := tr.Check(nil, 5, 0.2, 0.2, 3, 0); !fire || why != TriggerARR {
			t.Errorf("fire=%v why=%v", fire, why)
		}
	})
}

// RunwayWithCredits against its closed form, and against a month-by-month
// simulation of the money: credits pay compute while they last, cash the
// rest, and the runway is when cash would go negative.
func TestRunwayWithCredits(t *testing.T) {
	cases := []struct {
		name                                 string
		cash, burn, rev, credits, compute, R float64
	}{
		{"no credits is Runway", 12, 3, 1, 0, 2, 6},
		{"credits and no cash: other opex not covered", 0, 10, 0, 1000, 6, 0},
		{"large credits, little cash: cash pays other opex", 8, 10, 0, 1000, 6, 2},
		{"credits run out first", 40, 10, 0, 12, 6, 5.2},
		{"revenue covers other opex", 0, 10, 5, 20, 6, 4},
		{"cash-flow positive", 0, 10, 12, 5, 6, math.Inf(1)},
		{"compute capped at burn", 10, 10, 0, 1000, 50, 101},
	}
	for _, c := range cases {
		got := RunwayWithCredits(c.cash, c.burn, c.rev, c.credits, c.compute)
		if got != c.R && math.Abs(got-c.R) > 1e-12*math.Max(1, c.R) {
			t.Errorf("%s: runway %g, want %g", c.name, got, c.R)
		}
		if math.IsInf(c.R, 1) {
			continue
		}
		// simulate in steps of 1/1000 month
		cash, credits, dt := c.cash, c.credits, 1e-3
		comp := math.Min(c.compute, c.burn)
		m := 0.0
		for ; m < 1e4; m += dt {
			fromCredits := math.Min(credits, comp*dt)
			credits -= fromCredits
			cash -= (c.burn-c.rev)*dt - fromCredits
			if cash < -1e-9 {
				break
			}
		}
		if math.Abs(m-c.R) > 2*dt*math.Max(1, c.R) {
			t.Errorf("%s: money lasts %g months by simulation, closed form %g", c.name, m, c.R)
		}
	}
	if got := RunwayWithCredits(math.NaN(), 1, 0, 1, 1); got != 0 {
		t.Errorf("NaN cash: %g, want 0", got)
	}
	if got := RunwayWithCredits(-1, 3, 1, 100, 2); got != 0 {
		t.Errorf("negative cash: %g, want 0", got)
	}
}
