package agents

import "fmt"

// MetricSpec documents one recorded column.
type MetricSpec struct{ Name, Unit, Description string }

// col holds the recorder column index of every metric; filled once from
// metricSpecs at package initialisation.
type colIndex struct {
	modelShare                                                     [numModelGroups]int
	cloudShare                                                     [NumClouds]int
	hhiModel, mhhiModel, hhiCloud                                  int
	spend, adoption, consumerSpend, priceIndex, cs                 int
	independence, surviving, frontierLabs                          int
	vcMOIC, vcTVPI, vcDPI, vcIRR                                   int
	hsCloud, hsCredit, hsResale, hsRevShare, hsStake, hsInv, hsRet [NumHyperscalers]int
	arr, revDirect, revResale, revConsumer, cash, opcf, capab      [2]int
	roundPost, roundMult, contractShare, effShare, backerCompute   [2]int
	nashShare                                                      [2]int
	labRevDirect, labRevResale, labRevConsumer, revSharePaid       int
	conflict, conflictD, conflictL, lagEvents, frontierK           int
	rounds, strategic, renegotiations                              int
	acquisitions, acquihires, blocked, govBlocked, exits           int
	affinityOpenAI, affinityAnthropic, tieLift, backerPurchases    int
	climate                                                        int
}

// Model groups of the model-share columns.
const (
	groupOpenAI = iota
	groupAnthropic
	groupGoogle
	groupOpenWeight
	groupOther
	numModelGroups
)

var modelGroupNames = [numModelGroups]string{"openai", "anthropic", "google", "open_weight", "other"}

var (
	metricSpecs []MetricSpec
	col         colIndex
)

func init() {
	add := func(dst *int, name, unit, desc string) {
		*dst = len(metricSpecs)
		metricSpecs = append(metricSpecs, MetricSpec{name, unit, desc})
	}
	for g, n := range modelGroupNames {
		add(&col.modelShare[g], "model_share_"+n, "fraction", "share of enterprise LLM spend on "+n+" models (all channels); the five model_share columns sum to 1")
	}
	for c, n := range cloudNames {
		add(&col.cloudShare[c], "cloud_share_"+n, "fraction", "share of cloud revenue (base + AI compute + model hosting and resale) of "+n+"; the four sum to 1")
	}
	add(&col.hhiModel, "hhi_model", "HHI points (0-10,000)", "Herfindahl index of enterprise LLM spend shares by lab (open-weight labs separately)")
	add(&col.mhhiModel, "mhhi_model", "HHI points (0-10,000)", "modified HHI of the model market with hyperscaler cross-holdings (O'Brien-Salop); the plain HHI in a month where a lab's controllers hold none of its profits")
	add(&col.hhiCloud, "hhi_cloud", "HHI points (0-10,000)", "Herfindahl index of cloud revenue shares (other clouds treated as one firm)")
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
	for h, n := range cloudNames[:NumHyperscalers] {
		add(&col.hsCloud[h], "hs_cloud_revenue_"+n, "US$B/month", "cloud revenue of "+n+" (base + lab compute incl. credits and leakage + open-weight hosting)")
		add(&col.hsCredit[h], "hs_credit_revenue_"+n, "US$B/month", "part of "+n+"'s cloud revenue paid with its own investment credits")
		add(&col.hsResale[h], "hs_resale_revenue_"+n, "US$B/month", "model resale revenue kept by "+n+" (after reciprocal and marketplace payouts)")
		add(&col.hsRevShare[h], "hs_revshare_in_"+n, "US$B/month", "revenue-share, profit-waterfall and leakage payments received by "+n)
		add(&col.hsStake[h], "hs_stake_value_"+n, "US$B", "mark of "+n+"'s lab stakes at last post-money")
		add(&col.hsInv[h], "hs_investment_"+n, "US$B/month", "strategic investment by "+n+" this month (cash + credits)")
		add(&col.hsRet[h], "hs_partner_cloud_revenue_"+n, "US$B/month", "cloud revenue of "+n+" from labs it has invested in (SF13 circularity)")
	}
	for i, n := range []string{"openai", "anthropic"} {
		add(&col.arr[i], "arr_"+n, "US$B", "annualised revenue run-rate, 12 x monthly revenue")
		add(&col.revDirect[i], "rev_direct_"+n, "US$B/month", "direct API revenue")
		add(&col.revResale[i], "rev_resale_"+n, "US$B/month", "revenue from resale and marketplace channels (reciprocal share, marketplace payout, backer purchases)")
		add(&col.revConsumer[i], "rev_consumer_"+n, "US$B/month", "consumer subscription revenue")
		add(&col.cash[i], "cash_"+n, "US$B", "cash (excluding unspent credits)")
		add(&col.opcf[i], "opcf_"+n, "US$B/month", "operating cash flow: revenue - burn - revenue-share payments")
		add(&col.capab[i], "capability_"+n, "K units", "deployed capability index on the direct channel")
		add(&col.roundPost[i], "round_post_"+n, "US$B", "post-money of a primary round this month (0 if none)")
		add(&col.roundMult[i], "round_multiple_"+n, "x ARR", "post-money / ARR of a round this month (0 if none or ARR = 0)")
		add(&col.contractShare[i], "contract_share_"+n, "fraction", "contracted revenue share to the main backer (0 without a backer)")
		add(&col.effShare[i], "effective_share_"+n, "fraction", "revenue share, profit-waterfall and leakage payments / revenue (0 without revenue)")
		add(&col.nashShare[i], "nash_share_"+n, "fraction", "current Nash revenue share (clamped) the backer could obtain")
		if i == 0 {
			add(&col.backerCompute[i], "backer_compute_share", "fraction", "share of the OpenAI-like lab's compute on its main backer's cloud (0 without a backer)")
		} else {
			add(&col.backerCompute[i], "backer_compute_share_"+n, "fraction", "share of the lab's compute on its largest hyperscaler investor's cloud")
		}
	}
	add(&col.labRevDirect, "lab_rev_direct", "US$B/month", "all labs' direct API revenue")
	add(&col.labRevResale, "lab_rev_resale", "US$B/month", "all labs' revenue from resale/marketplace channels")
	add(&col.labRevConsumer, "lab_rev_consumer", "US$B/month", "all labs' consumer revenue")
	add(&col.revSharePaid, "revenue_share_paid", "US$B/month", "revenue-share + profit-waterfall + leakage payments from labs to backers")
	add(&col.conflict, "conflict_index", "fraction", "share of adopters whose choice set holds both channels of a model and who saw disparagement or a release lag this quarter")
	add(&col.conflictD, "conflict_disparagement", "utils", "disparagement d chosen by the OpenAI-like lab's backer")
	add(&col.conflictL, "conflict_lag", "months", "release lag L the OpenAI-like lab sets for its backer's channel")
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
	add(&col.affinityOpenAI, "affinity_gap_openai", "fraction", "P(OpenAI-like | primary = its backer cloud) - P(OpenAI-like | other primary), spend-weighted")
	add(&col.affinityAnthropic, "affinity_gap_anthropic", "fraction", "same for the Anthropic-like lab and its largest hyperscaler investor")
	add(&col.tieLift, "tie_lift", "ratio", "share of tied labs among VC-tied buyers / among untied buyers (SF5; 0 if undefined)")
	add(&col.backerPurchases, "backer_purchases_openai", "US$B/month", "backer-as-customer purchases from the OpenAI-like lab")
	add(&col.climate, "funding_climate", "index", "funding-climate index (1 = neutral) multiplying round multiples")
}

// Metrics returns the recorded columns in a stable order, the same for
// every scenario. Units: fractions in [0,1], US$B for stocks, US$B/month
// for flows, HHI points for concentration.
func Metrics() []MetricSpec { return append([]MetricSpec(nil), metricSpecs...) }

func metricNames() []string {
	out := make([]string, len(metricSpecs))
	for i, m := range metricSpecs {
		out[i] = m.Name
	}
	return out
}

// MetricIndex returns the column index of a metric name.
func MetricIndex(name string) (int, error) {
	for i, m := range metricSpecs {
		if m.Name == name {
			return i, nil
		}
	}
	return -1, fmt.Errorf("agents: unknown metric %q", name)
}
