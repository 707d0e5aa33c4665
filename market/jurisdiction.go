package market

import (
	"fmt"
	"strings"
	"time"
)

// Jurisdiction tests (model-v2.md §3.4): whether a competition authority
// can review a transaction at all. A Regime is data: a control rule (which
// positions are a merger), and a list of dated rules, each the thresholds
// in force from a date. Money in this file is in millions of the regime's
// own currency (UK £m, EU €m, US US$m), not the package's US$ billions:
// thresholds are written in law that way and the caller converts once.

// Law selects the family of jurisdiction tests a regime applies.
type Law int

const (
	// LawUK: Enterprise Act 2002 ss.23 and 26 (turnover, share of supply,
	// and from 1 January 2025 the hybrid test and the small-merger safe
	// harbour).
	LawUK Law = iota
	// LawEU: Merger Regulation 139/2004 Art. 1(2) and 1(3).
	LawEU
	// LawUS: the Hart-Scott-Rodino Act, 15 U.S.C. 18a, with its annually
	// adjusted thresholds.
	LawUS
)

// String returns the law's name.
func (l Law) String() string {
	switch l {
	case LawUK:
		return "UK Enterprise Act 2002"
	case LawEU:
		return "EU Merger Regulation"
	case LawUS:
		return "US HSR Act"
	}
	return fmt.Sprintf("Law(%d)", int(l))
}

// UKThresholds are the UK jurisdiction thresholds (£m, shares as fractions).
type UKThresholds struct {
	// TargetTurnover: the turnover test is met when the UK turnover of the
	// enterprise taken over exceeds it (£70m to 2024, £100m from 2025).
	TargetTurnover float64
	// ShareOfSupply: the share-of-supply test is met when the merged
	// enterprises together supply at least this share (0.25) of goods or
	// services of a description in the UK, with an increment (both supply
	// it).
	ShareOfSupply float64
	// SafeHarbour (from 2025, £10m): the share-of-supply test also needs
	// some party with UK turnover above it; 0 means no safe harbour.
	SafeHarbour float64
	// HybridAcquirerTurnover and HybridShare (from 2025: £350m and 0.33):
	// the hybrid test is met when the acquirer has UK turnover above
	// HybridAcquirerTurnover and a UK share of supply of at least
	// HybridShare of some description, and the target has a UK nexus, with
	// no overlap needed. 0 turnover means no hybrid test.
	HybridAcquirerTurnover, HybridShare float64
}

// EUThresholds are the Merger Regulation's turnover thresholds (€m).
type EUThresholds struct {
	// Art. 1(2): combined worldwide turnover above World2, and the EU-wide
	// turnover of each of at least two parties above EachEU2 (5000, 250).
	World2, EachEU2 float64
	// Art. 1(3): combined worldwide above World3 (2500); in each of at least
	// three member states combined turnover above StateCombined3 (100) and
	// the turnover of each of at least two parties above StateEach3 (25);
	// the EU-wide turnover of each of at least two parties above EachEU3
	// (100).
	World3, StateCombined3, StateEach3, EachEU3 float64
	// TwoThirds: neither test applies when each party earns more than this
	// fraction (2/3) of its EU-wide turnover in one and the same member
	// state.
	TwoThirds float64
}

// HSRThresholds are the HSR thresholds in force for a year (US$m, as
// adjusted annually for the change in gross national product).
type HSRThresholds struct {
	// SizeOfTransaction ("$50 million, as adjusted"): a transaction is
	// reportable only if the acquirer holds more than this as a result.
	SizeOfTransaction float64
	// SizeOfPersonSmall and SizeOfPersonLarge ("$10 million" and "$100
	// million, as adjusted"): below NoSizeOfPersonAbove ("$200 million, as
	// adjusted") one party must have annual net sales or total assets of at
	// least Large and the other at least Small.
	SizeOfPersonSmall, SizeOfPersonLarge, NoSizeOfPersonAbove float64
}

// JurisdictionRule is the set of thresholds in force from From (inclusive)
// until the next rule of its regime. Only the thresholds of the regime's
// Law are read.
type JurisdictionRule struct {
	From   time.Time
	Source string
	UK     UKThresholds
	EU     EUThresholds
	US     HSRThresholds
}

// Regime is a competition authority's jurisdiction: its control rule, the
// least control level whose acquisition is a merger (UK: material
// influence; EU: decisive influence, DeFactoControl here), and its dated
// rules, in increasing order of From.
type Regime struct {
	Name        string
	Law         Law
	Control     ControlRule
	MergerLevel ControlLevel
	Rules       []JurisdictionRule
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// UKRegime is the UK regime (Enterprise Act 2002 s.23 as in force from 20
// June 2003, and as amended by the Digital Markets, Competition and
// Consumers Act 2024 from 1 January 2025, the commencement date of its
// merger provisions): the target UK turnover threshold rises from £70m to
// £100m; the 25% share-of-supply test stays, with a safe harbour when each
// party's UK turnover is £10m or less; and a hybrid test catches an
// acquirer with a UK share of supply of 33% or more and UK turnover above
// £350m buying a target with a UK nexus. A merger is the acquisition of at
// least material influence (s.26), or a move up a level (material
// influence to de facto control, de facto to legal control: each is a new
// merger situation), or the transfer of an enterprise (see Transaction).
func UKRegime() Regime {
	return Regime{
		Name: "UK CMA", Law: LawUK, Control: UKControlRule(), MergerLevel: MaterialInfluence,
		Rules: []JurisdictionRule{
			{From: day(2003, time.June, 20), Source: "Enterprise Act 2002 s.23 (in force 20 June 2003)",
				UK: UKThresholds{TargetTurnover: 70, ShareOfSupply: 0.25}},
			{From: day(2025, time.January, 1), Source: "Enterprise Act 2002 s.23 as amended by the Digital Markets, Competition and Consumers Act 2024 (in force 1 January 2025); CMA2 (January 2025)",
				UK: UKThresholds{TargetTurnover: 100, ShareOfSupply: 0.25, SafeHarbour: 10, HybridAcquirerTurnover: 350, HybridShare: 0.33}},
		},
	}
}

// EURegime is the EU regime (Regulation (EC) 139/2004 Art. 1(2) and 1(3),
// applicable from 1 May 2004). A concentration is the acquisition of
// control, sole or joint (Art. 3), so the merger level is DeFactoControl;
// the acquisition of a business with a market presence (assets or staff to
// which turnover can be attributed) is one too (Consolidated
// Jurisdictional Notice para 24).
func EURegime() Regime {
	return Regime{
		Name: "EU Commission", Law: LawEU, Control: EUControlRule(), MergerLevel: DeFactoControl,
		Rules: []JurisdictionRule{
			{From: day(2004, time.May, 1), Source: "Regulation (EC) 139/2004 Art. 1(2), 1(3)",
				EU: EUThresholds{World2: 5000, EachEU2: 250, World3: 2500, StateCombined3: 100, StateEach3: 25, EachEU3: 100, TwoThirds: 2.0 / 3}},
		},
	}
}

// USRegime is the US premerger notification regime (15 U.S.C. 18a; 16 CFR
// 801-803) with the FTC's annual adjustments, each effective for
// transactions closing on or after its date (Federal Register notices):
//
//	from        size of transaction   size of person   no size-of-person test above
//	2018-02-28  84.4                  16.9 / 168.8     337.6
//	2019-04-03  90.0                  18.0 / 180.0     359.9
//	2020-02-27  94.0                  18.8 / 188.0     376.0
//	2021-03-04  92.0                  18.4 / 184.0     368.0
//	2022-02-23  101.0                 20.2 / 202.0     403.9
//	2023-02-27  111.4                 22.3 / 222.7     445.5
//	2024-03-06  119.5                 23.9 / 239.0     478.0
//	2025-02-21  126.4                 25.3 / 252.9     505.8
//	2026-02-17  133.9                 26.8 / 267.8     535.5
//
// Reportable acquisitions are of voting securities, of assets (an
// exclusive licence is one) and of non-corporate interests that confer
// control (16 CFR 801.1(b)); non-voting shares and a non-exclusive licence
// with hiring are not. Holdings of 10% or less "solely for the purpose of
// investment" are exempt (802.9). The merger level is MaterialInfluence,
// which USControlRule uses for "not passive". Later acquisitions within
// five years of a filing (802.21) and other exemptions are not modelled.
func USRegime() Regime {
	r := func(y int, m time.Month, d int, sot, small, large, cap float64) JurisdictionRule {
		return JurisdictionRule{From: day(y, m, d),
			Source: fmt.Sprintf("FTC revised HSR jurisdictional thresholds, effective %04d-%02d-%02d", y, int(m), d),
			US:     HSRThresholds{SizeOfTransaction: sot, SizeOfPersonSmall: small, SizeOfPersonLarge: large, NoSizeOfPersonAbove: cap}}
	}
	return Regime{
		Name: "US FTC/DOJ", Law: LawUS, Control: USControlRule(), MergerLevel: MaterialInfluence,
		Rules: []JurisdictionRule{
			r(2018, time.February, 28, 84.4, 16.9, 168.8, 337.6),
			r(2019, time.April, 3, 90.0, 18.0, 180.0, 359.9),
			r(2020, time.February, 27, 94.0, 18.8, 188.0, 376.0),
			r(2021, time.March, 4, 92.0, 18.4, 184.0, 368.0),
			r(2022, time.February, 23, 101.0, 20.2, 202.0, 403.9),
			r(2023, time.February, 27, 111.4, 22.3, 222.7, 445.5),
			r(2024, time.March, 6, 119.5, 23.9, 239.0, 478.0),
			r(2025, time.February, 21, 126.4, 25.3, 252.9, 505.8),
			r(2026, time.February, 17, 133.9, 26.8, 267.8, 535.5),
		},
	}
}

// Validate checks that the regime has rules in strictly increasing order
// of From, a known Law, a merger level above NoControl, and thresholds of
// its law that are finite and non-negative (shares and TwoThirds in
// [0,1]). Errors wrap ErrInvalidArgument.
func (r Regime) Validate() error {
	if r.Law < LawUK || r.Law > LawUS {
		return invalid("regime %q: unknown law %d", r.Name, int(r.Law))
	}
	if r.MergerLevel <= NoControl || r.MergerLevel > LegalControl {
		return invalid("regime %q: merger level %v", r.Name, r.MergerLevel)
	}
	if len(r.Rules) == 0 {
		return invalid("regime %q: no rules", r.Name)
	}
	for i, x := range r.Rules {
		if i > 0 && !x.From.After(r.Rules[i-1].From) {
			return invalid("regime %q: rule %d from %s does not follow %s", r.Name, i, x.From.Format(time.DateOnly), r.Rules[i-1].From.Format(time.DateOnly))
		}
		var money, shares []float64
		switch r.Law {
		case LawUK:
			money = []float64{x.UK.TargetTurnover, x.UK.SafeHarbour, x.UK.HybridAcquirerTurnover}
			shares = []float64{x.UK.ShareOfSupply, x.UK.HybridShare}
		case LawEU:
			money = []float64{x.EU.World2, x.EU.EachEU2, x.EU.World3, x.EU.StateCombined3, x.EU.StateEach3, x.EU.EachEU3}
			shares = []float64{x.EU.TwoThirds}
		case LawUS:
			money = []float64{x.US.SizeOfTransaction, x.US.SizeOfPersonSmall, x.US.SizeOfPersonLarge, x.US.NoSizeOfPersonAbove}
		}
		for _, m := range money {
			if !finite(m) || m < 0 {
				return invalid("regime %q: rule %d has threshold %g", r.Name, i, m)
			}
		}
		for _, s := range shares {
			if !(s >= 0 && s <= 1) {
				return invalid("regime %q: rule %d has share %g outside [0,1]", r.Name, i, s)
			}
		}
	}
	return nil
}

// RuleAt is the rule in force on date: the last rule whose From is not
// after date. A date before the first rule is an error wrapping
// ErrInvalidArgument.
func (r Regime) RuleAt(date time.Time) (JurisdictionRule, error) {
	for i := len(r.Rules) - 1; i >= 0; i-- {
		if !r.Rules[i].From.After(date) {
			return r.Rules[i], nil
		}
	}
	return JurisdictionRule{}, invalid("regime %q: no rule in force on %s", r.Name, date.Format(time.DateOnly))
}

// DealKind is the legal form of a transaction.
type DealKind int

const (
	// StakeDeal: the acquirer buys shares or interests and rights in the
	// target; its position before and after decides whether this is a
	// merger.
	StakeDeal DealKind = iota
	// LicenceAndHire: the acquirer licenses the target's model and hires
	// its team. The UK and EU treat the transfer of staff and assets that
	// lets a business activity continue as the acquisition of an enterprise
	// (CMA2 ch. 4; the CMA's Microsoft/Inflection decision, 4 September
	// 2024, found a relevant merger situation); HSR reaches it only as an
	// asset acquisition, which needs an exclusive licence.
	LicenceAndHire
)

// String returns the kind's name.
func (k DealKind) String() string {
	switch k {
	case StakeDeal:
		return "stake"
	case LicenceAndHire:
		return "licence and hire"
	}
	return fmt.Sprintf("DealKind(%d)", int(k))
}

// StateTurnover is a party's turnover in one EU member state (€m).
type StateTurnover struct {
	State    string
	Turnover float64
}

// Party is one side of a transaction as the jurisdiction tests see it;
// amounts in millions of each regime's currency, for the last financial
// year, of the whole group (for the target, of the enterprise or business
// taken over).
type Party struct {
	// UKTurnover (£m).
	UKTurnover float64
	// UKShareOfSupply is the party's share of UK supply, in [0,1], of the
	// goods or services description the share-of-supply test uses (one both
	// parties supply, if any).
	UKShareOfSupply float64
	// UKLargestShare is the party's largest UK share of supply of any
	// description, for the hybrid test; the larger of it and
	// UKShareOfSupply is used.
	UKLargestShare float64
	// UKNexus: the party carries on activities in the UK or supplies UK
	// customers (the hybrid test's condition on the target).
	UKNexus bool
	// WorldTurnover (€m) and EUTurnover by member state (€m); EU-wide
	// turnover is their sum.
	WorldTurnover float64
	EUTurnover    []StateTurnover
	// USSize (US$m): annual net sales or total assets of the ultimate
	// parent entity, the larger, for the HSR size-of-person test.
	USSize float64
}

// EUWide is the party's EU-wide turnover (€m), the sum over member states.
func (p Party) EUWide() float64 {
	s := 0.0
	for _, x := range p.EUTurnover {
		s += x.Turnover
	}
	return s
}

// Transaction is a deal to test: its date (the day it completes), its
// kind, for a stake deal the acquirer's position in the target before and
// after with the target's governance, the value of what the acquirer holds
// as a result (US$m: voting securities, non-corporate interests and
// assets, for HSR), whether a licence is exclusive, and the two parties.
type Transaction struct {
	Date             time.Time
	Kind             DealKind
	Before, After    HolderPosition
	Governance       Governance
	ValueHeld        float64
	ExclusiveLicence bool
	Acquirer, Target Party
}

// Review is the answer of Regime.Review. Level and PriorLevel are the
// acquirer's position after and before under the regime's control rule
// (both NoControl for a licence-and-hire deal). Merger reports whether
// the deal is a merger the law covers at all (a relevant merger situation,
// a concentration, a reportable kind of acquisition), before any
// threshold; Reviewable whether it also meets a jurisdiction test in force
// on the date, Tests naming the tests met. Reason explains in words.
type Review struct {
	Regime            string
	Rule              JurisdictionRule
	Level, PriorLevel ControlLevel
	Merger            bool
	Reviewable        bool
	Tests             []string
	Reason            string
}

// Review answers whether the regime can review transaction t on t.Date.
//
// First, whether there is a merger: a licence-and-hire deal is one under
// LawUK and LawEU (the transfer of an enterprise), and under LawUS only
// with an exclusive licence (an asset acquisition); a stake deal is one
// when the acquirer's level after reaches the regime's MergerLevel and
// exceeds its level before (a change of control), except under LawUS,
// where it is one when the acquirer then holds voting securities that are
// not a passive holding (more than 10% or above the rule's
// MaterialInfluence), or, in an unincorporated target, gains control.
//
// Then the tests of the rule in force: LawUK turnover, share of supply
// (with the safe harbour) and hybrid; LawEU Art. 1(2) and 1(3) with the
// two-thirds rule; LawUS size of transaction and size of person. Errors
// wrap ErrInvalidArgument for an invalid regime, a date before its first
// rule, invalid positions, a negative or non-finite amount or a share
// outside [0,1], or a member state listed twice for one party.
func (r Regime) Review(t Transaction) (Review, error) {
	if err := r.Validate(); err != nil {
		return Review{}, fmt.Errorf("Review: %w", err)
	}
	rule, err := r.RuleAt(t.Date)
	if err != nil {
		return Review{}, fmt.Errorf("Review: %w", err)
	}
	if err := t.validate(); err != nil {
		return Review{}, fmt.Errorf("Review: %w", err)
	}
	rv := Review{Regime: r.Name, Rule: rule}
	var why string
	switch t.Kind {
	case LicenceAndHire:
		switch {
		case r.Law != LawUS:
			rv.Merger, why = true, "licence and hire transfers an enterprise"
		case t.ExclusiveLicence:
			rv.Merger, why = true, "an exclusive licence is an asset acquisition"
		default:
			why = "a non-exclusive licence and hiring are no acquisition of assets or voting securities"
		}
	case StakeDeal:
		after, err := r.Control.Classify(t.After, t.Governance)
		if err != nil {
			return Review{}, fmt.Errorf("Review: after: %w", err)
		}
		before, err := r.Control.Classify(t.Before, t.Governance)
		if err != nil {
			return Review{}, fmt.Errorf("Review: before: %w", err)
		}
		rv.Level, rv.PriorLevel = after.Level, before.Level
		if r.Law == LawUS {
			rv.Merger, why = usReportableKind(t, after.Level)
		} else {
			switch {
			case after.Level < r.MergerLevel:
				why = fmt.Sprintf("%v (%s) is below %v", after.Level, after.Reason, r.MergerLevel)
			case after.Level <= before.Level:
				why = fmt.Sprintf("no change of control: %v before and after", after.Level)
			default:
				rv.Merger = true
				why = fmt.Sprintf("acquires %v (%s) from %v", after.Level, after.Reason, before.Level)
			}
		}
	default:
		return Review{}, invalid("Review: unknown deal kind %d", int(t.Kind))
	}
	if !rv.Merger {
		rv.Reason = fmt.Sprintf("%s, %s: no merger: %s", r.Name, t.Date.Format(time.DateOnly), why)
		return rv, nil
	}
	var fails []string
	switch r.Law {
	case LawUK:
		rv.Tests, fails = ukTests(rule.UK, t)
	case LawEU:
		rv.Tests, fails = euTests(rule.EU, t)
	case LawUS:
		rv.Tests, fails = usTests(rule.US, t)
	}
	rv.Reviewable = len(rv.Tests) > 0
	if rv.Reviewable {
		rv.Reason = fmt.Sprintf("%s, %s: %s; reviewable: %s", r.Name, t.Date.Format(time.DateOnly), why, strings.Join(rv.Tests, "; "))
	} else {
		rv.Reason = fmt.Sprintf("%s, %s: %s; below the thresholds: %s", r.Name, t.Date.Format(time.DateOnly), why, strings.Join(fails, "; "))
	}
	return rv, nil
}

func (t Transaction) validate() error {
	if err := t.Governance.Validate(); err != nil {
		return err
	}
	if !finite(t.ValueHeld) || t.ValueHeld < 0 {
		return invalid("value held %g", t.ValueHeld)
	}
	for _, p := range []Party{t.Acquirer, t.Target} {
		for _, m := range []float64{p.UKTurnover, p.WorldTurnover, p.USSize} {
			if !finite(m) || m < 0 {
				return invalid("party amount %g", m)
			}
		}
		for _, s := range []float64{p.UKShareOfSupply, p.UKLargestShare} {
			if !(s >= 0 && s <= 1) {
				return invalid("party share of supply %g outside [0,1]", s)
			}
		}
		for i, x := range p.EUTurnover {
			if !finite(x.Turnover) || x.Turnover < 0 {
				return invalid("turnover %g in %q", x.Turnover, x.State)
			}
			for _, y := range p.EUTurnover[:i] {
				if y.State == x.State {
					return invalid("member state %q listed twice", x.State)
				}
			}
		}
	}
	return nil
}

// usReportableKind reports whether a stake deal is an acquisition HSR
// covers, with the reason.
func usReportableKind(t Transaction, after ControlLevel) (bool, string) {
	if t.Governance.Unincorporated {
		if after == LegalControl {
			return true, "acquires non-corporate interests that confer control"
		}
		return false, "non-corporate interests that confer no control (" + after.String() + ")"
	}
	switch {
	case !(t.After.Votes > 0):
		return false, "no voting securities held (non-voting shares or interests)"
	case t.After.Votes <= 0.10 && after < MaterialInfluence:
		return false, fmt.Sprintf("%.4g%% of the votes solely for the purpose of investment", 100*t.After.Votes)
	}
	return true, fmt.Sprintf("acquires voting securities (%.4g%% of the votes, %v)", 100*t.After.Votes, after)
}

func ukTests(u UKThresholds, t Transaction) (met, fails []string) {
	a, g := t.Acquirer, t.Target
	if g.UKTurnover > u.TargetTurnover {
		met = append(met, fmt.Sprintf("turnover test (target £%.4gm > £%.4gm)", g.UKTurnover, u.TargetTurnover))
	} else {
		fails = append(fails, fmt.Sprintf("target UK turnover £%.4gm <= £%.4gm", g.UKTurnover, u.TargetTurnover))
	}
	combined := a.UKShareOfSupply + g.UKShareOfSupply
	harbour := u.SafeHarbour > 0 && !(a.UKTurnover > u.SafeHarbour || g.UKTurnover > u.SafeHarbour)
	switch {
	case !(a.UKShareOfSupply > 0 && g.UKShareOfSupply > 0):
		fails = append(fails, "no increment in a UK share of supply")
	case combined < u.ShareOfSupply:
		fails = append(fails, fmt.Sprintf("combined share of supply %.4g%% < %.4g%%", 100*combined, 100*u.ShareOfSupply))
	case harbour:
		fails = append(fails, fmt.Sprintf("safe harbour: each party's UK turnover <= £%.4gm", u.SafeHarbour))
	default:
		met = append(met, fmt.Sprintf("share of supply test (%.4g%% >= %.4g%%)", 100*combined, 100*u.ShareOfSupply))
	}
	if u.HybridAcquirerTurnover > 0 {
		share := max(a.UKShareOfSupply, a.UKLargestShare)
		if a.UKTurnover > u.HybridAcquirerTurnover && share >= u.HybridShare && g.UKNexus {
			met = append(met, fmt.Sprintf("hybrid test (acquirer £%.4gm > £%.4gm, share %.4g%% >= %.4g%%, target UK nexus)", a.UKTurnover, u.HybridAcquirerTurnover, 100*share, 100*u.HybridShare))
		} else {
			fails = append(fails, "hybrid test not met")
		}
	}
	return met, fails
}

func euTests(e EUThresholds, t Transaction) (met, fails []string) {
	ps := []Party{t.Acquirer, t.Target}
	world := t.Acquirer.WorldTurnover + t.Target.WorldTurnover
	// Two-thirds rule: each party earns more than TwoThirds of its EU-wide
	// turnover in one and the same member state.
	same := ""
	for i, p := range ps {
		eu := p.EUWide()
		top := ""
		for _, x := range p.EUTurnover {
			if eu > 0 && x.Turnover > e.TwoThirds*eu {
				top = x.State
			}
		}
		if top == "" || (i > 0 && top != same) {
			same = ""
			break
		}
		same = top
	}
	if same != "" {
		return nil, []string{fmt.Sprintf("two-thirds rule: each party earns more than %.4g of its EU turnover in %s", e.TwoThirds, same)}
	}
	eachEU := func(v float64) bool { return ps[0].EUWide() > v && ps[1].EUWide() > v }
	if world > e.World2 && eachEU(e.EachEU2) {
		met = append(met, fmt.Sprintf("Art. 1(2) (worldwide €%.4gm > €%.4gm, each EU-wide > €%.4gm)", world, e.World2, e.EachEU2))
	} else {
		fails = append(fails, "Art. 1(2) not met")
	}
	// Art. 1(3)(b)-(c): member states where the combined turnover exceeds
	// StateCombined3 and each party's exceeds StateEach3 (with two parties,
	// "each of at least two" is each).
	states := 0
	for _, x := range ps[0].EUTurnover {
		y := 0.0
		for _, z := range ps[1].EUTurnover {
			if z.State == x.State {
				y += z.Turnover
			}
		}
		if x.Turnover+y > e.StateCombined3 && x.Turnover > e.StateEach3 && y > e.StateEach3 {
			states++
		}
	}
	if world > e.World3 && states >= 3 && eachEU(e.EachEU3) {
		met = append(met, fmt.Sprintf("Art. 1(3) (worldwide €%.4gm > €%.4gm, %d member states)", world, e.World3, states))
	} else {
		fails = append(fails, "Art. 1(3) not met")
	}
	return met, fails
}

func usTests(h HSRThresholds, t Transaction) (met, fails []string) {
	v := t.ValueHeld
	if !(v > h.SizeOfTransaction) {
		return nil, []string{fmt.Sprintf("size of transaction $%.4gm <= $%.4gm", v, h.SizeOfTransaction)}
	}
	if v > h.NoSizeOfPersonAbove {
		return []string{fmt.Sprintf("size of transaction $%.4gm > $%.4gm", v, h.NoSizeOfPersonAbove)}, nil
	}
	a, g := t.Acquirer.USSize, t.Target.USSize
	if (a >= h.SizeOfPersonLarge && g >= h.SizeOfPersonSmall) || (g >= h.SizeOfPersonLarge && a >= h.SizeOfPersonSmall) {
		return []string{fmt.Sprintf("size of transaction $%.4gm > $%.4gm and size of person ($%.4gm, $%.4gm)", v, h.SizeOfTransaction, h.SizeOfPersonLarge, h.SizeOfPersonSmall)}, nil
	}
	return nil, []string{fmt.Sprintf("size of person not met (parties $%.4gm and $%.4gm)", a, g)}
}
