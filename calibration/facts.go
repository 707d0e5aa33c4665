package calibration

import (
	"fmt"
	"math"
	"strings"

	"frontiersim/stats"
)

// Reading of the pass criteria of domain model §6 ("pass = criterion holds
// in the stated fraction of replications or for the replication mean with
// its 95% CI"): every fact is reduced to per-replication statistics; where
// §6 states a fraction of replications (SF2: 80%) the share of replications
// satisfying the criterion is compared with it, otherwise the whole 95%
// confidence interval of the replication mean must satisfy the criterion
// (the strict reading: a mean that satisfies it only on average does not
// pass). The share of replications satisfying each part is reported too.

// Part is one measured statistic of a stylized fact.
type Part struct {
	Name      string // what is measured
	Criterion string // the §6 criterion for it
	Summary
	Pass bool
	// Share marks a statistic that is itself a share of replications
	// (per-replication indicators, SF2): its interval is the Wilson
	// interval of the share, not the t interval of a mean.
	Share bool
}

// Fact is the measurement of one stylized fact.
type Fact struct {
	ID, Statement string
	Parts         []Part
}

// Pass reports whether every part passes.
func (f Fact) Pass() bool {
	for _, p := range f.Parts {
		if !p.Pass {
			return false
		}
	}
	return len(f.Parts) > 0
}

// String is a one-line-per-part table of measured values and criteria.
func (f Fact) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", f.ID, f.Statement)
	for _, p := range f.Parts {
		fmt.Fprintf(&b, "  %-58s measured %s  criterion %s  [%s]\n", p.Name, p.Measured(), p.Criterion, passWord(p.Pass))
	}
	return b.String()
}

// Measured formats the part's mean, CI and replication share.
func (p Part) Measured() string {
	s := fmt.Sprintf("%.3g (95%% CI %.3g-%.3g, 5-95%% %.3g-%.3g, n=%d", p.Mean, p.Lo, p.Hi, p.P05, p.P95, p.N)
	if !math.IsNaN(p.Fraction) {
		s += fmt.Sprintf(", %.0f%% of reps meet it", 100*p.Fraction)
	}
	return s + ")"
}

func passWord(ok bool) string {
	if ok {
		return "pass"
	}
	return "FAIL"
}

// part builds a Part from per-replication values and a criterion given as
// [lo, hi] on the replication mean (CI inside) — use ±Inf for one-sided.
func part(name, crit string, xs []float64, lo, hi float64) Part {
	s := Summarize(xs)
	in := func(x float64) bool { return x >= lo && x <= hi }
	s.Fraction = s.FractionWhere(in)
	return Part{Name: name, Criterion: crit, Summary: s, Pass: s.N > 0 && s.Lo >= lo && s.Hi <= hi}
}

// fractionPart: per-replication indicators (1/0, NaN excluded) whose share
// must reach frac.
func fractionPart(name, crit string, ind []float64, frac float64) Part {
	s := Summarize(ind)
	s.Fraction = s.Mean
	return Part{Name: name, Criterion: crit, Summary: s, Pass: s.N > 0 && s.Mean >= frac, Share: true}
}

var (
	cArrO, cArrA     = Col("arr_openai"), Col("arr_anthropic")
	cEffO            = Col("effective_share_openai")
	cContractO       = Col("contract_share_openai")
	cShareO, cShareA = Col("model_share_openai"), Col("model_share_anthropic")
	cConflict        = Col("conflict_index")
	cLagEvents       = Col("release_lag_events")
	cBackerCompute   = Col("backer_compute_share_openai")
	cExclO           = Col("exclusive_openai")
	cAffO            = Col("affinity_gap_openai")
	cAffA            = Col("affinity_gap_anthropic")
	cTieLift         = Col("tie_lift")
	cBackerPurch     = Col("backer_purchases_openai")
	cPrice           = Col("price_index")
	cSpend           = Col("enterprise_spend")
	cOpcf            = [2]int{Col("opcf_openai"), Col("opcf_anthropic")}
	cPost            = [2]int{Col("round_post_openai"), Col("round_post_anthropic")}
	cMult            = [2]int{Col("round_multiple_openai"), Col("round_multiple_anthropic")}
	cArr             = [2]int{cArrO, cArrA}
	cInv             = [3]int{Col("hs_investment_azure"), Col("hs_investment_aws"), Col("hs_investment_gcp")}
	cPartnerRev      = [3]int{Col("hs_partner_cloud_revenue_azure"), Col("hs_partner_cloud_revenue_aws"), Col("hs_partner_cloud_revenue_gcp")}
	cCloud           = [4]int{Col("cloud_share_azure"), Col("cloud_share_aws"), Col("cloud_share_gcp"), Col("cloud_share_other")}
	cCramerV         = Col("cramer_v_cloud")
	cBackerO         = Col("backer_openai")
	cMaxBuyerO       = Col("max_buyer_spend_openai")
	inf              = math.Inf(1)
	frontierLabNames = [2]string{"OpenAI-like", "Anthropic-like"}
)

// FactReps and FactBuyers size the stylized-fact batch of the TestSlowSF*
// tests (see facts_test.go).
const (
	FactReps   = 200
	FactBuyers = 2000
)

// BigInvestment is the size (US$B) of a "$10B-scale" investment by the
// backer in SF2 and SF5: one month's investment of at least half of $10B.
const BigInvestment = 5.0

// marketOpens is November 2022 (ChatGPT): the facts read the enterprise
// market from this month.
const marketOpens = 46

// backer is the OpenAI-like lab's backer hyperscaler in month m (-1 none).
func backer(r *Rep, m int) int { return int(r.Get(m, cBackerO)) }

// bigMonth is the first month the OpenAI-like lab's backer invests at least
// BigInvestment, or -1; b is the backer.
func bigMonth(r *Rep) (m, b int) {
	b = backer(r, Months-1)
	if b < 0 {
		for t := Months - 1; t >= 0 && b < 0; t-- {
			b = backer(r, t)
		}
	}
	if b < 0 {
		return -1, -1
	}
	for t := 0; t < Months; t++ {
		if r.Get(t, cInv[b]) >= BigInvestment {
			return t, b
		}
	}
	return -1, b
}

func crossMonth(r *Rep, c int, thr float64) int {
	for m := 0; m < Months; m++ {
		if r.Get(m, c) >= thr {
			return m
		}
	}
	return -1
}

// SF1: revenue share falls after renegotiation.
func SF1(reps []*Rep) Fact {
	var pre, post, dec []float64
	for _, r := range reps {
		cross := crossMonth(r, cArrO, 2)
		end := Months
		if cross >= 0 {
			end = cross
		}
		s, k := 0.0, 0
		for m := marketOpens; m < end; m++ {
			if r.Get(m, cArrO) > 0.2 {
				s += r.Get(m, cEffO)
				k++
			}
		}
		if k > 0 {
			pre = append(pre, s/float64(k))
		}
		if cross >= 0 && cross <= 71 {
			e := min(cross+24, Months-1)
			post = append(post, r.mean(cEffO, e-2, e+1))
			a := r.mean(cEffO, cross+1, cross+13)
			b := r.mean(cEffO, cross+13, min(cross+25, Months))
			dec = append(dec, b-a)
		}
	}
	return Fact{ID: "SF1", Statement: "the lab's revenue share to its backer falls after renegotiation once ARR passes $2B",
		Parts: []Part{
			part("effective share (incl. profit interest), mean m46..crossing of $2B ARR", ">= 0.30", pre, 0.30, inf),
			part("effective share 24 months after crossing (mean of 3 months ending there; crossing <= m71)", "<= 0.20", post, -inf, 0.20),
			part("decline: mean share months 13-24 minus months 1-12 after crossing", "< 0 (declining path)", dec, -inf, -1e-12),
		}}
}

// SF2: a second hyperscaler funds a rival lab within 12 months of backer 1's
// large investment.
func SF2(reps []*Rep) Fact {
	var ind, has []float64
	for _, r := range reps {
		big, b := bigMonth(r)
		if big < 0 {
			has = append(has, 0)
			continue
		}
		has = append(has, 1)
		ok := 0.0
		for h := 0; h < 3; h++ {
			if h == b {
				continue
			}
			if r.sum(cInv[h], big, min(big+13, Months)) >= 1 {
				ok = 1
			}
		}
		ind = append(ind, ok)
	}
	p := fractionPart(fmt.Sprintf("another hyperscaler invests >= $1B in a rival lab within 12 months of the backer's first >= $%gB investment", BigInvestment),
		">= 80% of replications (with such an investment)", ind, 0.8)
	h := Summarize(has)
	h.Fraction = h.Mean
	return Fact{ID: "SF2", Statement: "a second hyperscaler funds a rival lab", Parts: []Part{p,
		{Name: fmt.Sprintf("(context) replications where the backer invests >= $%gB in one month", BigInvestment), Criterion: "reported", Summary: h, Pass: true, Share: true}}}
}

// SF3: vendor choice correlates with the buyer's primary cloud.
func SF3(reps []*Rep) Fact {
	var gap, gapA, v []float64
	for _, r := range reps {
		gap = append(gap, r.mean(cAffO, 60, Months))
		gapA = append(gapA, r.mean(cAffA, 60, Months))
		s := 0.0
		for m := 60; m < Months; m++ {
			s += r.Get(m, cCramerV)
		}
		v = append(v, s/float64(Months-60))
	}
	return Fact{ID: "SF3", Statement: "enterprise vendor choice correlates with existing cloud",
		Parts: []Part{
			part("P(OpenAI-like | primary = its backer cloud) - P(... | other), spend-weighted, mean m60-83", ">= 0.15", gap, 0.15, inf),
			part("Cramér's V, primary cloud x main vendor's partner cloud (adopters), mean m60-83", ">= 0.2", v, 0.2, inf),
			// last: the calibration's penalties read Parts[0] and Parts[1]
			part("P(Anthropic-like | primary = its partner cloud) - P(... | other), spend-weighted, mean m60-83", ">= 0.15", gapA, 0.15, inf),
		}}
}

// resaleStart is the first month in which the OpenAI-like lab has a
// backer and that backer has resale revenue, NaN if never: each
// replication's own resale-start month (NOCAL).
func resaleStart(r *Rep) float64 {
	return firstMonth(func(m int) bool {
		b := backer(r, m)
		return b >= 0 && b < len(cResale) && r.Get(m, cResale[b]) > 0
	}, 0)
}

// exclusivityEnd is the first month, after the OpenAI-like lab's contract
// has given its backer compute exclusivity (metric exclusive_openai), in
// which it no longer does: each replication's own exclusivity-end month,
// NaN if exclusivity never held or never ended by m83.
func exclusivityEnd(r *Rep) float64 {
	held := false
	for m := 0; m < Months; m++ {
		x := r.Get(m, cExclO)
		if x == 1 {
			held = true
		} else if held {
			return float64(m)
		}
	}
	return math.NaN()
}

// SF4: channel conflict once both sell to the same customers, measured
// from each replication's own resale-start month (NOCAL).
func SF4(reps []*Rep) Fact {
	var pre, post, lag []float64
	for _, r := range reps {
		lag = append(lag, r.Get(Months-1, cLagEvents))
		rs := resaleStart(r)
		if math.IsNaN(rs) {
			continue
		}
		s := int(rs)
		a, b := 0.0, 0.0
		for m := 0; m < s; m++ {
			a = math.Max(a, r.Get(m, cConflict))
		}
		for m := s; m < min(s+6, Months); m++ {
			b = math.Max(b, r.Get(m, cConflict))
		}
		pre = append(pre, a)
		post = append(post, b)
	}
	p0 := part("conflict index, max over the months before the replication's own resale start", "= 0", pre, 0, 0)
	p1 := part("conflict index, max over the 6 months from the replication's own resale start", "> 0", post, 1e-12, inf)
	p2 := part("releases reaching the backer channel with lag L > 0, by m83", ">= 1", lag, 1, inf)
	return Fact{ID: "SF4", Statement: "channel conflict appears once both sell to the same customers", Parts: []Part{p0, p1, p2}}
}

// SF5: investors become customers.
func SF5(reps []*Rep) Fact {
	var lr, lift []float64
	for _, r := range reps {
		big, _ := bigMonth(r)
		lift = append(lift, r.mean(cTieLift, 60, Months))
		if big < 0 {
			continue
		}
		best := math.Inf(-1)
		for m := max(big, marketOpens); m <= min(big+36, Months-1); m++ {
			bp, mb := r.Get(m, cBackerPurch), r.Get(m, cMaxBuyerO)
			if bp > 0 && mb > 0 {
				best = math.Max(best, math.Log(bp/mb))
			}
		}
		if !math.IsInf(best, -1) {
			lr = append(lr, best)
		}
	}
	return Fact{ID: "SF5", Statement: "investors become customers",
		Parts: []Part{
			part("log(backer purchases / largest single simulated buyer's spend), best month within 36 months of the big investment", "> 0 (backer is the largest customer)", lr, 1e-12, inf),
			part("tie lift: share of the VC's labs among its portfolio buyers / among others, mean m60-83", ">= 1.2", lift, 1.2, inf),
		}}
}

// SF6 (endogenous part): backer's share of the lab's compute at m83.
func SF6(reps, replay []*Rep) Fact {
	var end, endR, excl, exclOwn, after []float64
	for _, r := range reps {
		end = append(end, r.Get(Months-1, cBackerCompute))
		// each replication's own months: exclusivity from the month after
		// it first holds to the month before it ends (m83 if it does not)
		e := exclusivityEnd(r)
		first := firstMonth(func(m int) bool { return r.Get(m, cExclO) == 1 }, 0)
		if math.IsNaN(first) {
			continue
		}
		to := Months
		if !math.IsNaN(e) {
			to = int(e)
			after = append(after, r.Get(min(int(e)+12, Months-1), cBackerCompute))
		}
		mn := 1.0
		for m := int(first) + 1; m < to; m++ {
			mn = math.Min(mn, r.Get(m, cBackerCompute))
		}
		exclOwn = append(exclOwn, mn)
	}
	for _, r := range replay {
		endR = append(endR, r.Get(Months-1, cBackerCompute))
		mn := 1.0
		for m := 1; m < 72; m++ {
			if backer(r, m-1) >= 0 { // the contract binds from the month after it is signed
				mn = math.Min(mn, r.Get(m, cBackerCompute))
			}
		}
		excl = append(excl, mn)
	}
	return Fact{ID: "SF6", Statement: "multi-homing after exclusivity relaxes",
		Parts: []Part{
			part("replay: min backer compute share, month after the contract to m71", "= 1.0", excl, 1, 1),
			part("endogenous: backer compute share at m83", "< 0.7", end, -inf, 0.7-1e-12),
			part("endogenous: min backer compute share, month after exclusivity first holds to the month before the replication's own exclusivity end", "= 1.0", exclOwn, 1, 1),
			part("endogenous: backer compute share 12 months after the replication's own exclusivity end (m83 at the latest)", "< 0.7", after, -inf, 0.7-1e-12),
			part("replay: backer compute share at m83", "< 0.7", endR, -inf, 0.7-1e-12),
		}}
}

// Months of the share windows of SF7 and the share targets: 2023, 2024 and
// mid-2025 (Apr-Sep 2025, centred on the Menlo mid-year update).
const (
	y23From, y23To = 48, 60
	y24From, y24To = 60, 72
	m25From, m25To = 75, 81
)

// SF7: leader's share erodes as a rival catches up.
func SF7(reps []*Rep) Fact {
	var a23, a25, b23, b25 []float64
	for _, r := range reps {
		a23 = append(a23, r.mean(cShareO, y23From, y23To))
		a25 = append(a25, r.mean(cShareO, m25From, m25To))
		b23 = append(b23, r.mean(cShareA, y23From, y23To))
		b25 = append(b25, r.mean(cShareA, m25From, m25To))
	}
	return Fact{ID: "SF7", Statement: "the leader's enterprise share erodes as a rival's capability catches up",
		Parts: []Part{
			part("leader (OpenAI-like) share 2023 (m48-59)", "45-55%", a23, 0.45, 0.55),
			part("leader share mid-2025 (m75-80)", "25-35%", a25, 0.25, 0.35),
			part("second lab (Anthropic-like) share 2023", "10-15%", b23, 0.10, 0.15),
			part("second lab share mid-2025", "25-40%", b25, 0.25, 0.40),
		}}
}

// SF8: prices fall fast while spend rises.
func SF8(reps []*Rep) Fact {
	var pf, sg []float64
	for _, r := range reps {
		p0, p1 := r.Get(48, cPrice), r.Get(71, cPrice)
		if p0 > 0 && p1 > 0 {
			pf = append(pf, math.Pow(p0/p1, 12.0/23))
		}
		s23, s24 := r.sum(cSpend, 48, 60), r.sum(cSpend, 60, 72)
		if s23 > 0 {
			sg = append(sg, s24/s23)
		}
	}
	return Fact{ID: "SF8", Statement: "prices fall fast while spend rises",
		Parts: []Part{
			part("price index fall per year, Jan 2023 - Dec 2024 (factor)", "4-40x/yr (target 10x)", pf, 4, 40),
			part("enterprise LLM spend 2024 / 2023", ">= 3x", sg, 3, inf),
		}}
}

// SF9: rounds at high multiples with rising valuations (frontier labs,
// rounds from m46; multiples of rounds at ARR >= $0.1B).
func SF9(reps []*Rep) Fact {
	var mult, intv, step []float64
	for _, r := range reps {
		var ms, is, ss []float64
		for i := 0; i < 2; i++ {
			last, lastPost := -1, 0.0
			for m := 0; m < Months; m++ {
				post := r.Get(m, cPost[i])
				if post <= 0 {
					continue
				}
				if m >= marketOpens {
					if mu := r.Get(m, cMult[i]); mu > 0 && r.Get(m, cArr[i]) >= 0.1 {
						ms = append(ms, mu)
					}
					if last >= 0 {
						is = append(is, float64(m-last))
						ss = append(ss, post/lastPost)
					}
				}
				last, lastPost = m, post
			}
		}
		mult = append(mult, stats.MeanInOrder(ms))
		intv = append(intv, stats.MeanInOrder(is))
		step = append(step, stats.MeanInOrder(ss))
	}
	return Fact{ID: "SF9", Statement: "rounds at high revenue multiples, rising valuations",
		Parts: []Part{
			part("round post-money / ARR (frontier labs, from m46), replication mean of round means", "20-50x", mult, 20, 50),
			part("months between rounds", "6-15", intv, 6, 15),
			part("post-money step-up between rounds", "1.9-3x", step, 1.9, 3),
		}}
}

// SF12: frontier labs lose money and depend on rounds.
func SF12(reps []*Rep) Fact {
	var parts []Part
	for i, name := range frontierLabNames {
		for y := 2023; y <= 2025; y++ {
			var ocf []float64
			from := (y - 2019) * 12
			for _, r := range reps {
				ocf = append(ocf, 12*r.mean(cOpcf[i], from, from+12))
			}
			parts = append(parts, part(fmt.Sprintf("%s operating cash flow %d (US$B/yr)", name, y), "< 0", ocf, -inf, -1e-12))
		}
		var rate []float64
		for _, r := range reps {
			n := 0.0
			for m := 48; m < Months; m++ {
				if r.Get(m, cPost[i]) > 0 {
					n++
				}
			}
			rate = append(rate, n/3)
		}
		parts = append(parts, part(fmt.Sprintf("%s primary rounds per year, 2023-2025", name), ">= 1", rate, 1, inf))
	}
	return Fact{ID: "SF12", Statement: "frontier labs lose money and depend on rounds", Parts: parts}
}

// SF13: circular compute spending. Each hyperscaler's investments (months
// <= 59, so the 24-month window is observed) are matched first-in first-out
// with its cloud revenue from labs it has invested in within 24 months of
// each tranche; the statistic is matched revenue / investment, pooled over
// the hyperscalers of a replication.
func SF13(reps []*Rep) Fact {
	var ratio []float64
	for _, r := range reps {
		inv, got := 0.0, 0.0
		for h := 0; h < 3; h++ {
			type tranche struct {
				m    int
				left float64
			}
			var q []tranche
			for m := 0; m < Months; m++ {
				if x := r.Get(m, cInv[h]); x > 0 && m <= 59 {
					q = append(q, tranche{m, x})
					inv += x
				}
				rev := r.Get(m, cPartnerRev[h])
				for i := range q {
					if rev <= 0 {
						break
					}
					if q[i].left <= 0 || m-q[i].m >= 24 {
						continue
					}
					take := math.Min(rev, q[i].left)
					q[i].left -= take
					rev -= take
					got += take
				}
			}
		}
		if inv > 0 {
			ratio = append(ratio, got/inv)
		}
	}
	return Fact{ID: "SF13", Statement: "circular compute spending",
		Parts: []Part{part("share of hyperscaler investment (to m59) returned as the investor's cloud revenue within 24 months (FIFO)", ">= 0.40", ratio, 0.40, inf)}}
}

// Facts measures every tested stylized fact on endogenous replications reps
// and replay-mode replications replay (SF6).
func Facts(reps, replay []*Rep) []Fact {
	return []Fact{SF1(reps), SF2(reps), SF3(reps), SF4(reps), SF5(reps), SF6(reps, replay), SF7(reps), SF8(reps), SF9(reps), SF12(reps), SF13(reps)}
}
