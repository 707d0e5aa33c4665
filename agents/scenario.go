package agents

import (
	"fmt"
	"math"
	"strings"

	"frontiersim/market"
)

// StartYear and StartMonth date month 0 of every run: January 2019.
const StartYear, StartMonth = 2019, 1

// DefaultMonths is the default horizon: Jan 2019 (month 0) to Dec 2025 (month 83).
const DefaultMonths = 84

// ParamSpec documents one scenario parameter. Names are dotted lower_snake
// ("logit.beta_k", "policy.ban_exclusive"). Default, Min and Max bound the
// value; Integer parameters take whole numbers only. Grade is the certainty
// grade of the default (A official/primary, B reputable press, C secondary,
// D model assumption to calibrate), following domain model §5.
type ParamSpec struct {
	Name, Unit, Description, Source string
	Grade                           string
	Default, Min, Max               float64
	Integer                         bool
	// Enum names the values of a categorical parameter (an enumeration or
	// a flag): Enum[k] labels value k. nil for a number.
	Enum []string
}

// ModeParams selects the run mode.
type ModeParams struct {
	// Replay is false for endogenous mode (events arise from the decision
	// rules) and true for historical replay (the world's events injected at
	// their months; the endogenous strategic-investment and funding rules
	// are then off except emergency rounds).
	Replay bool
}

// DriftParams are the exogenous trends of step phase 1.
type DriftParams struct {
	AlgoHalvingMonths   float64 // months for algorithmic efficiency to double effective compute
	GPUPerfPerYear      float64 // GPU FLOP per dollar growth factor per year
	PriceDeclinePerYear float64 // fixed-capability API price decline factor per year (g)
	ClimateRho          float64 // AR(1) persistence of the log funding-climate index, per month
	ClimateSigma        float64 // AR(1) innovation s.d. of the log funding-climate index
	PriceAnchor         float64 // fixed-capability API price at PriceAnchorMonth (US$/Mtok)
	PriceAnchorMonth    int     // month the price path passes PriceAnchor
}

// CapabilityParams map compute to the capability index K (§3.4).
type CapabilityParams struct {
	Kappa               float64 // capability units per 10x effective compute
	Log10FlopPerBUSD    float64 // log10 FLOP bought with US$1B of compute at month 0
	Log10CRef           float64 // log10 reference compute C_ref (FLOP)
	BreakthroughRate    float64 // Poisson rate of breakthroughs per closed lab per month
	BreakthroughMean    float64 // mean jump of K at a breakthrough
	BreakthroughSD      float64 // s.d. of the jump
	ReleaseStep         float64 // K gain of the training run over the deployed model that triggers a release
	OpenWeightLagMonths float64 // open-weight capability lag behind the frontier
	ComputeFraction     float64 // share of a lab's burn spent on compute
	KStar               float64 // frontier K at which half the enterprise market is addressable
	KSigma              float64 // s.d. of the capability gate Phi((K-K*)/sigma)
}

// LabParams are the behaviour parameters common to every lab; the labs
// themselves (governance, founding, cash, burn, brand, ...) are declared by
// the world (Cast).
type LabParams struct {
	CutBurnRunway         float64 // runway (months) below which a lab halves its burn
	OpenWeightPriceFactor float64 // price of self-hosted open weights relative to the cost path
}

// BuyerParams describe the enterprise population.
// The primary-cloud shares of buyers are declared by the world's clouds.
type BuyerParams struct {
	TieShare           float64 // share of buyers that are portfolio companies of one VC fund
	SecurityShare      float64 // share of buyers in the high-security class
	SecurityWeightHigh float64 // multiplier of beta_S for the high-security class
	SecurityWeightLow  float64 // multiplier of beta_S for the low-security class
	SizeSigma          float64 // log-s.d. of buyer size (lognormal, mean 1)
	SpendPerAdopter    float64 // enterprise LLM spend if every buyer had adopted, at month 46 (US$B/month)
	SpendGrowthPerYear float64 // growth factor per year of spend per adopter
	ReviewRate         float64 // monthly probability an adopter re-chooses its main vendor
}

// DemandParams are the demand system of endogenous mode (model-v2 §3.2;
// docs/ODD.md, "Demand, pricing and welfare"): an outside good, absolute
// prices as the US$ bill of the month's workload unit, and the pricing
// period of the Bertrand–Nash game (demand.go, pricing.go).
type DemandParams struct {
	BetaP                 float64 // price coefficient, utils per US$M of the monthly bill, low-security segments, at month 46
	BetaPHighSecurity     float64 // multiplier of BetaP for the high-security segments
	WorkloadMtok          float64 // a size-1 buyer's monthly workload unit at month 46 (Mtok of fixed-capability workload)
	WorkloadGrowthPerYear float64 // growth factor per year of the workload unit (tokens per workload)
	PotentialBuyers       float64 // enterprises the buyer population stands for (size-weighted): the potential demand in workload units
	OutsideIntercept      float64 // utility of the outside good above beta_K x the best open-weight capability (utils)
	PricingPeriod         int     // months between Bertrand–Nash solves (prices are held in between)
	SeamPeriod            int     // months between evaluations of the compute rule's demand seam (its values are held in between)
	CloudReviewRate       float64 // monthly probability an adopter reviews its primary cloud (endogenous mode)
	CloudSwitchingCost    float64 // utility cost of moving to another primary cloud (egress, migration), before policy.cloud_switching_cost_multiplier
}

// PriceParams bound the labs' logit markups over the cost path (phase 3).
type PriceParams struct {
	MarkupMin, MarkupMax float64 // clamp of the markup ratio
	MarkupShareCap       float64 // largest own share the markup rule uses (keeps it finite)
}

// SecurityParams are the security scores of the channels in the buyers'
// utility (§3.2): a model bought on a cloud inherits its enterprise
// controls; a lab's direct API scores lower until enterprise offerings.
type SecurityParams struct {
	Cloud            float64 // score of a cloud channel
	Direct           float64 // score of a direct channel before EnterpriseMonth
	DirectEnterprise float64 // score of a direct channel from EnterpriseMonth
	EnterpriseMonth  int     // month of the labs' enterprise offerings
}

// BassParams are the Bass coefficients per year (§3.3) and the price
// response of the generalized Bass model (endogenous mode).
type BassParams struct {
	P, Q          float64
	PriceResponse float64 // |beta| of x(t) = 1 - |beta| dln P_t (Bass, Krishnan & Jain 1994): a 1% real price fall raises the adoption hazard by |beta|%
}

// LogitParams are the vendor-choice coefficients (§3.2).
type LogitParams struct {
	BetaK, BetaP, BetaS, BetaA, BetaI, Gamma, Lambda float64
}

// ConsumerParams drive the consumer subscription channel.
type ConsumerParams struct {
	Base          float64 // consumer AI subscription spend at month 46 when gated in (US$B/month)
	GrowthPerYear float64 // growth factor per year
}

// CloudParams describe clouds and lab compute procurement (§3.7); the
// clouds themselves (base shares, growth, own-model gaps, capacity and price
// factors) are declared by the world.
type CloudParams struct {
	BaseRevenue      float64 // non-AI cloud revenue of all clouds at month 0 (US$B/month)
	Margin           float64 // cloud gross margin on compute
	Capacity0        float64 // AI capacity per hyperscaler at month 0 (US$B/month of compute)
	CapacityGrowth   float64 // capacity growth factor per year
	LabCapacityFrac  float64 // share of a cloud's AI capacity one lab can obtain
	KMig             float64 // migration cost per unit of monthly compute moved to a new cloud (months of spend)
	Eta              float64 // sensitivity of free allocation to relative price
	AdjustRate       float64 // monthly partial-adjustment rate of compute shares
	MarketplaceFee   float64 // cloud's cut of marketplace model sales
	CreditAttraction float64 // utility of a cloud where the lab holds unspent credits
	MarketplaceLag   float64 // months before a new release reaches a marketplace channel
	// compute market of endogenous mode (computemarket.go)
	GPUCapacity0 float64 // capacity offered to labs per cloud at month 0, before its capacity_factor (H100-equivalent GPU-hours per month)
	UnitCapex    float64 // capex per GPU-hour-per-month of new capacity (US$)
	RunningCost  float64 // marginal cost of a GPU-hour sold, before the cloud's price_factor (US$ per GPU-hour)
	LeadTime     int     // months from a capacity order to its delivery
}

// ContractParams are the backer-contract terms (§3.1(g), §5.1).
type ContractParams struct {
	RevenueShare0, Reciprocal   float64
	ProfitBefore, ProfitAfter   float64
	Recoup                      float64
	SMin, SMax                  float64
	ExclusivityTerm             int // months a sale of compute exclusivity runs (exclusivity.go)
	ResaleStart, IPLicenceUntil int // months
	ARRThreshold, Band          float64
	HoldMonths                  int
	DurationMonths              float64 // months a bargained contract's flows are valued over
	ResaleTerm                  ResaleTerm
}

// ResaleTerm is the term a non-backer lab × hyperscaler resale agreement
// bargains over (contract.resale_term; agreements.go).
type ResaleTerm int

const (
	// ResaleReciprocalShare: the cloud pays the lab a reciprocal share of
	// its resale revenue and reimburses the lab's serving cost at cost
	// (market.TermReciprocalShare; the default).
	ResaleReciprocalShare ResaleTerm = iota
	// ResaleUnitFee: the cloud pays the lab a per-unit fee on every unit
	// it resells and the lab serves the units at its own cost
	// (market.TermUnitFee with market.ServerLab; reference case N1).
	ResaleUnitFee
)

// BargainingParams are the Nash-bargaining inputs (§3.1(d)).
type BargainingParams struct {
	Phi0, Phi1, Phi2 float64
	RMin, RMax, Tau  float64
	RH               float64
	KSwitchMonths    float64 // lab switching cost k in months of its compute bill at the backer
	DHBase           float64 // backer's disagreement payoff as a share of its benefit B at equal capability
	DHOtherStake     float64 // increase of that share when the backer holds a stake in another lab
}

// ConflictParams are the channel-conflict levers (§3.9).
type ConflictParams struct {
	DMax float64 // disparagement level a backer can choose
	LMax int     // maximum release lag a lab can choose (months)
	// DCost is the backer's convex cost of disparagement: at d it is
	// DCost·(d/DMax)² times its net revenue from the lab's model at d = 0.
	DCost float64
	// LagCost is the lab's convex cost of a release lag: at lag L it is
	// LagCost·(L/LMax)² times its net revenue from its model at L = 0.
	LagCost float64
}

// FinanceParams drive rounds, VC participation and strategic investment (§3.5).
type FinanceParams struct {
	RunwayTrigger                  float64
	RoundMonthsMin, RoundMonthsMax float64
	MinInterval                    float64
	MultipleMedian, MultipleSigma  float64
	MaxNewStake                    float64 // largest stake a round may sell (prices pre-revenue rounds)
	StepUpMin                      float64 // minimum post-money step-up over the last round
	CreditShare                    float64
	InvestGap                      float64 // K gap to the frontier beyond which investors refuse
	BackerTake                     float64 // share of a partner lab's round the backer takes
	FundMaxFrac                    float64 // share of a round one fund takes at most
	FeeRate, Carry                 float64
	ThreatLambda, ThreatTheta      float64
	ShockThreat                    float64 // threat added by a rival's >= ShockMin investment in the last 12 months
	ShockMin                       float64 // investment in a partner that raises rivals' threat (US$B)
	StrategicFrac, StrategicMin    float64
	StrategicMax                   float64 // largest single strategic investment (US$B)
	Covenants                      bool    // leaders require no-rival covenants from their VCs
	AuctionThreshold               float64 // lowest bid (own-model gap plus noise) for an exclusive partnership
	SteerCost                      float64 // a fund's monthly cost of steering its portfolio buyers toward one lab (US$B)
	AuctionNoise                   float64 // s.d. of the bid noise
}

// ComputeParams are the labs' compute rule of endogenous mode (model-v2
// §3.1): the planning horizon and discount rate of the lab's objective, the
// shadow cost of cash, and the owners' budgets of in-house and closed
// parent-funded labs (docs/ODD.md, "Compute and capital").
type ComputeParams struct {
	HorizonMonths      float64 // planning horizon H of the lab's valuation (months)
	DiscountRate       float64 // discount rate r of the lab's valuation (per month)
	RunwayTarget       float64 // runway (months) from which the shadow cost of cash is the round cost
	RoundCost          float64 // cost per dollar raised beyond the dollar (mu at a long runway)
	MuMax              float64 // shadow cost of cash at zero runway
	OwnerEnvelopeShare float64 // an in-house lab's training envelope as a share of its owner's last cloud revenue
	ParentEnvelope     float64 // a closed parent-funded lab's training envelope (US$B/month)
	PriceSensitivity   float64 // labs' logit sensitivity to the compute price (per US$ per GPU-hour)
	GPUHourValue       float64 // a lab's value of a GPU-hour over its outside option, above the price it expects (US$ per GPU-hour)
	TakeOrPay          float64 // share of a hyperscaler's strategic investment the lab commits to spend on its compute (take-or-pay)
	TakeOrPayMonths    float64 // months over which a take-or-pay commitment is spent, in equal monthly minimums
}

// InferenceParams are the compute per workload unit served (model-v2 §3.1,
// market.InferenceCompute) and the reference price of a GPU-hour that fixes
// the FLOP of a GPU-hour (computemarket.go).
type InferenceParams struct {
	GPUHoursPerMtok   float64 // H100-equivalent GPU-hours per Mtok of fixed-capability workload at AnchorMonth
	AnchorMonth       float64 // month at which GPUHoursPerMtok and GPUHourPrice hold
	EfficiencyPerYear float64 // factor by which the compute per workload unit falls per year
	GPUHourPrice      float64 // reference price of a GPU-hour that fixes FLOP per GPU-hour (US$ per H100-equivalent GPU-hour)
	FixedUnitCost     float64 // > 0: a lab's marginal serving cost per workload unit in the pricing game, fixed (US$M per workload unit); 0: from its compute
}

// CapitalParams are the finite capital of endogenous mode (model-v2 §3.1,
// market.Fund, market.InvestorPool, market.AllocateRound).
type CapitalParams struct {
	FundHurdle           float64 // funds' required expected MOIC (x)
	FundReserveRatio     float64 // US$ held back for follow-ons per US$ of a first investment
	FundMaxDealShare     float64 // largest share of a fund's committed capital in one lab
	ExitGrowth           float64 // investors' expected exit value over the round's value at the multiple (x)
	PoolBase             float64 // other investors' supply at a neutral climate and flat returns (US$B/month)
	PoolAdjust           float64 // partial-adjustment speed of the pool toward its target (per month)
	PoolReturnElasticity float64 // elasticity of the pool's target to the sector's trailing gross return
	PoolMultipleFull     float64 // post-money multiple of ARR up to which the whole pool is offered (x, climate 1)
	PoolMultipleNone     float64 // post-money multiple of ARR from which nothing is offered (x, climate 1)
	FloorPre             float64 // lowest pre-money a lab accepts in a down round, as a share of the asked one
	MinRaise             float64 // smallest round a lab closes, as a share of the asked amount
}

// AcquisitionParams drive M&A attempts (§3.6).
type AcquisitionParams struct {
	Lambda0, Theta1, Theta2, Theta3 float64
	Premium                         float64 // replay mode's price: last post-money x (1 + premium)
	AcquiHireRunway                 float64
	// the valued decision of endogenous mode (ma.go): the buyer's horizon
	// and monthly discount rate, the target's weight in the split of the
	// gain, the cost of an acquisition's review and integration, the cost
	// of hiring a team, and the capability gap that makes a lab weak
	HorizonMonths, DiscountRate float64
	TargetWeight                float64
	DealCost, HireCost          float64 // US$B
	WeakGap                     float64 // K units
}

// AntitrustParams are the regulator's screen.
type AntitrustParams struct {
	Regime market.GuidelineRegime // 2023, 2010 or 1997 Guidelines
	PRebut float64
	// Jurisdiction selects the control rule and jurisdiction tests
	// (control.go); UKShare and EUShare are the shares of every party's
	// turnover earned in the UK and the EU.
	Jurisdiction     Jurisdiction
	UKShare, EUShare float64
}

// PolicyParams are the levers of §7.1 (baseline: all off).
type PolicyParams struct {
	RevenueShareCap         float64 // cap on backer revenue shares; 1 = no cap
	Leakage                 float64 // lambda_leak: share of the capped surplus recovered through the compute price
	BanExclusive            ExclusivityBan
	MergerControl           bool // block vertical acquisitions, quasi-mergers and stakes above StakeThreshold
	StakeThreshold          float64
	SwitchingCostMultiplier float64 // psi: multiplies vendor switching cost gamma and cloud migration cost
	BanCovenants            bool    // no-rival covenants are void
	// CloudSwitchingCostMultiplier multiplies the buyers' cost of moving
	// their primary cloud (demand.cloud_switching_cost), separate from psi
	CloudSwitchingCostMultiplier float64
}

// ExclusivityBan is the ban on exclusive deals (policy.ban_exclusive).
type ExclusivityBan int

const (
	BanNone    ExclusivityBan = iota // no ban
	BanCompute                       // no compute exclusivity or right of first refusal
	BanAPI                           // no API exclusivity
	BanBoth                          // both
)

// Compute reports whether the ban covers compute exclusivity and the ROFR.
func (b ExclusivityBan) Compute() bool { return b == BanCompute || b == BanBoth }

// API reports whether the ban covers API exclusivity.
func (b ExclusivityBan) API() bool { return b == BanAPI || b == BanBoth }

// Scenario holds every parameter of a run: the model's behaviour
// parameters (the structs below) and the world it runs (its Cast: the
// agents, their declared attributes and parameters, the events of
// historical replay). Copies of a Scenario share the cast; Set copies it
// before changing a world parameter, so a copy never changes another.
type Scenario struct {
	Mode        ModeParams
	Drift       DriftParams
	Capability  CapabilityParams
	Labs        LabParams
	Prices      PriceParams
	Security    SecurityParams
	Buyers      BuyerParams
	Bass        BassParams
	Logit       LogitParams
	Consumer    ConsumerParams
	Cloud       CloudParams
	Contract    ContractParams
	Bargaining  BargainingParams
	Conflict    ConflictParams
	Finance     FinanceParams
	Compute     ComputeParams
	Inference   InferenceParams
	Capital     CapitalParams
	Acquisition AcquisitionParams
	Governance  GovernanceParams
	Backers     BackerParams
	Antitrust   AntitrustParams
	Policy      PolicyParams
	Remedies    RemedyParams
	Demand      DemandParams
	cast        *Cast
}

// paramDef is one behaviour parameter: its specification and how to read
// and write its field, whatever the field's type (float64, int, bool or an
// enum): set receives a value already checked against the specification.
type paramDef struct {
	spec ParamSpec
	get  func(*Scenario) float64
	set  func(*Scenario, float64)
}

func p(name, unit, grade, source, desc string, min, max float64, ptr func(*Scenario) *float64) paramDef {
	return paramDef{ParamSpec{Name: name, Unit: unit, Grade: grade, Source: source, Description: desc, Min: min, Max: max},
		func(s *Scenario) float64 { return *ptr(s) }, func(s *Scenario, v float64) { *ptr(s) = v }}
}

// whole is a parameter taking whole numbers, held in an int field.
func whole(name, unit, grade, source, desc string, min, max float64, ptr func(*Scenario) *int) paramDef {
	return paramDef{ParamSpec{Name: name, Unit: unit, Grade: grade, Source: source, Description: desc, Min: min, Max: max, Integer: true},
		func(s *Scenario) float64 { return float64(*ptr(s)) }, func(s *Scenario, v float64) { *ptr(s) = int(v) }}
}

// flag is an on/off parameter (0 or 1), held in a bool field.
func flag(name, grade, source, desc string, ptr func(*Scenario) *bool) paramDef {
	return paramDef{ParamSpec{Name: name, Unit: "flag", Grade: grade, Source: source, Description: desc, Min: 0, Max: 1, Integer: true, Enum: []string{"false", "true"}},
		func(s *Scenario) float64 {
			if *ptr(s) {
				return 1
			}
			return 0
		}, func(s *Scenario, v float64) { *ptr(s) = v == 1 }}
}

// enum is a parameter taking the values 0..len(labels)-1 of an
// enumeration, labels[k] naming value k.
func enum[E ~int](name, grade, source, desc string, labels []string, ptr func(*Scenario) *E) paramDef {
	return paramDef{ParamSpec{Name: name, Unit: "enum", Grade: grade, Source: source, Description: desc, Min: 0, Max: float64(len(labels) - 1), Integer: true, Enum: labels},
		func(s *Scenario) float64 { return float64(*ptr(s)) }, func(s *Scenario, v float64) { *ptr(s) = E(int(v)) }}
}

// paramDefs is the one table of parameters: names, units, grades, sources,
// ranges and where each lives in Scenario. Defaults come from DefaultScenario.
var paramDefs = []paramDef{
	flag("mode.replay", "D", "architecture", "0 endogenous mode (default experiment), 1 historical replay of the world's events", func(s *Scenario) *bool { return &s.Mode.Replay }),

	p("drift.algo_halving_months", "months", "A", "Ho et al. 2024 (95% CI 5-14)", "compute for fixed performance halves every this many months", 3, 24, func(s *Scenario) *float64 { return &s.Drift.AlgoHalvingMonths }),
	p("drift.gpu_perf_per_year", "factor/yr", "A", "Hobbhahn & Besiroglu 2022 (2.46-yr doubling)", "GPU FLOP per dollar growth per year", 1, 3, func(s *Scenario) *float64 { return &s.Drift.GPUPerfPerYear }),
	p("drift.price_decline_per_year", "factor/yr", "B", "a16z LLMflation; Epoch (sensitivity 4-40)", "fixed-capability API price falls by this factor per year", 1, 100, func(s *Scenario) *float64 { return &s.Drift.PriceDeclinePerYear }),
	p("drift.climate_rho", "1/month", "D", "assumption", "AR(1) persistence of the log funding-climate index", 0, 0.99, func(s *Scenario) *float64 { return &s.Drift.ClimateRho }),
	p("drift.climate_sigma", "log units", "D", "assumption", "innovation s.d. of the log funding-climate index", 0, 1, func(s *Scenario) *float64 { return &s.Drift.ClimateSigma }),
	p("drift.price_anchor", "US$ per Mtok", "C", "GPT-3 API pricing at general availability, Nov 2021 (order of magnitude)", "fixed-capability API price at drift.price_anchor_month (the level of the cost path)", 0.01, 10000, func(s *Scenario) *float64 { return &s.Drift.PriceAnchor }),
	whole("drift.price_anchor_month", "month", "A", "GPT-3 API general availability, Nov 2021", "month the cost path passes drift.price_anchor", 0, 1000, func(s *Scenario) *int { return &s.Drift.PriceAnchorMonth }),

	p("capability.kappa", "K units per 10x", "D", "domain model §3.4", "capability units per 10x of effective compute", 0.1, 5, func(s *Scenario) *float64 { return &s.Capability.Kappa }),
	p("capability.log10_flop_per_busd", "log10 FLOP per US$B", "C", "GPT-3 cost (~US$4.6M for 3e23 FLOP) with utilisation", "FLOP bought with US$1B of compute at month 0", 22, 28, func(s *Scenario) *float64 { return &s.Capability.Log10FlopPerBUSD }),
	p("capability.log10_cref", "log10 FLOP", "B", "domain model §3.4 (GPT-3)", "reference compute C_ref", 20, 26, func(s *Scenario) *float64 { return &s.Capability.Log10CRef }),
	p("capability.breakthrough_rate", "1/month", "D", "domain model §7.3 (1 per 9 months)", "Poisson rate of capability breakthroughs per closed lab", 0, 1, func(s *Scenario) *float64 { return &s.Capability.BreakthroughRate }),
	p("capability.breakthrough_mean", "K units", "D", "domain model §7.3", "mean breakthrough jump", 0, 2, func(s *Scenario) *float64 { return &s.Capability.BreakthroughMean }),
	p("capability.breakthrough_sd", "K units", "D", "domain model §7.3", "s.d. of the breakthrough jump", 0, 1, func(s *Scenario) *float64 { return &s.Capability.BreakthroughSD }),
	p("capability.release_step", "K units", "D", "assumption", "training-run gain over the deployed model that triggers a model release", 0.05, 2, func(s *Scenario) *float64 { return &s.Capability.ReleaseStep }),
	p("capability.open_weight_lag_months", "months", "A", "Epoch ECI Oct 2025 (90% CI 1.1-5.3)", "open-weight models lag the frontier", 0, 24, func(s *Scenario) *float64 { return &s.Capability.OpenWeightLagMonths }),
	p("capability.compute_fraction", "fraction", "C", "Cottier et al. 2024 (chips dominate cost)", "share of a lab's burn spent on compute: in endogenous mode other opex is (1 - fraction)/fraction x last month's compute bill (training + inference)", 0.1, 0.95, func(s *Scenario) *float64 { return &s.Capability.ComputeFraction }),
	p("capability.k_star", "K units", "D", "calibrated: enterprise demand opens at GPT-3.5/4 (Nov 2022)", "frontier K at which half of the enterprise market is addressable", -5, 10, func(s *Scenario) *float64 { return &s.Capability.KStar }),
	p("capability.k_sigma", "K units", "D", "assumption", "s.d. of the capability gate", 0.05, 5, func(s *Scenario) *float64 { return &s.Capability.KSigma }),

	p("labs.cut_burn_runway", "months", "D", "assumption", "runway below which an unfunded lab halves its burn", 0, 24, func(s *Scenario) *float64 { return &s.Labs.CutBurnRunway }),
	p("labs.open_weight_price_factor", "ratio", "D", "self-hosting cost", "price of self-hosted open weights relative to the cost path", 0.05, 5, func(s *Scenario) *float64 { return &s.Labs.OpenWeightPriceFactor }),

	p("prices.markup_min", "ratio to the cost path", "D", "assumption", "lowest markup of a closed lab's API price over the cost path", 1, 100, func(s *Scenario) *float64 { return &s.Prices.MarkupMin }),
	p("prices.markup_max", "ratio to the cost path", "D", "assumption", "highest markup of a closed lab's API price over the cost path", 1, 100, func(s *Scenario) *float64 { return &s.Prices.MarkupMax }),
	p("prices.markup_share_cap", "fraction", "D", "assumption (keeps the logit markup finite)", "largest own share the markup rule 1 + 1/(beta_P (1 - share)) uses", 0, 0.99, func(s *Scenario) *float64 { return &s.Prices.MarkupShareCap }),

	p("security.cloud", "score 0-1", "D", "assumption: a cloud channel inherits the cloud's enterprise controls", "security score of a model bought on a cloud", 0, 1, func(s *Scenario) *float64 { return &s.Security.Cloud }),
	p("security.direct", "score 0-1", "D", "assumption", "security score of a lab's direct API before security.enterprise_month", 0, 1, func(s *Scenario) *float64 { return &s.Security.Direct }),
	p("security.direct_enterprise", "score 0-1", "D", "assumption (ChatGPT Enterprise and its peers)", "security score of a lab's direct API from security.enterprise_month", 0, 1, func(s *Scenario) *float64 { return &s.Security.DirectEnterprise }),
	whole("security.enterprise_month", "month", "A", "ChatGPT Enterprise launch, Aug 2023", "month the labs' direct APIs gain enterprise offerings", 0, 1000, func(s *Scenario) *int { return &s.Security.EnterpriseMonth }),

	p("buyers.tie_share", "fraction", "D", "seed 000 (Sequoia/Thrive portfolio)", "share of buyers that are portfolio companies of a VC fund (split equally)", 0, 0.5, func(s *Scenario) *float64 { return &s.Buyers.TieShare }),
	p("buyers.security_share", "fraction", "D", "assumption", "share of buyers in the high-security class", 0, 1, func(s *Scenario) *float64 { return &s.Buyers.SecurityShare }),
	p("buyers.security_weight_high", "multiplier", "D", "seed 002", "beta_S multiplier of high-security buyers", 0, 10, func(s *Scenario) *float64 { return &s.Buyers.SecurityWeightHigh }),
	p("buyers.security_weight_low", "multiplier", "D", "assumption", "beta_S multiplier of other buyers", 0, 10, func(s *Scenario) *float64 { return &s.Buyers.SecurityWeightLow }),
	p("buyers.size_sigma", "log units", "D", "assumption", "log-s.d. of buyer size (lognormal, mean 1)", 0, 3, func(s *Scenario) *float64 { return &s.Buyers.SizeSigma }),
	p("buyers.spend_per_adopter", "US$B/month", "C", "Menlo: enterprise LLM spend 2023-25 (§5.4)", "enterprise LLM spend if every buyer had adopted, at month 46", 0, 100, func(s *Scenario) *float64 { return &s.Buyers.SpendPerAdopter }),
	p("buyers.spend_growth_per_year", "factor/yr", "C", "a16z 2025 CIO survey (+75%/yr)", "growth of spend per adopter", 0.5, 5, func(s *Scenario) *float64 { return &s.Buyers.SpendGrowthPerYear }),
	p("buyers.review_rate", "1/month", "D", "assumption", "probability an adopter re-chooses its main vendor in a month", 0, 1, func(s *Scenario) *float64 { return &s.Buyers.ReviewRate }),

	p("bass.p", "1/yr", "D", "domain model §3.3 (F(10m)=5%, F(40m)=37%)", "Bass innovation coefficient", 0, 1, func(s *Scenario) *float64 { return &s.Bass.P }),
	p("bass.q", "1/yr", "D", "domain model §3.3", "Bass imitation coefficient", 0, 3, func(s *Scenario) *float64 { return &s.Bass.Q }),
	p("bass.price_response", "per unit dln P", "D", "domain model §3.3; Bass, Krishnan & Jain (1994) generalized Bass model (assumption: 1)", "endogenous mode: the adoption hazard is multiplied by 1 - bass.price_response x the month's change in the log real price of a workload unit (bills at last month's quantities over the budget index)", 0, 20, func(s *Scenario) *float64 { return &s.Bass.PriceResponse }),

	p("logit.beta_k", "utils per K unit", "D", "domain model §3.2", "capability coefficient", 0, 10, func(s *Scenario) *float64 { return &s.Logit.BetaK }),
	p("logit.beta_p", "utils per relative price", "D", "domain model §3.2", "price coefficient on P/P-bar", 0.01, 10, func(s *Scenario) *float64 { return &s.Logit.BetaP }),
	p("logit.beta_s", "utils", "D", "domain model §3.2", "security coefficient", 0, 10, func(s *Scenario) *float64 { return &s.Logit.BetaS }),
	p("logit.beta_a", "utils", "D", "domain model §3.2; seed 002", "cloud-affinity coefficient", 0, 10, func(s *Scenario) *float64 { return &s.Logit.BetaA }),
	p("logit.beta_i", "utils", "D", "domain model §3.2; seed 000", "investor-tie coefficient", 0, 10, func(s *Scenario) *float64 { return &s.Logit.BetaI }),
	p("logit.gamma", "utils", "D", "domain model §3.2", "vendor switching cost (state dependence)", 0, 10, func(s *Scenario) *float64 { return &s.Logit.Gamma }),
	p("logit.lambda", "dimensionless", "D", "domain model §3.2 (sensitivity 0.3-1)", "nest parameter of the cloud nests", 0.05, 1, func(s *Scenario) *float64 { return &s.Logit.Lambda }),

	p("demand.beta_p", "utils per US$M", "D", "assumption: a markup 1/(beta_P(1 - s)) of about US$0.2M on a bill of about US$0.35M per workload unit at month 46 (Lerner about 0.6)", "price coefficient on the US$ bill of the month's workload unit, low-security segments, at month 46 (deflated by buyers.spend_growth_per_year: budgets grow)", 0.01, 1000, func(s *Scenario) *float64 { return &s.Demand.BetaP }),
	p("demand.beta_p_high_security", "multiplier", "D", "assumption (larger, security-sensitive buyers are less price-sensitive)", "multiplier of demand.beta_p for the high-security segments", 0.05, 20, func(s *Scenario) *float64 { return &s.Demand.BetaPHighSecurity }),
	p("demand.workload_mtok", "Mtok per month", "D", "assumption (a large enterprise's monthly LLM workload, order of magnitude)", "a size-1 buyer's monthly workload unit at month 46", 1, 1e9, func(s *Scenario) *float64 { return &s.Demand.WorkloadMtok }),
	p("demand.workload_growth_per_year", "factor/yr", "D", "assumption: drift.price_decline_per_year x buyers.spend_growth_per_year (tokens per workload grow as fast as spend at a falling price per token)", "growth factor per year of the tokens in the month's workload unit", 1, 100, func(s *Scenario) *float64 { return &s.Demand.WorkloadGrowthPerYear }),
	p("demand.potential_buyers", "enterprises", "D", "assumption (large enterprises; Fortune Global 2000 and peers)", "enterprises the buyer population stands for: potential demand in workload units", 1, 1e7, func(s *Scenario) *float64 { return &s.Demand.PotentialBuyers }),
	p("demand.outside_intercept", "utils", "D", "assumption (normalisation: in-house on open weights at the best open-weight capability)", "utility of the outside good (in-house or not buying this month) above beta_K x the best open-weight capability", -20, 20, func(s *Scenario) *float64 { return &s.Demand.OutsideIntercept }),
	p("demand.cloud_review_rate", "1/month", "D", "assumption (an enterprise revisits its primary cloud every few years)", "probability an adopter reviews its primary cloud in a month (endogenous mode)", 0, 1, func(s *Scenario) *float64 { return &s.Demand.CloudReviewRate }),
	p("demand.cloud_switching_cost", "utils", "D", "assumption (egress fees and migration; domain model §3.7)", "utility cost of moving to another primary cloud, times policy.cloud_switching_cost_multiplier", 0, 20, func(s *Scenario) *float64 { return &s.Demand.CloudSwitchingCost }),
	whole("demand.pricing_period", "months", "D", "assumption (quarterly price reviews; model-v2 principle 6)", "months between Bertrand–Nash price solves (prices held in between)", 1, 24, func(s *Scenario) *int { return &s.Demand.PricingPeriod }),
	whole("demand.seam_period", "months", "D", "assumption (model-v2 principle 6: the speed budget; 1 = every month)", "months between evaluations of the compute rule's demand seam (a lab's expected revenue and gain per K unit, held in between)", 1, 24, func(s *Scenario) *int { return &s.Demand.SeamPeriod }),

	p("consumer.base", "US$B/month", "C", "ChatGPT Plus 2023 (§5.2)", "consumer subscription spend at month 46, gated in", 0, 10, func(s *Scenario) *float64 { return &s.Consumer.Base }),
	p("consumer.growth_per_year", "factor/yr", "C", "OpenAI ARR path (§5.2)", "consumer spend growth per year", 0.5, 10, func(s *Scenario) *float64 { return &s.Consumer.GrowthPerYear }),

	p("cloud.base_revenue", "US$B/month", "A", "Synergy 2019 (~US$96B/yr)", "non-AI cloud revenue of all clouds at month 0", 0, 100, func(s *Scenario) *float64 { return &s.Cloud.BaseRevenue }),
	p("cloud.margin", "fraction", "C", "hyperscaler operating margins", "cloud gross margin on compute", 0, 0.9, func(s *Scenario) *float64 { return &s.Cloud.Margin }),
	p("cloud.capacity0", "US$B/month", "D", "assumption", "AI capacity of each cloud at month 0", 0.001, 10, func(s *Scenario) *float64 { return &s.Cloud.Capacity0 }),
	p("cloud.capacity_growth", "factor/yr", "D", "assumption (GPU build-out)", "AI capacity growth per year", 1, 5, func(s *Scenario) *float64 { return &s.Cloud.CapacityGrowth }),
	p("cloud.lab_capacity_frac", "fraction", "D", "assumption", "share of a cloud's AI capacity one lab can obtain", 0.05, 1, func(s *Scenario) *float64 { return &s.Cloud.LabCapacityFrac }),
	p("cloud.k_mig", "months of spend", "D", "domain model §3.7", "migration cost per unit of monthly compute moved to a cloud not yet used", 0, 12, func(s *Scenario) *float64 { return &s.Cloud.KMig }),
	p("cloud.eta", "utils per relative price", "D", "assumption", "price sensitivity of free compute allocation", 0, 50, func(s *Scenario) *float64 { return &s.Cloud.Eta }),
	p("cloud.adjust_rate", "1/month", "D", "assumption (contract terms)", "monthly partial adjustment of compute shares", 0.01, 1, func(s *Scenario) *float64 { return &s.Cloud.AdjustRate }),
	p("cloud.marketplace_fee", "fraction", "C", "cloud marketplace terms", "cloud's cut of marketplace model sales (at least 0.01: a cloud that kept none of a resold model's revenue would have nothing to price it by, and the pricing game needs the reseller to keep a share)", 0.01, 1, func(s *Scenario) *float64 { return &s.Cloud.MarketplaceFee }),
	p("cloud.credit_attraction", "utils", "D", "FTC 6(b): must-spend credits", "allocation utility of a cloud where the lab holds unspent credits", 0, 10, func(s *Scenario) *float64 { return &s.Cloud.CreditAttraction }),
	p("cloud.marketplace_lag", "months", "D", "assumption", "months before a release reaches a marketplace channel", 0, 12, func(s *Scenario) *float64 { return &s.Cloud.MarketplaceLag }),
	p("cloud.gpu_capacity0", "H100-equivalent GPU-hours/month", "D", "assumption: about 14,000 H100-equivalents per hyperscaler offered to AI labs in 2019 (order of magnitude)", "compute capacity each cloud offers labs at month 0, times its capacity_factor (endogenous mode: the supply line's steady state)", 1e3, 1e12, func(s *Scenario) *float64 { return &s.Cloud.GPUCapacity0 }),
	p("cloud.unit_capex", "US$ per GPU-hour/month", "D", "H100 purchase US$25-40k (domain model §5.5) plus data-centre share: about US$50k per installed GPU over 730 hours a month", "capex per GPU-hour-per-month of new capacity, paid by the cloud to its suppliers when it orders", 0, 1000, func(s *Scenario) *float64 { return &s.Cloud.UnitCapex }),
	p("cloud.running_cost", "US$ per GPU-hour", "D", "assumption: power (about 1 kW x PUE 1.3 x US$0.08/kWh, US$0.10) plus hosting, network and operations", "marginal cost of a GPU-hour sold (times the cloud's price_factor): the cost in the clouds' price game, paid to suppliers", 0, 10, func(s *Scenario) *float64 { return &s.Cloud.RunningCost }),
	whole("cloud.lead_time", "months", "D", "model-v2 §3.1 (18-24 months)", "months from a capacity order to its delivery (supply-line rule)", 1, 60, func(s *Scenario) *int { return &s.Cloud.LeadTime }),

	p("contract.revenue_share0", "fraction", "B", "The Information (§5.1)", "revenue share of a new backer contract (replay) and its floor-free start", 0, 1, func(s *Scenario) *float64 { return &s.Contract.RevenueShare0 }),
	p("contract.reciprocal", "fraction", "B", "TechCrunch leaks (§5.1)", "share of the backer's resale revenue paid to the lab (at most 0.99: the backer keeps a share of what it resells, as the pricing game needs)", 0, 0.99, func(s *Scenario) *float64 { return &s.Contract.Reciprocal }),
	p("contract.profit_before", "fraction", "B", "reported Jan 2023", "profit share until recoup", 0, 1, func(s *Scenario) *float64 { return &s.Contract.ProfitBefore }),
	p("contract.profit_after", "fraction", "B", "reported Jan 2023", "profit share after recoup", 0, 1, func(s *Scenario) *float64 { return &s.Contract.ProfitAfter }),
	p("contract.recoup", "US$B", "B", "Microsoft cumulative ~US$13B", "recoup amount of the profit waterfall", 0, 1000, func(s *Scenario) *float64 { return &s.Contract.Recoup }),
	p("contract.s_min", "fraction", "D", "assumption", "lowest admissible bargained revenue share", 0, 1, func(s *Scenario) *float64 { return &s.Contract.SMin }),
	p("contract.s_max", "fraction", "D", "seed 001 (30-49%) as upper bound", "highest admissible bargained revenue share", 0, 1, func(s *Scenario) *float64 { return &s.Contract.SMax }),
	whole("contract.exclusivity_term", "months", "D", "assumption: a multi-year compute agreement (Microsoft-OpenAI 2019-2025 ran about six years)", "endogenous mode: term of a sale of compute exclusivity (and the ROFR with it) to the backer, its annuity horizon and the month it is reviewed again (exclusivity.go); replay mode: the world file's exclusivity_end and rofr_end events", 1, 240, func(s *Scenario) *int { return &s.Contract.ExclusivityTerm }),
	whole("contract.resale_start", "month", "A", "Azure OpenAI Service GA Jan 2023", "month the backer starts reselling its partner's models (replay mode only; in endogenous mode resale is an agreement that forms on its gain from trade)", 0, 1000, func(s *Scenario) *int { return &s.Contract.ResaleStart }),
	whole("contract.ip_licence_until", "month", "A", "IP rights to 2032 (§5.1)", "month the backer's IP licence ends", 0, 1000, func(s *Scenario) *int { return &s.Contract.IPLicenceUntil }),
	p("contract.arr_threshold", "US$B", "C", "seed 001 (US$2B run rate)", "ARR that triggers renegotiation", 0, 1000, func(s *Scenario) *float64 { return &s.Contract.ARRThreshold }),
	p("contract.band", "fraction", "D", "domain model §3.1(e)", "hysteresis band of the Nash-share trigger", 0, 1, func(s *Scenario) *float64 { return &s.Contract.Band }),
	p("contract.duration_months", "months", "D", "assumption (a five-year partnership term; the 2019 and 2023 Microsoft-OpenAI agreements ran for several years)", "months over which a lab × hyperscaler agreement's monthly flows are valued in its Nash-in-Nash bargain (annuity at bargaining.r_h; endogenous mode)", 1, 600, func(s *Scenario) *float64 { return &s.Contract.DurationMonths }),
	enum("contract.resale_term", "D", "assumption (model-v2.md §4, N1 and N2: the two resale contracts of the reference cases)", "term of a non-backer lab × hyperscaler resale agreement (endogenous mode): 0 reciprocal_share (a share of the cloud's resale revenue to the lab, which serves the units and is reimbursed at cost), 1 unit_fee (the cloud pays the lab a fee per unit it resells, the lab serving the units at its own cost)", []string{"reciprocal_share", "unit_fee"}, func(s *Scenario) *ResaleTerm { return &s.Contract.ResaleTerm }),
	whole("contract.hold_months", "months", "D", "domain model §3.1(e)", "months outside the band before renegotiation", 1, 60, func(s *Scenario) *int { return &s.Contract.HoldMonths }),
	p("backers.mtok", "Mtok per month", "C", "seed 000: the backer \"now pays hundreds of millions annually\" (about US$0.2B a year in mid-2024 at the model's price path)", "the backer's own-product token demand for its partner's model at backers.anchor_month with the capability gate open (fixed-capability Mtok)", 0, 1e12, func(s *Scenario) *float64 { return &s.Backers.Mtok }),
	p("backers.mtok_growth", "factor/yr", "D", "assumption: at the model's fixed-capability price path (about 12x cheaper a year) the purchases' value about doubles a year, as the backer's products roll out (Copilot, Bing, Microsoft 365 Copilot, 2022-2024)", "growth of the backer's own-product token demand", 1, 100, func(s *Scenario) *float64 { return &s.Backers.MtokGrowth }),
	whole("backers.anchor_month", "month", "D", "the level's reference month, Jul 2024 (not a start date: the capability gate opens the purchases)", "month at which backers.mtok applies", 0, 1000, func(s *Scenario) *int { return &s.Backers.AnchorMonth }),
	p("backers.discount", "fraction", "D", "assumption: the backer pays its partner's average price", "contract price of the backer's purchases below the lab's average price per Mtok", 0, 1, func(s *Scenario) *float64 { return &s.Backers.Discount }),

	p("bargaining.phi0", "fraction", "D", "domain model §5.6", "revenue lost on leaving the backer, exclusive era", 0, 1, func(s *Scenario) *float64 { return &s.Bargaining.Phi0 }),
	p("bargaining.phi1", "fraction", "D", "domain model §3.1(d)", "fall of phi per unit multi-cloud capacity share", 0, 1, func(s *Scenario) *float64 { return &s.Bargaining.Phi1 }),
	p("bargaining.phi2", "fraction", "D", "domain model §3.1(d)", "fall of phi per unit direct revenue share", 0, 1, func(s *Scenario) *float64 { return &s.Bargaining.Phi2 }),
	p("bargaining.r_min", "1/month", "D", "domain model §3.1(d)", "lab discount rate with long runway", 0, 1, func(s *Scenario) *float64 { return &s.Bargaining.RMin }),
	p("bargaining.r_max", "1/month", "D", "domain model §3.1(d)", "lab discount rate at zero runway", 0, 1, func(s *Scenario) *float64 { return &s.Bargaining.RMax }),
	p("bargaining.tau", "months", "D", "domain model §3.1(d)", "runway scale of impatience", 0.1, 120, func(s *Scenario) *float64 { return &s.Bargaining.Tau }),
	p("bargaining.r_h", "1/month", "D", "domain model §3.1(d)", "backer discount rate", 0.001, 1, func(s *Scenario) *float64 { return &s.Bargaining.RH }),
	p("bargaining.k_switch_months", "months", "D", "domain model §3.7", "lab switching cost k in months of its compute bill at the backer", 0, 24, func(s *Scenario) *float64 { return &s.Bargaining.KSwitchMonths }),
	p("bargaining.dh_base", "fraction", "D", "assumption", "backer's disagreement payoff as a share of its benefit at equal capability", 0, 1, func(s *Scenario) *float64 { return &s.Bargaining.DHBase }),
	p("bargaining.dh_other_stake", "fraction", "D", "seed 001 (diversify)", "increase of that share when the backer holds another lab", 0, 1, func(s *Scenario) *float64 { return &s.Bargaining.DHOtherStake }),

	p("conflict.d_max", "utils", "D", "domain model §4.9", "disparagement level available to a backer", 0, 5, func(s *Scenario) *float64 { return &s.Conflict.DMax }),
	whole("conflict.l_max", "months", "D", "seed 002 (Whisper/ChatGPT API delays)", "longest release lag a lab can choose", 0, 12, func(s *Scenario) *int { return &s.Conflict.LMax }),
	p("conflict.d_cost", "fraction", "D", "assumption", "backer's cost of disparagement at d_max, as a share of its net revenue from the lab's model at d = 0 (convex: × (d/d_max)²)", 0, 10, func(s *Scenario) *float64 { return &s.Conflict.DCost }),
	p("conflict.lag_cost", "fraction", "D", "assumption", "lab's cost of a release lag of l_max, as a share of its net revenue from its model at lag 0 (convex: × (L/l_max)²)", 0, 10, func(s *Scenario) *float64 { return &s.Conflict.LagCost }),

	p("finance.runway_trigger", "months", "D", "domain model §5.6", "months of planned net spend (burn on its growth path, revenue flat) below which a lab's cash triggers a round", 0, 60, func(s *Scenario) *float64 { return &s.Finance.RunwayTrigger }),
	p("finance.round_months_min", "months", "D", "domain model §5.6", "round size, lower bound in months of net burn", 1, 60, func(s *Scenario) *float64 { return &s.Finance.RoundMonthsMin }),
	p("finance.round_months_max", "months", "D", "domain model §5.6", "round size, upper bound in months of net burn", 1, 60, func(s *Scenario) *float64 { return &s.Finance.RoundMonthsMax }),
	p("finance.min_interval", "months", "D", "SF9 intervals 6-15", "minimum months between a lab's rounds", 0, 36, func(s *Scenario) *float64 { return &s.Finance.MinInterval }),
	p("finance.multiple_median", "x ARR", "B", "domain model §4.7, §5.6", "median post-money multiple of ARR", 1, 200, func(s *Scenario) *float64 { return &s.Finance.MultipleMedian }),
	p("finance.multiple_sigma", "log units", "B", "domain model §5.6", "log-s.d. of the multiple", 0, 2, func(s *Scenario) *float64 { return &s.Finance.MultipleSigma }),
	p("finance.max_new_stake", "fraction", "D", "assumption", "largest stake one round sells (prices pre-revenue rounds)", 0.01, 0.9, func(s *Scenario) *float64 { return &s.Finance.MaxNewStake }),
	p("finance.step_up_min", "ratio", "D", "assumption (no down rounds)", "minimum post-money step-up over the last round", 0.1, 5, func(s *Scenario) *float64 { return &s.Finance.StepUpMin }),
	p("finance.credit_share", "fraction", "B", "Semafor; FTC 6(b)", "share of hyperscaler investment paid as cloud credits", 0, 1, func(s *Scenario) *float64 { return &s.Finance.CreditShare }),
	p("finance.invest_gap", "K units", "D", "assumption", "capability gap to the frontier beyond which investors refuse a round", 0, 10, func(s *Scenario) *float64 { return &s.Finance.InvestGap }),
	p("finance.backer_take", "fraction", "D", "Microsoft rounds 2019-23", "share of its partner lab's round the backer takes", 0, 1, func(s *Scenario) *float64 { return &s.Finance.BackerTake }),
	p("finance.fund_max_frac", "fraction", "D", "assumption", "largest share of a round one fund takes", 0, 1, func(s *Scenario) *float64 { return &s.Finance.FundMaxFrac }),
	p("finance.fee_rate", "1/yr", "A", "Metrick & Yasuda (2/20)", "management fee on committed capital", 0, 0.1, func(s *Scenario) *float64 { return &s.Finance.FeeRate }),
	p("finance.steer_cost", "US$B per month", "D", "assumption: a VC platform team's introductions programme, about US$1M a year per lab", "a fund's cost of steering its portfolio companies toward one of its labs for a month; it steers iff its stake x the lab's revenue gain exceeds it", 0, 1, func(s *Scenario) *float64 { return &s.Finance.SteerCost }),
	p("finance.carry", "fraction", "A", "Metrick & Yasuda (2/20)", "carried interest on gains", 0, 0.5, func(s *Scenario) *float64 { return &s.Finance.Carry }),
	p("finance.threat_lambda", "1/month", "D", "domain model §3.5", "hazard scale of strategic investment", 0, 20, func(s *Scenario) *float64 { return &s.Finance.ThreatLambda }),
	p("finance.threat_theta", "share", "D", "domain model §3.5", "threat threshold of strategic investment", 0, 1, func(s *Scenario) *float64 { return &s.Finance.ThreatTheta }),
	p("finance.shock_threat", "share", "D", "SF2 (Jan 2023 -> Sep 2023)", "threat added by a rival's investment of at least finance.shock_min in its partner within 12 months", 0, 2, func(s *Scenario) *float64 { return &s.Finance.ShockThreat }),
	p("finance.strategic_frac", "fraction", "D", "Amazon-Anthropic (§5.3)", "strategic investment as a share of the target's valuation", 0, 1, func(s *Scenario) *float64 { return &s.Finance.StrategicFrac }),
	p("finance.strategic_max", "US$B", "B", "Amazon US$4B tranches (§5.3)", "largest single strategic investment", 0, 1000, func(s *Scenario) *float64 { return &s.Finance.StrategicMax }),
	p("finance.strategic_min", "US$B", "A", "Amazon US$1.25B first tranche", "smallest strategic investment", 0, 100, func(s *Scenario) *float64 { return &s.Finance.StrategicMin }),
	flag("finance.covenants", "B", "FT on OpenAI Oct 2024 round", "1: the leading lab requires no-rival covenants from its VCs", func(s *Scenario) *bool { return &s.Finance.Covenants }),
	p("finance.shock_min", "US$B", "D", "SF2 (a $10B-scale partner investment, Jan 2023)", "investment in its partner lab by which a hyperscaler raises its rivals' threat", 0, 1000, func(s *Scenario) *float64 { return &s.Finance.ShockMin }),
	p("finance.auction_threshold", "K units", "D", "assumption", "lowest bid (own-model gap plus noise) at which a hyperscaler takes part in a capped-profit lab's partnership auction", 0, 10, func(s *Scenario) *float64 { return &s.Finance.AuctionThreshold }),
	p("finance.auction_noise", "K units", "D", "assumption", "s.d. of the noise on the hyperscalers' partnership bids", 0, 5, func(s *Scenario) *float64 { return &s.Finance.AuctionNoise }),

	p("compute.horizon_months", "months", "D", "model-v2 §3.1 (valuation over a planning horizon); assumption: a frontier lab plans about three model generations", "planning horizon H of a lab's valuation in the training-compute rule", 1, 240, func(s *Scenario) *float64 { return &s.Compute.HorizonMonths }),
	p("compute.discount_rate", "1/month", "D", "assumption (about 12%/yr, a venture-backed firm's cost of capital before risk)", "discount rate r of a lab's valuation in the training-compute rule", 0, 0.1, func(s *Scenario) *float64 { return &s.Compute.DiscountRate }),
	p("compute.runway_target", "months", "D", "domain model §3.5 (rounds cover 18-24 months of burn); market.ShadowCostOfCash", "runway from which a lab's shadow cost of cash is the round cost; below it mu rises linearly to compute.mu_max", 1, 60, func(s *Scenario) *float64 { return &s.Compute.RunwayTarget }),
	p("compute.round_cost", "per US$", "D", "market.ShadowCostOfCash prior (0-0.2)", "cost per dollar raised beyond the dollar: the shadow cost of cash at a long runway", 0, 1, func(s *Scenario) *float64 { return &s.Compute.RoundCost }),
	p("compute.mu_max", "per US$", "D", "market.ShadowCostOfCash prior (at zero runway a dollar is worth two)", "shadow cost of cash at zero runway (>= compute.round_cost)", 0, 10, func(s *Scenario) *float64 { return &s.Compute.MuMax }),
	p("compute.owner_envelope_share", "fraction", "D", "assumption (hyperscalers' AI spend a tenth of cloud revenue in 2019-2022)", "an in-house lab's monthly training envelope as a share of its owner's last-month cloud revenue", 0, 1, func(s *Scenario) *float64 { return &s.Compute.OwnerEnvelopeShare }),
	p("compute.parent_envelope", "US$B/month", "D", "assumption", "monthly training envelope a parent outside the market gives a closed parent-funded lab", 0, 100, func(s *Scenario) *float64 { return &s.Compute.ParentEnvelope }),
	p("compute.price_sensitivity", "per US$ per GPU-hour", "D", "assumption: cloud.eta (5 per relative price) at US$2.5 per GPU-hour", "labs' logit sensitivity to the compute price across clouds and the outside option (alpha of the compute market)", 0.01, 100, func(s *Scenario) *float64 { return &s.Compute.PriceSensitivity }),
	p("compute.take_or_pay", "fraction", "D", "assumption: no declared commitment (0); Microsoft-OpenAI and Amazon-Anthropic investments came with compute commitments of undisclosed size (domain model §5.3)", "share of a hyperscaler's strategic investment the lab commits to spend on that hyperscaler's compute, take-or-pay: a monthly minimum paid whatever it uses", 0, 10, func(s *Scenario) *float64 { return &s.Compute.TakeOrPay }),
	p("compute.take_or_pay_months", "months", "D", "assumption (a two-year commitment)", "months over which a take-or-pay commitment is spent, in equal monthly minimums of what is left", 1, 240, func(s *Scenario) *float64 { return &s.Compute.TakeOrPayMonths }),
	p("compute.gpu_hour_value", "US$ per GPU-hour", "D", "assumption", "a lab's value of a GPU-hour over its outside option (buying less this month) in the compute market's logit, above the price it expects (its demand curve passes through its plan at that price)", 0, 100, func(s *Scenario) *float64 { return &s.Compute.GPUHourValue }),

	p("inference.gpu_hours_per_mtok", "H100-eq GPU-hours per Mtok", "D", "assumption: one H100 serving about 17,000 tokens/s of a fixed-capability model (market.InferenceCompute)", "compute to serve one Mtok of fixed-capability workload at inference.anchor_month", 1e-5, 10, func(s *Scenario) *float64 { return &s.Inference.GPUHoursPerMtok }),
	p("inference.anchor_month", "month", "D", "H100 rental in 2024 (domain model §3.4, §5.5)", "month at which inference.gpu_hours_per_mtok and inference.gpu_hour_price hold", 0, 1000, func(s *Scenario) *float64 { return &s.Inference.AnchorMonth }),
	p("inference.efficiency_per_year", "factor/yr", "D", "market.InferenceCompute priors (1.6-7.5, central 2.83); 7.5 keeps the cost in step with the v1 price path (10x/yr over hardware's 1.325x)", "factor by which the compute per fixed-capability workload unit falls per year", 1, 20, func(s *Scenario) *float64 { return &s.Inference.EfficiencyPerYear }),
	p("inference.fixed_unit_cost", "US$M per workload unit", "D", "assumption (model-v2.md §4: the fixed serving cost of reference cases N1 and N2; 0, the default, keeps the compute-based cost)", "endogenous mode: when positive, every lab's marginal cost of a served workload unit in the pricing game, fixed, instead of market.InferenceCost at its expected compute price; the ledger's inference bill stays compute-based, so it is a device for the reference cases' hand-built worlds, not for policy runs", 0, 1000, func(s *Scenario) *float64 { return &s.Inference.FixedUnitCost }),
	p("inference.gpu_hour_price", "US$ per H100-eq GPU-hour", "D", "H100 rental about US$2-3 in 2024 (SemiAnalysis, grade C; domain model §3.4)", "reference price of a GPU-hour: a GPU-hour of month t does the FLOP that US$ gpu_hour_price buys on capability.log10_flop_per_busd's path (the compute market's FLOP per GPU-hour; the clouds set the price paid)", 0.1, 100, func(s *Scenario) *float64 { return &s.Inference.GPUHourPrice }),

	p("capital.fund_hurdle", "x", "D", "market.Fund prior: HurdleMOIC(20%/yr, 5 yr) = 2.49 (Kaplan & Schoar 2005)", "VC funds' required expected MOIC of a deal", 1, 10, func(s *Scenario) *float64 { return &s.Capital.FundHurdle }),
	p("capital.fund_reserve_ratio", "US$ per US$", "D", "market.Fund prior (practitioners 0.5-1)", "dry powder a fund holds back for follow-ons per US$ of a first investment", 0, 3, func(s *Scenario) *float64 { return &s.Capital.FundReserveRatio }),
	p("capital.fund_max_deal_share", "fraction", "D", "market.Fund prior (LPAs cap one company at 10-20%)", "largest share of a fund's committed capital invested in one lab (0: no limit)", 0, 1, func(s *Scenario) *float64 { return &s.Capital.FundMaxDealShare }),
	p("capital.exit_growth", "x", "D", "assumption (investors underwrite frontier labs at several times the round's value)", "investors' expected exit value of a round's equity as a multiple of the lab's value at the median multiple of its expected revenue", 1, 50, func(s *Scenario) *float64 { return &s.Capital.ExitGrowth }),
	p("capital.pool_base", "US$B/month", "D", "market.InvestorPool prior: about a third of generative-AI venture funding (PitchBook: US$29.1B 2023, US$56B 2024)", "other investors' supply per month at a neutral climate and flat returns", 0, 100, func(s *Scenario) *float64 { return &s.Capital.PoolBase }),
	p("capital.pool_adjust", "1/month", "D", "market.InvestorPool prior (a gap halves in 3.8 months)", "speed at which the other investors' pool moves toward its target", 0.01, 1, func(s *Scenario) *float64 { return &s.Capital.PoolAdjust }),
	p("capital.pool_return_elasticity", "elasticity", "D", "market.InvestorPool prior (Gompers & Lerner 1998)", "elasticity of the pool's target to the sector's trailing 12-month gross return", 0, 5, func(s *Scenario) *float64 { return &s.Capital.PoolReturnElasticity }),
	p("capital.pool_multiple_full", "x ARR", "D", "market.InvestorPool prior (closed rounds at 23.6-43.9x, domain model §4.7)", "post-money multiple of ARR up to which the whole pool is offered (at climate 1)", 1, 200, func(s *Scenario) *float64 { return &s.Capital.PoolMultipleFull }),
	p("capital.pool_multiple_none", "x ARR", "D", "market.InvestorPool prior", "post-money multiple of ARR from which the pool offers nothing (at climate 1; >= capital.pool_multiple_full)", 1, 400, func(s *Scenario) *float64 { return &s.Capital.PoolMultipleNone }),
	p("capital.floor_pre", "fraction", "D", "market.RoundAsk prior", "lowest pre-money a lab accepts in a down round, as a share of the asked pre-money", 0.05, 1, func(s *Scenario) *float64 { return &s.Capital.FloorPre }),
	p("capital.min_raise", "fraction", "D", "market.RoundAsk prior", "smallest round a lab closes, as a share of the asked amount (less fails the round)", 0, 1, func(s *Scenario) *float64 { return &s.Capital.MinRaise }),

	p("governance.capped_profit_capital_limit", "US$B", "C", "OpenAI raised about US$14B as a capped-profit (Microsoft 2019-2023); the US$6.6B of Oct 2024 was refundable without a for-profit conversion within two years and the US$40B of Mar 2025 conditional on a restructuring (§5.2)", "cumulative capital (primary rounds and strategic investments) a capped-profit lab can raise; in endogenous mode a round that would take it beyond the limit triggers a restructuring", 0, 1e5, func(s *Scenario) *float64 { return &s.Governance.CappedProfitCapitalLimit }),
	p("governance.pbc_capital_limit", "US$B", "D", "assumption: Anthropic raised about US$30B to 2025 as a public-benefit corporation without restructuring (§5.3)", "cumulative capital a public-benefit lab can raise; in endogenous mode a round beyond it triggers a restructuring", 0, 1e5, func(s *Scenario) *float64 { return &s.Governance.PBCCapitalLimit }),
	p("governance.capped_profit_max_votes", "fraction", "B", "OpenAI LP: the nonprofit's board governs, limited partners (Microsoft, the funds) hold no votes", "largest share of the votes an investor (any holder but the founders) can cast in a capped-profit lab", 0, 1, func(s *Scenario) *float64 { return &s.Governance.CappedProfitMaxVotes }),
	p("governance.pbc_max_votes", "fraction", "D", "assumption: Anthropic's Long-Term Benefit Trust elects a board majority, so no investor controls", "largest share of the votes an investor can cast in a public-benefit lab", 0, 1, func(s *Scenario) *float64 { return &s.Governance.PBCMaxVotes }),
	p("governance.consent_conversion", "ratio", "B", "recapitalisation of 28 Oct 2025: Microsoft's 49% profit interest became about 27% of the for-profit as-converted (27/49 = 0.55; §5.1)", "the backer's consent to a restructuring is bought in equity: its profit share pi ends and its stake becomes max(stake, conversion x pi), the other holders diluted pro rata", 0, 2, func(s *Scenario) *float64 { return &s.Governance.ConsentConversion }),
	p("acquisition.lambda0", "1/month", "D", "domain model §3.6", "base hazard of an acquisition attempt per hyperscaler-lab pair", 0, 1, func(s *Scenario) *float64 { return &s.Acquisition.Lambda0 }),
	p("acquisition.theta1", "per CI unit", "D", "seed 002", "effect of channel conflict on the attempt hazard", 0, 10, func(s *Scenario) *float64 { return &s.Acquisition.Theta1 }),
	p("acquisition.theta2", "per unit dependence", "D", "domain model §3.6", "effect of lab dependence (1 - independence)", 0, 10, func(s *Scenario) *float64 { return &s.Acquisition.Theta2 }),
	p("acquisition.theta3", "per unit risk", "D", "domain model §3.6", "deterrence by antitrust risk", 0, 10, func(s *Scenario) *float64 { return &s.Acquisition.Theta3 }),
	p("acquisition.premium", "fraction", "D", "assumption", "replay mode: premium over the last post-money in an acquisition's price (endogenous mode values the deal)", 0, 3, func(s *Scenario) *float64 { return &s.Acquisition.Premium }),
	p("acquisition.acquihire_runway", "months", "D", "Microsoft-Inflection Mar 2024", "runway below which a lab is weak (endogenous mode: with acquisition.weak_gap; replay: an attempt is then an acqui-hire)", 0, 24, func(s *Scenario) *float64 { return &s.Acquisition.AcquiHireRunway }),
	p("acquisition.horizon_months", "months", "D", "assumption (as compute.horizon_months)", "horizon H over which a buyer values a deal's profits", 1, 240, func(s *Scenario) *float64 { return &s.Acquisition.HorizonMonths }),
	p("acquisition.discount_rate", "1/month", "C", "hyperscalers' cost of capital, about 10%/yr", "buyer's monthly discount rate (continuous)", 0, 0.1, func(s *Scenario) *float64 { return &s.Acquisition.DiscountRate }),
	p("acquisition.target_weight", "fraction", "D", "domain model §3.6 (Nash split)", "beta_T: the target's share of the gain in the price", 0, 1, func(s *Scenario) *float64 { return &s.Acquisition.TargetWeight }),
	p("acquisition.deal_cost", "US$B", "D", "assumption", "cost to the buyer of an acquisition's review and integration", 0, 100, func(s *Scenario) *float64 { return &s.Acquisition.DealCost }),
	p("acquisition.hire_cost", "US$B", "D", "Microsoft-Inflection (about $650M, of which a $30M waiver; team awards not public)", "cost to the buyer of hiring a lab's team in a licence-and-hire deal, paid to the team", 0, 100, func(s *Scenario) *float64 { return &s.Acquisition.HireCost }),
	p("acquisition.weak_gap", "K units", "D", "domain model §7.2 (frontier labs: K >= K_max - 0.5)", "capability gap to the frontier from which a lab with a short runway is weak (licence and hire is open)", 0, 10, func(s *Scenario) *float64 { return &s.Acquisition.WeakGap }),

	enum("antitrust.regime", "A", "DOJ/FTC Merger Guidelines", "0: 2023 Guidelines, 1: 2010, 2: 1997", []string{"2023", "2010", "1997"}, func(s *Scenario) *market.GuidelineRegime { return &s.Antitrust.Regime }),
	p("antitrust.p_rebut", "probability", "D", "domain model §5.6", "probability a presumption is rebutted", 0, 1, func(s *Scenario) *float64 { return &s.Antitrust.PRebut }),
	enum("antitrust.jurisdiction", "A", "Enterprise Act 2002; EU Merger Regulation; HSR Act", "control rule and jurisdiction tests of merger control: 0 UK, 1 EU, 2 US", []string{"uk", "eu", "us"}, func(s *Scenario) *Jurisdiction { return &s.Antitrust.Jurisdiction }),
	p("antitrust.uk_share", "fraction", "D", "assumption (UK about 3-4% of world GDP)", "share of every party's turnover earned in the UK (jurisdiction tests)", 0, 1, func(s *Scenario) *float64 { return &s.Antitrust.UKShare }),
	p("antitrust.eu_share", "fraction", "D", "assumption (EU about 17% of world GDP)", "share of every party's turnover earned in the EU (jurisdiction tests)", 0, 1, func(s *Scenario) *float64 { return &s.Antitrust.EUShare }),

	p("policy.revenue_share_cap", "fraction", "D", "domain model §7.1 (0.05, 0.10, 0.20)", "cap on backer revenue shares; 1 = off", 0, 1, func(s *Scenario) *float64 { return &s.Policy.RevenueShareCap }),
	p("policy.leakage", "fraction", "D", "domain model §7.1 (waterbed); model-v2.md §3.3 retires it", "sensitivity parameter only (default 0): share of the capped surplus the backer recovers via its compute price; what a cap pushes into other terms comes out of the bargain over them", 0, 1, func(s *Scenario) *float64 { return &s.Policy.Leakage }),
	enum("policy.ban_exclusive", "D", "domain model §7.1", "ban on exclusive deals: 0 off, 1 compute (and ROFR), 2 API, 3 both", []string{"off", "compute", "api", "both"}, func(s *Scenario) *ExclusivityBan { return &s.Policy.BanExclusive }),
	flag("policy.merger_control", "D", "domain model §7.1", "1: the agencies' review (antitrust.jurisdiction's classification and jurisdiction tests; horizontal, vertical and distribution screens) of acquisitions, licence-and-hire deals and hyperscaler stakes; stakes above policy.stake_threshold blocked (replay mode: every vertical deal blocked)", func(s *Scenario) *bool { return &s.Policy.MergerControl }),
	p("policy.stake_threshold", "fraction", "D", "domain model §7.1", "largest hyperscaler stake allowed under merger control", 0, 1, func(s *Scenario) *float64 { return &s.Policy.StakeThreshold }),
	p("policy.switching_cost_multiplier", "multiplier", "D", "domain model §7.1 (psi; EU Data Act)", "psi: multiplies vendor switching cost and cloud migration cost; 1 = baseline", 0, 1, func(s *Scenario) *float64 { return &s.Policy.SwitchingCostMultiplier }),
	p("policy.cloud_switching_cost_multiplier", "multiplier", "D", "model-v2 §3.2 (EU Data Act egress rules)", "multiplies the buyers' cost of moving their primary cloud (demand.cloud_switching_cost; endogenous mode), separate from policy.switching_cost_multiplier; 1 = baseline", 0, 1, func(s *Scenario) *float64 { return &s.Policy.CloudSwitchingCostMultiplier }),
	flag("policy.ban_covenants", "D", "domain model §7.1 (optional)", "1: no-rival covenants are void", func(s *Scenario) *bool { return &s.Policy.BanCovenants }),
	// remedies (control.go)
	flag("policy.nondiscriminatory_compute", "D", "CMA cloud market investigation (2025); EU DMA-style access remedies", "1: a cloud gives its own and its partner labs no priority over rival labs for capacity", func(s *Scenario) *bool { return &s.Remedies.NondiscriminatoryCompute }),
	p("policy.stake_divestiture", "fraction", "D", "divestiture remedies (CMA2, ch. 4)", "largest stake a hyperscaler may keep in an independent lab: it sells the excess to other investors at the last post-money; 1 = off", 0, 1, func(s *Scenario) *float64 { return &s.Remedies.StakeDivestiture }),
	flag("policy.prior_notification", "D", "FTC 6(b) AI partnerships study (Jan 2025)", "1: hyperscaler stakes that give material influence or more must be notified and are reviewed by the screens whatever the jurisdiction's thresholds", func(s *Scenario) *bool { return &s.Remedies.PriorNotification }),
	flag("policy.information_firewall", "D", "behavioural remedies (firewalls)", "1: hyperscalers' information rights in labs are void, and their stakes and revenue shares do not enter their compute prices to those labs", func(s *Scenario) *bool { return &s.Remedies.InformationFirewall }),
}

// defaultCast is the shipped 2019-2025 world, decoded once: the scenario of
// every default run shares it read-only (Scenario.Set copies before it
// changes an attribute), so it is never written after initialisation.
var defaultCast = mustShippedWorld(DefaultWorld)

func mustShippedWorld(name string) *Cast {
	c, err := ShippedWorld(name)
	if err != nil {
		panic(err) // the shipped file is checked by TestShippedWorldDecodes
	}
	return c
}

// DefaultScenario returns the default 2019-2025 scenario of domain model
// §5.6 in endogenous mode: the model's default behaviour parameters and the
// shipped world DefaultWorld (agents/worlds/ai-2019.toml), whose events
// historical replay injects. The D-graded parameters searched by package
// calibration carry the committed calibrated values
// (calibration/calibrated.json; checked by
// calibration.TestDefaultsMatchCalibration; regenerate with make calibrate):
// behaviour parameters here, lab brands and starting compute in the world
// file.
func DefaultScenario() Scenario { return NewScenario(defaultCast) }

// NewScenario returns the scenario of world c with the model's default
// behaviour parameters. c must come from DecodeWorld or ShippedWorld; the
// scenario shares it read-only.
func NewScenario(c *Cast) Scenario {
	return Scenario{
		Mode: ModeParams{Replay: false},
		Drift: DriftParams{AlgoHalvingMonths: 8, GPUPerfPerYear: 1.325, PriceDeclinePerYear: 10, ClimateRho: 0.9, ClimateSigma: 0.05,
			PriceAnchor: 30, PriceAnchorMonth: 34},
		Capability: CapabilityParams{Kappa: 1, Log10FlopPerBUSD: 24, Log10CRef: 23, BreakthroughRate: 1.0 / 9, BreakthroughMean: 0.15, BreakthroughSD: 0.05,
			ReleaseStep: 0.3, OpenWeightLagMonths: 3.5, ComputeFraction: 0.6, KStar: 4.22, KSigma: 0.4},
		Labs:     LabParams{CutBurnRunway: 3, OpenWeightPriceFactor: 0.5},
		Prices:   PriceParams{MarkupMin: 1.2, MarkupMax: 5, MarkupShareCap: 0.9},
		Security: SecurityParams{Cloud: 1, Direct: 0.3, DirectEnterprise: 0.8, EnterpriseMonth: 55},
		Buyers: BuyerParams{TieShare: 0.06, SecurityShare: 0.4,
			SecurityWeightHigh: 2, SecurityWeightLow: 0.5, SizeSigma: 1, SpendPerAdopter: 2, SpendGrowthPerYear: 1.5, ReviewRate: 0.199},
		Bass:     BassParams{P: 0.047, Q: 0.625, PriceResponse: 1},
		Logit:    LogitParams{BetaK: 1.89, BetaP: 1, BetaS: 0.5, BetaA: 1.38, BetaI: 0.5, Gamma: 1, Lambda: 0.5},
		Consumer: ConsumerParams{Base: 0.045, GrowthPerYear: 3.2},
		Cloud: CloudParams{BaseRevenue: 8, Margin: 0.35,
			Capacity0: 0.02, CapacityGrowth: 1.7, LabCapacityFrac: 0.5, KMig: 1, Eta: 5, AdjustRate: 0.15,
			MarketplaceFee: 0.2, CreditAttraction: 1, MarketplaceLag: 1,
			GPUCapacity0: 1e7, UnitCapex: 68, RunningCost: 0.6, LeadTime: 21},
		Contract: ContractParams{RevenueShare0: 0.20, Reciprocal: 0.20, ProfitBefore: 0.75, ProfitAfter: 0.49, Recoup: 13,
			SMin: 0.05, SMax: 0.5, ExclusivityTerm: 36, ResaleStart: 48, IPLicenceUntil: 162,
			ARRThreshold: 2, Band: 0.05, HoldMonths: 6, DurationMonths: 60},
		Bargaining: BargainingParams{Phi0: 0.701, Phi1: 0.772, Phi2: 0.449, RMin: 0.02, RMax: 0.10, Tau: 12, RH: 0.02,
			KSwitchMonths: 0.1, DHBase: 1, DHOtherStake: 0.2},
		Conflict: ConflictParams{DMax: 0.5, LMax: 3, DCost: 0.05, LagCost: 0.05},
		Finance: FinanceParams{RunwayTrigger: 21, RoundMonthsMin: 18, RoundMonthsMax: 24, MinInterval: 6,
			MultipleMedian: 30, MultipleSigma: 0.3, MaxNewStake: 0.5, StepUpMin: 1.2, CreditShare: 0.5, InvestGap: 1.5,
			BackerTake: 0.75, FundMaxFrac: 0.25, FeeRate: 0.02, Carry: 0.2,
			ThreatLambda: 1, ThreatTheta: 0.15, ShockThreat: 0.3, StrategicFrac: 0.05, StrategicMin: 1.25, StrategicMax: 4, Covenants: true,
			ShockMin: 3, AuctionThreshold: 0.5, AuctionNoise: 0.25, SteerCost: 1e-4},
		Compute: ComputeParams{HorizonMonths: 36, DiscountRate: 0.01, RunwayTarget: 18, RoundCost: 0.1, MuMax: 1,
			OwnerEnvelopeShare: 0.1, ParentEnvelope: 1, PriceSensitivity: 2, GPUHourValue: 0.5, TakeOrPay: 0, TakeOrPayMonths: 24},
		Inference: InferenceParams{GPUHoursPerMtok: 0.016, AnchorMonth: 66, EfficiencyPerYear: 7.5, GPUHourPrice: 2.5},
		Capital: CapitalParams{FundHurdle: 2.5, FundReserveRatio: 1, FundMaxDealShare: 0.2, ExitGrowth: 5,
			PoolBase: 1.5, PoolAdjust: 1.0 / 6, PoolReturnElasticity: 1, PoolMultipleFull: 30, PoolMultipleNone: 60,
			FloorPre: 0.7, MinRaise: 0.25},
		Acquisition: AcquisitionParams{Lambda0: 0.01, Theta1: 2, Theta2: 1, Theta3: 2, Premium: 0.3, AcquiHireRunway: 6,
			HorizonMonths: 36, DiscountRate: 0.008, TargetWeight: 0.5, DealCost: 0.1, HireCost: 0.05, WeakGap: 0.5},
		Backers:    BackerParams{Mtok: 3e8, MtokGrowth: 25, AnchorMonth: 66, Discount: 0},
		Governance: GovernanceParams{CappedProfitCapitalLimit: 20, PBCCapitalLimit: 200, CappedProfitMaxVotes: 0, PBCMaxVotes: 0.5, ConsentConversion: 0.55},
		Antitrust:  AntitrustParams{Regime: market.Guidelines2023, PRebut: 0.2, Jurisdiction: JurisdictionUK, UKShare: 0.04, EUShare: 0.18},
		Remedies:   RemedyParams{StakeDivestiture: 1},
		Policy: PolicyParams{RevenueShareCap: 1, Leakage: 0, BanExclusive: BanNone, MergerControl: false, StakeThreshold: 0.2, SwitchingCostMultiplier: 1, BanCovenants: false,
			CloudSwitchingCostMultiplier: 1},
		Demand: DemandParams{BetaP: 8, BetaPHighSecurity: 0.5, WorkloadMtok: 1.5e5, WorkloadGrowthPerYear: 15, PotentialBuyers: 10000,
			OutsideIntercept: -2, PricingPeriod: 3, SeamPeriod: 1, CloudReviewRate: 0.02, CloudSwitchingCost: 2},
		cast: c,
	}
}

// Cast returns a copy of the scenario's world (changing it changes nothing
// in the scenario; the world's parameters are set with Set).
func (s Scenario) Cast() *Cast {
	if s.cast == nil {
		return nil
	}
	return s.cast.deepClone()
}

// Params returns the specification of every parameter of the default
// scenario in a stable order, with Default equal to DefaultScenario's value.
func Params() []ParamSpec { return DefaultScenario().Params() }

// Params returns the specification of every parameter of the scenario in a
// stable order: the model's behaviour parameters, then the parameters its
// world declares. Default is the model's default, or the world file's value.
func (s Scenario) Params() []ParamSpec {
	d := NewScenario(s.cast)
	out := make([]ParamSpec, 0, len(paramDefs)+s.worldParams())
	for _, pd := range paramDefs {
		sp := pd.spec
		sp.Default = pd.get(&d)
		out = append(out, sp)
	}
	if s.cast != nil {
		for _, wp := range s.cast.params {
			out = append(out, wp.spec)
		}
	}
	return out
}

func (s *Scenario) worldParams() int {
	if s.cast == nil {
		return 0
	}
	return len(s.cast.params)
}

// paramIndex returns the index of parameter name in Params, or an error
// naming how many there are.
func (s *Scenario) paramIndex(name string) (int, error) {
	for i, pd := range paramDefs {
		if pd.spec.Name == name {
			return i, nil
		}
	}
	if s.cast != nil {
		for i, wp := range s.cast.params {
			if wp.spec.Name == name {
				return len(paramDefs) + i, nil
			}
		}
	}
	return -1, fmt.Errorf("agents: unknown parameter %q (see agents.Params for the %d names)", name, len(paramDefs)+s.worldParams())
}

// scenarioParamIndex is the index of a behaviour parameter of the model, or -1.
func scenarioParamIndex(name string) int {
	for i, pd := range paramDefs {
		if pd.spec.Name == name {
			return i
		}
	}
	return -1
}

func (s *Scenario) spec(i int) ParamSpec {
	if i < len(paramDefs) {
		return paramDefs[i].spec
	}
	return s.cast.params[i-len(paramDefs)].spec
}

// value returns parameter i.
func (s *Scenario) value(i int) float64 {
	if i < len(paramDefs) {
		return paramDefs[i].get(s)
	}
	wp := &s.cast.params[i-len(paramDefs)]
	return s.cast.attrGet(wp.targets[0])
}

// setValue sets parameter i to v, unchecked. A world parameter copies the
// cast first unless every target already has the value.
func (s *Scenario) setValue(i int, v float64) {
	if i < len(paramDefs) {
		paramDefs[i].set(s, v)
		return
	}
	wp := &s.cast.params[i-len(paramDefs)]
	same := true
	for _, r := range wp.targets {
		if s.cast.attrGet(r) != v {
			same = false
		}
	}
	if same {
		return
	}
	c := s.cast.clone()
	for _, r := range wp.targets {
		c.attrSet(r, v)
	}
	s.cast = c
}

// SetAll sets every parameter by index to values (one per Params entry, in
// order): the one path from a parameter vector to a scenario. It checks
// only the vector's length; NewWorld and Reset validate the scenario
// (ranges and cross-parameter constraints) once. A world whose declared
// parameters all keep their values shares its cast; otherwise the cast is
// copied once.
func (s *Scenario) SetAll(values []float64) error {
	n := len(paramDefs) + s.worldParams()
	if len(values) != n {
		return fmt.Errorf("agents: %d parameter values for %d parameters", len(values), n)
	}
	for i, pd := range paramDefs {
		pd.set(s, values[i])
	}
	copied := false
	for j := range n - len(paramDefs) {
		wp := &s.cast.params[j]
		v := values[len(paramDefs)+j]
		for _, r := range wp.targets {
			if s.cast.attrGet(r) == v {
				continue
			}
			if !copied {
				s.cast, copied = s.cast.clone(), true
			}
			s.cast.attrSet(r, v)
		}
	}
	return nil
}

// Set sets parameter name to v. An unknown name, a value outside the
// parameter's closed range, a non-finite value or a fractional value of an
// integer parameter is an error naming the allowed range.
func (s *Scenario) Set(name string, v float64) error {
	i, err := s.paramIndex(name)
	if err != nil {
		return err
	}
	if err := checkValue(s.spec(i), v); err != nil {
		return err
	}
	s.setValue(i, v)
	return nil
}

func checkValue(sp ParamSpec, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < sp.Min || v > sp.Max {
		return fmt.Errorf("agents: parameter %s = %g out of range: allowed [%g, %g] (%s)", sp.Name, v, sp.Min, sp.Max, sp.Unit)
	}
	if sp.Integer && v != math.Trunc(v) {
		return fmt.Errorf("agents: parameter %s = %g must be a whole number in [%g, %g]", sp.Name, v, sp.Min, sp.Max)
	}
	return nil
}

// Get returns the value of parameter name.
func (s Scenario) Get(name string) (float64, error) {
	i, err := s.paramIndex(name)
	if err != nil {
		return 0, err
	}
	return s.value(i), nil
}

// Validate checks every parameter's range and the cross-parameter
// constraints (shares of a whole summing to at most 1, ordered bounds).
// The world's structure was checked when its file was decoded.
func (s Scenario) Validate() error {
	if s.cast == nil {
		return fmt.Errorf("agents: invalid scenario: no world (use DefaultScenario or NewScenario)")
	}
	var errs []string
	for i, n := 0, len(paramDefs)+s.worldParams(); i < n; i++ {
		if err := checkValue(s.spec(i), s.value(i)); err != nil {
			errs = append(errs, err.Error())
		}
	}
	for _, k := range []string{"buyer_share", "base_share"} {
		sum, rest := 0.0, false
		for _, cl := range s.cast.Clouds {
			v, r := cl.BuyerShare, cl.BuyerRest
			if k == "base_share" {
				v, r = cl.BaseShare, cl.BaseRest
			}
			if r {
				rest = true
			} else {
				sum += v
			}
		}
		if msg := shareSum(k, sum, rest); msg != "" {
			errs = append(errs, msg)
		}
	}
	// ordered bounds: the first parameter must not exceed the second
	for _, o := range []struct {
		lo, hi float64
		what   string
	}{
		{s.Finance.RoundMonthsMin, s.Finance.RoundMonthsMax, "finance.round_months_min > finance.round_months_max"},
		{s.Contract.SMin, s.Contract.SMax, "contract.s_min > contract.s_max"},
		{s.Bargaining.RMin, s.Bargaining.RMax, "bargaining.r_min > bargaining.r_max"},
		{s.Compute.RoundCost, s.Compute.MuMax, "compute.round_cost > compute.mu_max"},
		{s.Capital.PoolMultipleFull, s.Capital.PoolMultipleNone, "capital.pool_multiple_full > capital.pool_multiple_none"},
		{s.Prices.MarkupMin, s.Prices.MarkupMax, "prices.markup_min > prices.markup_max"},
	} {
		if o.lo > o.hi {
			errs = append(errs, o.what)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("agents: invalid scenario: %s", strings.Join(errs, "; "))
	}
	return nil
}
