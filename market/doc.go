// Package market holds the economics of frontiersim as pure functions and
// small value types: revenue-share bargaining (generalised Nash, outside
// options, Rubinstein alternating offers, renegotiation triggers), backer
// contracts and the profit waterfall, enterprise vendor choice (multinomial
// and nested logit, state dependence, Berry inversion, diversion ratios,
// consumer surplus), Bass diffusion, capability and cost curves, the
// monthly training-compute rule and the inference cost per workload unit,
// funding arithmetic and returns, market concentration and merger screens,
// the channel-conflict payoffs of domain-model.md section 3.9, and the
// compute market of model-v2.md section 3.1: labs' logit demand for compute
// across clouds under access terms (exclusivity, ROFR), clouds' prices (the
// larger of the Bertrand–Nash price, with their stakes in and revenue
// shares from labs, and the price that clears capacity), rationing by
// priority, and the supply-line rule by which clouds build capacity.
//
// Finite capital (model-v2.md section 3.1; domain-model.md section 3.5):
// venture funds with committed capital, dry powder, follow-on reserves,
// hurdles, pro-rata rights and no-rival covenants (Fund); the other
// investors as a finite monthly supply that follows the funding climate and
// trailing returns by partial adjustment (InvestorPool); and the allocation
// of a round among them, which can leave it full, short, down or failed,
// with one payer for every US$ raised (AllocateRound).
//
// Bertrand–Nash pricing (model-v2.md section 3.2): multi-product firms
// price under nested logit with an outside good and absolute prices, with
// every financial interest in their objectives (revenue shares paid and
// received, per-unit fees, profit shares, caps), solved by the
// Morrow–Skerlos ζ fixed point generalised to those interests (Pricer,
// PricingProblem, ObjectiveWeights); consumer surplus is logsum/betaP in
// US$, and a product can be withdrawn for a bargaining layer's
// disagreement points.
//
// Nash-in-Nash bargaining (model-v2.md section 3.3; domain-model.md section
// 3.1(f)): every lab × cloud agreement bargains its term (a per-unit fee or
// a reciprocal share on resale revenue) to maximise its Nash product, the
// other agreements held fixed, with the prices re-solved at each candidate
// term and the disagreement payoffs from the game without the pair
// (Horn and Wolinsky 1988; Collard-Wexler, Gowrisankaran and Lee 2019); the
// pairs iterate to a fixed point, and a pair with no term at which both
// sides gain fails with ErrNoAgreement (NashInNash, Agreement).
// Control, mergers and the legal tests (model-v2.md section 3.4;
// domain-model.md sections 3.6 and 3.8): holders' positions with their
// rights, classified as none, material influence, de facto or legal
// control by a ControlRule per regime (UK, EU, US); jurisdiction tests as
// dated Regimes (UK turnover, share of supply and, from 1 January 2025, the
// hybrid test and safe harbour; EU Merger Regulation Art. 1(2)-(3); US HSR
// thresholds by year); vertical foreclosure screens and the MHHI with
// control weights from the classification; and the valuation of
// acquisitions and of licence-and-hire deals against weak labs. The
// jurisdiction tests count money in millions of each regime's currency.
//
// market imports only the standard library (and may import gonum); it
// imports no other frontiersim package, holds no package-level mutable
// state, draws no random numbers and does no I/O.
//
// # Units
//
// Money is in US$ billions (B) unless a doc comment says otherwise; time is
// in months for engine quantities and in the unit of the parameters for
// closed forms (a Bass model with per-year p and q has t in years). Shares
// are fractions in [0,1], except the concentration functions, which take
// percentages (0-100) as the HHI convention requires. The compute market
// counts compute in H100-equivalent GPU-hours per month and prices it in
// US$ per GPU-hour.
//
// # Bad input
//
// Functions that can fail return an error wrapping one of the sentinel
// errors (ErrInvalidArgument, ErrNoAgreement, ErrEmptyChoiceSet, ErrNoIRR,
// ErrNoConvergence, ErrNoEquilibrium), so callers can test with errors.Is.
// Functions whose signature has no
// error return a documented value for invalid input and never a silent NaN;
// the few documented infinities are meaningful (an unavailable alternative
// has utility -Inf, a cash-flow-positive firm has an infinite runway).
//
// # Allocation
//
// The functions used once per buyer per month (LogitShares, NestedLogit,
// StayProbability, Bass.Step) allocate nothing on their success path: the
// caller provides output and scratch buffers. So do the monthly
// firm-level ones of the compute market (ComputeSolver.Solve once its
// ComputeEquilibrium is sized, SupplyLine.Step, LabComputeDemand, Ration).
package market
