// Package agents is the AI-market model of frontiersim: labs, hyperscalers,
// VC funds, enterprise buyers and a regulator composed into a World that
// implements engine.Model, plus the Scenario (every parameter, documented by
// Params with unit, source and certainty grade) and the recorded outcome
// metrics (Metrics, each with unit, definition and group).
//
// The agents are data: a world file (TOML, decoded by DecodeWorld into a
// Cast) declares the labs, clouds and funds, their governance, ownership,
// funding and starting state, the partnerships and events of historical
// replay, the labs the metrics follow in detail and the attributes that are
// parameters; the 2019-2025 world is shipped as worlds/ai-2019.toml
// (ShippedWorld, DefaultScenario). Sizes are limited by MaxLabs, MaxClouds
// and MaxFunds; the segment layout, cell strides, cap-table holders and
// ledger accounts follow from the declared counts, and behaviour branches on
// declared attributes, never on an agent's index or name. The economics follows the domain model
// (shared/design/domain-model.md); docs/ODD.md describes the model in the
// ODD protocol (Grimm et al. 2020).
//
// It may import the standard library, frontiersim/engine, frontiersim/market
// and frontiersim/internal/tomlkeys (key lines of world-file messages) only. The market functions (bargaining, logit and
// nested logit, Bass, capability, funding arithmetic, concentration) are
// called, never re-implemented.
//
// # Monthly step
//
// World.Step runs the phases of domain model §1 in this order:
//
//  1. drift: lab founding, algorithmic efficiency, GPU price-performance,
//     the fixed-capability price path, funding climate (AR(1)), cloud
//     capacity and base revenue, spend per adopter;
//  2. compute: procurement under exclusivity, ROFR (backer first, capacity
//     limited, overflow elsewhere) or free allocation (logit on price,
//     credits and migration cost, capacity-limited, partial adjustment),
//     capability K from cumulative effective compute plus Poisson
//     breakthroughs, model releases per channel (direct at once, backer
//     channel after the lab's release lag, marketplaces after a lag);
//  3. prices: logit markups of labs, the market-average price P-bar;
//  4. adoption: exact Bass step on the realised adopted share of the
//     capability-gated potential; new adopters choose a vendor and channel
//     by nested logit (nests = clouds plus a direct nest) with capability,
//     relative price, security, cloud affinity, investor ties and
//     disparagement; multi-homing as workload shares;
//  5. incumbents re-choose at the review rate with the switching cost of
//     leaving the incumbent (state dependence);
//  6. accounting: revenue by channel, marketplace and reciprocal payouts,
//     consumer subscriptions, backer-as-customer purchases, cloud bills paid
//     from credits first, leakage, revenue share, profit waterfall, base
//     cloud business, in-house consolidation, fund fees;
//  7. contracts: exclusivity/ROFR expiry, the revenue-share cap, and
//     renegotiation at trigger events (ARR threshold, hysteresis band,
//     expiry) to the clamped Nash share;
//  8. channel conflict: quarterly best responses (backer disparagement d,
//     lab release lag L) and the conflict index;
//  9. finance: replayed events or strategic hyperscaler investment on
//     threat (convertible notes, not priced rounds), primary rounds priced
//     as ARR multiples for labs whose cash no longer covers their planned
//     net spend (backer, VC funds with covenants, other investors),
//     survival burn cuts;
//  10. M&A: the stake-divestiture remedy; acquisition attempts at the
//     hazard, in endogenous mode valued decisions (the buyer's gain from
//     the model's flows against the price, the target's refusal by
//     governance, licence and hire of weak labs) reviewed by merger
//     control (the control classification and dated jurisdiction tests,
//     horizontal, vertical and distribution screens); the month's
//     classification of every holder x lab position and the MHHI with
//     control rights (control.go);
//  11. exit of labs out of cash;
//  12. valuation: cloud shares, the modified HHI, fund NAVs, the funds'
//     pooled cash flow and IRR;
//  13. record the metrics (reading the state, writing none of it) and, in
//     check mode, assert the invariants.
//
// A market function that fails inside a phase stops the step with an error
// naming the phase.
//
// # Performance
//
// Buyers are a struct of arrays (Buyers: segment byte, main-vendor byte,
// float32 size: 6 bytes per buyer). Utilities depend only on the buyer's
// segment (primary cloud x investor tie x security class: 32 segments in
// the shipped world) and main vendor, so the nested logit runs once per
// month for each (segment, vendor) cell (224 in the shipped world, 2,448 at
// the maxima) and a buyer's workload shares are its cell's. A segment's
// cells are laid out with a power-of-two stride (8 in the shipped world), so
// the buyer loop finds a buyer's cell with a shift.
// The per-buyer loop draws one 64-bit number from the "buyers" stream
// (adoption in the high half, review and vendor sampling in the low half)
// and accumulates its size into its cell. The steady-state step allocates
// nothing; Reset reuses every buffer across replications.
//
// # Randomness
//
// Every draw comes from a named engine stream, drawn a fixed number of
// times per month whatever the state, so policy arms keep common random
// numbers: "population" (buyer attributes, at Reset), "buyers" (one draw
// per buyer-month), "breakthrough" (two per lab-month), "funding" (round
// size, partner auction), "valuation" (round multiple), "shocks" (funding
// climate), "strategic" (one per hyperscaler-month), "acquisition" (two
// per hyperscaler-lab pair and month, then one per hyperscaler and month:
// the rebuttal draw of its stake reviews the next month).
//
// # Check mode
//
// With check set, every month asserts that money is conserved (all flows go
// through one ledger from an account to another, external accounts close
// the system, balances sum to 0 to 1e-9 relative to gross flows, and the
// enterprise outflow equals recorded spend), that model, cloud, workload
// and compute shares lie in [0,1] and sum to 1, that cap tables sum to 1,
// that contract shares are fractions, and that no metric is NaN or Inf.
//
// # Units
//
// Money in US$ billions; flows per month; ARR = 12 x monthly revenue;
// shares as fractions; HHI in points (0-10,000); capability K in units of
// one decade of effective compute; month 0 = January 2019.
package agents
