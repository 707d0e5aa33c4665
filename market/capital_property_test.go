package market

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randomRound draws a round with up to 8 funds (some of size 0, some with
// positions, pro-rata rights and covenants), up to 3 pro-rata holders and up
// to 8 strategic bids; the raising lab is 1 and its rivals are 0 and 2.
func randomRound(r *rand.Rand) (RoundAsk, InvestorPool, []ProRataHolder, []Fund, []StrategicBid) {
	I := uniform(r, 1, 20)
	pre := uniform(r, 20, 200)
	ask := RoundAsk{
		Lab: 1, Rivals: []int{0, 2}, Invest: I, Pre: pre, FloorPre: pre * uniform(r, 0.4, 1),
		MinRaise: I * uniform(r, 0, 0.5), ARR: uniform(r, 0, 6), ExitValue: (pre + I) * uniform(r, 1.5, 4),
	}
	if r.IntN(3) == 0 {
		ask.FloorPre = pre
	}
	if r.IntN(2) == 0 {
		ask.MaxFundShare = uniform(r, 0.1, 1)
	}
	pool := testPool(uniform(r, 0, 20))
	pool.Climate = uniform(r, 0.5, 1.5)
	if r.IntN(4) == 0 {
		pool.MultipleNone = pool.MultipleFull // a step hurdle
	}
	stakes := 0.0
	holders := make([]ProRataHolder, r.IntN(4))
	for i := range holders {
		h := ProRataHolder{Stake: uniform(r, 0, 0.15), Cash: uniform(r, 0, 3), MaxPost: math.Inf(1)}
		if r.IntN(2) == 0 {
			h.MaxPost = (pre + I) * uniform(r, 0.5, 1.2)
		}
		stakes += h.Stake
		holders[i] = h
	}
	funds := make([]Fund, r.IntN(9))
	for f := range funds {
		size := uniform(r, 0, 12)
		if r.IntN(5) == 0 {
			size = 0
		}
		F := Fund{Committed: size, PaidIn: size, Hurdle: uniform(r, 1.5, 4), ReserveRatio: uniform(r, 0, 1)}
		if r.IntN(2) == 0 {
			F.MaxDealShare = uniform(r, 0.05, 0.5)
		}
		for lab := range 3 {
			if r.IntN(3) != 0 || F.DryPowder() < 0.5 {
				continue
			}
			cost := uniform(r, 0, 0.3) * F.DryPowder()
			p := Position{Lab: lab, Cost: cost, Reserve: F.ReserveRatio * cost, NoRival: r.IntN(2) == 0}
			if lab == ask.Lab && r.IntN(2) == 0 {
				p.ProRata, p.Stake = true, uniform(r, 0, 0.1)
				stakes += p.Stake
			}
			F.Invested += cost
			F.Positions = append(F.Positions, p)
		}
		funds[f] = F
	}
	if stakes > 0.6 { // keep the plain fixed-point iteration fast
		for i := range holders {
			holders[i].Stake *= 0.6 / stakes
		}
		for f := range funds {
			for k := range funds[f].Positions {
				funds[f].Positions[k].Stake *= 0.6 / stakes
			}
		}
	}
	bids := make([]StrategicBid, r.IntN(9))
	for b := range bids {
		bids[b] = StrategicBid{Amount: uniform(r, 0, 3), MaxPost: (pre + I) * uniform(r, 0.5, 1.3)}
	}
	return ask, pool, holders, funds, bids
}

// bruteRaise is the amount the rule raises at pre-money p, computed
// directly: covenants by scanning positions, hurdles by ExpectedMOIC, the
// sequential fill, and the pro-rata fixed point by plain iteration.
func bruteRaise(ask RoundAsk, pool InvestorPool, holders []ProRataHolder, funds []Fund, bids []StrategicBid, p float64) float64 {
	I := ask.Invest
	P := p + I
	accepts := func(limit float64) bool { return P <= limit*(1+1e-12) }
	barred := func(F *Fund) bool {
		for _, q := range F.Positions {
			for _, rv := range ask.Rivals {
				if q.NoRival && q.Lab == rv && q.Lab != ask.Lab {
					return true
				}
			}
		}
		return false
	}
	var s, c []float64
	for _, h := range holders {
		if accepts(h.MaxPost) {
			s, c = append(s, h.Stake), append(c, h.Cash)
		}
	}
	right := make([]float64, len(funds)) // a pro-rata fund's stake
	for f := range funds {
		F := &funds[f]
		for _, q := range F.Positions {
			if q.Lab == ask.Lab && q.ProRata {
				right[f] = q.Stake
				if !barred(F) && ExpectedMOIC(ask.ExitValue, P) >= F.Hurdle*(1-1e-12) {
					s, c = append(s, q.Stake), append(c, F.Capacity(ask.Lab))
				}
			}
		}
	}
	claims := func(R float64) float64 {
		t := 0.0
		for i := range s {
			t += math.Min(c[i], s[i]*R)
		}
		return t
	}
	left := I - claims(I)
	X := 0.0
	take := func(amt float64) {
		amt = math.Min(amt, left)
		left -= amt
		X += amt
	}
	for f := range funds {
		F := &funds[f]
		if barred(F) || ExpectedMOIC(ask.ExitValue, P) < F.Hurdle*(1-1e-12) {
			continue
		}
		// a fund with a pro-rata right follows on with what its claim at
		// the full size leaves
		amt := math.Max(0, F.Capacity(ask.Lab)-right[f]*I)
		if ask.MaxFundShare > 0 {
			amt = math.Min(amt, ask.MaxFundShare*I)
		}
		take(amt)
	}
	for _, b := range bids {
		if accepts(b.MaxPost) {
			take(b.Amount)
		}
	}
	take(pool.Offer(P, ask.ARR))
	if left <= 1e-12*I {
		return I
	}
	R := I
	for range 200 { // pro-rata stakes sum to at most 0.6: 0.6^200 is far below rounding
		R = X + claims(R)
	}
	return R
}

// AllocateRound agrees with the brute-force rule on random rounds: the
// amount, the price of a down round (to the grid step of a scan of the
// pre-money), the outcome; and its flows sum exactly, respect every
// participant's limits and leave barred funds out.
func TestPropertyAllocateRoundMatchesBruteForce(t *testing.T) {
	r := newRand()
	counts := map[RoundOutcome]int{}
	trials := 3000
	if testing.Short() {
		trials = 600
	}
	for trial := range trials {
		ask, pool, holders, funds, bids := randomRound(r)
		res, err := AllocateRound(ask, pool, holders, funds, bids, nil)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		counts[res.Outcome]++
		I := ask.Invest
		brute := func(p float64) float64 { return bruteRaise(ask, pool, holders, funds, bids, p) }
		near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

		wantPre, wantR := ask.Pre, brute(ask.Pre)
		lo, hi := ask.Pre, ask.Pre // the interval the down-round price must be in
		down := false
		if wantR < I*(1-1e-12) && ask.FloorPre < ask.Pre {
			if Rf := brute(ask.FloorPre); Rf > wantR+1e-9 {
				const n = 2000
				step := (ask.Pre - ask.FloorPre) / n
				lo, hi = ask.FloorPre, ask.FloorPre
				for k := 0; k <= n; k++ {
					p := ask.Pre - float64(k)*step
					if brute(p) >= Rf-1e-9 {
						lo, hi = p, math.Min(ask.Pre, p+step)
						break
					}
				}
				// R(Pre) < R(floor): the price must fall, however close to
				// Pre the grid brackets it.
				wantPre, wantR, down = lo, Rf, true
			}
		}
		wantOutcome := RoundFull
		switch {
		case !(wantR > 0) || wantR < ask.MinRaise-1e-9:
			wantOutcome = RoundFailed
		case down:
			wantOutcome = RoundDown
		case wantR < I*(1-1e-12):
			wantOutcome = RoundShort
		}
		if res.Outcome != wantOutcome {
			t.Fatalf("trial %d: outcome %v, want %v (raised %g of %g, brute %g; ask %+v)", trial, res.Outcome, wantOutcome, res.Raised, I, wantR, ask)
		}
		checkSums(t, res)
		if res.Outcome == RoundFailed {
			if res.Raised != 0 || len(res.Flows) != 0 {
				t.Fatalf("trial %d: failed round raised %g in %d flows", trial, res.Raised, len(res.Flows))
			}
			continue
		}
		if !near(res.Raised, wantR) {
			t.Fatalf("trial %d: raised %.12g, brute force %.12g (%v)", trial, res.Raised, wantR, res.Outcome)
		}
		if res.Pre < lo-1e-9*lo || res.Pre > hi+1e-9*hi {
			t.Fatalf("trial %d: pre-money %.12g outside the brute-force bracket [%.12g, %.12g] (want about %g)", trial, res.Pre, lo, hi, wantPre)
		}
		// Limits and payers.
		if res.Raised > I*(1+1e-12) || res.PoolTaken > pool.Available*(1+1e-12) {
			t.Fatalf("trial %d: raised %g of %g, pool took %g of %g", trial, res.Raised, I, res.PoolTaken, pool.Available)
		}
		// A payer pays once, except a fund with a pro-rata right, which
		// may follow on: its pro-rata flow first, then one other.
		type key struct {
			p  Payer
			pr bool
		}
		seen := map[key]bool{}
		fundPaid := map[int]float64{}
		for _, f := range res.Flows {
			k := key{f.Payer, f.ProRata}
			if seen[k] {
				t.Fatalf("trial %d: payer %+v (pro rata %v) twice", trial, f.Payer, f.ProRata)
			}
			seen[k] = true
			switch f.Payer.Kind {
			case PayerFund:
				F := &funds[f.Payer.Index]
				if F.Barred(ask.Lab, ask.Rivals) {
					t.Fatalf("trial %d: barred fund %d paid %g", trial, f.Payer.Index, f.Amount)
				}
				fundPaid[f.Payer.Index] += f.Amount
				if fundPaid[f.Payer.Index] > F.Capacity(ask.Lab)*(1+1e-12) {
					t.Fatalf("trial %d: fund %d paid %g above its capacity %g", trial, f.Payer.Index, fundPaid[f.Payer.Index], F.Capacity(ask.Lab))
				}
			case PayerHolder:
				h := holders[f.Payer.Index]
				if f.Amount > h.Cash*(1+1e-12) {
					t.Fatalf("trial %d: holder paid %g above its cash %g", trial, f.Amount, h.Cash)
				}
				// An exercise not bound by cash keeps the stake.
				if f.Amount < h.Cash*(1-1e-9) {
					after := h.Stake*(1-res.Raised/res.Post) + f.Amount/res.Post
					if math.Abs(after-h.Stake) > 1e-12 {
						t.Fatalf("trial %d: holder's stake %g -> %g", trial, h.Stake, after)
					}
				}
			case PayerStrategic:
				if f.Amount > bids[f.Payer.Index].Amount*(1+1e-12) {
					t.Fatalf("trial %d: bid paid %g above %g", trial, f.Amount, bids[f.Payer.Index].Amount)
				}
			}
		}
	}
	// The draws reach every outcome.
	for _, o := range []RoundOutcome{RoundFull, RoundShort, RoundDown, RoundFailed} {
		if counts[o] < trials/50 {
			t.Errorf("outcome %v in %d of %d trials: the test does not exercise it", o, counts[o], trials)
		}
	}
	t.Logf("outcomes: %v", counts)
}

// The amount a round raises never rises with its price.
func TestPropertyRaisedFallsWithPrice(t *testing.T) {
	r := newRand()
	for trial := range 300 {
		ask, pool, holders, funds, bids := randomRound(r)
		ask.FloorPre, ask.MinRaise = ask.Pre, 0
		prev := math.Inf(1)
		for k := range 40 {
			a := ask
			a.Pre = ask.Pre * (0.3 + 1.4*float64(k)/40)
			a.FloorPre = a.Pre
			res, err := AllocateRound(a, pool, holders, funds, bids, nil)
			if err != nil {
				t.Fatal(err)
			}
			if res.Raised > prev*(1+1e-12)+1e-15 {
				t.Fatalf("trial %d: raised %g at pre %g above %g at a lower price", trial, res.Raised, a.Pre, prev)
			}
			prev = res.Raised
		}
	}
}
