package market

import (
	"errors"
	"math"
	"testing"
)

// revShareCase is a bargain over a revenue share on all of a lab's revenue
// (TermRevenueShare): the lab (firm 0) sells product 0 direct at cost
// c = 0.5, which it serves; cloud 1 resells the lab's model as product 1
// under a fixed term of the contract (a fee per unit or a reciprocal share,
// in the problem's interests) and the pair bargains over the share s the
// lab pays cloud 1 of all its revenue. mixed adds cloud 2, reselling product
// 2 against a per-unit fee bargained at the same time, whose fee income is
// part of the lab's revenue.
type revShareCase struct {
	name   string
	fee    float64 // fixed fee cloud 1 pays per unit of product 1 (0: none)
	recip  float64 // fixed reciprocal share of product 1's revenue paid to the lab (0: none)
	server Server  // who serves product 1
	mixed  bool
}

var revShareCases = []revShareCase{
	{"fee, lab serves", 2.0, 0, ServerLab, false},
	{"reciprocal share, cloud serves", 0, 0.5, ServerCloud, false},
	{"fee and a second cloud's fee bargained", 2.0, 0, ServerLab, true},
}

// problem returns the pricing problem without the bargained terms, and the
// agreements.
func (c revShareCase) problem() (*PricingProblem, []Agreement) {
	prob := &PricingProblem{Cells: pricingCell(1, 1.0, 1.5), Cost: []float64{0.5, 0.5}, Owner: []int{0, 1}, Firms: 2}
	if c.mixed {
		prob = &PricingProblem{Cells: pricingCell(1, 1.0, 1.5, 1.2), Cost: []float64{0.5, 0.5, 0.5}, Owner: []int{0, 1, 2}, Firms: 3}
	}
	if c.fee != 0 {
		prob.Fees = []UnitFee{{Product: 1, Amount: c.fee, Payer: 1, Payee: 0}}
	}
	if c.recip != 0 {
		prob.Wedges = []RevenueWedge{{Product: 1, Rate: c.recip, Payee: 0}}
	}
	ag := []Agreement{{Lab: 0, Cloud: 1, Product: 1, Term: TermRevenueShare, Server: c.server, Lo: 0, Hi: 0.9, Alpha: 0.5}}
	if c.mixed {
		ag = append(ag, Agreement{Lab: 0, Cloud: 2, Product: 2, Term: TermUnitFee, Server: ServerLab, Lo: 0, Hi: 4, Alpha: 0.5})
	}
	return prob, ag
}

// payoffs returns the lab's and the clouds' cash flows at terms (s, and the
// second cloud's fee when mixed), with the agreement without (-1: none)
// ended, written out by hand from the prices and quantities of a price
// equilibrium solved on a problem built here (not by the solver's rebuild):
// the lab's revenue is p0 q0 plus its fee and reciprocal income, it pays s
// of it to cloud 1.
func (c revShareCase) payoffs(t *testing.T, terms []float64, without int) (eq PriceEquilibrium, lab float64, clouds []float64) {
	t.Helper()
	s := terms[0]
	if without == 0 {
		s = 0
	}
	J := 2
	if c.mixed {
		J = 3
	}
	prob := &PricingProblem{Cells: pricingCell(1, 1.0, 1.5, 1.2)[:1], Cost: []float64{0.5, 0.5, 0.5}[:J], Owner: []int{0, 1, 2}[:J], Firms: J}
	prob.Cells[0].Quality = []float64{1.0, 1.5, 1.2}[:J]
	prob.CostBearer = []int{0, 0, 0}[:J]
	if c.server == ServerCloud {
		prob.CostBearer[1] = 1
	}
	// the lab's revenue share: on its own product, on its fee and
	// reciprocal income
	prob.Wedges = append(prob.Wedges, RevenueWedge{Product: 0, Rate: s, Payee: 1})
	if c.fee != 0 {
		prob.Fees = append(prob.Fees, UnitFee{Product: 1, Amount: c.fee * (1 - s), Payer: 1, Payee: 0})
	}
	if c.recip != 0 {
		prob.Wedges = append(prob.Wedges, RevenueWedge{Product: 1, Rate: c.recip * (1 - s), Payee: 0})
	}
	if c.mixed {
		prob.Fees = append(prob.Fees, UnitFee{Product: 2, Amount: terms[1], Payer: 2, Payee: 0}, UnitFee{Product: 2, Amount: s * terms[1], Payer: 0, Payee: 1})
	}
	pr := Pricer{Tol: 1e-13}
	var err error
	if without >= 0 {
		err = pr.SolveWithout(prob, without+1, nil, &eq)
	} else {
		err = pr.Solve(prob, nil, &eq)
	}
	if err != nil {
		t.Fatal(err)
	}
	p, q := eq.Prices, eq.Quantity
	if without >= 0 {
		q = append([]float64(nil), q...)
		q[without+1] = 0
	}
	income := c.fee*q[1] + c.recip*p[1]*q[1] // the lab's income from cloud 1
	lab = (1-s)*(p[0]*q[0]+income) - 0.5*q[0]
	cloud1 := p[1]*q[1] - c.fee*q[1] - c.recip*p[1]*q[1] + s*(p[0]*q[0]+income)
	if c.server == ServerLab {
		lab -= 0.5 * q[1]
	} else {
		cloud1 -= 0.5 * q[1]
	}
	clouds = []float64{cloud1}
	if c.mixed {
		lab += (1-s)*terms[1]*q[2] - 0.5*q[2]
		clouds[0] += s * terms[1] * q[2]
		clouds = append(clouds, (p[2]-terms[1])*q[2])
	}
	return eq, lab, clouds
}

// nashProduct is pair i's Nash product (alpha 0.5) at terms, from payoffs.
func (c revShareCase) nashProduct(t *testing.T, terms []float64, i int) float64 {
	_, lab, clouds := c.payoffs(t, terms, -1)
	_, labD, cloudsD := c.payoffs(t, terms, i)
	gL, gC := lab-labD, clouds[i]-cloudsD[i]
	if gL <= 0 || gC <= 0 {
		return 0
	}
	return math.Sqrt(gL * gC)
}

// A revenue share on all of the lab's revenue, bargained with prices
// re-solved at every candidate share: the payoffs and disagreement payoffs
// the solver reports are the cash flows written out by hand (to 1e-10);
// with fees w_k on the resold units the lab serves, its price satisfies its
// first-order condition in closed form (multinomial logit, β = 1),
// p0 = c/(1-s) + (1 + Σ_k (w_k - c/(1-s)) q_k)/(1 - q0), which is B2's
// wedge markup when nothing is resold; and over a grid of each pair's
// term, the other held at the solution, the Nash product is nowhere above
// its value at the solution, the best grid point next to it.
func TestNashInNashRevenueShare(t *testing.T) {
	for _, c := range revShareCases {
		t.Run(c.name, func(t *testing.T) {
			prob, ag := c.problem()
			var n NashInNash
			var res NashInNashResult
			if err := n.Solve(prob, ag, &res); err != nil {
				t.Fatal(err)
			}
			s := res.Terms[0]
			if !(s > 1e-4 && s < ag[0].Hi-1e-4) {
				t.Fatalf("share %g: want an interior bargain", s)
			}
			eq, lab, clouds := c.payoffs(t, res.Terms, -1)
			checkTol(t, "lab payoff", res.LabPayoff[0], lab, 1e-10)
			for i := range ag {
				checkTol(t, "cloud payoff", res.CloudPayoff[i], clouds[i], 1e-10)
				_, labD, cloudsD := c.payoffs(t, res.Terms, i)
				checkTol(t, "lab disagreement", res.LabDisagreement[i], labD, 1e-10)
				checkTol(t, "cloud disagreement", res.CloudDisagreement[i], cloudsD[i], 1e-10)
			}
			for j := range eq.Prices {
				checkTol(t, "price", res.Agreed.Prices[j], eq.Prices[j], 1e-9)
			}
			if c.recip == 0 {
				q, cs := res.Agreed.Quantity, 0.5/(1-s)
				inc := (c.fee - cs) * q[1]
				if c.mixed {
					inc += (res.Terms[1] - cs) * q[2]
				}
				checkTol(t, "p0 closed form", res.Agreed.Prices[0], cs+(1+inc)/(1-q[0]), 1e-9)
			}
			for i, a := range ag {
				terms := append([]float64(nil), res.Terms...)
				at := c.nashProduct(t, terms, i)
				check := func(lo, hi float64, points int) {
					best, bestT := math.Inf(-1), 0.0
					for k := range points {
						terms[i] = lo + (hi-lo)*float64(k)/float64(points-1)
						v := c.nashProduct(t, terms, i)
						if v > at*(1+1e-12) {
							t.Errorf("pair %d: Nash product %.12g at term %.9g above %.12g at the solution %.9g", i, v, terms[i], at, res.Terms[i])
						}
						if v > best {
							best, bestT = v, terms[i]
						}
					}
					if h := (hi - lo) / float64(points-1); math.Abs(bestT-res.Terms[i]) > h {
						t.Errorf("pair %d: grid maximum at %.9g, solution %.9g (spacing %g)", i, bestT, res.Terms[i], h)
					}
				}
				check(a.Lo, a.Hi, 31)
				check(res.Terms[i]-1e-3, res.Terms[i]+1e-3, 21)
			}
			warm := append([]Agreement(nil), ag...)
			for i := range warm {
				warm[i].Value = res.Terms[i]
			}
			if allocs := testing.AllocsPerRun(5, func() { _ = n.Solve(prob, warm, &res) }); allocs != 0 {
				t.Errorf("a warm solve allocates %g times", allocs)
			}
			t.Logf("terms %.6f, prices %.6f, lab %.6f (without %.6f), cloud 1 %.6f (without %.6f)", res.Terms, res.Agreed.Prices, res.LabPayoff[0], res.LabDisagreement[0], res.CloudPayoff[0], res.CloudDisagreement[0])
		})
	}
}

// Who serves is declared on the agreement: N1 with the lab declared the
// server of the resold units (and no CostBearer in the problem) is N1, and
// N2 with the cloud declared is N2; declaring the lab the server in N2
// changes the bargain (the share no longer bears on the cloud's cost).
func TestNashInNashServerDeclared(t *testing.T) {
	var n NashInNash
	var ref, got NashInNashResult
	prob, ag := nashN1()
	if err := n.Solve(prob, ag, &ref); err != nil {
		t.Fatal(err)
	}
	prob.CostBearer = nil
	for i := range ag {
		ag[i].Server = ServerLab
	}
	if err := n.Solve(prob, ag, &got); err != nil {
		t.Fatal(err)
	}
	for i := range ag {
		checkTol(t, "N1 fee", got.Terms[i], ref.Terms[i], 1e-9)
	}
	prob, ag = nashN2()
	if err := n.Solve(prob, ag, &ref); err != nil {
		t.Fatal(err)
	}
	for i := range ag {
		ag[i].Server = ServerCloud
	}
	if err := n.Solve(prob, ag, &got); err != nil {
		t.Fatal(err)
	}
	for i := range ag {
		checkTol(t, "N2 share", got.Terms[i], ref.Terms[i], 1e-9)
		ag[i].Server = ServerLab
	}
	if err := n.Solve(prob, ag, &got); err != nil {
		t.Fatal(err)
	}
	if math.Abs(got.Terms[0]-ref.Terms[0]) < 1e-3 {
		t.Errorf("N2 with the lab serving: share %g, as with the cloud serving %g", got.Terms[0], ref.Terms[0])
	}
}

// Revenue-share agreements: a lab pays one at most, the share is in [0, 1),
// and a cloud whose outside payoff exceeds what the share can give it ends
// the bargain with ErrNoAgreement.
func TestNashInNashRevenueShareInput(t *testing.T) {
	var n NashInNash
	var res NashInNashResult
	prob, ag := revShareCases[2].problem()
	ag[1].Term, ag[1].Hi = TermRevenueShare, 0.9
	if err := n.Solve(prob, ag, &res); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("two revenue shares of one lab: err %v", err)
	}
	prob, ag = revShareCases[0].problem()
	ag[0].Hi = 1
	if err := n.Solve(prob, ag, &res); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("share range up to 1: err %v", err)
	}
	prob, ag = revShareCases[0].problem()
	ag[0].Server = ServerCloud + 1
	if err := n.Solve(prob, ag, &res); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("unknown server: err %v", err)
	}
	prob, ag = revShareCases[0].problem()
	ag[0].CloudOutside = 10
	if err := n.Solve(prob, ag, &res); !errors.Is(err, ErrNoAgreement) || res.Failed != 0 {
		t.Errorf("cloud outside payoff 10: err %v, failed %d", err, res.Failed)
	}
}
