package market

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// A large cloud acquirer and a small lab target, in the UK.
var (
	ukCloud = Party{UKTurnover: 5000, UKShareOfSupply: 0.10, UKLargestShare: 0.40, USSize: 200000}
	ukLab   = Party{UKTurnover: 30, UKShareOfSupply: 0.02, UKNexus: true, USSize: 50}
)

func TestReviewUK(t *testing.T) {
	withTurnover := func(p Party, uk float64) Party { p.UKTurnover = uk; return p }
	withShare := func(p Party, s float64) Party { p.UKShareOfSupply = s; return p }
	noHybrid := ukCloud
	noHybrid.UKLargestShare = 0.2
	none := HolderPosition{Holder: "cloud"}
	cases := []struct {
		name             string
		tx               Transaction
		merger, review   bool
		testSubstr       string
		level, priorLevl ControlLevel
	}{
		// A minority investor with consultation rights and first notice:
		// material influence (a merger situation) but the target's UK
		// turnover and the share of supply are below the thresholds.
		{"consultation + first notice, small target, 2024", Transaction{Date: date(2024, time.August, 1),
			After: consultNotice15, Before: none, Governance: board7, Acquirer: noHybrid, Target: ukLab},
			true, false, "", MaterialInfluence, NoControl},
		{"consultation + first notice, small target, 2025", Transaction{Date: date(2025, time.June, 1),
			After: consultNotice15, Before: none, Governance: board7, Acquirer: noHybrid, Target: ukLab},
			true, false, "", MaterialInfluence, NoControl},
		// The same rights without the 15% vote are no material influence.
		{"consultation + first notice, non-voting", Transaction{Date: date(2024, time.August, 1),
			After: consultNoticeNonVoting, Before: none, Governance: board7, Acquirer: noHybrid, Target: withTurnover(ukLab, 500)},
			false, false, "", NoControl, NoControl},
		// The turnover threshold moved from £70m to £100m on 1 Jan 2025.
		{"£80m target, 31 Dec 2024", Transaction{Date: date(2024, time.December, 31),
			After: consultNotice15, Before: none, Governance: board7, Acquirer: noHybrid, Target: withTurnover(ukLab, 80)},
			true, true, "turnover test", MaterialInfluence, NoControl},
		{"£80m target, 1 Jan 2025", Transaction{Date: date(2025, time.January, 1),
			After: consultNotice15, Before: none, Governance: board7, Acquirer: noHybrid, Target: withTurnover(ukLab, 80)},
			true, false, "", MaterialInfluence, NoControl},
		{"£120m target, 2025", Transaction{Date: date(2025, time.March, 1),
			After: consultNotice15, Before: none, Governance: board7, Acquirer: noHybrid, Target: withTurnover(ukLab, 120)},
			true, true, "turnover test", MaterialInfluence, NoControl},
		// No change of control: material influence before and after (the
		// CMA's Microsoft/OpenAI decision) is no merger, however large.
		{"material influence stays material influence", Transaction{Date: date(2025, time.March, 5),
			Before: profitInterest49, After: func() HolderPosition { p := profitInterest49; p.ObserverSeats = 1; return p }(),
			Governance: llcBoard7, Acquirer: ukCloud, Target: withTurnover(ukLab, 1000)},
			false, false, "", MaterialInfluence, MaterialInfluence},
		// Moving up a level is a new merger situation.
		{"material influence to legal control", Transaction{Date: date(2024, time.May, 1),
			Before: voter26, After: voter51, Governance: board7, Acquirer: noHybrid, Target: withTurnover(ukLab, 150)},
			true, true, "turnover test", LegalControl, MaterialInfluence},
		// A licence-and-hire deal of a weak lab: the transfer of its team
		// and a licence to its model is a relevant merger situation (the
		// CMA's Microsoft/Inflection decision), and the share of supply
		// test is met with an increment.
		{"licence and hire, 2024", Transaction{Date: date(2024, time.March, 19), Kind: LicenceAndHire,
			Acquirer: withShare(noHybrid, 0.25), Target: withTurnover(withShare(ukLab, 0.01), 5)},
			true, true, "share of supply", NoControl, NoControl},
		{"licence and hire, no overlap, 2024", Transaction{Date: date(2024, time.March, 19), Kind: LicenceAndHire,
			Acquirer: withShare(noHybrid, 0.25), Target: withTurnover(withShare(ukLab, 0), 5)},
			true, false, "", NoControl, NoControl},
		// The safe harbour from 2025: each party's UK turnover <= £10m.
		{"two small firms with 30%, 2024", Transaction{Date: date(2024, time.June, 1), After: voter51, Before: none, Governance: board7,
			Acquirer: Party{UKTurnover: 8, UKShareOfSupply: 0.2}, Target: Party{UKTurnover: 2, UKShareOfSupply: 0.1}},
			true, true, "share of supply", LegalControl, NoControl},
		{"two small firms with 30%, 2025", Transaction{Date: date(2025, time.June, 1), After: voter51, Before: none, Governance: board7,
			Acquirer: Party{UKTurnover: 8, UKShareOfSupply: 0.2}, Target: Party{UKTurnover: 2, UKShareOfSupply: 0.1}},
			true, false, "", LegalControl, NoControl},
		// The hybrid test from 2025: a large acquirer with 40% of some UK
		// supply buying a target with a UK nexus, no overlap needed.
		{"hybrid, 2025", Transaction{Date: date(2025, time.June, 1), After: voter51, Before: none, Governance: board7,
			Acquirer: ukCloud, Target: withTurnover(withShare(ukLab, 0), 1)},
			true, true, "hybrid", LegalControl, NoControl},
		{"hybrid, 2024", Transaction{Date: date(2024, time.June, 1), After: voter51, Before: none, Governance: board7,
			Acquirer: ukCloud, Target: withTurnover(withShare(ukLab, 0), 1)},
			true, false, "", LegalControl, NoControl},
		{"hybrid without a UK nexus, 2025", Transaction{Date: date(2025, time.June, 1), After: voter51, Before: none, Governance: board7,
			Acquirer: ukCloud, Target: Party{UKTurnover: 0}},
			true, false, "", LegalControl, NoControl},
	}
	uk := UKRegime()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := uk.Review(c.tx)
			if err != nil {
				t.Fatal(err)
			}
			if r.Merger != c.merger || r.Reviewable != c.review {
				t.Errorf("merger %v reviewable %v (%s), want %v %v", r.Merger, r.Reviewable, r.Reason, c.merger, c.review)
			}
			if r.Level != c.level || r.PriorLevel != c.priorLevl {
				t.Errorf("levels %v from %v, want %v from %v", r.Level, r.PriorLevel, c.level, c.priorLevl)
			}
			if c.testSubstr != "" && !strings.Contains(strings.Join(r.Tests, ";"), c.testSubstr) {
				t.Errorf("tests %q, want one containing %q", r.Tests, c.testSubstr)
			}
			if r.Reason == "" {
				t.Error("empty reason")
			}
		})
	}
}

func TestReviewEU(t *testing.T) {
	acq := Party{WorldTurnover: 200000, EUTurnover: []StateTurnover{{"DE", 5000}, {"FR", 3000}, {"IT", 2000}}}
	big := Party{WorldTurnover: 1000, EUTurnover: []StateTurnover{{"DE", 300}}}
	threeStates := Party{WorldTurnover: 400, EUTurnover: []StateTurnover{{"DE", 40}, {"FR", 35}, {"IT", 30}}}
	twoStates := Party{WorldTurnover: 400, EUTurnover: []StateTurnover{{"DE", 60}, {"FR", 45}}}
	germanAcq := Party{WorldTurnover: 9000, EUTurnover: []StateTurnover{{"DE", 5000}, {"FR", 300}}}
	germanTarget := Party{WorldTurnover: 900, EUTurnover: []StateTurnover{{"DE", 800}}}
	none := HolderPosition{Holder: "cloud"}
	when := date(2024, time.June, 1)
	cases := []struct {
		name           string
		tx             Transaction
		merger, review bool
		test           string
	}{
		{"sole control, Art. 1(2)", Transaction{Date: when, After: voter51, Before: none, Governance: board7, Acquirer: acq, Target: big}, true, true, "Art. 1(2)"},
		{"sole control, Art. 1(3)", Transaction{Date: when, After: voter51, Before: none, Governance: board7, Acquirer: acq, Target: threeStates}, true, true, "Art. 1(3)"},
		{"sole control, two states only", Transaction{Date: when, After: voter51, Before: none, Governance: board7, Acquirer: acq, Target: twoStates}, true, false, ""},
		{"two-thirds in Germany", Transaction{Date: when, After: voter51, Before: none, Governance: board7, Acquirer: germanAcq, Target: germanTarget}, true, false, ""},
		// A budget veto is joint control: a concentration.
		{"budget veto", Transaction{Date: when, After: veto10, Before: none, Governance: board7, Acquirer: acq, Target: big}, true, true, "Art. 1(2)"},
		// Material influence is no concentration in the EU.
		{"49% profit interest", Transaction{Date: when, After: profitInterest49, Before: none, Governance: llcBoard7, Acquirer: acq, Target: big}, false, false, ""},
		{"licence and hire, small target", Transaction{Date: when, Kind: LicenceAndHire, Acquirer: acq, Target: Party{WorldTurnover: 5, EUTurnover: []StateTurnover{{"FR", 2}}}}, true, false, ""},
	}
	eu := EURegime()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := eu.Review(c.tx)
			if err != nil {
				t.Fatal(err)
			}
			if r.Merger != c.merger || r.Reviewable != c.review {
				t.Errorf("merger %v reviewable %v (%s), want %v %v", r.Merger, r.Reviewable, r.Reason, c.merger, c.review)
			}
			if c.test != "" && !strings.Contains(strings.Join(r.Tests, ";"), c.test) {
				t.Errorf("tests %q, want %q", r.Tests, c.test)
			}
		})
	}
}

func TestReviewUS(t *testing.T) {
	cloud := Party{USSize: 200000}
	lab := Party{USSize: 50}
	tiny := Party{USSize: 10}
	v20 := HolderPosition{Holder: "cloud", Equity: 0.2, ProfitInterest: 0.2, Votes: 0.2}
	seat5 := voter5
	seat5.BoardSeats = 1
	nonVoting := HolderPosition{Holder: "cloud", Equity: 0.3, ProfitInterest: 0.3}
	tx := func(d time.Time, p HolderPosition, g Governance, value float64, target Party) Transaction {
		return Transaction{Date: d, After: p, Governance: g, ValueHeld: value, Acquirer: cloud, Target: target}
	}
	cases := []struct {
		name           string
		tx             Transaction
		merger, review bool
	}{
		{"20% votes, $150m, 2024", tx(date(2024, time.June, 1), v20, board7, 150, lab), true, true},
		// The threshold moved from $119.5m to $126.4m on 21 Feb 2025.
		{"20% votes, $125m, 20 Feb 2025", tx(date(2025, time.February, 20), v20, board7, 125, lab), true, true},
		{"20% votes, $125m, 21 Feb 2025", tx(date(2025, time.February, 21), v20, board7, 125, lab), true, false},
		{"$111m, 2023 after 27 Feb", tx(date(2023, time.March, 1), v20, board7, 111, lab), true, false},
		{"$112m, 2023 after 27 Feb", tx(date(2023, time.March, 1), v20, board7, 112, lab), true, true},
		{"$300m, small target, 2025", tx(date(2025, time.June, 1), v20, board7, 300, tiny), true, false},
		{"$600m, small target, 2025", tx(date(2025, time.June, 1), v20, board7, 600, tiny), true, true},
		// 49% of an LLC's profits confers no control: not reportable.
		{"49% of an LLC, $10bn", tx(date(2023, time.March, 1), profitInterest49, llcBoard7, 10000, lab), false, false},
		{"50% of an LLC, $10bn", tx(date(2023, time.March, 1), profit50LLC, noBoardLLC, 10000, lab), true, true},
		{"non-voting shares, $2bn", tx(date(2024, time.June, 1), nonVoting, board7, 2000, lab), false, false},
		// Not even with a board seat: HSR reaches voting securities only.
		{"non-voting shares and a seat, $2bn", tx(date(2024, time.June, 1), func() HolderPosition { p := nonVoting; p.BoardSeats = 1; return p }(), board7, 2000, lab), false, false},
		{"5% passive, $500m", tx(date(2024, time.June, 1), voter5, board7, 500, lab), false, false},
		{"5% with a board seat, $500m", tx(date(2024, time.June, 1), seat5, board7, 500, lab), true, true},
		{"licence and hire, non-exclusive", Transaction{Date: date(2024, time.March, 19), Kind: LicenceAndHire, ValueHeld: 650, Acquirer: cloud, Target: lab}, false, false},
		{"licence and hire, exclusive", Transaction{Date: date(2024, time.March, 19), Kind: LicenceAndHire, ExclusiveLicence: true, ValueHeld: 650, Acquirer: cloud, Target: lab}, true, true},
	}
	us := USRegime()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := us.Review(c.tx)
			if err != nil {
				t.Fatal(err)
			}
			if r.Merger != c.merger || r.Reviewable != c.review {
				t.Errorf("merger %v reviewable %v (%s), want %v %v", r.Merger, r.Reviewable, r.Reason, c.merger, c.review)
			}
		})
	}
}

func TestRegimeRules(t *testing.T) {
	for _, r := range []Regime{UKRegime(), EURegime(), USRegime()} {
		if err := r.Validate(); err != nil {
			t.Errorf("%s: %v", r.Name, err)
		}
	}
	us := USRegime()
	for _, c := range []struct {
		d    time.Time
		want float64
	}{
		{date(2019, time.January, 1), 84.4}, {date(2019, time.April, 3), 90}, {date(2023, time.February, 26), 101},
		{date(2023, time.February, 27), 111.4}, {date(2024, time.March, 5), 111.4}, {date(2024, time.March, 6), 119.5},
		{date(2025, time.February, 21), 126.4}, {date(2026, time.February, 17), 133.9}, {date(2030, time.January, 1), 133.9},
	} {
		rule, err := us.RuleAt(c.d)
		if err != nil {
			t.Fatal(err)
		}
		if rule.US.SizeOfTransaction != c.want {
			t.Errorf("%s: size of transaction %g, want %g", c.d.Format(time.DateOnly), rule.US.SizeOfTransaction, c.want)
		}
	}
	uk := UKRegime()
	for _, c := range []struct {
		d    time.Time
		want float64
	}{{date(2019, time.January, 1), 70}, {date(2024, time.December, 31), 70}, {date(2025, time.January, 1), 100}} {
		rule, _ := uk.RuleAt(c.d)
		if rule.UK.TargetTurnover != c.want {
			t.Errorf("UK %s: £%gm, want £%gm", c.d.Format(time.DateOnly), rule.UK.TargetTurnover, c.want)
		}
	}
	if _, err := us.RuleAt(date(2017, time.June, 1)); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("date before the first rule: %v", err)
	}
}

func TestReviewBadInput(t *testing.T) {
	good := Transaction{Date: date(2024, time.June, 1), After: voter51, Governance: board7}
	unsorted := USRegime()
	unsorted.Rules[0], unsorted.Rules[1] = unsorted.Rules[1], unsorted.Rules[0]
	negative := UKRegime()
	negative.Rules[0].UK.TargetTurnover = -1
	cases := []struct {
		name string
		r    Regime
		tx   Transaction
	}{
		{"unsorted rules", unsorted, good},
		{"negative threshold", negative, good},
		{"no rules", Regime{Name: "x", MergerLevel: MaterialInfluence}, good},
		{"unknown law", Regime{Name: "x", Law: 7, MergerLevel: MaterialInfluence, Rules: UKRegime().Rules}, good},
		{"too early", UKRegime(), Transaction{Date: date(2001, time.January, 1), After: voter51, Governance: board7}},
		{"bad position", UKRegime(), Transaction{Date: good.Date, After: HolderPosition{Votes: 2}, Governance: board7}},
		{"negative value", USRegime(), Transaction{Date: good.Date, After: voter51, Governance: board7, ValueHeld: -1}},
		{"share above 1", UKRegime(), Transaction{Date: good.Date, After: voter51, Governance: board7, Target: Party{UKShareOfSupply: 1.5}}},
		{"state twice", EURegime(), Transaction{Date: good.Date, After: voter51, Governance: board7, Target: Party{EUTurnover: []StateTurnover{{"DE", 1}, {"DE", 2}}}}},
		{"unknown kind", UKRegime(), Transaction{Date: good.Date, Kind: 5}},
	}
	for _, c := range cases {
		if _, err := c.r.Review(c.tx); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", c.name, err)
		}
	}
}
