package agents

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"frontiersim/engine"
	"frontiersim/market"
)

// Channels and alternatives: a model is sold direct (channel 0) or on a
// cloud (channel 1+c). Alternative a = lab*numCh + channel; after the labs'
// alternatives come the hyperscalers' own models (ownAlt0 + k, sold by
// cloud ownCloud[k] on its channel; endogenous mode). The sizes below
// are the maxima; a world uses its declared counts (see layout).
const (
	chDirect   = 0
	maxCh      = 1 + MaxClouds
	maxAlt     = MaxLabs*maxCh + MaxClouds
	maxNests   = MaxClouds + 1
	maxHolders = 2 + MaxClouds + MaxFunds // founders, hyperscalers, funds, others
	firstMonth = 46                       // Nov 2022, ChatGPT: anchor of demand growth paths
)

// Cap-table holders: founders and employees (0), the hyperscalers
// (holderH0 + h), the funds, then other investors.
const (
	holderFounders = 0
	holderH0       = 1
)

// layout is what the declared counts of a world determine: channels,
// alternatives and nests of the choice model, buyer segments and cells, cap-
// table holders and ledger accounts.
type layout struct {
	nLabs, nClouds, nHyper, nFunds int
	// channels: direct plus one per cloud; alternatives lab x channel;
	// nests: one per cloud plus the direct nest (index nestDir).
	numCh, numAlt, nestDir, numNests int
	// own models: nOwn alternatives from ownAlt0, the k-th sold by cloud
	// ownCloud[k]; ownOf[c] is cloud c's own-model alternative or -1
	nOwn, ownAlt0 int
	ownCloud      [MaxClouds]int
	ownOf         [MaxClouds]int
	// Buyer segments: primary cloud x investor tie (none or one fund) x
	// security class (2), segStride segments per primary cloud; cells:
	// segment x main vendor (none or lab), incStride = 1 << incShift cells
	// per segment (the power of two from labs + 1, so that the buyer loop
	// finds a buyer's cell with a shift; cells with a vendor index beyond
	// the labs stay empty).
	segStride, numSeg, incStride, incShift, numCells int
	// holders: founders, hyperscalers, funds, others
	holderF0, holderOthers, numHolders int
	// ledger accounts: external accounts (ext*), labs, lab x hyperscaler
	// credits, clouds, funds
	accLab0, accCredit0, accCloud0, accFund0, numAccounts int
	// each cell's primary cloud and investor tie
	cellPrim, cellTieOf []uint8
}

func newLayout(c *Cast) layout {
	var y layout
	y.nLabs, y.nClouds, y.nHyper, y.nFunds = len(c.Labs), len(c.Clouds), c.Hyperscalers(), len(c.Funds)
	y.numCh = 1 + y.nClouds
	y.numAlt = y.nLabs * y.numCh
	y.ownAlt0 = y.numAlt
	for c := range y.ownOf {
		y.ownOf[c] = -1
	}
	for i := range c.Clouds {
		if c.Clouds[i].OwnModel {
			y.ownCloud[y.nOwn] = i
			y.ownOf[i] = y.numAlt
			y.nOwn++
			y.numAlt++
		}
	}
	y.nestDir = y.nClouds
	y.numNests = y.nClouds + 1
	y.segStride = (y.nFunds + 1) * 2
	y.numSeg = y.nClouds * y.segStride
	for 1<<y.incShift < y.nLabs+1 {
		y.incShift++
	}
	y.incStride = 1 << y.incShift
	y.numCells = y.numSeg * y.incStride
	y.holderF0 = holderH0 + y.nHyper
	y.holderOthers = y.holderF0 + y.nFunds
	y.numHolders = y.holderOthers + 1
	y.accLab0 = numExternal
	y.accCredit0 = y.accLab0 + y.nLabs
	y.accCloud0 = y.accCredit0 + y.nLabs*y.nHyper
	y.accFund0 = y.accCloud0 + y.nClouds
	y.numAccounts = y.accFund0 + y.nFunds
	y.cellPrim = make([]uint8, y.numCells)
	y.cellTieOf = make([]uint8, y.numCells)
	for cell := range y.cellPrim {
		prim, tie, _ := y.segment(cell / y.incStride)
		y.cellPrim[cell], y.cellTieOf[cell] = uint8(prim), uint8(tie)
	}
	return y
}

// segment decodes a segment index.
func (y *layout) segment(seg int) (primary, tie, highSecurity int) {
	return seg / y.segStride, (seg / 2) % (y.nFunds + 1), seg % 2
}

func (y *layout) segIndex(primary, tie, sec int) int { return primary*y.segStride + tie*2 + sec }

// cellPrimary and cellTie decode a cell's primary cloud and investor tie
// from tables filled by newLayout (the per-cell loops need no division).
func (y *layout) cellPrimary(cell int) int { return int(y.cellPrim[cell]) }
func (y *layout) cellTie(cell int) int     { return int(y.cellTieOf[cell]) }

// Ledger accounts of agents (the external accounts come first, see ledger.go).
func (y *layout) accLab(l int) int       { return y.accLab0 + l }
func (y *layout) accCredit(l, h int) int { return y.accCredit0 + l*y.nHyper + h }
func (y *layout) accCloud(c int) int     { return y.accCloud0 + c }
func (y *layout) accFund(f int) int      { return y.accFund0 + f }

// Lab is a model developer.
type Lab struct {
	Name       string
	Gov        Governance
	Closed     bool // sells a proprietary model (else open weights)
	Founded    int
	Active     bool // founded and not exited
	Exited     bool
	Acquired   bool
	Owner      int // owning hyperscaler (in-house or acquired), -1 if independent
	Burn       float64
	burn0      float64
	burnGrowth float64 // monthly factor
	cut        float64 // burn multiplier after a survival cut
	Log10C     float64 // log10 cumulative compute (FLOP)
	Eta        float64 // cumulative breakthroughs
	KTrain     float64 // capability of the current training run
	KDep       float64 // deployed capability
	chK        [maxCh]float64
	pendK      [maxCh]float64
	pendT      [maxCh]int
	pendLagged [maxCh]bool
	Brand      float64
	Price      float64 // API price, US$/Mtok at fixed capability
	// ComputeShare is the share of the lab's compute on each cloud (the
	// first World.Clouds() entries).
	ComputeShare [MaxClouds]float64
	ComputeSpend float64 // US$B/month: training compute this month (endogenous mode: the compute rule; replay: the v1 share of burn)
	// compute rule of endogenous mode (compute.go): this month's training
	// FLOP, inference bill, the constraint that decided the training spend,
	// the plan that triggers and sizes rounds (the gap to the target
	// compute stock, the recurring monthly spend), last month's compute
	// bill (training + inference) that other opex follows
	TrainFLOP     float64
	InferenceCost float64 // US$B/month
	binding       market.TrainingConstraint
	planGap       float64 // US$B
	planRecurring float64 // US$B/month
	lastCompute   float64 // US$B/month
	lastInference float64 // US$B/month
	otherOpex     float64 // US$B/month

	// take-or-pay compute commitments by hyperscaler (compute.go): what is
	// left to spend (US$B), the month by which it is due, and this month's
	// minimum and what counted against it (the bill there plus any charge)
	commitLeft, commitDue, commitPaid [MaxClouds]float64
	commitEnd                         [MaxClouds]int
	mu                                float64 // this month's shadow cost of cash in the training rule
	// compute market (computemarket.go): the price paid this month
	// (quantity-weighted, US$ per GPU-hour; what the lab expects next
	// month) and the inference GPU-hours it served (next month's estimate)
	pricePaid float64
	infGPUh   float64
	// rounds this month (endogenous mode)
	raisedM, shortfallM float64 // US$B
	// revenue this month by channel (US$B/month)
	RevDirect, RevResale, RevConsumer, RevBacker float64
	Revenue, prevRevenue                         float64
	OpCF                                         float64
	migCost                                      float64 // migration cost this month
	SharePaid                                    float64 // revenue share + waterfall + leakage paid this month
	servingFee                                   float64 // resellers' reimbursement of the serving cost this month (in RevResale; endogenous mode)
	// backer contract (exclusive partner), Backer = -1 if none
	Backer    int
	Contract  market.BackerContract
	trig      market.TriggerState
	exclUntil int // month the exclusivity term ends (never if none; replay: world-file events)
	rofrUntil int // month the ROFR ends (likewise)
	// the agreement-set rule (exclusivity.go): the payment of the term in
	// force (US$B), the months the lab's preferred set has differed from
	// it, and the month's payment (a refund < 0) and its month
	exclPaid    float64
	exclPrefer  int
	exclPayM    float64
	exclPayT    int
	exclChanged int // month the agreement set last changed or a term ended (the share bargain's expiry trigger)
	NashS       float64
	leakFrac    float64 // leakage as a fraction of revenue (cap binding)
	Lag         int     // release lag chosen for the backer channel (months)
	Cap         *market.CapTable
	LastPost    float64
	LastRound   int
	roundPost   float64
	roundMult   float64
	investedBy  [MaxClouds]float64 // cumulative strategic investment by hyperscaler
	// governance (governance.go): cumulative capital raised (rounds and
	// strategic investments, US$B) and the month of its restructuring
	capitalRaised  float64
	restructuredAt int
	lastInvest     [MaxClouds]int
	// declared attributes (LabSpec) that behaviour branches on
	consumerApp   bool    // sells consumer subscriptions
	parentFunded  bool    // costs borne outside the market: no compute purchases, rounds, acquisitions or exit
	inHouse       bool    // declared as a hyperscaler's own lab (an acquired lab is not)
	directAPI     bool    // an open-weight lab that also sells through its own API
	openWeightGap float64 // an open-weight lab's gap below the lagged frontier (K units)
}

// Hyperscaler is a cloud provider with strategic behaviour.
type Hyperscaler struct {
	Name       string
	Capacity   float64 // AI capacity available to labs, US$B/month of compute
	OwnGap     float64 // own-model capability gap to the frontier (K units)
	Disparage  float64 // sales stance d toward its partner's direct channel
	CloudShare float64
	lastBigInv int     // month of the last >= ShockMin investment in a partner
	prevCloud  float64 // last month's cloud revenue (an in-house lab's training envelope)
	revCloud   float64 // this month's revenue by source
	revCredit  float64
	revResale  float64
	revOwn     float64 // its own models' enterprise revenue (endogenous mode)
	revShare   float64
	invest     float64
	partnerRev float64
}

// Fund is a VC fund.
type Fund struct {
	Name                 string
	Size                 float64
	Invested, Fees, Dist float64
	Covenant             [MaxLabs]bool    // bound not to fund rivals of this lab
	cost, reserve        [MaxLabs]float64 // capital invested in each lab at cost, and held back for follow-ons in it (US$B)
	invM, feeM, distM    float64          // this month
	NAV                  float64
}

// Buyers is the enterprise population as a struct of arrays. Seg packs
// primary cloud, investor tie and security class (see World.Segment); Inc
// is the main vendor (0: not adopted, 1+lab otherwise); Size is relative
// spend potential (mean 1). A buyer's workload shares over model x channel
// alternatives are the nested-logit probabilities of its (segment, main
// vendor) cell, so multi-homing needs no per-buyer vector.
type Buyers struct {
	Seg  []uint8
	Inc  []uint8
	Size []float32
}

// Regulator holds the policy regime.
type Regulator struct {
	Regime          market.GuidelineRegime
	PRebut          float64
	RevenueShareCap float64
	BanCompute      bool
	BanAPI          bool
	MergerControl   bool
	StakeThreshold  float64
	Psi             float64
	BanCovenants    bool
}

// World is the AI-market model. It implements engine.Model. Its agents are
// those of its scenario's world (Cast), in declared order.
type World struct {
	S      Scenario
	Labs   []Lab
	Hyper  []Hyperscaler
	Funds  []Fund
	Buyers Buyers
	Reg    Regulator
	layout
	months  int
	check   bool
	nBuyers int
	invSize float64

	holders     []string // cap-table holder names
	shareGroups []string // model-share groups, in order of first appearance
	labGroup    []int    // share group of each lab
	events      []Event

	rec     *engine.Recorder
	phases  engine.Phases
	metrics []metricDef

	// random streams (named, see doc.go)
	srcBuyers                                     *rand.ChaCha8
	rBreak, rFund, rVal, rShock, rAcq, rStrategic *rand.Rand
	srcs                                          [7]*rand.ChaCha8

	ledger ledger

	// exogenous state
	t             int
	algo          float64 // algorithmic multiplier
	flopPerB      float64 // FLOP per US$B this month
	costPath      float64 // fixed-capability price path US$/Mtok
	climate       float64 // funding climate index (log AR(1))
	logClimate    float64
	gate          float64 // capability gate of enterprise demand
	intensity     float64 // spend per adopter, US$B/month if all adopted
	kFront        float64
	kFrontHist    []float64
	kGrowth       float64 // frontier K growth per month (trailing 12 months)
	priceBar      float64
	adopted       int
	baseRev       []float64 // by cloud
	cloudRev      []float64
	cloudShare    []float64 // share of cloud revenue this month (phaseValuation)
	capacity      []float64
	modelShare    []float64 // by lab
	ownModelShare []float64 // own models' shares by cloud (0 without one)
	shareScratch  []float64
	groupShare    []float64 // by share group
	consumerTot   float64

	// choice state (alternatives, nests, cells: see layout)
	altAvail    [maxAlt]bool
	altBase     [maxAlt]float64
	altSec      [maxAlt]float64
	altNest     [maxAlt]int
	lambda      [maxNests]float64
	tieLab      [MaxFunds + 1][MaxLabs]bool
	cellShare   []float64 // numCells x numAlt
	cellCDF     []float64 // numCells x nLabs
	cellLogsum  []float64
	cellW       []float64
	cellN       []float64
	altSpend    [maxAlt]float64
	spendTot    float64
	segW        []float64
	vScratch    [maxAlt]float64
	vvScratch   [maxAlt]float64
	nlScratch   [2 * maxNests]float64
	nlMemo      market.ChoiceMemo     // computeCells' exponentials, cell to cell, where a cell takes NestedLogit's path (noClosedInc, incumbentCell's fallbacks)
	incE        [maxAlt]float64       // incumbentBase: a segment's exp(v/lambda - incM) (choice.go)
	incM        [maxNests]float64     // incumbentBase: a segment's largest v/lambda per nest
	incF        [maxNests]float64     // incumbentBase: exp(-gamma/lambda_g), the switching cost's factor
	incFMemo    [2 * maxNests]float64 // memoOf's slots of incF (choice.go)
	incEMemo    []float64             // memoOf's slots of incE, per segment and alternative (choice.go)
	cellMemo    []float64             // memoOf's slots of incumbentCell, per cell and nest: ln S_g, exp(u_g - top)
	noClosedInc bool                  // tests: incumbent cells by NestedLogit of the shifted utilities
	noCellMemo  bool                  // tests: computeCells empties its memos (incEMemo, cellMemo, incFMemo) at every call
	noTwins     bool                  // tests: every segment's cells computed, none copied from a twin (canonicalTies) or kept (evalCache)
	evalCache   evalCache             // computeCells' conflict cells, evaluation to evaluation
	pAdopt      float64
	segPop      []float64 // share of buyers per segment
	evalShare   []float64 // numCells x numAlt
	evalLogsum  []float64
	// cellMask, when not nil, marks the cells computeCells computes (the
	// others it leaves as they are): evalConflict's weighted cells, set
	// around its calls (contracts.go); evalCells is its storage
	cellMask, evalCells []bool

	// finite capital (endogenous mode, finance.go)
	demand                               capabilityDemand      // the demand system as the compute rule sees it (the seam part 2 replaces)
	pool                                 market.InvestorPool   // the other investors
	sectorValue                          []float64             // by month: the independent labs' equity at their last post-money (US$B)
	raisedHist                           []float64             // by month: primary capital raised (US$B)
	mFunds                               []market.Fund         // scratch: the funds as AllocateRound sees them
	flows                                []market.RoundFlow    // scratch: a round's flows
	rivals                               [MaxLabs]int          // scratch: a round's rivals
	bids                                 []market.StrategicBid // scratch: the backer's bid in a round
	raisedTot, shortfallTot              float64               // this month, all labs (US$B)
	roundsFailed, cashBound, creditBound int                   // this month

	// compute market of endogenous mode (computemarket.go)
	cm computeMarket
	// demand system and pricing game of endogenous mode (demand.go, pricing.go)
	dm demandState
	pg pricingState

	// control rights, classification and merger review (control.go)
	ctl controlState
	// deal valuation: the pricing game re-solved with a deal's ownership (dealvalue.go)
	deal dealState

	// the contract phase's bargains this month (bargain.go)
	bg bargainState
	// lab × hyperscaler agreements of endogenous mode (agreements.go)
	ag agreementState

	// conflict
	conflictIdx   float64
	conflictEvals int   // evalConflict calls so far (the conflict game's cost)
	exclErr       error // an error of the agreement-set review at a contract's formation (formContract), returned by the next contract phase
	lagEvents     int

	gv       governanceState // restructurings (governance.go)
	steering steeringState   // the funds' portfolio steering (backers.go)

	// counters
	nRounds, renegotiations, acquisitions, acquihires, blocked, govBlocked, exits int
	strategicM                                                                    float64

	// scratch for metrics
	shPct     [MaxLabs + MaxClouds]float64
	mhhiShare []float64
	mhhiCtl   [][]float64
	mhhiOwn   [][]float64
	mhhiModel float64   // this month's modified HHI (phaseValuation)
	vc        fundMarks // the funds' pooled figures this month (phaseValuation)
	vcFlows   []float64 // pooled monthly cash flows of the funds
	irrBuf    []float64
	vcIRR     float64
	allocs    [maxHolders]market.Allocation
	consV     [MaxLabs]float64
	expV      [MaxLabs + 1]float64 // scratch: the compute rule's expected-share utilities (labs, outside good)
	expShare  [MaxLabs + 1]float64 // the labs' expected shares of potential demand this month (compute.go)
	consS     [MaxLabs]float64
}

// NewWorld builds a world of the given scenario with buyers enterprise
// agents, random streams st, a horizon of months and, if check is set,
// the invariant checks of every month (see Step). It records the default
// metrics and those of the optional groups named (OptionalGroups), in that
// order. Its agents are those of the scenario's world; Reset accepts
// scenarios of a world with the same agents.
func NewWorld(s Scenario, buyers int, st engine.Streams, months int, check bool, groups ...string) (*World, error) {
	if buyers < 1 {
		return nil, fmt.Errorf("agents: NewWorld: %d buyers, want >= 1", buyers)
	}
	if months < 1 {
		return nil, fmt.Errorf("agents: NewWorld: %d months, want >= 1", months)
	}
	if s.cast == nil {
		return nil, fmt.Errorf("agents: NewWorld: the scenario has no world (use DefaultScenario or NewScenario)")
	}
	c := s.cast
	if err := c.check(); err != nil {
		return nil, err
	}
	w := &World{months: months, check: check, nBuyers: buyers, layout: newLayout(c)}
	ms, err := buildMetrics(c, groups)
	if err != nil {
		return nil, err
	}
	w.metrics = ms
	names := make([]string, len(w.metrics))
	for i, m := range w.metrics {
		names[i] = m.Name
	}
	rec, err := engine.NewRecorder(names, months)
	if err != nil {
		return nil, err
	}
	w.rec = rec
	w.Labs = make([]Lab, w.nLabs)
	w.Hyper = make([]Hyperscaler, w.nHyper)
	w.Funds = make([]Fund, w.nFunds)
	w.holders = append(w.holders, "founders")
	for h := 0; h < w.nHyper; h++ {
		w.holders = append(w.holders, c.Clouds[h].Name)
	}
	for f := range c.Funds {
		w.holders = append(w.holders, c.Funds[f].Name)
	}
	w.holders = append(w.holders, "others")
	w.labGroup = make([]int, w.nLabs)
	for l := range c.Labs {
		g := -1
		for i, n := range w.shareGroups {
			if n == c.Labs[l].ShareGroup {
				g = i
			}
		}
		if g < 0 {
			g = len(w.shareGroups)
			w.shareGroups = append(w.shareGroups, c.Labs[l].ShareGroup)
		}
		w.labGroup[l] = g
	}
	w.ledger = newLedger(w.numAccounts)
	w.Buyers = Buyers{Seg: make([]uint8, buyers), Inc: make([]uint8, buyers), Size: make([]float32, buyers)}
	w.kFrontHist = make([]float64, months)
	w.vcFlows = make([]float64, months)
	w.sectorValue = make([]float64, months)
	w.raisedHist = make([]float64, months)
	w.mFunds = make([]market.Fund, w.nFunds)
	for f := range w.mFunds {
		w.mFunds[f].Positions = make([]market.Position, 0, w.nLabs)
	}
	w.flows = make([]market.RoundFlow, 0, 1+2*w.nFunds+1) // a fund pays pro rata, then follows on
	w.bids = make([]market.StrategicBid, 0, 1)
	w.demand = logitDemand{}
	w.irrBuf = make([]float64, months)
	w.baseRev = make([]float64, w.nClouds)
	w.cloudRev = make([]float64, w.nClouds)
	w.cloudShare = make([]float64, w.nClouds)
	w.capacity = make([]float64, w.nClouds)
	w.newComputeMarket()
	w.newControl()
	w.newDeal()
	w.modelShare = make([]float64, w.nLabs)
	w.ownModelShare = make([]float64, w.nClouds)
	w.shareScratch = make([]float64, 0, w.nLabs+len(w.shareGroups)+w.nClouds)
	w.groupShare = make([]float64, len(w.shareGroups))
	w.cellShare = make([]float64, w.numCells*w.numAlt)
	w.evalShare = make([]float64, w.numCells*w.numAlt)
	w.incEMemo = nanSlice(2 * w.numSeg * w.numAlt)
	w.cellMemo = nanSlice(4 * maxNests * w.numCells)
	for i := range w.incFMemo {
		w.incFMemo[i] = math.NaN()
	}
	w.cellCDF = make([]float64, w.numCells*w.nLabs)
	w.cellLogsum = make([]float64, w.numCells)
	w.evalLogsum = make([]float64, w.numCells)
	w.evalCells = make([]bool, w.numCells)
	w.cellW = make([]float64, w.numCells)
	w.cellN = make([]float64, w.numCells)
	w.segW = make([]float64, w.numSeg)
	w.segPop = make([]float64, w.numSeg)
	w.newDemand()
	nOwners := w.nLabs + w.nHyper
	w.mhhiShare = make([]float64, w.nLabs+w.nOwn) // labs, then own models
	w.mhhiCtl = make([][]float64, nOwners)
	w.mhhiOwn = make([][]float64, nOwners)
	for i := range w.mhhiCtl {
		w.mhhiCtl[i] = make([]float64, w.nLabs+w.nOwn)
		w.mhhiOwn[i] = make([]float64, w.nLabs+w.nOwn)
	}
	for i := range w.srcs {
		w.srcs[i] = rand.NewChaCha8([32]byte{})
	}
	w.srcBuyers = w.srcs[0]
	w.rBreak = rand.New(w.srcs[1])
	w.rFund = rand.New(w.srcs[2])
	w.rVal = rand.New(w.srcs[3])
	w.rShock = rand.New(w.srcs[4])
	w.rAcq = rand.New(w.srcs[5])
	w.rStrategic = rand.New(w.srcs[6])
	w.phases = engine.Phases{
		{Name: "drift", Run: w.phaseDrift},
		{Name: "compute", Run: w.phaseCompute},
		{Name: "prices", Run: w.phasePrices},
		{Name: "adoption and choice", Run: w.phaseChoice},
		{Name: "accounting", Run: w.phaseAccounting},
		{Name: "contracts", Run: w.phaseContracts},
		{Name: "channel conflict", Run: w.phaseConflict},
		{Name: "finance", Run: w.phaseFinance},
		{Name: "M&A", Run: w.phaseMA},
		{Name: "exit", Run: w.phaseExit},
		{Name: "valuation", Run: w.phaseValuation},
		{Name: "record", Run: w.phaseRecord},
	}
	if err := w.Reset(s, st); err != nil {
		return nil, err
	}
	return w, nil
}

// streamNames are the named random streams, in the order of World.srcs.
var streamNames = [7]string{"buyers", "breakthrough", "funding", "valuation", "shocks", "acquisition", "strategic"}

// Recorder returns the recorder; its columns are Metrics() in order.
func (w *World) Recorder() *engine.Recorder { return w.rec }

// Metrics returns the world's recorded columns in order.
func (w *World) Metrics() []MetricSpec { return specsOf(w.metrics) }

// MetricIndex returns the column index of a metric name of this world.
func (w *World) MetricIndex(name string) (int, error) {
	for i := range w.metrics {
		if w.metrics[i].Name == name {
			return i, nil
		}
	}
	return -1, fmt.Errorf("agents: unknown metric %q in world %q", name, w.S.cast.Name)
}

// Months returns the horizon.
func (w *World) Months() int { return w.months }

// Clouds returns the number of clouds (hyperscalers first, then the fringe).
func (w *World) Clouds() int { return w.nClouds }

// LabIndex returns the index of the lab named name, or -1.
func (w *World) LabIndex(name string) int { return w.S.cast.LabIndex(name) }

// Segment decodes a buyer's segment byte: its primary cloud, its investor
// tie (0 none, 1+fund) and its security class (1 high).
func (w *World) Segment(seg uint8) (primary, tie, highSecurity int) { return w.segment(int(seg)) }

// Step runs month t: the phases of domain model §1 in order. In check mode
// it returns an error naming the violated invariant.
func (w *World) Step(ctx context.Context, t int) error {
	if t < 0 || t >= w.months {
		return fmt.Errorf("agents: month %d outside [0,%d)", t, w.months)
	}
	w.t = t
	return w.phases.Step(ctx, t)
}

// Reset reinitialises the world for a new replication of scenario s with
// streams st, reusing every buffer (buyer arrays, recorder, scratch): the
// buyer population is redrawn from the "population" stream. The
// scenario's world must have the world's agents (their attributes may
// differ).
func (w *World) Reset(s Scenario, st engine.Streams) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if w.S.cast != nil && !w.S.cast.sameShape(s.cast) {
		return fmt.Errorf("agents: Reset: the scenario's world %q has other agents than this world's %q", s.cast.Name, w.S.cast.Name)
	}
	w.S = s
	w.events = s.cast.Events
	for i, n := range streamNames {
		w.srcs[i].Seed(st.Key(n))
	}
	w.rec.Reset()
	w.ledger.reset()
	w.t = 0
	w.Reg = Regulator{Regime: s.Antitrust.Regime, PRebut: s.Antitrust.PRebut}
	w.Reg.setPolicy(s.Policy)
	// counters and exogenous state
	w.nRounds, w.renegotiations, w.acquisitions, w.acquihires, w.blocked, w.govBlocked, w.exits = 0, 0, 0, 0, 0, 0, 0
	w.conflictIdx, w.lagEvents, w.vcIRR, w.strategicM, w.mhhiModel = 0, 0, 0, 0, 0
	w.bg = bargainState{}
	w.resetAgreements()
	w.vc = fundMarks{}
	w.gv = governanceState{}
	w.steering = steeringState{}
	clear(w.cloudShare)
	w.logClimate, w.climate = 0, 1
	w.adopted = 0
	w.priceBar = 0
	w.kGrowth = 0
	clear(w.kFrontHist)
	clear(w.vcFlows)
	clear(w.sectorValue)
	clear(w.raisedHist)
	w.raisedTot, w.shortfallTot, w.roundsFailed, w.cashBound, w.creditBound = 0, 0, 0, 0, 0
	w.pool = market.InvestorPool{Available: s.Capital.PoolBase, Climate: 1, Adjust: s.Capital.PoolAdjust,
		ReturnElasticity: s.Capital.PoolReturnElasticity, MultipleFull: s.Capital.PoolMultipleFull, MultipleNone: s.Capital.PoolMultipleNone}
	clear(w.modelShare)
	clear(w.ownModelShare)
	clear(w.groupShare)
	clear(w.cellW)
	clear(w.cellN)
	for i := 0; i < w.numNests; i++ {
		w.lambda[i] = s.Logit.Lambda
	}
	w.lambda[w.nestDir] = 1 // direct channels form a degenerate nest per lab choice; keep MNL-like
	for a := 0; a < w.numAlt; a++ {
		ch := a % w.numCh
		if a >= w.ownAlt0 {
			w.altNest[a] = w.ownCloud[a-w.ownAlt0] // on its cloud's channel
			continue
		}
		if ch == chDirect {
			w.altNest[a] = w.nestDir
		} else {
			w.altNest[a] = ch - 1
		}
	}
	w.demand = logitDemand{}
	if !s.Mode.Replay {
		w.demand = v2Demand{} // model v2 part 2: the demand system of demand.go
	}
	w.resetDemand()
	if err := w.initLabs(); err != nil {
		return err
	}
	w.initHyperscalers()
	w.initFunds()
	if err := w.resetComputeMarket(); err != nil {
		return err
	}
	w.resetControl()
	w.resetDeal()
	w.initBuyers(st)
	return nil
}

func (w *World) initLabs() error {
	for l := range w.Labs {
		sp := &w.S.cast.Labs[l]
		L := &w.Labs[l]
		*L = Lab{Name: sp.Name, Gov: sp.Governance, Closed: !sp.OpenWeights, Founded: sp.Founded, Owner: sp.Owner, Backer: -1,
			burn0: sp.Burn0, burnGrowth: market.MonthlyFactor(sp.BurnGrowth), cut: 1, Log10C: sp.Log10C0, Brand: sp.Brand, LastRound: -1000, restructuredAt: -1}
		for h := range L.lastInvest {
			L.lastInvest[h] = -1000
		}
		holder := holderFounders
		if sp.Owner >= 0 {
			holder = holderH0 + sp.Owner // an in-house lab: its owner holds it all
		}
		cap, err := market.NewCapTable(w.capHoldings(holder)...)
		if err != nil {
			return fmt.Errorf("agents: cap table of %s: %w", sp.Name, err)
		}
		L.Cap = cap
		L.consumerApp, L.parentFunded, L.inHouse = sp.ConsumerApp, sp.ParentFunded, sp.Owner >= 0
		L.directAPI, L.openWeightGap = sp.DirectAPI, sp.OpenWeightGap
		if sp.Cash0 > 0 {
			w.ledger.initial[w.accLab(l)] = sp.Cash0 // booked when founded
		}
		L.ComputeShare[sp.HomeCloud] = 1
	}
	return nil
}

// capHoldings returns the holder list with stake 1 for holder one.
func (w *World) capHoldings(one int) []market.Holding {
	h := make([]market.Holding, w.numHolders)
	for i := range h {
		h[i] = market.Holding{Holder: w.holders[i]}
	}
	h[one].Stake = 1
	return h
}

// hsHolder is hyperscaler h's name on cap tables.
func (w *World) hsHolder(h int) string { return w.holders[holderH0+h] }

// fundHolder is fund f's name on cap tables.
func (w *World) fundHolder(f int) string { return w.holders[w.holderF0+f] }

func (w *World) initHyperscalers() {
	for h := range w.Hyper {
		sp := &w.S.cast.Clouds[h]
		w.Hyper[h] = Hyperscaler{Name: sp.Name, OwnGap: sp.OwnModelGap, lastBigInv: -1000}
	}
}

func (w *World) initFunds() {
	for f := range w.Funds {
		sp := &w.S.cast.Funds[f]
		w.Funds[f] = Fund{Name: sp.Name, Size: sp.Size}
		w.ledger.initial[w.accFund(f)] = sp.Size
	}
}

func (w *World) initBuyers(st engine.Streams) {
	s := &w.S
	r := rand.New(rand.NewChaCha8(st.Key("population")))
	n := w.nBuyers
	sig := s.Buyers.SizeSigma
	tot := 0.0
	clear(w.segPop)
	// Primary cloud: cumulative buyer shares in declared order; the last
	// cloud takes what the others leave (a "rest" cloud's share is 1 minus
	// the declared ones).
	var cum [MaxClouds]float64
	rest := 1.0
	for c := range s.cast.Clouds {
		if !s.cast.Clouds[c].BuyerRest {
			rest -= s.cast.Clouds[c].BuyerShare
		}
	}
	acc := 0.0
	for c := 0; c < w.nClouds-1; c++ {
		sh := s.cast.Clouds[c].BuyerShare
		if s.cast.Clouds[c].BuyerRest {
			sh = rest
		}
		if c == 0 {
			acc = sh
		} else {
			acc += sh
		}
		cum[c] = acc
	}
	nf := w.nFunds
	for i := 0; i < n; i++ {
		u := r.Float64()
		prim := w.nClouds - 1
		for c := 0; c < w.nClouds-1; c++ {
			if u < cum[c] {
				prim = c
				break
			}
		}
		tie := 0
		if v := r.Float64(); v < s.Buyers.TieShare && nf > 0 {
			tie = 1 + int(v/s.Buyers.TieShare*float64(nf))%nf
		}
		sec := 0
		if r.Float64() < s.Buyers.SecurityShare {
			sec = 1
		}
		size := math.Exp(sig*r.NormFloat64() - sig*sig/2)
		seg := w.segIndex(prim, tie, sec)
		w.Buyers.Seg[i] = uint8(seg)
		w.Buyers.Inc[i] = 0
		w.Buyers.Size[i] = float32(size)
		tot += float64(float32(size))
		w.segPop[seg]++
	}
	w.invSize = 1 / tot
	for i := range w.segPop {
		w.segPop[i] /= float64(n)
	}
}

// Run steps the world over its horizon (a convenience around engine.Run).
func (w *World) Run(ctx context.Context) error { return engine.Run(ctx, w, w.months) }

// nanSlice returns n NaNs (a memo's empty slots: NaN matches no argument).
func nanSlice(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = math.NaN()
	}
	return s
}
