package market

import (
	"errors"
	"math"
	"testing"
)

func TestDiscountedProfits(t *testing.T) {
	const H, r = 24, 0.01
	flat := make([]float64, H)
	for i := range flat {
		flat[i] = 0.7
	}
	got, err := DiscountedProfits(flat, r)
	if err != nil {
		t.Fatal(err)
	}
	af, _ := AnnuityFactor(H, r)
	checkTol(t, "constant profit vs annuity factor", got, 0.7*af, 1e-12)
	got, _ = DiscountedProfits([]float64{1, -2, 3}, 0)
	checkExact(t, "undiscounted sum", got, 2)
	got, _ = DiscountedProfits([]float64{1}, math.Log(2))
	checkExact(t, "one month at ln 2", got, 0.5)
	for _, bad := range [][]float64{{math.NaN()}, {math.Inf(1)}} {
		if _, err := DiscountedProfits(bad, r); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%v: %v", bad, err)
		}
	}
	if _, err := DiscountedProfits(flat, -0.1); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("negative rate: %v", err)
	}
}

// mnlBertrand solves the Bertrand-Nash prices of an MNL market with an
// outside good of utility 0 and price coefficient 1, products a and c and
// owner[j] the firm that prices product j, by the multi-product markup rule
// p_j - c_j = 1/(1 - sum of the firm's shares), iterated to a fixed point.
// It returns each firm's profit per period.
func mnlBertrand(t *testing.T, a, c []float64, owner []int, firms int) []float64 {
	t.Helper()
	n := len(a)
	p := append([]float64(nil), c...)
	s := make([]float64, n)
	for it := 0; ; it++ {
		den := 1.0
		for j := range n {
			den += math.Exp(a[j] - p[j])
		}
		S := make([]float64, firms)
		for j := range n {
			s[j] = math.Exp(a[j]-p[j]) / den
			S[owner[j]] += s[j]
		}
		step := 0.0
		for j := range n {
			q := c[j] + 1/(1-S[owner[j]])
			step = math.Max(step, math.Abs(q-p[j]))
			p[j] = q
		}
		if step < 1e-13 {
			break
		}
		if it > 10000 {
			t.Fatal("mnlBertrand: no convergence")
		}
	}
	profit := make([]float64, firms)
	for j := range n {
		profit[owner[j]] += (p[j] - c[j]) * s[j]
	}
	return profit
}

// The solver reproduces reference cases B1 and B3 of model-v2.md §4.
func TestMNLBertrandReference(t *testing.T) {
	b1 := mnlBertrand(t, []float64{2.0, 1.5}, []float64{1.0, 0.8}, []int{0, 1}, 2)
	checkTol(t, "B1 profit 1", b1[0], 0.425486, 1e-6)
	checkTol(t, "B1 profit 2", b1[1], 0.324036, 1e-6)
	b3 := mnlBertrand(t, []float64{2.0, 1.2, 1.5}, []float64{1.0, 1.0, 0.8}, []int{0, 0, 1}, 2)
	checkTol(t, "B3 profit 1", b3[0], 0.543248, 1e-6)
	checkTol(t, "B3 profit 2", b3[1], 0.298434, 1e-6)
}

// Hand-built worlds: firm 0 sells product 0 (a = 2.0, c = 1.0), firm 1
// product 1 (a = 1.2, c = 1.0), firm 2 product 2 (a = 1.5, c = 0.8). Firm 0
// considers buying firm 1; values are monthly profits over 24 months at 1%
// per month, the merged firm pricing both products (reference case B3).
func TestAcquisitionBidsWhenItRaisesProfit(t *testing.T) {
	a, c := []float64{2.0, 1.2, 1.5}, []float64{1.0, 1.0, 0.8}
	pre := mnlBertrand(t, a, c, []int{0, 1, 2}, 3)
	post := mnlBertrand(t, a, c, []int{0, 0, 1}, 2)
	af, _ := AnnuityFactor(24, 0.01)
	buyer, target, merged := pre[0]*af, pre[1]*af, post[0]*af
	if !(merged > buyer+target) {
		t.Fatalf("the merger should raise joint profit: %g vs %g + %g", merged, buyer, target)
	}
	synergy := merged - buyer - target
	// In a world where the products do not interact (separate markets), the
	// merged firm earns the two standalone profits and integration costs
	// 5% of the target's value: the acquisition lowers the buyer's profit.
	separate := buyer + target - 0.05*target
	cases := []struct {
		name     string
		v        AcquisitionValues
		beta     float64
		gov      bool
		bid, acc bool
	}{
		{"merger raises profit", AcquisitionValues{Buyer: buyer, Target: target, Merged: merged}, 0.5, true, true, true},
		{"merger raises profit, governance bars a sale", AcquisitionValues{Buyer: buyer, Target: target, Merged: merged}, 0.5, false, true, false},
		{"expected remedy cost exceeds the synergy", AcquisitionValues{Buyer: buyer, Target: target, Merged: merged, RemedyCost: 1.1 * synergy}, 0.5, true, false, false},
		{"separate markets with an integration cost", AcquisitionValues{Buyer: buyer, Target: target, Merged: separate}, 0.5, true, false, false},
		{"target takes the whole gain", AcquisitionValues{Buyer: buyer, Target: target, Merged: merged}, 1, true, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o, err := ValueAcquisition(c.v, c.beta, c.gov)
			if err != nil {
				t.Fatal(err)
			}
			if o.Bid != c.bid || o.Accepted != c.acc {
				t.Errorf("bid %v accepted %v (%s), want %v %v", o.Bid, o.Accepted, o.Reason, c.bid, c.acc)
			}
			g := c.v.Merged - c.v.Buyer - c.v.Target - c.v.RemedyCost
			checkTol(t, "gain", o.Gain, g, 1e-12)
			checkTol(t, "price", o.Price, c.v.Target+c.beta*g, 1e-12)
			// The buyer's value of the target exceeds the price iff it bids.
			if gross := c.v.Merged - c.v.Buyer - c.v.RemedyCost; (gross > o.Price) != o.Bid {
				t.Errorf("gross value %g vs price %g but bid %v", gross, o.Price, o.Bid)
			}
		})
	}
}

func TestValueAcquisitionOutsideOption(t *testing.T) {
	// A loss-making target (standalone -1) whose holders can wind it up for
	// 0.3: the price starts from 0.3, never below it.
	o, err := ValueAcquisition(AcquisitionValues{Buyer: 10, Target: -1, Merged: 10.8, Liquidation: 0.3}, 0.5, true)
	if err != nil {
		t.Fatal(err)
	}
	checkExact(t, "outside", o.Outside, 0.3)
	checkExact(t, "gain", o.Gain, 0.5)
	checkExact(t, "price", o.Price, 0.55)
	checkExact(t, "buyer keeps", o.BuyerNet, 0.25)
	if !o.Accepted {
		t.Errorf("want accepted: %s", o.Reason)
	}
	for _, c := range []struct {
		v    AcquisitionValues
		beta float64
	}{
		{AcquisitionValues{Buyer: math.NaN()}, 0.5},
		{AcquisitionValues{Liquidation: -1}, 0.5},
		{AcquisitionValues{RemedyCost: -1}, 0.5},
		{AcquisitionValues{}, 1.5},
	} {
		if _, err := ValueAcquisition(c.v, c.beta, true); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%+v, %g: %v", c.v, c.beta, err)
		}
	}
}

func TestWeakness(t *testing.T) {
	w := DefaultWeaknessRule()
	cases := []struct {
		runway, k, frontier float64
		want                bool
	}{
		{6, 2, 3.5, true},
		{6, 3, 3.5, false},           // close to the frontier
		{18, 2, 3.5, false},          // funded
		{math.Inf(1), 0, 3.5, false}, // cash-flow positive
		{11.9, 2.5, 3.5, true},       // gap exactly 1
		{math.NaN(), 0, 3.5, false},  // unknown
		{6, math.Inf(-1), 3.5, true}, // no model at all
		{6, math.NaN(), math.NaN(), false},
	}
	for _, c := range cases {
		if got := w.Weak(c.runway, c.k, c.frontier); got != c.want {
			t.Errorf("Weak(%g, %g, %g) = %v, want %v", c.runway, c.k, c.frontier, got, c.want)
		}
	}
}

// A weak lab (6 months of runway, 1.5 capability units behind the
// frontier): the buyer wants the team. Licence and hire costs less than
// buying the firm, which carries a heavier review.
func TestLicenceHire(t *testing.T) {
	weak := DefaultWeaknessRule().Weak(6, 2, 3.5)
	lh := LicenceHireValues{Buyer: 10, WithTeam: 12.4, Target: 1, Liquidation: 0.1, Residual: 0.2, HiringCost: 0.2, RemedyCost: 0.05}
	acq := AcquisitionValues{Buyer: 10, Target: 1, Merged: 13, Liquidation: 0.1, RemedyCost: 0.5}
	o, err := ValueLicenceHire(lh, weak, 0.5, true)
	if err != nil {
		t.Fatal(err)
	}
	checkTol(t, "gain", o.Gain, 2.4-0.2-0.05-0.8, 1e-12)
	checkTol(t, "fee", o.Fee, 0.8+0.5*1.35, 1e-12)
	checkTol(t, "outlay", o.Outlay, 0.8+0.5*1.35+0.2, 1e-12)
	if !o.Bid || !o.Accepted {
		t.Errorf("weak lab: bid %v accepted %v (%s)", o.Bid, o.Accepted, o.Reason)
	}
	a, _ := ValueAcquisition(acq, 0.5, true)
	if !(o.Outlay < a.Price) {
		t.Errorf("licence and hire outlay %g should be below the acquisition price %g", o.Outlay, a.Price)
	}
	// The holders end no worse off than their outside option.
	if lh.Residual+o.Fee < o.Outside {
		t.Errorf("residual %g + fee %g below outside %g", lh.Residual, o.Fee, o.Outside)
	}
	cases := []struct {
		name string
		v    LicenceHireValues
		weak bool
		gov  bool
		bid  bool
		acc  bool
	}{
		{"not weak", lh, false, true, false, false},
		{"the team adds too little", func() LicenceHireValues { x := lh; x.WithTeam = 10.5; return x }(), true, true, false, false},
		{"hiring too dear", func() LicenceHireValues { x := lh; x.HiringCost = 2; return x }(), true, true, false, false},
		{"governance bars it", lh, true, false, true, false},
	}
	for _, c := range cases {
		o, err := ValueLicenceHire(c.v, c.weak, 0.5, c.gov)
		if err != nil {
			t.Fatal(err)
		}
		if o.Bid != c.bid || o.Accepted != c.acc {
			t.Errorf("%s: bid %v accepted %v (%s), want %v %v", c.name, o.Bid, o.Accepted, o.Reason, c.bid, c.acc)
		}
	}
	for _, bad := range []LicenceHireValues{
		{Target: 1, Residual: 2},
		{HiringCost: -1},
		{WithTeam: math.Inf(1)},
	} {
		if _, err := ValueLicenceHire(bad, true, 0.5, true); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	if _, err := ValueLicenceHire(lh, true, -0.1, true); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("negative weight: %v", err)
	}
}
