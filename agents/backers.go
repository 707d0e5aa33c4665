package agents

import "math"

// Investors as customers (domain model §3.9; docs/ODD.md, "Investors as
// customers"):
//
//   - Backer purchases. The backer's own products (Copilot-type usage)
//     buy its partner's model along a declared path of token demand,
//     Q_H(t) = backers.mtok x gate_t x backers.mtok_growth^((t - backers.anchor_month)/12)
//     Mtok of fixed-capability workload a month, gate_t the capability
//     gate that opens the enterprise market (a product needs a useful
//     model; no calendar date starts the purchases), paid at the contract
//     price p_c = (1 - backers.discount) x the lab's average price per
//     Mtok this month. They run while the partnership lasts and are paid
//     by the backer to the lab. (Model v1 bought a fixed 8% of the lab's
//     other revenue.)
//   - Portfolio steering. A VC fund decides each month, for each lab it
//     holds, whether to steer its portfolio companies toward the lab next
//     month (the logit's investor-tie term beta_I applies only while it
//     steers). Its objective is its share of the lab's revenue gain less
//     the cost: steer iff stake x T_f x (s1 - s0) > finance.steer_cost,
//     where T_f is the monthly spend of the fund's portfolio buyers, s0
//     the lab's share among them without steering (from this month's
//     shares: if the fund steered, s0 = s/(s + (1 - s) e^beta_I)) and
//     s1 = s0 e^beta_I / (1 - s0 + s0 e^beta_I), the logit's share with
//     the tie term (exact for a multinomial logit over labs; an
//     approximation under the nests and the outside good). The cost
//     (a platform team, introductions, its portfolio companies' goodwill)
//     is paid to the fund's managers the month it decides; a fund without
//     the cash does not steer.

// BackerParams are the declared path of a backer's own-product token
// demand for its partner's model.
type BackerParams struct {
	Mtok        float64 // Mtok/month at AnchorMonth with the gate open
	MtokGrowth  float64 // factor per year
	AnchorMonth int     // month at which Mtok applies (a level, not a start date)
	Discount    float64 // contract price below the lab's average price
}

// backerTokens is Q_H(t), the backer's own-product token demand for its
// partner's model (Mtok/month).
func (w *World) backerTokens(t int) float64 {
	b := &w.S.Backers
	return b.Mtok * w.gate * math.Pow(b.MtokGrowth, float64(t-b.AnchorMonth)/12)
}

// backerPurchase is what lab l's backer's own products pay it in month t
// (US$B/month): Q_H(t) at the contract price.
func (w *World) backerPurchase(l, t int) float64 {
	p := (1 - w.S.Backers.Discount) * w.Labs[l].Price // US$/Mtok
	if !(p > 0) || math.IsInf(p, 1) {
		return 0
	}
	return w.backerTokens(t) * p * 1e-9
}

// tieShares are a lab's share among a fund's portfolio buyers without and
// with the investor-tie term (eb = e^beta_I), in a multinomial logit, from
// its observed share so (observed with the term if steering).
func tieShares(so float64, steering bool, eb float64) (s0, s1 float64) {
	s0 = so
	if steering {
		s0 = so / (so + (1-so)*eb)
	}
	return s0, s0 * eb / (1 - s0 + s0*eb)
}

// steeringState is the funds' steering decisions.
type steeringState struct {
	steer [MaxFunds + 1][MaxLabs]bool // fund (1+f) steers toward lab l this month
	gain  [MaxFunds + 1][MaxLabs]float64
	cost  float64 // this month (US$B)
	total float64 // cumulative (US$B)
	pairs int     // fund x lab pairs steering next month
}

// decideSteering runs every fund's steering decision for next month from
// this month's shares (finance phase).
func (w *World) decideSteering() {
	s := &w.S
	st := &w.steering
	st.cost, st.pairs = 0, 0
	eb := math.Exp(s.Logit.BetaI)
	na, nch := w.numAlt, w.numCh
	var all float64
	for cell := 0; cell < w.numCells; cell++ {
		all += w.cellW[cell]
	}
	for fd := 1; fd <= w.nFunds; fd++ {
		var tw float64
		var x [MaxLabs]float64
		for cell := 0; cell < w.numCells; cell++ {
			cw := w.cellW[cell]
			if cw == 0 || w.cellTie(cell) != fd {
				continue
			}
			tw += cw
			for l := range w.Labs {
				for ch := 0; ch < nch; ch++ {
					x[l] += cw * w.cellShare[cell*na+l*nch+ch]
				}
			}
		}
		f := fd - 1
		for l := range w.Labs {
			was := st.steer[fd][l]
			st.steer[fd][l], st.gain[fd][l] = false, 0
			stake := w.Labs[l].Cap.Stake(w.fundHolder(f))
			if !(tw > 0) || !(all > 0) || stake <= 0 || !w.Labs[l].Active {
				continue
			}
			s0, s1 := tieShares(math.Min(1, x[l]/tw), was, eb)
			g := stake * w.spendTot * tw / all * (s1 - s0)
			st.gain[fd][l] = g
			c := s.Finance.SteerCost
			if g > c && w.ledger.bal[w.accFund(f)] >= c {
				w.ledger.xfer(w.accFund(f), extManagers, c)
				st.steer[fd][l] = true
				st.cost += c
				st.pairs++
			}
		}
	}
	st.total += st.cost
}

// steeringMetrics: the funds' steering decisions.
func (m *metricList) steeringMetrics() {
	m.add(GroupFacts, "steering_pairs", "count", "fund x lab pairs whose fund steers its portfolio buyers toward the lab next month (gain above finance.steer_cost)",
		func(w *World) float64 { return float64(w.steering.pairs) })
	m.add(GroupFacts, "steering_cost", "US$B (cumulative)", "what the funds paid to steer their portfolio buyers",
		func(w *World) float64 { return w.steering.total })
}
