package market

import (
	"errors"
	"math"
	"testing"
)

// Compile-time check of the finite-capital API the model is wired against.
var (
	_ func(irr, years float64) float64                                                                        = HurdleMOIC
	_ func(exitValue, post float64) float64                                                                   = ExpectedMOIC
	_ func(*Fund) float64                                                                                     = (*Fund).DryPowder
	_ func(*Fund) float64                                                                                     = (*Fund).Reserved
	_ func(*Fund, int) float64                                                                                = (*Fund).Capacity
	_ func(*Fund, int, []int) bool                                                                            = (*Fund).Barred
	_ func(*Fund, float64, float64) bool                                                                      = (*Fund).Accepts
	_ func(*Fund, int, float64, float64) (float64, error)                                                     = (*Fund).Invest
	_ func(*Fund, float64) (float64, error)                                                                   = (*Fund).ChargeFees
	_ func(valueNow, valueThen, raised float64) (float64, error)                                              = TrailingGross
	_ func(InvestorPool, float64, float64, float64) (float64, error)                                          = InvestorPool.Target
	_ func(InvestorPool, float64, float64, float64) (InvestorPool, error)                                     = InvestorPool.Replenish
	_ func(InvestorPool, float64) (InvestorPool, error)                                                       = InvestorPool.Take
	_ func(InvestorPool, float64, float64) float64                                                            = InvestorPool.Offer
	_ func(RoundAsk, InvestorPool, []ProRataHolder, []Fund, []StrategicBid, []RoundFlow) (RoundResult, error) = AllocateRound
)

// testPool is the other-investor pool of the hand-built cases: full offer
// up to 30x ARR, none from 60x, neutral climate.
func testPool(available float64) InvestorPool {
	return InvestorPool{Available: available, Climate: 1, Adjust: 1.0 / 6, ReturnElasticity: 1, MultipleFull: 30, MultipleNone: 60}
}

// testFund is a fully paid-in fund of size committed with no portfolio.
func testFund(committed, hurdle, maxDealShare float64) Fund {
	return Fund{Committed: committed, PaidIn: committed, Hurdle: hurdle, ReserveRatio: 1, MaxDealShare: maxDealShare}
}

// The hand-built round: US$10B asked at US$90B pre-money (post 100), exit
// value 250, so fund A (hurdle 2.5) accepts a post-money up to 100 and
// fund B (hurdle 3) up to 83.33; A can put in 3 (30% of 10), B 4.
func testAsk() RoundAsk {
	return RoundAsk{Lab: 1, Rivals: []int{0}, Invest: 10, Pre: 90, FloorPre: 90, ARR: 10, ExitValue: 250}
}

type flowWant struct {
	kind   PayerKind
	index  int
	amount float64
}

func checkRound(t *testing.T, res RoundResult, outcome RoundOutcome, pre, raised float64, flows []flowWant) {
	t.Helper()
	if res.Outcome != outcome {
		t.Errorf("outcome %v, want %v", res.Outcome, outcome)
	}
	checkTol(t, "pre", res.Pre, pre, 1e-9*pre)
	checkTol(t, "raised", res.Raised, raised, 1e-9*math.Max(1, raised))
	checkTol(t, "post", res.Post, res.Pre+res.Raised, 0)
	if len(res.Flows) != len(flows) {
		t.Fatalf("flows %+v, want %+v", res.Flows, flows)
	}
	for i, w := range flows {
		f := res.Flows[i]
		if f.Payer.Kind != w.kind || f.Payer.Index != w.index {
			t.Errorf("flow %d from %v %d, want %v %d", i, f.Payer.Kind, f.Payer.Index, w.kind, w.index)
		}
		checkTol(t, "flow amount", f.Amount, w.amount, 1e-9*math.Max(1, w.amount))
	}
	checkSums(t, res)
}

// checkSums: flows sum exactly to Raised, the pool flow is PoolTaken.
func checkSums(t *testing.T, res RoundResult) {
	t.Helper()
	sum, pooled := 0.0, 0.0
	for _, f := range res.Flows {
		if !(f.Amount > 0) {
			t.Errorf("flow %+v not positive", f)
		}
		sum += f.Amount
		if f.Payer.Kind == PayerPool {
			pooled += f.Amount
		}
	}
	if sum != res.Raised {
		t.Errorf("flows sum to %.17g, raised %.17g", sum, res.Raised)
	}
	if pooled != res.PoolTaken {
		t.Errorf("pool flows %.17g, pool taken %.17g", pooled, res.PoolTaken)
	}
}

// Full, short, down and failed rounds on hand-built cases with their closed
// forms.
func TestAllocateRoundOutcomes(t *testing.T) {
	fundA := testFund(10, 2.5, 0.3)
	fundB := testFund(10, 3, 0.4)
	cases := []struct {
		name    string
		ask     func(*RoundAsk)
		pool    float64
		funds   []Fund
		bids    []StrategicBid
		outcome RoundOutcome
		pre     float64
		raised  float64
		flows   []flowWant
		// exactPre: the price sits on a participant's limit, where the
		// search snaps it exactly.
		exactPre bool
	}{
		{
			// An ample pool fills the round at the asked price.
			name: "ample pool", pool: 1000, funds: []Fund{fundA, fundB},
			outcome: RoundFull, pre: 90, raised: 10,
			flows: []flowWant{{PayerFund, 0, 3}, {PayerPool, 0, 7}},
		},
		{
			// At 50x ARR a third of the pool takes part: 1000/3 is still ample.
			name: "ample pool at a high multiple", pool: 1000, funds: []Fund{fundA, fundB},
			ask:     func(a *RoundAsk) { a.ARR = 2 },
			outcome: RoundFull, pre: 90, raised: 10,
			flows: []flowWant{{PayerFund, 0, 3}, {PayerPool, 0, 7}},
		},
		{
			// A strategic bid comes before the pool; one above its limit does not take part.
			name: "strategic bids", pool: 1000, funds: []Fund{fundA},
			bids:    []StrategicBid{{Amount: 2, MaxPost: 99}, {Amount: 4, MaxPost: math.Inf(1)}},
			outcome: RoundFull, pre: 90, raised: 10,
			flows: []flowWant{{PayerFund, 0, 3}, {PayerStrategic, 1, 4}, {PayerPool, 0, 3}},
		},
		{
			// The pool has 2 and a lower price would draw nobody new (B needs
			// post <= 83.33, the floor is at post 90): short at the asked price.
			name: "short", pool: 2, funds: []Fund{fundA, fundB},
			ask:     func(a *RoundAsk) { a.FloorPre, a.MinRaise = 80, 2.5 },
			outcome: RoundShort, pre: 90, raised: 5,
			flows: []flowWant{{PayerFund, 0, 3}, {PayerPool, 0, 2}},
		},
		{
			// As "short" but the lab will not close a round below 6.
			name: "failed below the minimum", pool: 2, funds: []Fund{fundA, fundB},
			ask:     func(a *RoundAsk) { a.FloorPre, a.MinRaise = 80, 6 },
			outcome: RoundFailed, pre: 90, raised: 0,
		},
		{
			// Nobody takes part: nothing raised.
			name: "failed, no participant", pool: 0, funds: []Fund{fundB},
			outcome: RoundFailed, pre: 90, raised: 0,
		},
		{
			// ARR 2: at post 100 (50x) the pool offers 6 x 1/3 = 2, short (3+2).
			// At post P <= 83.33 fund B joins and 3 + 4 + (60 - P/2)/5 >= 10
			// for P <= 90, so the highest pre-money that fills the round is
			// B's limit 250/3 - 10 = 73.33; the pool takes the last 3.
			name: "down to a fund's hurdle", pool: 6, funds: []Fund{fundA, fundB},
			ask:     func(a *RoundAsk) { a.ARR, a.FloorPre = 2, 60 },
			outcome: RoundDown, pre: 250.0/3 - 10, raised: 10,
			flows:    []flowWant{{PayerFund, 0, 3}, {PayerFund, 1, 4}, {PayerPool, 0, 3}},
			exactPre: true,
		},
		{
			// As above with B's hurdle at 2.6 (limit post 96.15): the pool's
			// multiple decides, 7 + (60 - P/2)/5 = 10 at P = 90, pre 80.
			name: "down to the pool's multiple", pool: 6, funds: []Fund{fundA, testFund(10, 2.6, 0.4)},
			ask:     func(a *RoundAsk) { a.ARR, a.FloorPre = 2, 60 },
			outcome: RoundDown, pre: 80, raised: 10,
			flows: []flowWant{{PayerFund, 0, 3}, {PayerFund, 1, 4}, {PayerPool, 0, 3}},
		},
		{
			// Short even at the floor: a fund with limit post 95 and 1 to
			// invest joins below pre 85, the pool has 0.5 at any price. The
			// lab cuts its price to 85, no lower, and raises 3 + 1 + 0.5.
			name: "down and short", pool: 0.5, funds: []Fund{fundA, testFund(10, 250.0/95, 0.1)},
			ask:     func(a *RoundAsk) { a.FloorPre, a.MinRaise = 60, 1 },
			outcome: RoundDown, pre: 85, raised: 4.5,
			flows:    []flowWant{{PayerFund, 0, 3}, {PayerFund, 1, 1}, {PayerPool, 0, 0.5}},
			exactPre: true,
		},
		{
			// Without revenue the multiple is unbounded: no other investors.
			name: "pre-revenue", pool: 1000, funds: []Fund{fundA},
			ask:     func(a *RoundAsk) { a.ARR = 0 },
			outcome: RoundShort, pre: 90, raised: 3,
			flows: []flowWant{{PayerFund, 0, 3}},
		},
		{
			// MaxFundShare caps a fund at 20% of the round.
			name: "max fund share", pool: 1000, funds: []Fund{fundA},
			ask:     func(a *RoundAsk) { a.MaxFundShare = 0.2 },
			outcome: RoundFull, pre: 90, raised: 10,
			flows: []flowWant{{PayerFund, 0, 2}, {PayerPool, 0, 8}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ask := testAsk()
			if c.ask != nil {
				c.ask(&ask)
			}
			res, err := AllocateRound(ask, testPool(c.pool), nil, c.funds, c.bids, nil)
			if err != nil {
				t.Fatal(err)
			}
			checkRound(t, res, c.outcome, c.pre, c.raised, c.flows)
			checkTol(t, "shortfall", res.Shortfall, ask.Invest-c.raised, 1e-9)
			if c.exactPre && res.Pre != c.pre {
				t.Errorf("pre-money %.17g, want exactly the participant's limit %.17g", res.Pre, c.pre)
			}
		})
	}
}

// A no-rival covenant that the lab's rival holds from a fund keeps the fund
// out: with a short pool the lab raises less, with an ample pool the pool
// fills the gap and the covenant changes nothing.
func TestCovenantBindsOnlyWithShortPool(t *testing.T) {
	rivalInvestor := func(covenant bool) Fund {
		f := testFund(10, 2.5, 0.3)
		f.Invested = 1
		f.Positions = []Position{{Lab: 0, Cost: 1, Stake: 0.05, NoRival: covenant}}
		return f
	}
	cases := []struct {
		name          string
		pool          float64
		floor         float64
		with, without float64 // capital raised with and without the covenant
	}{
		{"short pool", 2, 90, 2, 5},
		// The down round cannot replace the fund: the pool's 2 is all there is.
		{"short pool, down allowed", 2, 50, 2, 5},
		{"ample pool", 1000, 90, 10, 10},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ask := testAsk()
			ask.FloorPre = c.floor
			raised := func(covenant bool) float64 {
				res, err := AllocateRound(ask, testPool(c.pool), nil, []Fund{rivalInvestor(covenant)}, nil, nil)
				if err != nil {
					t.Fatal(err)
				}
				checkSums(t, res)
				for _, f := range res.Flows {
					if covenant && f.Payer.Kind == PayerFund {
						t.Errorf("barred fund paid %g", f.Amount)
					}
				}
				return res.Raised
			}
			checkExact(t, "raised with covenant", raised(true), c.with)
			checkExact(t, "raised without covenant", raised(false), c.without)
		})
	}
	// The covenant binds only in rivals' rounds: the lab it protects (0)
	// and a lab that is not its rival are funded.
	f := rivalInvestor(true)
	if f.Barred(0, []int{0, 2}) || f.Barred(1, []int{2}) || !f.Barred(1, []int{2, 0}) {
		t.Errorf("Barred: lab 0 %v, lab 1 rivals {2} %v, lab 1 rivals {2,0} %v, want false, false, true",
			f.Barred(0, []int{0, 2}), f.Barred(1, []int{2}), f.Barred(1, []int{2, 0}))
	}
}

// A fund of size 0 has no dry powder and pays nothing; a round where it was
// the marginal investor shrinks, or fails below the lab's minimum.
func TestZeroSizeFund(t *testing.T) {
	zero := testFund(0, 2.5, 0.3)
	if zero.DryPowder() != 0 || zero.Capacity(1) != 0 {
		t.Fatalf("size 0: dry powder %g, capacity %g, want 0", zero.DryPowder(), zero.Capacity(1))
	}
	cases := []struct {
		name     string
		minRaise float64
		outcome  RoundOutcome
		raised   float64
	}{
		{"shrinks", 5, RoundShort, 7},
		{"fails", 8, RoundFailed, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ask := testAsk()
			ask.MinRaise = c.minRaise
			// Sized 10, the fund fills the round with the pool's 7.
			res, err := AllocateRound(ask, testPool(7), nil, []Fund{testFund(10, 2.5, 0.3)}, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			checkRound(t, res, RoundFull, 90, 10, []flowWant{{PayerFund, 0, 3}, {PayerPool, 0, 7}})
			res, err = AllocateRound(ask, testPool(7), nil, []Fund{zero}, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			var want []flowWant
			if c.raised > 0 {
				want = []flowWant{{PayerPool, 0, 7}}
			}
			checkRound(t, res, c.outcome, 90, c.raised, want)
		})
	}
}

// A holder that exercises its pro-rata right keeps its stake, in full and
// short rounds; one bound by its cash is diluted. The short rounds' sizes
// are the closed-form roots of R = X + sum min(cash, stake R).
func TestProRata(t *testing.T) {
	inf := math.Inf(1)
	cases := []struct {
		name    string
		pool    float64
		holders []ProRataHolder
		raised  float64
		paid    []float64 // by each holder
	}{
		// Full round: the holder buys 0.2 x 10.
		{"full", 1000, []ProRataHolder{{Stake: 0.2, Cash: 100, MaxPost: inf}}, 10, []float64{2}},
		// Short: R = 4 + 0.2 R, R = 5.
		{"short", 4, []ProRataHolder{{Stake: 0.2, Cash: 100, MaxPost: inf}}, 5, []float64{1}},
		// Bound by its cash: R = 4 + 0.5.
		{"short, cash-bound", 4, []ProRataHolder{{Stake: 0.2, Cash: 0.5, MaxPost: inf}}, 4.5, []float64{0.5}},
		// One bound, one not: R = (4 + 0.5)/(1 - 0.3).
		{"two holders, one bound", 4, []ProRataHolder{{Stake: 0.2, Cash: 0.5, MaxPost: inf}, {Stake: 0.3, Cash: inf, MaxPost: inf}},
			4.5 / 0.7, []float64{0.5, 0.3 * 4.5 / 0.7}},
		// Bound at R = 10 (0.2 x 10 > 1.8) but not at the root: R = 4/(1 - 0.5) = 8
		// (two Newton steps: 10 -> 8.2857 -> 8).
		{"two holders, bound then free", 4, []ProRataHolder{{Stake: 0.2, Cash: 1.8, MaxPost: inf}, {Stake: 0.3, Cash: inf, MaxPost: inf}},
			8, []float64{1.6, 2.4}},
		// A holder whose limit the price exceeds does not exercise: R = 4.
		{"holder declines", 4, []ProRataHolder{{Stake: 0.2, Cash: 100, MaxPost: 99}}, 4, []float64{0}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ask := testAsk()
			res, err := AllocateRound(ask, testPool(c.pool), c.holders, nil, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			checkSums(t, res)
			checkTol(t, "raised", res.Raised, c.raised, 1e-12)
			paid := make([]float64, len(c.holders))
			for _, f := range res.Flows {
				if f.Payer.Kind == PayerHolder {
					paid[f.Payer.Index] += f.Amount
					if !f.ProRata {
						t.Errorf("holder flow %+v not marked pro-rata", f)
					}
				}
			}
			for i, h := range c.holders {
				checkTol(t, "paid", paid[i], c.paid[i], 1e-12)
				// Dilution closed form: stake (1 - R/post) + paid/post.
				after := h.Stake*(1-res.Raised/res.Post) + paid[i]/res.Post
				if paid[i] > 0 && paid[i] < h.Cash {
					checkTol(t, "stake after", after, h.Stake, 1e-12)
				} else if paid[i] < h.Stake*res.Raised-1e-9 && !(after < h.Stake) {
					t.Errorf("holder %d bound by cash kept %g >= %g", i, after, h.Stake)
				}
			}
		})
	}
	// A fund's pro-rata right: stake 0.1 in the raising lab, exercised from
	// its follow-on capacity; booked on a cap table, the stake is unchanged.
	// Its capacity (0.2 x 10 less the cost 1) is its claim at the full size,
	// 0.1 x 10, so it has nothing left to follow on with.
	f := testFund(10, 2.5, 0.2)
	f.Invested = 1
	f.Positions = []Position{{Lab: 1, Cost: 1, Stake: 0.1, Reserve: 2, ProRata: true}}
	res, err := AllocateRound(testAsk(), testPool(4), nil, []Fund{f}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Short: R = 4 + 0.1 R.
	checkRound(t, res, RoundShort, 90, 4/0.9, []flowWant{{PayerFund, 0, 0.4 / 0.9}, {PayerPool, 0, 4}})
	if !res.Flows[0].ProRata {
		t.Error("fund's pro-rata flow not marked")
	}
	ct, err := NewCapTable(Holding{"fund", 0.1}, Holding{"founders", 0.9})
	if err != nil {
		t.Fatal(err)
	}
	if err := ct.IssueSyndicate(res.Post, Allocation{"fund", res.Flows[0].Amount}, Allocation{"pool", res.Flows[1].Amount}); err != nil {
		t.Fatal(err)
	}
	checkTol(t, "fund's stake after the round", ct.Stake("fund"), 0.1, 1e-12)

	// A follow-on beyond the right: without the concentration limit the
	// same fund's capacity is 9 (dry powder 9, its reserve 2 included), so
	// after its pro-rata 1 it bids the 8 its claim leaves, and the pool
	// fills the last 1: a holder that values the lab above the price is not
	// held to its stake.
	f.MaxDealShare = 0
	res, err = AllocateRound(testAsk(), testPool(4), nil, []Fund{f}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkRound(t, res, RoundFull, 90, 10, []flowWant{{PayerFund, 0, 1}, {PayerFund, 0, 8}, {PayerPool, 0, 1}})
	if !res.Flows[0].ProRata || res.Flows[1].ProRata {
		t.Errorf("flows %+v: want the pro-rata flow first, then the follow-on", res.Flows)
	}
	// A fund the price does not clear follows on with nothing either.
	ask := testAsk()
	ask.ExitValue = 200 // A accepts a post-money up to 80 < 100
	res, err = AllocateRound(ask, testPool(4), nil, []Fund{f}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkRound(t, res, RoundShort, 90, 4, []flowWant{{PayerPool, 0, 4}})
}

// Fund accounting: dry powder, the reserve rule, capacity and capital calls.
func TestFundAccounting(t *testing.T) {
	f := Fund{Committed: 10, PaidIn: 2, Hurdle: 2.5, ReserveRatio: 1, MaxDealShare: 0.25}
	call, err := f.Invest(3, 2, 0.05) // first investment in lab 3
	if err != nil {
		t.Fatal(err)
	}
	checkExact(t, "call", call, 0)
	call, err = f.ChargeFees(1)
	if err != nil {
		t.Fatal(err)
	}
	checkExact(t, "fee call", call, 1) // invested 2 + fees 1 > paid-in 2
	checkExact(t, "paid-in", f.PaidIn, 3)
	checkExact(t, "dry powder", f.DryPowder(), 7)
	checkExact(t, "reserved", f.Reserved(), 2)
	// New lab: dry powder less reserves 5, concentration limit 2.5.
	checkExact(t, "capacity new lab", f.Capacity(4), 2.5)
	// Follow-on in lab 3: min(7, 5 + 2) = 7, limit 2.5 - 2 = 0.5.
	checkExact(t, "capacity follow-on", f.Capacity(3), 0.5)
	f.MaxDealShare = 0
	checkExact(t, "capacity new lab, no limit", f.Capacity(4), 5)
	checkExact(t, "capacity follow-on, no limit", f.Capacity(3), 7)
	// A follow-on draws the reserve down and calls what is not paid in.
	call, err = f.Invest(3, 1.5, 0.06)
	if err != nil {
		t.Fatal(err)
	}
	checkExact(t, "follow-on call", call, 1.5)
	p := f.Positions[f.PositionIndex(3)]
	checkExact(t, "reserve after follow-on", p.Reserve, 0.5)
	checkExact(t, "cost", p.Cost, 3.5)
	checkExact(t, "stake", p.Stake, 0.06)
	if err := f.Validate(); err != nil {
		t.Fatal(err)
	}
	// Beyond dry powder.
	before := f
	if _, err := f.Invest(5, 6, 0.1); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("investing above dry powder: err %v", err)
	}
	if f.Invested != before.Invested || len(f.Positions) != len(before.Positions) {
		t.Error("a rejected investment changed the fund")
	}
	// Reserves are capped by dry powder.
	g := Fund{Committed: 4, PaidIn: 4, Invested: 3, Hurdle: 2, Positions: []Position{{Lab: 0, Cost: 3, Reserve: 3}}}
	checkExact(t, "reserved capped", g.Reserved(), 1)
	checkExact(t, "capacity new", g.Capacity(1), 0)
	checkExact(t, "capacity follow-on", g.Capacity(0), 1)

	checkExact(t, "HurdleMOIC(20%, 5y)", HurdleMOIC(0.2, 5), 2.48832)
	checkExact(t, "ExpectedMOIC", ExpectedMOIC(250, 100), 2.5)
	if !f.Accepts(250, 100) || f.Accepts(250, 100.01) {
		t.Error("Accepts: hurdle 2.5 at exit 250 should accept post 100 and refuse 100.01")
	}
}

// The pool's partial adjustment converges to its target as A* + (1 -
// Adjust)^n (A0 - A*) without overshooting; better trailing returns and a
// better climate raise it.
func TestInvestorPoolAdjustment(t *testing.T) {
	for _, c := range []struct {
		name          string
		a0, adjust    float64
		base, climate float64
		gross         float64
		target        float64
	}{
		{"from empty", 0, 1.0 / 6, 5, 1, 1, 5},
		{"from above", 20, 1.0 / 6, 5, 1, 1, 5},
		{"hot climate, good returns", 1, 0.5, 2, 1.5, 1.2, 2 * 1.5 * 1.2},
		{"full adjustment", 3, 1, 5, 1, 1, 5},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := testPool(c.a0)
			p.Adjust = c.adjust
			gap := c.a0 - c.target
			for n := 1; n <= 120; n++ {
				var err error
				p, err = p.Replenish(c.base, c.climate, c.gross)
				if err != nil {
					t.Fatal(err)
				}
				want := c.target + math.Pow(1-c.adjust, float64(n))*(c.a0-c.target)
				checkTol(t, "available", p.Available, want, 1e-12*math.Max(1, c.target))
				g := p.Available - c.target
				if g*gap < 0 || math.Abs(g) > math.Abs(gap)+1e-15 {
					t.Fatalf("month %d: gap %g after %g: overshoot or divergence", n, g, gap)
				}
				gap = g
			}
			checkTol(t, "climate", p.Climate, c.climate, 0)
		})
	}
	// Returns and climate raise the target and the next month's pool.
	p := testPool(2)
	next := func(climate, gross float64) float64 {
		q, err := p.Replenish(4, climate, gross)
		if err != nil {
			t.Fatal(err)
		}
		return q.Available
	}
	if !(next(1, 1.5) > next(1, 1)) || !(next(1, 1) > next(1, 0.5)) || !(next(1.3, 1) > next(1, 1)) {
		t.Errorf("next pool: gross 1.5 %g, 1 %g, 0.5 %g, climate 1.3 %g: want increasing in returns and climate",
			next(1, 1.5), next(1, 1), next(1, 0.5), next(1.3, 1))
	}
	p.ReturnElasticity = 0
	if next(1, 1.5) != next(1, 1) {
		t.Error("elasticity 0: returns moved the pool")
	}
	// What a round takes is replenished by partial adjustment.
	q, err := testPool(5).Take(3)
	if err != nil {
		t.Fatal(err)
	}
	q, err = q.Replenish(5, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	checkExact(t, "after a round took 3", q.Available, 2+3.0/6)
	g, err := TrailingGross(130, 100, 10)
	if err != nil {
		t.Fatal(err)
	}
	checkExact(t, "trailing gross", g, 1.2)
	if g, _ := TrailingGross(5, 100, 10); g != 0 {
		t.Errorf("trailing gross below new money = %g, want 0", g)
	}
	// Offer: the pool's multiple hurdle, linear between 30x and 60x.
	for _, c := range []struct{ post, arr, climate, want float64 }{
		{100, 10, 1, 6}, {300, 10, 1, 6}, {450, 10, 1, 3}, {600, 10, 1, 0}, {900, 10, 1, 0},
		{450, 10, 1.5, 6}, {100, 0, 1, 0},
	} {
		p := testPool(6)
		p.Climate = c.climate
		checkExact(t, "offer", p.Offer(c.post, c.arr), c.want)
	}
}

// Invalid input returns errors wrapping ErrInvalidArgument.
func TestCapitalBadInput(t *testing.T) {
	good := testFund(10, 2.5, 0.3)
	pool := testPool(5)
	inf := math.Inf(1)
	alloc := func(mod func(*RoundAsk, *InvestorPool, *[]ProRataHolder, *[]Fund, *[]StrategicBid)) error {
		ask, p := testAsk(), pool
		h := []ProRataHolder{{Stake: 0.1, Cash: 1, MaxPost: inf}}
		f := []Fund{good}
		b := []StrategicBid{{Amount: 1, MaxPost: inf}}
		mod(&ask, &p, &h, &f, &b)
		_, err := AllocateRound(ask, p, h, f, b, nil)
		return err
	}
	type mods = func(*RoundAsk, *InvestorPool, *[]ProRataHolder, *[]Fund, *[]StrategicBid)
	cases := []struct {
		name string
		mod  mods
	}{
		{"invest 0", func(a *RoundAsk, _ *InvestorPool, _ *[]ProRataHolder, _ *[]Fund, _ *[]StrategicBid) { a.Invest = 0 }},
		{"invest negative", func(a *RoundAsk, _ *InvestorPool, _ *[]ProRataHolder, _ *[]Fund, _ *[]StrategicBid) { a.Invest = -1 }},
		{"invest NaN", func(a *RoundAsk, _ *InvestorPool, _ *[]ProRataHolder, _ *[]Fund, _ *[]StrategicBid) { a.Invest = nan }},
		{"pre NaN", func(a *RoundAsk, _ *InvestorPool, _ *[]ProRataHolder, _ *[]Fund, _ *[]StrategicBid) { a.Pre = nan }},
		{"pre Inf", func(a *RoundAsk, _ *InvestorPool, _ *[]ProRataHolder, _ *[]Fund, _ *[]StrategicBid) { a.Pre = pInf }},
		{"floor above pre", func(a *RoundAsk, _ *InvestorPool, _ *[]ProRataHolder, _ *[]Fund, _ *[]StrategicBid) { a.FloorPre = 100 }},
		{"floor 0", func(a *RoundAsk, _ *InvestorPool, _ *[]ProRataHolder, _ *[]Fund, _ *[]StrategicBid) { a.FloorPre = 0 }},
		{"min raise above invest", func(a *RoundAsk, _ *InvestorPool, _ *[]ProRataHolder, _ *[]Fund, _ *[]StrategicBid) { a.MinRaise = 11 }},
		{"min raise negative", func(a *RoundAsk, _ *InvestorPool, _ *[]ProRataHolder, _ *[]Fund, _ *[]StrategicBid) { a.MinRaise = -1 }},
		{"ARR negative", func(a *RoundAsk, _ *InvestorPool, _ *[]ProRataHolder, _ *[]Fund, _ *[]StrategicBid) { a.ARR = -1 }},
		{"exit value NaN", func(a *RoundAsk, _ *InvestorPool, _ *[]ProRataHolder, _ *[]Fund, _ *[]StrategicBid) {
			a.ExitValue = nan
		}},
		{"max fund share > 1", func(a *RoundAsk, _ *InvestorPool, _ *[]ProRataHolder, _ *[]Fund, _ *[]StrategicBid) {
			a.MaxFundShare = 1.5
		}},
		{"pool negative", func(_ *RoundAsk, p *InvestorPool, _ *[]ProRataHolder, _ *[]Fund, _ *[]StrategicBid) { p.Available = -1 }},
		{"pool NaN", func(_ *RoundAsk, p *InvestorPool, _ *[]ProRataHolder, _ *[]Fund, _ *[]StrategicBid) {
			p.Available = nan
		}},
		{"pool climate 0", func(_ *RoundAsk, p *InvestorPool, _ *[]ProRataHolder, _ *[]Fund, _ *[]StrategicBid) { p.Climate = 0 }},
		{"pool multiples reversed", func(_ *RoundAsk, p *InvestorPool, _ *[]ProRataHolder, _ *[]Fund, _ *[]StrategicBid) {
			p.MultipleNone = 20
		}},
		{"pool adjust 0", func(_ *RoundAsk, p *InvestorPool, _ *[]ProRataHolder, _ *[]Fund, _ *[]StrategicBid) { p.Adjust = 0 }},
		{"holder stake NaN", func(_ *RoundAsk, _ *InvestorPool, h *[]ProRataHolder, _ *[]Fund, _ *[]StrategicBid) {
			(*h)[0].Stake = nan
		}},
		{"holder cash negative", func(_ *RoundAsk, _ *InvestorPool, h *[]ProRataHolder, _ *[]Fund, _ *[]StrategicBid) {
			(*h)[0].Cash = -1
		}},
		{"holder max post NaN", func(_ *RoundAsk, _ *InvestorPool, h *[]ProRataHolder, _ *[]Fund, _ *[]StrategicBid) {
			(*h)[0].MaxPost = nan
		}},
		{"stakes above 1", func(_ *RoundAsk, _ *InvestorPool, h *[]ProRataHolder, _ *[]Fund, _ *[]StrategicBid) {
			*h = append(*h, ProRataHolder{Stake: 0.95, Cash: 1, MaxPost: inf})
		}},
		{"fund committed negative", func(_ *RoundAsk, _ *InvestorPool, _ *[]ProRataHolder, f *[]Fund, _ *[]StrategicBid) {
			(*f)[0].Committed = -1
		}},
		{"fund hurdle 0", func(_ *RoundAsk, _ *InvestorPool, _ *[]ProRataHolder, f *[]Fund, _ *[]StrategicBid) {
			(*f)[0].Hurdle = 0
		}},
		{"fund invested NaN", func(_ *RoundAsk, _ *InvestorPool, _ *[]ProRataHolder, f *[]Fund, _ *[]StrategicBid) {
			(*f)[0].Invested = nan
		}},
		{"fund invested above paid-in", func(_ *RoundAsk, _ *InvestorPool, _ *[]ProRataHolder, f *[]Fund, _ *[]StrategicBid) {
			(*f)[0].Invested = 11
		}},
		{"fund position cost negative", func(_ *RoundAsk, _ *InvestorPool, _ *[]ProRataHolder, f *[]Fund, _ *[]StrategicBid) {
			(*f)[0].Positions = []Position{{Lab: 1, Cost: -1}}
		}},
		{"fund positions duplicated", func(_ *RoundAsk, _ *InvestorPool, _ *[]ProRataHolder, f *[]Fund, _ *[]StrategicBid) {
			(*f)[0].Positions = []Position{{Lab: 1}, {Lab: 1}}
		}},
		{"bid negative", func(_ *RoundAsk, _ *InvestorPool, _ *[]ProRataHolder, _ *[]Fund, b *[]StrategicBid) {
			(*b)[0].Amount = -1
		}},
		{"bid NaN", func(_ *RoundAsk, _ *InvestorPool, _ *[]ProRataHolder, _ *[]Fund, b *[]StrategicBid) {
			(*b)[0].Amount = nan
		}},
		{"bid max post NaN", func(_ *RoundAsk, _ *InvestorPool, _ *[]ProRataHolder, _ *[]Fund, b *[]StrategicBid) {
			(*b)[0].MaxPost = nan
		}},
	}
	if err := alloc(func(*RoundAsk, *InvestorPool, *[]ProRataHolder, *[]Fund, *[]StrategicBid) {}); err != nil {
		t.Fatalf("valid round: %v", err)
	}
	for _, c := range cases {
		if err := alloc(c.mod); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: err %v, want ErrInvalidArgument", c.name, err)
		}
	}
	f := good
	other := []struct {
		name string
		err  error
	}{
		{"Invest negative", func() error { _, err := f.Invest(1, -1, 0); return err }()},
		{"Invest NaN", func() error { _, err := f.Invest(1, nan, 0); return err }()},
		{"Invest stake > 1", func() error { _, err := f.Invest(1, 1, 2); return err }()},
		{"ChargeFees NaN", func() error { _, err := f.ChargeFees(nan); return err }()},
		{"ChargeFees negative", func() error { _, err := f.ChargeFees(-1); return err }()},
		{"Take above available", func() error { _, err := pool.Take(6); return err }()},
		{"Take NaN", func() error { _, err := pool.Take(nan); return err }()},
		{"Replenish base negative", func() error { _, err := pool.Replenish(-1, 1, 1); return err }()},
		{"Replenish climate NaN", func() error { _, err := pool.Replenish(1, nan, 1); return err }()},
		{"Replenish gross negative", func() error { _, err := pool.Replenish(1, 1, -1); return err }()},
		{"Replenish invalid pool", func() error { q := pool; q.Adjust = 2; _, err := q.Replenish(1, 1, 1); return err }()},
		{"Target NaN", func() error { _, err := pool.Target(nan, 1, 1); return err }()},
		{"TrailingGross then 0", func() error { _, err := TrailingGross(1, 0, 0); return err }()},
		{"TrailingGross NaN", func() error { _, err := TrailingGross(nan, 1, 0); return err }()},
		{"TrailingGross raised negative", func() error { _, err := TrailingGross(1, 1, -1); return err }()},
	}
	for _, c := range other {
		if !errors.Is(c.err, ErrInvalidArgument) {
			t.Errorf("%s: err %v, want ErrInvalidArgument", c.name, c.err)
		}
	}
	if f.Invested != 0 || f.Fees != 0 || len(f.Positions) != 0 {
		t.Error("rejected calls changed the fund")
	}
	for _, c := range []struct{ got, want float64 }{
		{HurdleMOIC(-1, 5), 0}, {HurdleMOIC(nan, 5), 0}, {HurdleMOIC(0.1, -1), 0},
		{ExpectedMOIC(1, 0), 0}, {ExpectedMOIC(nan, 1), 0},
	} {
		if c.got != c.want {
			t.Errorf("documented value for bad input: %g, want %g", c.got, c.want)
		}
	}
}

// AllocateRound allocates nothing when the caller provides the flow buffer,
// including the down-round search.
func TestAllocateRoundDoesNotAllocate(t *testing.T) {
	for _, down := range []bool{false, true} {
		ask, pool, holders, funds, bids := benchRound(down)
		dst := make([]RoundFlow, 0, len(holders)+len(funds)+len(bids)+1)
		var res RoundResult
		a := testing.AllocsPerRun(100, func() {
			res, _ = AllocateRound(ask, pool, holders, funds, bids, dst)
		})
		if a != 0 {
			t.Errorf("down=%v: %v allocs per round, want 0", down, a)
		}
		want := RoundFull
		if down {
			want = RoundDown
		}
		if res.Outcome != want {
			t.Errorf("down=%v: outcome %v, want %v", down, res.Outcome, want)
		}
	}
}

// benchRound is a round with 8 funds (two with positions, one barred by a
// covenant), 8 strategic bids and 2 pro-rata holders. With down set, the
// pool is short at the asked price and the round clears lower.
func benchRound(down bool) (RoundAsk, InvestorPool, []ProRataHolder, []Fund, []StrategicBid) {
	ask := RoundAsk{Lab: 2, Rivals: []int{0, 1}, Invest: 20, Pre: 180, FloorPre: 120, MinRaise: 5, ARR: 5, ExitValue: 500, MaxFundShare: 0.25}
	pool := testPool(30)
	if down {
		pool.Available = 12
	}
	funds := make([]Fund, 8)
	for f := range funds {
		funds[f] = testFund(5+float64(f), 2+0.1*float64(f), 0.2)
	}
	funds[0].Invested, funds[0].Positions = 1, []Position{{Lab: 2, Cost: 1, Stake: 0.05, Reserve: 1, ProRata: true}}
	funds[1].Invested, funds[1].Positions = 1, []Position{{Lab: 0, Cost: 1, Stake: 0.05, NoRival: true}}
	bids := make([]StrategicBid, 8)
	for b := range bids {
		bids[b] = StrategicBid{Amount: 0.2 + 0.05*float64(b), MaxPost: 150 + 10*float64(b)}
	}
	holders := []ProRataHolder{{Stake: 0.1, Cash: 1.5, MaxPost: math.Inf(1)}, {Stake: 0.05, Cash: 10, MaxPost: 190}}
	return ask, pool, holders, funds, bids
}

func benchmarkAllocateRound(b *testing.B, down bool) {
	ask, pool, holders, funds, bids := benchRound(down)
	dst := make([]RoundFlow, 0, len(holders)+len(funds)+len(bids)+1)
	b.ReportAllocs()
	for b.Loop() {
		res, err := AllocateRound(ask, pool, holders, funds, bids, dst)
		if err != nil {
			b.Fatal(err)
		}
		sink = res.Raised
	}
}

// One round with 8 funds and 8 strategic bids, filled at the asked price.
func BenchmarkAllocateRound(b *testing.B) { benchmarkAllocateRound(b, false) }

// The same round with a short pool: the down-round search.
func BenchmarkAllocateRoundDown(b *testing.B) { benchmarkAllocateRound(b, true) }
