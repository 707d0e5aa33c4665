package agents

import "fmt"

// MetricSpec documents one recorded column.
type MetricSpec struct{ Name, Unit, Description string }

// colIndex holds the recorder column index of every metric of a world.
// Per-agent columns are indexed like the agents: model shares by share
// group, cloud shares by cloud, hyperscaler series by hyperscaler, lab
// series by position in the world's metrics.labs, backer series by
// position in metrics.backer_labs.
type colIndex struct {
	modelShare                                                     []int
	cloudShare                                                     []int
	hhiModel, mhhiModel, hhiCloud                                  int
	spend, adoption, consumerSpend, priceIndex, cs                 int
	independence, surviving, frontierLabs                          int
	vcMOIC, vcTVPI, vcDPI, vcIRR                                   int
	hsCloud, hsCredit, hsResale, hsRevShare, hsStake, hsInv, hsRet []int
	arr, revDirect, revResale, revConsumer, cash, opcf, capab      []int
	roundPost, roundMult, contractShare, effShare, backerCompute   []int
	nashShare, affinity                                            []int
	conflictD, conflictL, backerPurchases                          []int
	labRevDirect, labRevResale, labRevConsumer, revSharePaid       int
	conflict, lagEvents, frontierK                                 int
	rounds, strategic, renegotiations                              int
	acquisitions, acquihires, blocked, govBlocked, exits           int
	tieLift                                                        int
	climate                                                        int
}

// buildMetrics returns the recorded columns of world c in order and their
// index.
func buildMetrics(c *Cast) ([]MetricSpec, colIndex) {
	var specs []MetricSpec
	var col colIndex
	add := func(dst *int, name, unit, desc string) {
		*dst = len(specs)
		specs = append(specs, MetricSpec{name, unit, desc})
	}
	addTo := func(dst *[]int, name, unit, desc string) {
		*dst = append(*dst, len(specs))
		specs = append(specs, MetricSpec{name, unit, desc})
	}
	var groups []string
	for _, l := range c.Labs {
		if !slicesContains(groups, l.ShareGroup) {
			groups = append(groups, l.ShareGroup)
		}
	}
	for _, g := range groups {
		addTo(&col.modelShare, "model_share_"+g, "fraction", fmt.Sprintf("share of enterprise LLM spend on %s models (all channels); the %d model_share columns sum to 1", g, len(groups)))
	}
	for _, cl := range c.Clouds {
		addTo(&col.cloudShare, "cloud_share_"+cl.Name, "fraction", fmt.Sprintf("share of cloud revenue (base + AI compute + model hosting and resale) of %s; the %d cloud_share columns sum to 1", cl.Name, len(c.Clouds)))
	}
	add(&col.hhiModel, "hhi_model", "HHI points (0-10,000)", "Herfindahl index of enterprise LLM spend shares by lab (open-weight labs separately)")
	add(&col.mhhiModel, "mhhi_model", "HHI points (0-10,000)", "modified HHI of the model market with hyperscaler cross-holdings (O'Brien-Salop)")
	add(&col.hhiCloud, "hhi_cloud", "HHI points (0-10,000)", "Herfindahl index of cloud revenue shares (each fringe cloud treated as one firm)")
	add(&col.spend, "enterprise_spend", "US$B/month", "total enterprise LLM spend")
	add(&col.adoption, "adoption", "fraction", "share of buyers that have adopted (Bass)")
	add(&col.consumerSpend, "consumer_spend", "US$B/month", "consumer subscription spend")
	add(&col.priceIndex, "price_index", "US$ per Mtok, fixed capability", "spend-weighted API price per capability-adjusted unit (falls with drift.price_decline_per_year)")
	add(&col.cs, "consumer_surplus", "US$B/month", "enterprise surplus: spend-weighted nested-logit log-sum / beta_P (Small-Rosen; constant omitted, compare across arms)")
	add(&col.independence, "lab_independence", "index 0-1", "mean over non-in-house labs ever founded and not exited of 1 - max_h[0.4 stake + 0.4 compute share + 0.2 min(1, s/0.5)]; acquired labs count 0")
	add(&col.surviving, "surviving_labs", "count", "independent labs active (founded, not exited, not acquired)")
	add(&col.frontierLabs, "frontier_labs", "count", "active labs with K >= K_frontier - 0.5")
	add(&col.vcMOIC, "vc_moic", "multiple", "pooled gross MOIC of the VC funds' lab deals ((proceeds + mark)/invested; 0 before the first deal)")
	add(&col.vcTVPI, "vc_tvpi", "multiple", "pooled fund TVPI net of 2/20 ((distributions + NAV - carry)/(paid-in incl. fees); 0 before paid-in)")
	add(&col.vcDPI, "vc_dpi", "multiple", "pooled fund DPI (distributions/paid-in)")
	add(&col.vcIRR, "vc_irr", "1/yr", "pooled net IRR per year of fund cash flows with NAV as terminal flow; updated each December and in the last month, carried between; 0 when undefined")
	for _, cl := range c.Clouds {
		if !cl.Strategic {
			continue
		}
		n := cl.Name
		addTo(&col.hsCloud, "hs_cloud_revenue_"+n, "US$B/month", "cloud revenue of "+n+" (base + lab compute incl. credits and leakage + open-weight hosting)")
		addTo(&col.hsCredit, "hs_credit_revenue_"+n, "US$B/month", "part of "+n+"'s cloud revenue paid with its own investment credits")
		addTo(&col.hsResale, "hs_resale_revenue_"+n, "US$B/month", "model resale revenue kept by "+n+" (after reciprocal and marketplace payouts)")
		addTo(&col.hsRevShare, "hs_revshare_in_"+n, "US$B/month", "revenue-share, profit-waterfall and leakage payments received by "+n)
		addTo(&col.hsStake, "hs_stake_value_"+n, "US$B", "mark of "+n+"'s lab stakes at last post-money")
		addTo(&col.hsInv, "hs_investment_"+n, "US$B/month", "strategic investment by "+n+" this month (cash + credits)")
		addTo(&col.hsRet, "hs_partner_cloud_revenue_"+n, "US$B/month", "cloud revenue of "+n+" from labs it has invested in (SF13 circularity)")
	}
	for i, l := range c.Metrics.Labs {
		n := c.Labs[l].Name
		addTo(&col.arr, "arr_"+n, "US$B", "annualised revenue run-rate of "+n+", 12 x monthly revenue")
		addTo(&col.revDirect, "rev_direct_"+n, "US$B/month", "direct API revenue of "+n)
		addTo(&col.revResale, "rev_resale_"+n, "US$B/month", "revenue of "+n+" from resale and marketplace channels (reciprocal share, marketplace payout, backer purchases)")
		addTo(&col.revConsumer, "rev_consumer_"+n, "US$B/month", "consumer subscription revenue of "+n)
		addTo(&col.cash, "cash_"+n, "US$B", "cash of "+n+" (excluding unspent credits)")
		addTo(&col.opcf, "opcf_"+n, "US$B/month", "operating cash flow of "+n+": revenue - burn - revenue-share payments")
		addTo(&col.capab, "capability_"+n, "K units", "deployed capability index of "+n+" on the direct channel")
		addTo(&col.roundPost, "round_post_"+n, "US$B", "post-money of a primary round of "+n+" this month (0 if none)")
		addTo(&col.roundMult, "round_multiple_"+n, "x ARR", "post-money / ARR of a round of "+n+" this month (0 if none or ARR = 0)")
		addTo(&col.contractShare, "contract_share_"+n, "fraction", "contracted revenue share of "+n+" to its main backer (0 without a backer)")
		addTo(&col.effShare, "effective_share_"+n, "fraction", "revenue share, profit-waterfall and leakage payments of "+n+" / its revenue (0 without revenue)")
		addTo(&col.nashShare, "nash_share_"+n, "fraction", "current Nash revenue share (clamped) the backer of "+n+" could obtain")
		name := "backer_compute_share_" + n
		if i == 0 {
			name = "backer_compute_share" // the first lab's series is unsuffixed until the metric renames
		}
		addTo(&col.backerCompute, name, "fraction", "share of the compute of "+n+" on its partner hyperscaler's cloud (its backer, else its largest hyperscaler shareholder; 0 without one)")
	}
	add(&col.labRevDirect, "lab_rev_direct", "US$B/month", "all labs' direct API revenue")
	add(&col.labRevResale, "lab_rev_resale", "US$B/month", "all labs' revenue from resale/marketplace channels")
	add(&col.labRevConsumer, "lab_rev_consumer", "US$B/month", "all labs' consumer revenue")
	add(&col.revSharePaid, "revenue_share_paid", "US$B/month", "revenue-share + profit-waterfall + leakage payments from labs to backers")
	add(&col.conflict, "conflict_index", "fraction", "share of adopters whose choice set holds both channels of a model and who saw disparagement or a release lag this quarter")
	for i, l := range c.Metrics.BackerLabs {
		n := c.Labs[l].Name
		name := "conflict_disparagement_" + n
		if i == 0 {
			name = "conflict_disparagement" // unsuffixed until the metric renames
		}
		addTo(&col.conflictD, name, "utils", "disparagement d chosen by the backer of "+n)
	}
	for i, l := range c.Metrics.BackerLabs {
		n := c.Labs[l].Name
		name := "conflict_lag_" + n
		if i == 0 {
			name = "conflict_lag" // unsuffixed until the metric renames
		}
		addTo(&col.conflictL, name, "months", "release lag L "+n+" sets for its backer's channel")
	}
	add(&col.lagEvents, "release_lag_events", "count (cumulative)", "model releases that reached a backer channel with lag L > 0")
	add(&col.frontierK, "frontier_capability", "K units", "highest deployed capability index")
	add(&col.rounds, "rounds", "count", "primary rounds closed this month")
	add(&col.strategic, "strategic_investment", "US$B/month", "hyperscaler strategic investment this month, all hyperscalers")
	add(&col.renegotiations, "renegotiations", "count (cumulative)", "backer-contract renegotiations")
	add(&col.acquisitions, "acquisitions", "count (cumulative)", "completed acquisitions of labs")
	add(&col.acquihires, "acquihires", "count (cumulative)", "completed acqui-hires (licence + team)")
	add(&col.blocked, "blocked_mergers", "count (cumulative)", "attempts blocked by the antitrust screen or merger control")
	add(&col.govBlocked, "governance_blocks", "count (cumulative)", "attempts blocked by the target's governance")
	add(&col.exits, "exits", "count (cumulative)", "labs that ran out of cash and exited")
	for _, l := range c.Metrics.Labs {
		n := c.Labs[l].Name
		addTo(&col.affinity, "affinity_gap_"+n, "fraction", "P("+n+" | primary cloud = its partner hyperscaler) - P("+n+" | other primary), spend-weighted")
	}
	add(&col.tieLift, "tie_lift", "ratio", "share of tied labs among VC-tied buyers / among untied buyers (SF5; 0 if undefined)")
	for _, l := range c.Metrics.BackerLabs {
		n := c.Labs[l].Name
		addTo(&col.backerPurchases, "backer_purchases_"+n, "US$B/month", "backer-as-customer purchases from "+n)
	}
	add(&col.climate, "funding_climate", "index", "funding-climate index (1 = neutral) multiplying round multiples")
	return specs, col
}

// Metrics returns the recorded columns of the default world in order (see
// World.Metrics for another world). Units: fractions in [0,1], US$B for
// stocks, US$B/month for flows, HHI points for concentration.
func Metrics() []MetricSpec {
	specs, _ := buildMetrics(defaultCast)
	return specs
}

// MetricIndex returns the column index of a metric name of the default world.
func MetricIndex(name string) (int, error) { return metricIndex(Metrics(), name) }

func metricIndex(specs []MetricSpec, name string) (int, error) {
	for i, m := range specs {
		if m.Name == name {
			return i, nil
		}
	}
	return -1, fmt.Errorf("agents: unknown metric %q", name)
}
