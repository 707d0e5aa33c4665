package agents

import (
	"fmt"
	"slices"
)

// Maxima of a world, checked when a world file is decoded. They keep the
// buyer arrays one byte per field: a buyer's segment (primary cloud x
// investor tie x security class, at most 8 x 9 x 2 = 144) and main vendor
// (0 or 1+lab, at most 17) fit a uint8.
const (
	MaxLabs   = 16
	MaxClouds = 8
	MaxFunds  = 8
)

// Governance is a lab's governance type (domain model §1, §3.6).
type Governance int

const (
	GovCappedProfit Governance = iota // nonprofit-controlled capped-profit: not acquirable; its first round is a partnership auction
	GovPBC                            // public-benefit corporation with long-term trust: not acquirable
	GovForProfit                      // acquirable
	GovParentOwned                    // owned by a parent outside this market (Meta-like)
	GovInHouse                        // a hyperscaler's own lab
)

var governanceNames = [...]string{"capped_profit", "pbc", "for_profit", "parent_owned", "in_house"}

// String returns the governance's name in world files ("capped_profit", ...).
func (g Governance) String() string {
	if g >= 0 && int(g) < len(governanceNames) {
		return governanceNames[g]
	}
	return fmt.Sprintf("Governance(%d)", int(g))
}

// LabSpec is one lab as a world file declares it ([[labs]]).
type LabSpec struct {
	Name       string // lower_snake identifier; names the lab's metrics (arr_<name>)
	Display    string // display name ("OpenAI-like")
	Governance Governance
	// OpenWeights: the lab releases open weights (self-hosted on any cloud,
	// following the frontier with a lag) instead of a proprietary model.
	OpenWeights bool
	// DirectAPI: an open-weight lab that also sells its model through its
	// own API. Closed independent labs always sell direct; in-house labs
	// sell on their owner's cloud only.
	DirectAPI bool
	Founded   int // month the lab enters the market (0 = Jan 2019)
	// Owner is the cloud (a hyperscaler) that owns an in-house lab, -1 for
	// an independent lab. An owned lab's costs and revenue are consolidated
	// with its owner and its compute runs on its owner's cloud.
	Owner int
	// ParentFunded: a parent outside this market bears the lab's costs:
	// it buys no compute here, raises no rounds, cannot be acquired and
	// never runs out of cash.
	ParentFunded bool
	ConsumerApp  bool // sells consumer subscriptions (a ChatGPT-like app)
	HomeCloud    int  // cloud where the lab's compute starts (its owner's; else the first fringe cloud)
	ShareGroup   string
	Cash0        float64 // cash at founding (US$B)
	Burn0        float64 // burn at founding (US$B/month)
	BurnGrowth   float64 // burn growth factor per year
	Log10C0      float64 // log10 cumulative compute (FLOP) at founding
	Brand        float64 // enterprise brand intercept xi (utils)
	// ConsumerBrand is the consumer-app brand intercept (utils).
	ConsumerBrand float64
	// OpenWeightGap is an open-weight lab's capability gap below the lagged
	// frontier (K units).
	OpenWeightGap float64
	// BoardSize (voting directors) and Turnout (share of the votes usually
	// cast, 0 = all) are the governance the control classification reads
	// (control.go).
	BoardSize int
	Turnout   float64
}

// CloudSpec is one cloud as a world file declares it ([[clouds]]).
type CloudSpec struct {
	Name, Display string
	// Strategic: a hyperscaler (invests in labs, resells and hosts
	// models, bargains, acquires); else part of the non-strategic fringe.
	// Hyperscalers are declared before fringe clouds, so that hyperscaler
	// h is cloud h.
	Strategic bool
	// BuyerShare is the share of buyers with this primary cloud; the cloud
	// with BuyerRest set takes 1 minus the others' shares.
	BuyerShare float64
	BuyerRest  bool
	// BaseShare is the cloud's share of non-AI cloud revenue at month 0;
	// BaseRest as BuyerRest.
	BaseShare float64
	BaseRest  bool
	Growth    float64 // base revenue growth factor per year
	// OwnModelGap is a hyperscaler's own-model capability gap to the
	// frontier (K units).
	OwnModelGap float64
	// OwnModel: in endogenous mode the hyperscaler sells its own models as
	// a product of the demand system, on its own channel, at capability
	// frontier - OwnModelGap with brand intercept 0 (a cloud whose own
	// models are those of an in-house lab declares none).
	OwnModel bool
	// ChannelBrand is the utility a buyer adds to a lab's model bought
	// through this cloud (its resale or hosting) over the same model
	// bought direct (utils; 0 by default: a channel intercept, as the
	// product-specific qualities of reference cases N1 and N2).
	ChannelBrand float64
	// CapacityFactor multiplies the common AI capacity path (cloud.capacity0).
	CapacityFactor float64
	// PriceFactor is the cloud's compute price relative to a hyperscaler's.
	PriceFactor float64
	// StrategicPricing is the weight of the cloud's financial interests in
	// labs (its stakes in them and its revenue shares from them) in its
	// compute prices, in [0, 1]: 1, a strategic hyperscaler (the default);
	// 0, a non-strategic one, which prices compute to every lab it does
	// not own on its own margin alone (docs/ODD.md, "The compute market").
	StrategicPricing float64
}

// FundSpec is one VC fund as a world file declares it ([[funds]]).
type FundSpec struct {
	Name, Display string
	Size          float64 // committed capital (US$B)
	Vintage       int     // month the LPs pay in the committed capital
}

// Partnership is an exclusive backer partnership of historical replay: it
// forms with the cloud's first strategic investment in the lab.
type Partnership struct {
	Lab, Cloud int
	Note       string
}

// EventKind is the kind of a scheduled event.
type EventKind int

const (
	// EventStrategic: hyperscaler Investor invests Amount in Lab at post-money Post
	// (cash plus credits); with a declared partnership it forms the backer contract.
	EventStrategic EventKind = iota
	// EventRound: a VC-led primary round of Amount at Post (funds by
	// participation rule, remainder other investors).
	EventRound
	// EventExclusivityEnd: the lab's compute exclusivity ends (ROFR remains).
	EventExclusivityEnd
	// EventROFREnd: the ROFR ends (recapitalisation): free allocation.
	EventROFREnd
	// EventRestructuring: the lab restructures into Governance (default
	// for-profit): its backer's profit share becomes equity and its backer
	// contract is renegotiated (governance.go).
	EventRestructuring
)

var eventKindNames = [...]string{"strategic", "round", "exclusivity_end", "rofr_end", "restructuring"}

// String returns the kind's name in world files.
func (k EventKind) String() string {
	if k >= 0 && int(k) < len(eventKindNames) {
		return eventKindNames[k]
	}
	return fmt.Sprintf("EventKind(%d)", int(k))
}

// Event is one scheduled partnership or funding event of replay mode.
type Event struct {
	Month    int
	Kind     EventKind
	Lab      int // lab index in the world
	Investor int // cloud index of the investor (EventStrategic), -1 if none
	Amount   float64
	Post     float64
	// Governance is the governance a restructuring event gives the lab.
	Governance Governance
	Note       string
}

// MetricSet says which labs the recorder follows in detail.
type MetricSet struct {
	// Labs get the per-lab series (ARR, revenue by channel, cash,
	// operating cash flow, capability, rounds, contract shares, backer
	// compute share, cloud-affinity gap).
	Labs []int
	// BackerLabs get the series of their backer relationship
	// (disparagement by the backer, release lag, backer purchases).
	BackerLabs []int
}

// Cast is the declared content of a world file: the labs, clouds and funds
// of a world, the partnerships and events of historical replay, the world's
// declared parameters and the labs its metrics follow in detail. A
// Scenario shares its Cast read-only; parameter values change through
// Scenario.Set, which copies the cast first.
type Cast struct {
	Name, Description string
	File              string // the file it was decoded from (for messages)
	Labs              []LabSpec
	Clouds            []CloudSpec
	Funds             []FundSpec
	Partnerships      []Partnership
	Rights            []RightsSpec
	Events            []Event
	Metrics           MetricSet
	params            []worldParam
}

// Hyperscalers is the number of strategic clouds (they come first).
func (c *Cast) Hyperscalers() int {
	n := 0
	for _, cl := range c.Clouds {
		if cl.Strategic {
			n++
		}
	}
	return n
}

// LabIndex returns the index of the lab named name, or -1.
func (c *Cast) LabIndex(name string) int {
	for i := range c.Labs {
		if c.Labs[i].Name == name {
			return i
		}
	}
	return -1
}

// CloudIndex returns the index of the cloud named name, or -1.
func (c *Cast) CloudIndex(name string) int {
	for i := range c.Clouds {
		if c.Clouds[i].Name == name {
			return i
		}
	}
	return -1
}

// FundIndex returns the index of the fund named name, or -1.
func (c *Cast) FundIndex(name string) int {
	for i := range c.Funds {
		if c.Funds[i].Name == name {
			return i
		}
	}
	return -1
}

// clone copies the agents (the slices a parameter can change); events,
// partnerships, parameters and metric sets are shared, never changed.
func (c *Cast) clone() *Cast {
	d := *c
	d.Labs = slices.Clone(c.Labs)
	d.Clouds = slices.Clone(c.Clouds)
	d.Funds = slices.Clone(c.Funds)
	return &d
}

// sameShape reports whether two casts have the same agents (counts and
// names), so that a World sized for one can run the other.
func (c *Cast) sameShape(d *Cast) bool {
	if len(c.Labs) != len(d.Labs) || len(c.Clouds) != len(d.Clouds) || len(c.Funds) != len(d.Funds) {
		return false
	}
	for i := range c.Labs {
		if c.Labs[i].Name != d.Labs[i].Name {
			return false
		}
	}
	for i := range c.Clouds {
		if c.Clouds[i].Name != d.Clouds[i].Name || c.Clouds[i].Strategic != d.Clouds[i].Strategic {
			return false
		}
	}
	for i := range c.Funds {
		if c.Funds[i].Name != d.Funds[i].Name {
			return false
		}
	}
	return true
}

// deepClone copies everything, events and parameters too.
func (c *Cast) deepClone() *Cast {
	d := c.clone()
	d.Partnerships = slices.Clone(c.Partnerships)
	d.Rights = slices.Clone(c.Rights)
	d.Events = slices.Clone(c.Events)
	d.Metrics = MetricSet{Labs: slices.Clone(c.Metrics.Labs), BackerLabs: slices.Clone(c.Metrics.BackerLabs)}
	d.params = slices.Clone(c.params)
	for i := range d.params {
		d.params[i].targets = slices.Clone(c.params[i].targets)
	}
	return d
}

// check reports what in a cast would make a World index out of range: a
// cast from DecodeWorld always passes; it guards casts built by hand.
func (c *Cast) check() error {
	nl, nc, nh, nf := len(c.Labs), len(c.Clouds), c.Hyperscalers(), len(c.Funds)
	switch {
	case nl < 1 || nl > MaxLabs || nc < 1 || nc > MaxClouds || nf > MaxFunds:
		return fmt.Errorf("agents: world %q has %d labs, %d clouds and %d funds: want 1-%d, 1-%d and 0-%d", c.Name, nl, nc, nf, MaxLabs, MaxClouds, MaxFunds)
	}
	for h := range nh {
		if !c.Clouds[h].Strategic {
			return fmt.Errorf("agents: world %q: the hyperscalers must come before the fringe clouds", c.Name)
		}
	}
	for _, l := range c.Labs {
		if l.HomeCloud < 0 || l.HomeCloud >= nc || l.Owner < -1 || l.Owner >= nh {
			return fmt.Errorf("agents: world %q: lab %q has home cloud %d and owner %d", c.Name, l.Name, l.HomeCloud, l.Owner)
		}
	}
	for _, e := range c.Events {
		if e.Lab < 0 || e.Lab >= nl || e.Investor < -1 || e.Investor >= nh || (e.Kind == EventStrategic && e.Investor < 0) {
			return fmt.Errorf("agents: world %q: event %q names lab %d and investor %d", c.Name, e.Note, e.Lab, e.Investor)
		}
	}
	for _, p := range c.Partnerships {
		if p.Lab < 0 || p.Lab >= nl || p.Cloud < 0 || p.Cloud >= nh {
			return fmt.Errorf("agents: world %q: partnership of lab %d with cloud %d", c.Name, p.Lab, p.Cloud)
		}
	}
	if err := c.checkRights(); err != nil {
		return err
	}
	for _, l := range append(slices.Clone(c.Metrics.Labs), c.Metrics.BackerLabs...) {
		if l < 0 || l >= nl {
			return fmt.Errorf("agents: world %q: metrics follow lab %d", c.Name, l)
		}
	}
	return nil
}

// attr is one numeric attribute of an agent kind S: its key in world files,
// unit, admissible range, whether it takes whole numbers, its value when
// the key is absent, and how to read and write it.
type attr[S any] struct {
	key, unit, desc string
	// grade and source of an attribute that is a prior of the model
	// rather than a fact of the world ("": the world file's value, grade C)
	grade, source string
	min, max      float64
	integer       bool
	def           float64
	get           func(*S) float64
	set           func(*S, float64)
}

// prior marks an attribute as a prior of the model: its parameter
// carries grade and source instead of grade C, the world file's value.
func (a attr[S]) prior(grade, source string) attr[S] {
	a.grade, a.source = grade, source
	return a
}

func fattr[S any](key, unit, desc string, min, max, def float64, p func(*S) *float64) attr[S] {
	return attr[S]{key: key, unit: unit, desc: desc, min: min, max: max, def: def,
		get: func(s *S) float64 { return *p(s) }, set: func(s *S, v float64) { *p(s) = v }}
}

func iattr[S any](key, unit, desc string, min, max, def float64, p func(*S) *int) attr[S] {
	return attr[S]{key: key, unit: unit, desc: desc, min: min, max: max, def: def, integer: true,
		get: func(s *S) float64 { return float64(*p(s)) }, set: func(s *S, v float64) { *p(s) = int(v) }}
}

// labAttrs, cloudAttrs and fundAttrs are the numeric attributes of world
// files (a world parameter can set any of them).
var labAttrs = []attr[LabSpec]{
	iattr("founded", "month", "month the lab enters the market", 0, 1000, 0, func(l *LabSpec) *int { return &l.Founded }),
	fattr("cash0", "US$B", "cash at founding", 0, 1000, 0, func(l *LabSpec) *float64 { return &l.Cash0 }),
	fattr("burn0", "US$B/month", "burn at founding", 0, 100, 0, func(l *LabSpec) *float64 { return &l.Burn0 }),
	fattr("burn_growth", "factor/yr", "burn growth per year", 1, 10, 1, func(l *LabSpec) *float64 { return &l.BurnGrowth }),
	fattr("log10_c0", "log10 FLOP", "cumulative compute at founding", 0, 40, 0, func(l *LabSpec) *float64 { return &l.Log10C0 }),
	fattr("brand", "utils", "enterprise brand intercept xi", -10, 10, 0, func(l *LabSpec) *float64 { return &l.Brand }),
	fattr("consumer_brand", "utils", "consumer-app brand intercept", -10, 10, 0, func(l *LabSpec) *float64 { return &l.ConsumerBrand }),
	fattr("open_weight_gap", "K units", "capability gap of an open-weight lab below the lagged frontier", 0, 10, 0, func(l *LabSpec) *float64 { return &l.OpenWeightGap }),
	iattr("board_size", "directors", "voting directors on the lab's board (0: no board declared)", 0, 100, 0, func(l *LabSpec) *int { return &l.BoardSize }),
	fattr("turnout", "fraction", "share of all voting rights usually cast at general meetings (0: all)", 0, 1, 0, func(l *LabSpec) *float64 { return &l.Turnout }),
}

var cloudAttrs = []attr[CloudSpec]{
	fattr("buyer_share", "fraction", "share of buyers with this primary cloud", 0, 1, 0, func(c *CloudSpec) *float64 { return &c.BuyerShare }),
	fattr("base_share", "fraction", "share of non-AI cloud revenue at month 0", 0, 1, 0, func(c *CloudSpec) *float64 { return &c.BaseShare }),
	fattr("growth", "factor/yr", "base cloud revenue growth per year", 0.1, 10, 1, func(c *CloudSpec) *float64 { return &c.Growth }),
	fattr("own_model_gap", "K units", "own-model capability gap to the frontier", 0, 10, 0, func(c *CloudSpec) *float64 { return &c.OwnModelGap }),
	fattr("capacity_factor", "ratio", "AI capacity relative to the common capacity path", 0, 100, 1, func(c *CloudSpec) *float64 { return &c.CapacityFactor }),
	fattr("price_factor", "ratio", "compute price relative to a hyperscaler's", 0.01, 100, 1, func(c *CloudSpec) *float64 { return &c.PriceFactor }),
	fattr("channel_brand", "utils", "utility a buyer adds to a lab's model bought through this cloud (resold or hosted) over the same model bought direct (a channel intercept; model-v2.md §4, N1's product qualities)", -10, 10, 0, func(c *CloudSpec) *float64 { return &c.ChannelBrand }).prior("D", "assumption: 0, no channel preference, unless the world file sets it (model-v2.md §4, N1: a = (1.0, 1.5, 1.2))"),
	fattr("strategic_pricing", "weight", "weight of the cloud's stakes in and revenue shares from labs in its compute prices (1 strategic, 0 its own margin alone)", 0, 1, 1, func(c *CloudSpec) *float64 { return &c.StrategicPricing }),
}

var fundAttrs = []attr[FundSpec]{
	fattr("size", "US$B", "committed capital", 0, 10000, 0, func(f *FundSpec) *float64 { return &f.Size }),
	iattr("vintage", "month", "month the LPs pay in the committed capital", 0, 1000, 0, func(f *FundSpec) *int { return &f.Vintage }),
}

// agentKind names a kind of agent in attribute paths (labs.<name>.<attr>).
type agentKind int

const (
	kindLab agentKind = iota
	kindCloud
	kindFund
)

// attrRef is one attribute of one agent: the target of a world parameter.
type attrRef struct {
	kind  agentKind
	agent int
	attr  int
}

func (c *Cast) attrGet(r attrRef) float64 {
	switch r.kind {
	case kindLab:
		return labAttrs[r.attr].get(&c.Labs[r.agent])
	case kindCloud:
		return cloudAttrs[r.attr].get(&c.Clouds[r.agent])
	default:
		return fundAttrs[r.attr].get(&c.Funds[r.agent])
	}
}

func (c *Cast) attrSet(r attrRef, v float64) {
	switch r.kind {
	case kindLab:
		labAttrs[r.attr].set(&c.Labs[r.agent], v)
	case kindCloud:
		cloudAttrs[r.attr].set(&c.Clouds[r.agent], v)
	default:
		fundAttrs[r.attr].set(&c.Funds[r.agent], v)
	}
}

// attrPath is the path of an attribute in world files and messages.
func (c *Cast) attrPath(r attrRef) string {
	switch r.kind {
	case kindLab:
		return "labs." + c.Labs[r.agent].Name + "." + labAttrs[r.attr].key
	case kindCloud:
		return "clouds." + c.Clouds[r.agent].Name + "." + cloudAttrs[r.attr].key
	default:
		return "funds." + c.Funds[r.agent].Name + "." + fundAttrs[r.attr].key
	}
}

// worldParam is a parameter a world file declares ([[parameters]]): a name
// for one or more agent attributes that share one value, with its
// documentation and range. Setting it sets every target.
type worldParam struct {
	spec    ParamSpec
	targets []attrRef
}
