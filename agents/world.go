package agents

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"frontiersim/engine"
	"frontiersim/market"
)

// Lab indices of the default world (domain model §5.6).
const (
	LabOpenAI    = iota // OpenAI-like: capped-profit, seeks an exclusive backer
	LabAnthropic        // Anthropic-like: public-benefit corporation, founded later
	LabGoogle           // GCP's in-house lab (Google DeepMind-like)
	LabMeta             // parent-funded open-weight lab (Meta-like)
	LabMistral          // VC-funded open-weight lab (Mistral-like)
	LabOther            // VC-funded closed challenger (Inflection-like)
	NumLabs
)

// Cloud indices; the first NumHyperscalers are strategic hyperscalers, the
// last is the fringe of other clouds (Oracle, CoreWeave, ...).
const (
	CloudAzure = iota
	CloudAWS
	CloudGCP
	CloudOther
	NumClouds
)

// Hyperscaler indices (equal to their cloud index).
const (
	HAzure          = CloudAzure
	HAWS            = CloudAWS
	HGCP            = CloudGCP
	NumHyperscalers = 3
)

// NumFunds is the number of VC funds (Sequoia-, Thrive-, a16z-like).
const NumFunds = 3

var (
	labNames   = [NumLabs]string{"openai", "anthropic", "google", "meta", "mistral", "other"}
	labGroup   = [NumLabs]int{groupOpenAI, groupAnthropic, groupGoogle, groupOpenWeight, groupOpenWeight, groupOther}
	cloudNames = [NumClouds]string{"azure", "aws", "gcp", "other"}
	fundNames  = [NumFunds]string{"sequoia", "thrive", "a16z"}
	// cap-table holders: founders/employees, the hyperscalers, the funds and other investors.
	holderNames = [numHolders]string{"founders", "azure", "aws", "gcp", "sequoia", "thrive", "a16z", "others"}
)

const (
	holderFounders = 0
	holderH0       = 1 // + h
	holderF0       = 1 + NumHyperscalers
	holderOthers   = holderF0 + NumFunds
	numHolders     = holderOthers + 1
)

// Channels and alternatives: a model is sold direct (channel 0) or on a
// cloud (channel 1+c). Alternative a = lab*numCh + channel.
const (
	chDirect = 0
	numCh    = 1 + NumClouds
	numAlt   = NumLabs * numCh
	nestDir  = NumClouds // nest of direct channels
	numNests = NumClouds + 1
)

// Buyer segments: primary cloud (4) x investor tie (none or fund, 4) x
// security class (2); cells: segment x main vendor (none or lab, stride 8).
const (
	numSeg     = NumClouds * (NumFunds + 1) * 2
	incStride  = 8
	numCells   = numSeg * incStride
	firstMonth = 46 // Nov 2022, ChatGPT: anchor of demand growth paths
)

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
	chK        [numCh]float64
	pendK      [numCh]float64
	pendT      [numCh]int
	pendLagged [numCh]bool
	Brand      float64
	Price      float64 // API price, US$/Mtok at fixed capability
	// ComputeShare is the share of the lab's compute on each cloud.
	ComputeShare [NumClouds]float64
	ComputeSpend float64 // US$B/month
	// revenue this month by channel (US$B/month)
	RevDirect, RevResale, RevConsumer, RevBacker float64
	Revenue, prevRevenue                         float64
	OpCF                                         float64
	migCost                                      float64 // migration cost this month
	SharePaid                                    float64 // revenue share + waterfall + leakage paid this month
	// backer contract (exclusive partner), Backer = -1 if none
	Backer      int
	Contract    market.BackerContract
	trig        market.TriggerState
	exclUntil   int
	rofrUntil   int
	NashS       float64
	leakFrac    float64 // leakage as a fraction of revenue (cap binding)
	Lag         int     // release lag chosen for the backer channel (months)
	Cap         *market.CapTable
	LastPost    float64
	LastRound   int
	roundPost   float64
	roundMult   float64
	investedBy  [NumHyperscalers]float64 // cumulative strategic investment
	lastInvest  [NumHyperscalers]int
	consumerApp bool
}

// Hyperscaler is a cloud provider with strategic behaviour.
type Hyperscaler struct {
	Name        string
	Capacity    float64 // AI capacity available to labs, US$B/month of compute
	OwnGap      float64 // own-model capability gap to the frontier (K units)
	Disparage   float64 // sales stance d toward its partner's direct channel
	CloudShare  float64
	lastBigInv  int     // month of the last >= ShockMin investment in a partner
	revCloud    float64 // this month's revenue by source
	revCredit   float64
	revResale   float64
	revShare    float64
	invest      float64
	partnerRev  float64
	AccountBase float64 // share of buyers with this primary cloud
}

// Fund is a VC fund.
type Fund struct {
	Name                           string
	Size                           float64
	Invested, Fees, Dist           float64
	Covenant                       [NumLabs]bool // bound not to fund rivals of this lab
	flows                          []float64
	invM, feeM, distM              float64 // this month
	deals                          [NumLabs]float64
	DryPowderAtStart               float64
	NAV                            float64
	PortfolioEntry, PortfolioMarks [NumLabs]float64
}

// Buyers is the enterprise population as a struct of arrays. Seg packs
// primary cloud, investor tie and security class (see Segment); Inc is the
// main vendor (0: not adopted, 1+lab otherwise); Size is relative spend
// potential (mean 1). A buyer's workload shares over model x channel
// alternatives are the nested-logit probabilities of its (segment, main
// vendor) cell, so multi-homing needs no per-buyer vector.
type Buyers struct {
	Seg  []uint8
	Inc  []uint8
	Size []float32
}

// Segment decodes a segment index.
func Segment(seg uint8) (primary, tie, highSecurity int) {
	s := int(seg)
	return s / 8, (s / 2) % 4, s % 2
}

func segIndex(primary, tie, sec int) int { return primary*8 + tie*2 + sec }

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

// World is the AI-market model. It implements engine.Model.
type World struct {
	S       Scenario
	Labs    [NumLabs]Lab
	Hyper   [NumHyperscalers]Hyperscaler
	Funds   [NumFunds]Fund
	Buyers  Buyers
	Reg     Regulator
	months  int
	check   bool
	nBuyers int
	invSize float64

	rec    *engine.Recorder
	phases engine.Phases

	// random streams (named, see doc.go)
	srcBuyers                                     *rand.ChaCha8
	rBreak, rFund, rVal, rShock, rAcq, rStrategic *rand.Rand
	srcs                                          [7]*rand.ChaCha8

	ledger ledger

	// exogenous state
	t           int
	algo        float64 // algorithmic multiplier
	flopPerB    float64 // FLOP per US$B this month
	costPath    float64 // fixed-capability price path US$/Mtok
	climate     float64 // funding climate index (log AR(1))
	logClimate  float64
	gate        float64 // capability gate of enterprise demand
	intensity   float64 // spend per adopter, US$B/month if all adopted
	kFront      float64
	kFrontHist  []float64
	kGrowth     float64 // frontier K growth per month (trailing 12 months)
	priceBar    float64
	adopted     int
	baseRev     [NumClouds]float64
	cloudRev    [NumClouds]float64
	capacity    [NumClouds]float64
	modelShare  [NumLabs]float64
	groupShare  [numModelGroups]float64
	consumerTot float64

	// choice state
	altAvail   [numAlt]bool
	altBase    [numAlt]float64
	altSec     [numAlt]float64
	altNest    [numAlt]int
	lambda     [numNests]float64
	tieLab     [NumFunds + 1][NumLabs]bool
	cellShare  [numCells][numAlt]float64
	cellCDF    [numCells][NumLabs]float64
	cellLogsum [numCells]float64
	cellW      [numCells]float64
	cellN      [numCells]float64
	altSpend   [numAlt]float64
	spendTot   float64
	segW       [numSeg]float64
	vScratch   [numAlt]float64
	nestIdx    [numAlt]int
	nlScratch  [2 * numNests]float64
	pAdopt     float64
	segPop     [numSeg]float64 // share of buyers per segment
	evalShare  [numCells][numAlt]float64
	evalLogsum [numCells]float64

	// conflict
	conflictIdx float64
	lagEvents   int

	// counters
	nRounds, renegotiations, acquisitions, acquihires, blocked, govBlocked, exits int
	strategicM                                                                    float64

	// scratch for metrics
	shPct     [NumLabs + NumHyperscalers]float64
	mhhiShare []float64
	mhhiCtl   [][]float64
	mhhiOwn   [][]float64
	irrBuf    []float64
	vcIRR     float64
	allocs    [numHolders]market.Allocation
	consV     [NumLabs]float64
	consS     [NumLabs]float64
}

// NewWorld builds a world of the given scenario with buyers enterprise
// agents, random streams st, a horizon of months and, if check is set,
// the invariant checks of every month (see Step).
func NewWorld(s Scenario, buyers int, st engine.Streams, months int, check bool) (*World, error) {
	if buyers < 1 {
		return nil, fmt.Errorf("agents: NewWorld: %d buyers, want >= 1", buyers)
	}
	if months < 1 {
		return nil, fmt.Errorf("agents: NewWorld: %d months, want >= 1", months)
	}
	rec, err := engine.NewRecorder(metricNames(), months)
	if err != nil {
		return nil, err
	}
	w := &World{months: months, check: check, nBuyers: buyers, rec: rec}
	w.Buyers = Buyers{Seg: make([]uint8, buyers), Inc: make([]uint8, buyers), Size: make([]float32, buyers)}
	w.kFrontHist = make([]float64, months)
	w.irrBuf = make([]float64, months)
	for f := range w.Funds {
		w.Funds[f].flows = make([]float64, months)
	}
	nOwners := NumLabs + NumHyperscalers
	w.mhhiShare = make([]float64, NumLabs)
	w.mhhiCtl = make([][]float64, nOwners)
	w.mhhiOwn = make([][]float64, nOwners)
	for i := range w.mhhiCtl {
		w.mhhiCtl[i] = make([]float64, NumLabs)
		w.mhhiOwn[i] = make([]float64, NumLabs)
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

// Months returns the horizon.
func (w *World) Months() int { return w.months }

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
// buyer population is redrawn from the "population" stream.
func (w *World) Reset(s Scenario, st engine.Streams) error {
	if err := s.Validate(); err != nil {
		return err
	}
	w.S = s
	for i, n := range streamNames {
		w.srcs[i].Seed(st.Key(n))
	}
	w.rec.Reset()
	w.ledger.reset()
	w.t = 0
	w.Reg = Regulator{
		Regime: market.GuidelineRegime(int(s.Antitrust.Regime)), PRebut: s.Antitrust.PRebut,
		RevenueShareCap: s.Policy.RevenueShareCap,
		BanCompute:      s.Policy.BanExclusive == 1 || s.Policy.BanExclusive == 3,
		BanAPI:          s.Policy.BanExclusive == 2 || s.Policy.BanExclusive == 3,
		MergerControl:   s.Policy.MergerControl == 1, StakeThreshold: s.Policy.StakeThreshold,
		Psi: s.Policy.SwitchingCostMultiplier, BanCovenants: s.Policy.BanCovenants == 1,
	}
	// counters and exogenous state
	w.nRounds, w.renegotiations, w.acquisitions, w.acquihires, w.blocked, w.govBlocked, w.exits = 0, 0, 0, 0, 0, 0, 0
	w.conflictIdx, w.lagEvents, w.vcIRR, w.strategicM = 0, 0, 0, 0
	w.logClimate, w.climate = 0, 1
	w.adopted = 0
	w.priceBar = 0
	w.kGrowth = 0
	clear(w.kFrontHist)
	clear(w.modelShare[:])
	clear(w.groupShare[:])
	clear(w.cellW[:])
	clear(w.cellN[:])
	for i := range w.lambda {
		w.lambda[i] = s.Logit.Lambda
	}
	w.lambda[nestDir] = 1 // direct channels form a degenerate nest per lab choice; keep MNL-like
	for a := range w.altNest {
		ch := a % numCh
		if ch == chDirect {
			w.altNest[a] = nestDir
		} else {
			w.altNest[a] = ch - 1
		}
		w.nestIdx[a] = w.altNest[a]
	}
	w.initLabs()
	w.initHyperscalers()
	w.initFunds()
	w.initBuyers(st)
	return nil
}

func (w *World) initLabs() {
	s := &w.S
	mk := func(l int, gov Governance, closed bool, founded int, cash, burn0, growth, log10C, brand float64) {
		L := &w.Labs[l]
		*L = Lab{Name: labNames[l], Gov: gov, Closed: closed, Founded: founded, Owner: -1, Backer: -1,
			burn0: burn0, burnGrowth: market.MonthlyFactor(growth), cut: 1, Log10C: log10C, Brand: brand, LastRound: -1000}
		for h := range L.lastInvest {
			L.lastInvest[h] = -1000
		}
		cap, _ := market.NewCapTable(capHoldings(holderFounders)...)
		L.Cap = cap
		L.consumerApp = l == LabOpenAI || l == LabAnthropic || l == LabGoogle
		if cash > 0 {
			w.ledger.initial[accLab(l)] = cash // booked when founded
		}
	}
	mk(LabOpenAI, GovCappedProfit, true, 0, s.Labs.OpenAICash0, s.Labs.OpenAIBurn0, s.Labs.FrontierBurnGrowth, s.Labs.OpenAILog10C0, s.Labs.BrandOpenAI)
	mk(LabAnthropic, GovPBC, true, int(s.Labs.AnthropicFounded), s.Labs.AnthropicCash0, s.Labs.AnthropicBurn0, s.Labs.ChallengerBurnGrowth, s.Labs.AnthropicLog10C0, s.Labs.BrandAnthropic)
	mk(LabGoogle, GovInHouse, true, 0, 0, s.Labs.GoogleBurn0, s.Labs.FrontierBurnGrowth, s.Labs.GoogleLog10C0, s.Labs.BrandGoogle)
	mk(LabMeta, GovParentOwned, false, 48, 0, 0, 1, 0, s.Labs.BrandOpenWeight)
	mk(LabMistral, GovForProfit, false, int(s.Labs.MistralFounded), s.Labs.MistralCash0, s.Labs.MistralBurn0, s.Labs.ChallengerBurnGrowth, 0, s.Labs.BrandOpenWeight)
	mk(LabOther, GovForProfit, true, int(s.Labs.OtherFounded), s.Labs.OtherCash0, s.Labs.OtherBurn0, s.Labs.ChallengerBurnGrowth, s.Labs.OtherLog10, s.Labs.BrandOther)
	w.Labs[LabGoogle].Owner = HGCP
	// Google's cap table: GCP holds it all.
	w.Labs[LabGoogle].Cap, _ = market.NewCapTable(capHoldings(holderH0 + HGCP)...)
	for l := range w.Labs {
		w.Labs[l].ComputeShare[w.homeCloud(l)] = 1
	}
}

// capHoldings returns the holder list with stake 1 for holder one.
func capHoldings(one int) []market.Holding {
	h := make([]market.Holding, numHolders)
	for i := range h {
		h[i] = market.Holding{Holder: holderNames[i]}
	}
	h[one].Stake = 1
	return h
}

// homeCloud is where a lab's compute starts: GCP for the in-house lab,
// other clouds for independents (before any contract).
func (w *World) homeCloud(l int) int {
	if l == LabGoogle {
		return CloudGCP
	}
	return CloudOther
}

func (w *World) initHyperscalers() {
	s := &w.S
	for h := range w.Hyper {
		w.Hyper[h] = Hyperscaler{Name: cloudNames[h], lastBigInv: -1000}
	}
	w.Hyper[HAzure].OwnGap = s.Cloud.OwnModelGapAzure
	w.Hyper[HAWS].OwnGap = s.Cloud.OwnModelGapAWS
	w.Hyper[HGCP].OwnGap = 0
	w.Hyper[HAzure].AccountBase = s.Buyers.ShareAzure
	w.Hyper[HAWS].AccountBase = s.Buyers.ShareAWS
	w.Hyper[HGCP].AccountBase = s.Buyers.ShareGCP
}

func (w *World) initFunds() {
	for f := range w.Funds {
		fl := w.Funds[f].flows
		clear(fl)
		w.Funds[f] = Fund{Name: fundNames[f], Size: w.S.Finance.FundSize, flows: fl, DryPowderAtStart: w.S.Finance.FundSize}
		w.ledger.initial[accFund(f)] = w.S.Finance.FundSize
	}
}

func (w *World) initBuyers(st engine.Streams) {
	s := &w.S
	r := rand.New(rand.NewChaCha8(st.Key("population")))
	n := w.nBuyers
	sig := s.Buyers.SizeSigma
	tot := 0.0
	clear(w.segPop[:])
	pa, pw, pg := s.Buyers.ShareAzure, s.Buyers.ShareAWS, s.Buyers.ShareGCP
	for i := 0; i < n; i++ {
		u := r.Float64()
		prim := CloudOther
		switch {
		case u < pa:
			prim = CloudAzure
		case u < pa+pw:
			prim = CloudAWS
		case u < pa+pw+pg:
			prim = CloudGCP
		}
		tie := 0
		if v := r.Float64(); v < s.Buyers.TieShare {
			tie = 1 + int(v/s.Buyers.TieShare*NumFunds)%NumFunds
		}
		sec := 0
		if r.Float64() < s.Buyers.SecurityShare {
			sec = 1
		}
		size := math.Exp(sig*r.NormFloat64() - sig*sig/2)
		w.Buyers.Seg[i] = uint8(segIndex(prim, tie, sec))
		w.Buyers.Inc[i] = 0
		w.Buyers.Size[i] = float32(size)
		tot += float64(float32(size))
		w.segPop[segIndex(prim, tie, sec)]++
	}
	w.invSize = 1 / tot
	for i := range w.segPop {
		w.segPop[i] /= float64(n)
	}
}

// Run steps the world over its horizon (a convenience around engine.Run).
func (w *World) Run(ctx context.Context) error { return engine.Run(ctx, w, w.months) }
