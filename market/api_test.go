package market

// Compile-time check of the API contract that agents/ is written against:
// changing one of these signatures breaks this file first.
var (
	_ func(S, d1, d2, alpha float64) (NashOutcome, error)                                                  = NashSplit
	_ func(S, d1, d2, w1, w2, alpha float64, mode OutsideOptionMode) (NashOutcome, error)                  = NashWithOutsideOptions
	_ func(delta1, delta2 float64) (x1, x2 float64, err error)                                             = RubinsteinShares
	_ func(r1, r2, interval float64) (x1, x2 float64, err error)                                           = RubinsteinContinuous
	_ func(delta, b float64) (x1, x2 float64, err error)                                                   = RubinsteinOutsideOption
	_ func(runwayMonths, rMin, rMax, tau float64) float64                                                  = ImpatienceRate
	_ func(cash, burn, revenue float64) float64                                                            = Runway
	_ func(cash, burn, revenue, credits, computeBurn float64) float64                                      = RunwayWithCredits
	_ func(rLab, rBacker float64) float64                                                                  = BargainingWeight
	_ func(in ShareInputs) (s float64, ok bool)                                                            = NashShare
	_ func(phi, alpha, k, B, DH, R float64) float64                                                        = ClosedFormShare
	_ func(phi0, phi1, phi2, multiCloudShare, directShare float64) float64                                 = Phi
	_ func(RenegotiationTrigger, *TriggerState, float64, float64, float64, int, int) (bool, TriggerReason) = RenegotiationTrigger.Check
	_ func(*BackerContract, float64) float64                                                               = (*BackerContract).ProfitPayment
	_ func(v []float64) float64                                                                            = LogSumExp
	_ func(v, out []float64) (logsum float64)                                                              = LogitShares
	_ func(v []float64, nest []int, lambda []float64, out []float64, scratch []float64) (float64, error)   = NestedLogit
	_ func(vIncumbent, gamma float64, others []float64) float64                                            = StayProbability
	_ func(shares []float64, outside float64) ([]float64, error)                                           = BerryInversion
	_ func(shares []float64, from, to int) (float64, error)                                                = DiversionRatio
	_ func(logsum, priceIndex, betaP float64) float64                                                      = ConsumerSurplus
	_ func(Bass, float64) float64                                                                          = Bass.F
	_ func(Bass, float64) float64                                                                          = Bass.Density
	_ func(Bass) (t, F, f float64)                                                                         = Bass.Peak
	_ func(Bass, float64, float64) (Fnext, hazard float64)                                                 = Bass.Step
	_ func(ceff, cref, kappa float64) float64                                                              = CapabilityIndex
	_ func(months, halvingMonths float64) float64                                                          = AlgorithmicMultiplier
	_ func(p0, annualFactor, month float64) float64                                                        = PriceAt
	_ func(annual float64) float64                                                                         = MonthlyFactor
	_ func(N, D float64) float64                                                                           = ChinchillaLoss
	_ func(C float64) (N, D float64)                                                                       = ComputeOptimal
	_ func(Round) float64                                                                                  = Round.Pre
	_ func(Round) float64                                                                                  = Round.NewStake
	_ func(Round) float64                                                                                  = Round.Retain
	_ func(*CapTable, Round, string) error                                                                 = (*CapTable).Issue
	_ func(*CapTable, string, string, float64) error                                                       = (*CapTable).Transfer
	_ func(*CapTable) float64                                                                              = (*CapTable).Sum
	_ func(invested, proceeds, mark float64) float64                                                       = MOIC
	_ func(flows []float64) (float64, error)                                                               = IRR
	_ func(flows []float64, times []float64) (float64, error)                                              = IRRDated
	_ func(distributions, nav, paidIn float64) float64                                                     = TVPI
	_ func(distributions, paidIn float64) float64                                                          = DPI
	_ func(sharesPct []float64) float64                                                                    = HHI
	_ func(s1Pct, s2Pct float64) float64                                                                   = DeltaHHI
	_ func(hhi float64) float64                                                                            = EquivalentFirms
	_ func(sharesPct []float64, k int) float64                                                             = CRk
	_ func(shares []float64, control, ownership [][]float64) (float64, error)                              = MHHI
	_ func(sharesPct []float64, i, j int, regime GuidelineRegime) (ScreenResult, error)                    = MergerScreen
	_ func(c ConflictCase) ConflictOutcome                                                                 = ChannelConflict

	_ = NashOutcome{U1: 0, U2: 0, Agreement: false}
	_ = ShareInputs{R: 0, B: 0, DL: 0, DH: 0, Alpha: 0}
	_ = RenegotiationTrigger{ARRThreshold: 0, Band: 0, HoldMonths: 0}
	_ = BackerContract{RevenueShare: 0, ReciprocalShare: 0, ProfitShareBefore: 0, ProfitShareAfter: 0, RecoupAmount: 0, TotalCap: 0,
		ComputeExclusive: false, ROFR: false, APIExclusive: false, IPLicenceExpiry: 0, ExpiryMonth: 0, Paid: 0}
	_ = Bass{P: 0, Q: 0}
	_ = Round{Invest: 0, Post: 0}
	_ = ScreenResult{PostHHI: 0, DeltaHHI: 0, MergedShare: 0, Presumption: false, Reason: ""}
	_ = ConflictCase{Disparage: 0, Lag: 0, BackerAccountShare: 0, LabKeepDirect: 0, LabKeepResale: 0}
	_ = ConflictOutcome{Direct: 0, Resale: 0, Rival: 0, Outside: 0, LabNet: 0, BackerNet: 0}
	_ = [...]OutsideOptionMode{Constraint, ThreatPoint}
	_ = [...]GuidelineRegime{Guidelines2023, Guidelines2010, Guidelines1997}
	_ = ErrNoIRR
)
