package market

import (
	"errors"
	"fmt"
	"math"
	"testing"
)

// Compile-time check of the training-compute and inference API.
var (
	_ func(TrainingInputs, CapabilityValue) (TrainingDecision, error)                      = TrainingSpend
	_ func(TrainingInputs, float64) (TrainingDecision, error)                              = TrainingSpendLinear
	_ func(OwnerFunding, CapabilityValue) (TrainingDecision, error)                        = OwnerTrainingBudget
	_ func(OwnerFunding, float64) (TrainingDecision, error)                                = OwnerTrainingBudgetLinear
	_ func(pullThrough, modelProfit, horizonMonths, ratePerMonth float64) (float64, error) = OwnerValuePerUnit
	_ func(perUnit float64) CapabilityValue                                                = LinearCapabilityValue
	_ func(horizonMonths, ratePerMonth float64) (float64, error)                           = AnnuityFactor
	_ func(runwayMonths, targetMonths, roundCost, muMax float64) (float64, error)          = ShadowCostOfCash
	_ func(insiderValue, preMoney float64) (float64, error)                                = RoundCost
	_ func(flopPerGPUHour, pricePerGPUHour float64) (float64, error)                       = FLOPPerBUSD

	_ = TrainingDecision{Spend: 0, FromCredits: 0, FromCash: 0, FLOP: 0, Capability: 0, MarginalValue: 0, Binding: BindNone, Shortfall: 0}
	_ = [...]TrainingConstraint{BindNone, BindCredits, BindFloor, BindFunds, BindShortfall}
)

// A lab with C/F = 10 US$B of compute at this month's price (C = 1e25 FLOP,
// F = 1e24 FLOP per US$B), kappa = 1, ample cash, no credits or commitments.
func baseLab() TrainingInputs {
	return TrainingInputs{Capability: 2, CumulativeFLOP: 1e25, FLOPPerBUSD: 1e24, Kappa: 1, Mu: 0.5, Cash: 1000}
}

// outlayValue is what an outlay y costs the lab when credits are spent
// first (1 per dollar) and cash after (1 + mu per dollar).
func outlayValue(in TrainingInputs, y float64) float64 {
	cr := math.Min(y, in.Credits)
	return cr + (1+in.Mu)*(y-cr)
}

// bruteObjective is the lab's objective at spend x, written independently
// of the solver: the capability law in FLOP and the outlay beyond the
// take-or-pay minimum, which is owed in any case.
func bruteObjective(in TrainingInputs, v CapabilityValue, x float64) float64 {
	k := in.Capability + in.Kappa*math.Log10((in.CumulativeFLOP+in.FLOPPerBUSD*x)/in.CumulativeFLOP)
	val, _ := v(k)
	return val - (outlayValue(in, x) - outlayValue(in, in.Committed))
}

// bruteArgmax maximises the objective on a grid of n+1 points over the
// feasible spends [Committed, max(0, Cash-Owed)+Credits].
func bruteArgmax(in TrainingInputs, v CapabilityValue, n int) (x, step float64) {
	lo, hi := in.Committed, math.Max(0, in.Cash-in.Owed)+in.Credits
	step = (hi - lo) / float64(n)
	best := math.Inf(-1)
	for i := 0; i <= n; i++ {
		xi := lo + float64(i)*step
		if w := bruteObjective(in, v, xi); w > best {
			best, x = w, xi
		}
	}
	return x, step
}

// One lab, revenue linear in capability (V_K constant): the rule's spend is
// the closed form kappa*V_K/((1+mu)*ln10) - C/F, a brute-force grid search
// of V_K*K(X) - (1+mu)*X finds the same maximiser within the grid step, and
// the general solver agrees with the closed form.
func TestTrainingSpendClosedFormOneLab(t *testing.T) {
	cases := []struct {
		name      string
		vk, mu    float64
		kappa     float64
		want      float64 // closed form, computed by hand
		wantBind  TrainingConstraint
		wantValue float64 // marginal value at the optimum = 1 + mu
	}{
		// 100/(1.5*2.302585093) - 10 = 18.952...
		{"V_K 100, mu 0.5", 100, 0.5, 1, 100/(1.5*math.Ln10) - 10, BindNone, 1.5},
		{"V_K 100, mu 0", 100, 0, 1, 100/math.Ln10 - 10, BindNone, 1},
		{"V_K 300, mu 1", 300, 1, 1, 300/(2*math.Ln10) - 10, BindNone, 2},
		{"kappa 2", 100, 0.5, 2, 200/(1.5*math.Ln10) - 10, BindNone, 1.5},
		{"compute above target: floor", 20, 0.5, 1, 0, BindFloor, 20 / (10 * math.Ln10)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := baseLab()
			in.Mu, in.Kappa = c.mu, c.kappa
			d, err := TrainingSpendLinear(in, c.vk)
			if err != nil {
				t.Fatal(err)
			}
			checkTol(t, "closed form X", d.Spend, c.want, 1e-12*math.Max(1, c.want))
			if d.Binding != c.wantBind {
				t.Errorf("binding %v, want %v", d.Binding, c.wantBind)
			}
			checkTol(t, "marginal value", d.MarginalValue, c.wantValue, 1e-12)
			checkExact(t, "FLOP", d.FLOP, d.Spend*in.FLOPPerBUSD)
			checkExact(t, "K", d.Capability, in.Capability+in.Kappa*math.Log10(1+in.FLOPPerBUSD*d.Spend/in.CumulativeFLOP))
			checkExact(t, "cash", d.FromCash, d.Spend)

			v := LinearCapabilityValue(c.vk)
			xb, step := bruteArgmax(in, v, 200000)
			checkTol(t, "brute-force X", xb, d.Spend, step)

			g, err := TrainingSpend(in, v)
			if err != nil {
				t.Fatal(err)
			}
			checkTol(t, "general solver X", g.Spend, d.Spend, 1e-9*math.Max(1, d.Spend))
			if g.Binding != d.Binding {
				t.Errorf("general solver binding %v, want %v", g.Binding, d.Binding)
			}
		})
	}
}

// Every branch of the closed form (floor, credits, kink, cash, funds,
// shortfall) against the brute-force grid over the feasible spends, and the
// general solver against the closed form.
func TestTrainingSpendBranches(t *testing.T) {
	const vk = 100 // x1 = 100/ln10 - 10 = 33.43, x2 (mu 0.5) = 18.95
	x1 := vk/math.Ln10 - 10
	x2 := vk/(1.5*math.Ln10) - 10
	cases := []struct {
		name                        string
		cash, owed, credits, commit float64
		want                        float64
		bind                        TrainingConstraint
	}{
		{"cash interior", 1000, 0, 0, 0, x2, BindNone},
		{"credits cover the credit optimum", 1000, 0, 50, 0, x1, BindNone},
		{"credits run out between x2 and x1: kink", 1000, 0, 25, 0, 25, BindCredits},
		{"few credits: cash optimum", 1000, 0, 5, 0, x2, BindNone},
		{"commitment above x1: floor", 1000, 0, 0, 40, 40, BindFloor},
		{"commitment between x2 and x1, no credits: floor", 1000, 0, 0, 25, 25, BindFloor},
		{"commitment below x2", 1000, 0, 0, 10, x2, BindNone},
		{"cash binds", 12, 0, 0, 0, 12, BindFunds},
		{"owed cash reduces the cap", 12, 5, 0, 0, 7, BindFunds},
		{"owed more than cash: credits only", 3, 5, 4, 0, 4, BindFunds},
		{"cash and credits bind", 6, 0, 4, 0, 10, BindFunds},
		{"commitment above funds: shortfall", 6, 0, 0, 9, 6, BindShortfall},
		{"no funds at all", 0, 0, 0, 0, 0, BindFunds},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := baseLab()
			in.Cash, in.Owed, in.Credits, in.Committed = c.cash, c.owed, c.credits, c.commit
			d, err := TrainingSpendLinear(in, vk)
			if err != nil {
				t.Fatal(err)
			}
			checkTol(t, "X", d.Spend, c.want, 1e-12*math.Max(1, c.want))
			if d.Binding != c.bind {
				t.Errorf("binding %v, want %v", d.Binding, c.bind)
			}
			checkExact(t, "credits part", d.FromCredits, math.Min(d.Spend, in.Credits))
			checkExact(t, "cash part", d.FromCash+d.FromCredits, d.Spend)
			if c.bind == BindShortfall {
				checkExact(t, "shortfall", d.Shortfall, c.commit-d.Spend)
			} else {
				xb, step := bruteArgmax(in, LinearCapabilityValue(vk), 100000)
				checkTol(t, "brute-force X", xb, d.Spend, step)
			}
			g, err := TrainingSpend(in, LinearCapabilityValue(vk))
			if err != nil {
				t.Fatal(err)
			}
			checkTol(t, "general X", g.Spend, d.Spend, 1e-9*math.Max(1, d.Spend))
			if g.Binding != d.Binding {
				t.Errorf("general binding %v, want %v", g.Binding, d.Binding)
			}
		})
	}
}

// Comparative statics of the rule.
func TestTrainingSpendComparativeStatics(t *testing.T) {
	const vk = 100
	spend := func(t *testing.T, in TrainingInputs) TrainingDecision {
		t.Helper()
		d, err := TrainingSpendLinear(in, vk)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	t.Run("higher mu lowers X", func(t *testing.T) {
		// the shorter the runway, the higher mu and the lower the spend
		prev := math.Inf(1)
		for _, runway := range []float64{36, 18, 12, 9, 6, 3, 1} {
			mu, err := ShadowCostOfCash(runway, 18, 0.1, 1)
			if err != nil {
				t.Fatal(err)
			}
			in := baseLab()
			in.Mu = mu
			d := spend(t, in)
			if runway < 18 && !(d.Spend < prev) || runway >= 18 && !(d.Spend <= prev) {
				t.Errorf("runway %g (mu %.3f): X = %.6g, previous %.6g", runway, mu, d.Spend, prev)
			}
			prev = d.Spend
		}
	})
	t.Run("more cash relaxes a binding cash constraint", func(t *testing.T) {
		in := baseLab()
		prev, bound := -1.0, true
		for _, cash := range []float64{2, 5, 10, 15, 18, 18.9, 19, 25, 100} {
			in.Cash = cash
			d := spend(t, in)
			free := vk/(1.5*math.Ln10) - 10
			switch {
			case cash < free:
				if d.Binding != BindFunds || d.Spend != cash || !(d.Spend > prev) || d.MarginalValue <= 1.5 {
					t.Errorf("cash %g: %+v, want all the cash spent, more than %g", cash, d, prev)
				}
			default:
				bound = false
				checkTol(t, fmt.Sprintf("cash %g: X", cash), d.Spend, free, 1e-12*free)
			}
			prev = d.Spend
		}
		if bound {
			t.Error("the constraint never relaxed")
		}
	})
	t.Run("a round raises X when cash binds", func(t *testing.T) {
		// before: 4 months of runway at a net burn of 2; after a round of
		// 30 the runway is 19 months: more cash and a lower mu.
		before, after := baseLab(), baseLab()
		var err error
		before.Cash = 8
		if before.Mu, err = ShadowCostOfCash(Runway(before.Cash, 2.5, 0.5), 18, 0.1, 1); err != nil {
			t.Fatal(err)
		}
		after.Cash = before.Cash + 30
		if after.Mu, err = ShadowCostOfCash(Runway(after.Cash, 2.5, 0.5), 18, 0.1, 1); err != nil {
			t.Fatal(err)
		}
		db, da := spend(t, before), spend(t, after)
		if db.Binding != BindFunds || !(da.Spend > db.Spend) || !(da.Capability > db.Capability) {
			t.Errorf("before %+v (mu %.3f), after %+v (mu %.3f): want cash binding before and more spend after",
				db, before.Mu, da, after.Mu)
		}
	})
	t.Run("credits count only up to their amount", func(t *testing.T) {
		in := baseLab()
		in.Cash = 2
		x1 := vk/math.Ln10 - 10
		prev := -1.0
		for _, credits := range []float64{0, 1, 5, 10, 20, 30, x1, 40, 100, 1000} {
			in.Credits = credits
			d := spend(t, in)
			if d.Spend > in.Cash+credits+1e-12 || d.FromCredits > credits || d.FromCash > in.Cash+1e-12 {
				t.Errorf("credits %g: %+v spends more than cash + credits", credits, d)
			}
			if d.Spend < prev {
				t.Errorf("credits %g: X = %g fell from %g", credits, d.Spend, prev)
			}
			prev = d.Spend
			if credits >= x1 {
				// credits beyond the spend the lab wants change nothing
				checkTol(t, fmt.Sprintf("credits %g: X", credits), d.Spend, x1, 1e-12*x1)
				checkExact(t, "cash part", d.FromCash, 0)
			}
		}
	})
	t.Run("cheaper compute raises spend at a target below the stock", func(t *testing.T) {
		// X = kappa*V_K/(c*ln10) - C/F rises with F
		in := baseLab()
		prev := -1.0
		for _, f := range []float64{0.5e24, 1e24, 2e24, 4e24} {
			in.FLOPPerBUSD = f
			d := spend(t, in)
			if !(d.Spend > prev) {
				t.Errorf("F = %g: X = %g, previous %g", f, d.Spend, prev)
			}
			prev = d.Spend
		}
	})
}

// logisticValue is a symmetric rivalry value: the lab's valuation is a
// market worth m (US$B) times its logit share against a rival at
// capability rival, m*sigma(beta*(k - rival)), with diminishing returns
// above the rival's capability.
func logisticValue(m, beta, rival float64) CapabilityValue {
	return func(k float64) (float64, float64) {
		s := 1 / (1 + math.Exp(-beta*(k-rival)))
		return m * s, m * beta * s * (1 - s)
	}
}

// The general solver on a non-concave objective finds the brute-force
// global maximum, including when the objective has two local maxima.
func TestTrainingSpendNonConcave(t *testing.T) {
	cases := []struct {
		name           string
		m, beta, rival float64
		cash, credits  float64
		commit, k0     float64
		bind           TrainingConstraint
	}{
		{"level with the rival", 200, 2, 2, 1000, 0, 0, 2, BindNone},
		{"ahead of the rival", 200, 2, 1.5, 1000, 0, 0, 2, BindNone},
		{"behind the rival", 200, 2, 2.8, 1000, 0, 0, 2, BindNone},
		// far behind, the objective falls from the floor, rises over the
		// rival's capability and falls again: two local maxima
		{"far behind, small market: the floor beats the hump", 400, 6, 3.2, 1000, 0, 0, 2, BindFloor},
		{"far behind, larger market: the hump beats the floor", 800, 6, 3.2, 1000, 0, 0, 2, BindNone},
		{"far behind, cash short of the hump: floor", 1000, 6, 3.2, 30, 0, 0, 2, BindFloor},
		{"far behind, cash part-way up the hump: funds", 1000, 6, 3.2, 60, 0, 0, 2, BindFunds},
		{"with credits and a commitment", 200, 2, 2.5, 60, 20, 3, 2, BindCredits},
		{"small market: floor", 5, 2, 2, 1000, 0, 1, 2, BindFloor},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := baseLab()
			in.Capability, in.Cash, in.Credits, in.Committed = c.k0, c.cash, c.credits, c.commit
			v := logisticValue(c.m, c.beta, c.rival)
			d, err := TrainingSpend(in, v)
			if err != nil {
				t.Fatal(err)
			}
			xb, step := bruteArgmax(in, v, 400000)
			wd, wb := bruteObjective(in, v, d.Spend), bruteObjective(in, v, xb)
			if wd < wb-1e-9*math.Max(1, math.Abs(wb)) {
				t.Errorf("solver X = %g with W = %.12g below brute force X = %g with W = %.12g", d.Spend, wd, xb, wb)
			}
			checkTol(t, "X against brute force", d.Spend, xb, 2*step)
			if d.Binding != c.bind {
				t.Errorf("binding %v, want %v", d.Binding, c.bind)
			}
			if d.Binding == BindNone {
				c := 1 + in.Mu
				if d.Spend < in.Credits {
					c = 1
				}
				checkTol(t, "marginal value at an interior optimum", d.MarginalValue, c, 1e-8)
			}
		})
	}
	// the far-behind objective really has two local maxima: the floor
	// and one interior grid point above both its neighbours
	for _, m := range []float64{400, 800} {
		in := baseLab()
		v := logisticValue(m, 6, 3.2)
		const n, top = 4000, 500.0
		w := func(i int) float64 { return bruteObjective(in, v, top*float64(i)/n) }
		interior := 0
		for i := 1; i < n; i++ {
			if w(i) > w(i-1) && w(i) > w(i+1) {
				interior++
			}
		}
		if !(w(0) > w(1)) || interior != 1 {
			t.Errorf("market %g: W(0) = %g, W(step) = %g, %d interior maxima; want a local maximum at the floor and one inside",
				m, w(0), w(1), interior)
		}
	}
}

// twoRivals is a value with two rivals at capabilities r1 < r2: the sum of
// two logit-share values, so the objective can have two interior maxima.
func twoRivals(m1, m2, beta, r1, r2 float64) CapabilityValue {
	a, b := logisticValue(m1, beta, r1), logisticValue(m2, beta, r2)
	return func(k float64) (float64, float64) {
		v1, d1 := a(k)
		v2, d2 := b(k)
		return v1 + v2, d1 + d2
	}
}

// Two interior local maxima in the cash segment (past the first rival, and
// past the second): the solver picks the better one, as the brute force.
func TestTrainingSpendTwoInteriorMaxima(t *testing.T) {
	for _, c := range []struct {
		name string
		m2   float64
		near float64 // the brute-force global maximiser, roughly
	}{
		{"the first maximum is better", 200, 14.3},
		{"the second maximum is better", 300, 124.6},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := baseLab()
			in.Committed = 0.5
			v := twoRivals(60, c.m2, 8, 2.2, 3.0)
			const n, top = 8000, 1000.0
			w := func(i int) float64 { return bruteObjective(in, v, in.Committed+top*float64(i)/n) }
			interior := 0
			for i := 1; i < n; i++ {
				if w(i) > w(i-1) && w(i) > w(i+1) {
					interior++
				}
			}
			if interior != 2 {
				t.Fatalf("%d interior maxima, want 2", interior)
			}
			d, err := TrainingSpend(in, v)
			if err != nil {
				t.Fatal(err)
			}
			xb, step := bruteArgmax(in, v, 400000)
			checkTol(t, "X against brute force", d.Spend, xb, 2*step)
			checkTol(t, "X", d.Spend, c.near, 0.1)
			if d.Binding != BindNone {
				t.Errorf("binding %v, want none", d.Binding)
			}
			checkTol(t, "marginal value", d.MarginalValue, 1+in.Mu, 1e-8)
		})
	}
}

// Two symmetric labs with the same state and the same V_K choose the same
// spend; iterated over months with the symmetric rivalry value (each lab
// values its logit share against the rival's capability at the start of
// the month, a market growing 3% a month) they do not run away: from equal
// starts the gap stays exactly 0, and from a 0.18-unit gap (1.5x the
// rival's compute) the absolute gap never grows and ends below a tenth of
// its start, with ample cash (the logit value's V' is symmetric in the gap,
// so both labs have the same target stock: the laggard buys up to it while
// a leader above it waits; measured: 0.176 -> 0.044 after a month -> 0) and
// with the same binding cash inflow (equal dollar purchases shrink the log
// ratio of the stocks; 0.176 -> 0.097 -> 0).
func TestTrainingSpendSymmetricLabs(t *testing.T) {
	t.Run("same state, same V_K", func(t *testing.T) {
		a, b := baseLab(), baseLab()
		da, _ := TrainingSpendLinear(a, 100)
		db, _ := TrainingSpendLinear(b, 100)
		ga, _ := TrainingSpend(a, LinearCapabilityValue(100))
		gb, _ := TrainingSpend(b, LinearCapabilityValue(100))
		if da != db || ga != gb {
			t.Errorf("%+v != %+v or %+v != %+v", da, db, ga, gb)
		}
	})
	const months = 48
	const cRef, f = 1e23, 1e24
	run := func(t *testing.T, c1, c2, cash0, inflow float64) (gap0, maxGap, gapEnd float64) {
		t.Helper()
		c := [2]float64{c1, c2}
		cash := [2]float64{cash0, cash0}
		k := func(i, month int) float64 {
			return CapabilityIndex(c[i]*AlgorithmicMultiplier(float64(month), 8), cRef, 1)
		}
		gap0 = k(0, 0) - k(1, 0)
		for month := range months {
			m := 50 * math.Pow(1.03, float64(month))
			k0, k1 := k(0, month), k(1, month)
			var spend [2]float64
			for i, rival := range [2]float64{k1, k0} {
				in := TrainingInputs{Capability: [2]float64{k0, k1}[i], CumulativeFLOP: c[i], FLOPPerBUSD: f, Kappa: 1, Mu: 0.2, Cash: cash[i]}
				d, err := TrainingSpend(in, logisticValue(m, 1.5, rival))
				if err != nil {
					t.Fatal(err)
				}
				spend[i] = d.Spend
			}
			for i := range 2 {
				c[i] += f * spend[i]
				cash[i] += inflow - spend[i]
			}
			g := math.Abs(k(0, month+1) - k(1, month+1))
			maxGap = math.Max(maxGap, g)
			gapEnd = g
		}
		return gap0, maxGap, gapEnd
	}
	t.Run("equal starts stay equal", func(t *testing.T) {
		for _, cash := range []float64{1e6, 3} {
			_, maxGap, _ := run(t, 5e24, 5e24, cash, 2)
			if maxGap != 0 {
				t.Errorf("cash %g: gap reached %g from equal starts", cash, maxGap)
			}
		}
	})
	for _, c := range []struct {
		name          string
		cash, inflow  float64
		wantEndFactor float64
	}{
		{"ample cash", 1e6, 0, 0.1},
		{"binding cash", 1, 1, 0.1},
	} {
		t.Run("a small gap shrinks: "+c.name, func(t *testing.T) {
			gap0, maxGap, gapEnd := run(t, 7.5e24, 5e24, c.cash, c.inflow)
			t.Logf("gap %.4g -> max %.4g, end %.4g", gap0, maxGap, gapEnd)
			if maxGap > gap0*(1+1e-12) || gapEnd > c.wantEndFactor*gap0 {
				t.Errorf("gap %.4g -> max %.4g, end %.4g; want it never above the start and below %g of it at the end",
					gap0, maxGap, gapEnd, c.wantEndFactor)
			}
		})
	}
}

func TestAnnuityFactor(t *testing.T) {
	for _, c := range []struct{ h, r float64 }{{0, 0.01}, {1, 0.01}, {12, 0}, {36, 0.01}, {36, 0.1}, {120, 0.02}} {
		sum := 0.0
		for s := 1; s <= int(c.h); s++ {
			sum += math.Exp(-c.r * float64(s))
		}
		got, err := AnnuityFactor(c.h, c.r)
		if err != nil {
			t.Fatal(err)
		}
		checkTol(t, fmt.Sprintf("annuity(%g, %g)", c.h, c.r), got, sum, 1e-12*math.Max(1, sum))
	}
}

func TestShadowCostOfCash(t *testing.T) {
	for _, c := range []struct{ runway, want float64 }{
		{math.Inf(1), 0.1}, {36, 0.1}, {18, 0.1}, {9, 0.55}, {4.5, 0.775}, {0, 1},
	} {
		got, err := ShadowCostOfCash(c.runway, 18, 0.1, 1)
		if err != nil {
			t.Fatal(err)
		}
		checkExact(t, fmt.Sprintf("mu(runway %g)", c.runway), got, c.want)
	}
}

func TestRoundCost(t *testing.T) {
	for _, c := range []struct{ v, pre, want float64 }{{100, 100, 0}, {120, 100, 0.2}, {80, 100, 0}, {0, 10, 0}, {300, 150, 1}} {
		got, err := RoundCost(c.v, c.pre)
		if err != nil {
			t.Fatal(err)
		}
		checkExact(t, fmt.Sprintf("RoundCost(%g, %g)", c.v, c.pre), got, c.want)
	}
	// the margin it states: the insiders' wealth (V+I)*Pre/(Pre+I) changes
	// by 1 - V/Pre per dollar raised as I -> 0
	v, pre, i := 120.0, 100.0, 1e-6
	gain := ((v+i)*pre/(pre+i) - v) / i
	checkTol(t, "marginal wealth per dollar", gain, 1-v/pre, 1e-6)
}

// An owner-funded lab: the closed form at the owner's mu = 0, the owner's
// envelope binding, the general solver agreeing.
func TestOwnerTrainingBudget(t *testing.T) {
	vk, err := OwnerValuePerUnit(0.5, 1.5, 36, 0.01) // US$2B a month per unit over 3 years at 1%/month
	if err != nil {
		t.Fatal(err)
	}
	a, _ := AnnuityFactor(36, 0.01)
	checkExact(t, "owner V_K", vk, 2*a)
	for _, c := range []struct {
		name     string
		envelope float64
		want     float64
		bind     TrainingConstraint
	}{
		{"envelope ample", 1000, vk/math.Ln10 - 10, BindNone},
		{"envelope binds", 5, 5, BindFunds},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := OwnerFunding{Capability: 2, CumulativeFLOP: 1e25, FLOPPerBUSD: 1e24, Kappa: 1, Envelope: c.envelope}
			d, err := OwnerTrainingBudgetLinear(o, vk)
			if err != nil {
				t.Fatal(err)
			}
			checkTol(t, "budget", d.Spend, c.want, 1e-12*c.want)
			if d.Binding != c.bind {
				t.Errorf("binding %v, want %v", d.Binding, c.bind)
			}
			g, err := OwnerTrainingBudget(o, LinearCapabilityValue(vk))
			if err != nil {
				t.Fatal(err)
			}
			checkTol(t, "general budget", g.Spend, c.want, 1e-9*c.want)
		})
	}
}

func TestFLOPPerBUSD(t *testing.T) {
	// 1.4e18 FLOP per GPU-hour at US$2 per GPU-hour: 7e26 FLOP per US$B
	f, err := FLOPPerBUSD(1.4e18, 2)
	if err != nil {
		t.Fatal(err)
	}
	checkExact(t, "F", f, 7e26)
}

// Invalid arguments return errors wrapping ErrInvalidArgument.
func TestComputeSpendBadInput(t *testing.T) {
	ok := baseLab()
	with := func(f func(*TrainingInputs)) TrainingInputs { in := ok; f(&in); return in }
	lin := LinearCapabilityValue(100)
	nanValue := CapabilityValue(func(float64) (float64, float64) { return math.NaN(), math.NaN() })
	err1 := func(_ float64, err error) error { return err }
	errD := func(_ TrainingDecision, err error) error { return err }
	cases := []struct {
		name string
		err  error
	}{
		{"C = 0", errD(TrainingSpendLinear(with(func(in *TrainingInputs) { in.CumulativeFLOP = 0 }), 100))},
		{"F < 0", errD(TrainingSpendLinear(with(func(in *TrainingInputs) { in.FLOPPerBUSD = -1 }), 100))},
		{"kappa 0", errD(TrainingSpend(with(func(in *TrainingInputs) { in.Kappa = 0 }), lin))},
		{"mu < 0", errD(TrainingSpend(with(func(in *TrainingInputs) { in.Mu = -0.1 }), lin))},
		{"cash NaN", errD(TrainingSpend(with(func(in *TrainingInputs) { in.Cash = nan }), lin))},
		{"cash +Inf", errD(TrainingSpendLinear(with(func(in *TrainingInputs) { in.Cash = pInf }), 100))},
		{"owed < 0", errD(TrainingSpendLinear(with(func(in *TrainingInputs) { in.Owed = -1 }), 100))},
		{"credits < 0", errD(TrainingSpendLinear(with(func(in *TrainingInputs) { in.Credits = -1 }), 100))},
		{"committed < 0", errD(TrainingSpendLinear(with(func(in *TrainingInputs) { in.Committed = -1 }), 100))},
		{"K0 -Inf", errD(TrainingSpend(with(func(in *TrainingInputs) { in.Capability = nInf }), lin))},
		{"V_K NaN", errD(TrainingSpendLinear(ok, nan))},
		{"nil value", errD(TrainingSpend(ok, nil))},
		{"value NaN", errD(TrainingSpend(ok, nanValue))},
		{"value NaN in shortfall", errD(TrainingSpend(with(func(in *TrainingInputs) { in.Cash, in.Committed = 1, 2 }), nanValue))},
		{"owner envelope +Inf", errD(OwnerTrainingBudget(OwnerFunding{Capability: 2, CumulativeFLOP: 1, FLOPPerBUSD: 1, Kappa: 1, Envelope: pInf}, lin))},
		{"owner envelope < 0", errD(OwnerTrainingBudgetLinear(OwnerFunding{Capability: 2, CumulativeFLOP: 1, FLOPPerBUSD: 1, Kappa: 1, Envelope: -1}, 1))},
		{"owner C = 0", errD(OwnerTrainingBudgetLinear(OwnerFunding{Capability: 2, FLOPPerBUSD: 1, Kappa: 1, Envelope: 1}, 1))},
		{"owner value NaN", err1(OwnerValuePerUnit(nan, 1, 12, 0.01))},
		{"owner rate < 0", err1(OwnerValuePerUnit(1, 1, 12, -0.01))},
		{"annuity horizon < 0", err1(AnnuityFactor(-1, 0.01))},
		{"annuity rate NaN", err1(AnnuityFactor(12, nan))},
		{"annuity horizon +Inf", err1(AnnuityFactor(pInf, 0.01))},
		{"mu runway < 0", err1(ShadowCostOfCash(-1, 18, 0.1, 1))},
		{"mu runway NaN", err1(ShadowCostOfCash(nan, 18, 0.1, 1))},
		{"mu target 0", err1(ShadowCostOfCash(6, 0, 0.1, 1))},
		{"mu max below round cost", err1(ShadowCostOfCash(6, 18, 0.5, 0.2))},
		{"mu round cost < 0", err1(ShadowCostOfCash(6, 18, -0.1, 1))},
		{"round cost pre 0", err1(RoundCost(10, 0))},
		{"round cost value < 0", err1(RoundCost(-1, 10))},
		{"FLOP per US$B price 0", err1(FLOPPerBUSD(1e18, 0))},
		{"FLOP per US$B NaN", err1(FLOPPerBUSD(nan, 2))},
	}
	for _, c := range cases {
		if !errors.Is(c.err, ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", c.name, c.err)
		}
	}
}

func TestTrainingConstraintString(t *testing.T) {
	want := map[TrainingConstraint]string{BindNone: "none", BindCredits: "credits", BindFloor: "floor",
		BindFunds: "funds", BindShortfall: "shortfall", TrainingConstraint(99): "unknown"}
	for c, s := range want {
		if c.String() != s {
			t.Errorf("%d: %q, want %q", int(c), c.String(), s)
		}
	}
}

// sixteenLabs is a benchmark world: 16 labs of varied state, half of them
// constrained.
func sixteenLabs() ([16]TrainingInputs, [16]CapabilityValue) {
	var in [16]TrainingInputs
	var v [16]CapabilityValue
	for i := range in {
		x := float64(i)
		in[i] = TrainingInputs{Capability: 1.5 + 0.1*x, CumulativeFLOP: 1e24 * (1 + x), FLOPPerBUSD: 1e24, Kappa: 1,
			Mu: 0.05 * x, Cash: 1 + 2*x, Owed: 0.1 * x, Credits: float64(i % 3), Committed: 0.05 * float64(i%4)}
		v[i] = logisticValue(100+10*x, 1.5, 2.2)
	}
	return in, v
}

var sinkDecision TrainingDecision

func TestComputeSpendDoesNotAllocate(t *testing.T) {
	in, v := sixteenLabs()
	lin := LinearCapabilityValue(100)
	cases := []struct {
		name string
		f    func()
	}{
		{"TrainingSpend logistic", func() { sinkDecision, _ = TrainingSpend(in[3], v[3]) }},
		{"TrainingSpend linear", func() { sinkDecision, _ = TrainingSpend(in[5], lin) }},
		{"TrainingSpendLinear", func() { sinkDecision, _ = TrainingSpendLinear(in[5], 100) }},
		{"ShadowCostOfCash", func() { sink, _ = ShadowCostOfCash(7, 18, 0.1, 1) }},
	}
	for _, c := range cases {
		if a := testing.AllocsPerRun(100, c.f); a != 0 {
			t.Errorf("%s: %v allocs per call, want 0", c.name, a)
		}
	}
}

// 16 labs' training decisions per op with the general solver on a
// logistic rivalry value.
func BenchmarkTrainingSpend16Labs(b *testing.B) {
	in, v := sixteenLabs()
	b.ReportAllocs()
	for b.Loop() {
		for i := range in {
			sinkDecision, _ = TrainingSpend(in[i], v[i])
		}
	}
}

// 16 labs' training decisions per op in closed form.
func BenchmarkTrainingSpendLinear16Labs(b *testing.B) {
	in, _ := sixteenLabs()
	b.ReportAllocs()
	for b.Loop() {
		for i := range in {
			sinkDecision, _ = TrainingSpendLinear(in[i], 100+10*float64(i))
		}
	}
}
