package market

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestShareThrough(t *testing.T) {
	flows := [][]float64{{60, 40, 0}, {30, 0, 70}, {0, 0, 0}}
	cases := []struct {
		name          string
		from, through []bool
		want          float64
	}{
		{"rows 0-1 through column 0", []bool{true, true, false}, []bool{true, false, false}, 90.0 / 200},
		{"row 1 through columns 0 and 2", []bool{false, true, false}, []bool{true, false, true}, 1},
		{"row 0 through nothing", []bool{true, false, false}, []bool{false, false, false}, 0},
		{"an empty row", []bool{false, false, true}, []bool{true, true, true}, 0},
	}
	for _, c := range cases {
		got, err := ShareThrough(flows, c.from, c.through)
		if err != nil {
			t.Fatal(err)
		}
		checkExact(t, c.name, got, c.want)
	}
	for name, f := range map[string]func() error{
		"row selectors": func() error { _, err := ShareThrough(flows, []bool{true}, []bool{true, true, true}); return err },
		"ragged": func() error {
			_, err := ShareThrough([][]float64{{1, 2}, {1}}, []bool{true, true}, []bool{true, true})
			return err
		},
		"negative": func() error { _, err := ShareThrough([][]float64{{-1}}, []bool{true}, []bool{true}); return err },
		"NaN": func() error {
			_, err := ShareThrough([][]float64{{math.NaN()}}, []bool{true}, []bool{true})
			return err
		},
	} {
		if err := f(); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", name, err)
		}
	}
}

// A hand-built vertical market: lab 0 is the target, labs 1 and 2 its
// rivals, lab 3 the acquirer's in-house lab; cloud 0 is the acquirer;
// channels are direct sales and the three clouds' marketplaces.
func TestVerticalScreen(t *testing.T) {
	base := func() VerticalMarket {
		return VerticalMarket{
			ComputeUse:       [][]float64{{100, 0, 0}, {60, 40, 0}, {30, 0, 70}, {50, 0, 0}},
			Sales:            [][]float64{{2, 6, 2, 0}, {5, 1, 1, 1}, {4, 0, 0, 2}, {0, 3, 0, 0}},
			Target:           0,
			Rivals:           []bool{false, true, true, false},
			MergedClouds:     []bool{true, false, false},
			AcquirerChannels: []bool{false, true, false, false},
		}
	}
	cases := []struct {
		name        string
		edit        func(*VerticalMarket)
		input, dist float64
		ic, dc      bool
	}{
		// Rivals buy 90 of their 200 GPU-hours from the acquirer; the target
		// sells 6 of 10 through the acquirer's marketplace.
		{"base", func(*VerticalMarket) {}, 0.45, 0.6, false, true},
		{"rival 2 moves to the acquirer", func(m *VerticalMarket) { m.ComputeUse[2] = []float64{50, 0, 50} }, 0.55, 0.6, true, true},
		{"target sells direct", func(m *VerticalMarket) { m.Sales[0] = []float64{8, 1, 1, 0} }, 0.45, 0.1, false, false},
		// The in-house lab is not a rival: its compute does not count.
		{"in-house lab counted as a rival", func(m *VerticalMarket) { m.Rivals[3] = true }, 140.0 / 250, 0.6, true, true},
		// Buying a second cloud adds its capacity to the merged firm's.
		{"merged firm owns clouds 0 and 2", func(m *VerticalMarket) { m.MergedClouds[2] = true }, 0.8, 0.6, true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := base()
			c.edit(&m)
			r, err := VerticalScreen(m, DefaultVerticalRule())
			if err != nil {
				t.Fatal(err)
			}
			checkExact(t, "input foreclosure", r.InputForeclosure, c.input)
			checkExact(t, "target through acquirer", r.TargetThroughAcquirer, c.dist)
			if r.InputConcern != c.ic || r.DistributionConcern != c.dc {
				t.Errorf("concerns %v %v (%s), want %v %v", r.InputConcern, r.DistributionConcern, r.Reason, c.ic, c.dc)
			}
		})
	}
	bad := base()
	bad.Rivals[0] = true
	if _, err := VerticalScreen(bad, DefaultVerticalRule()); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("target among rivals: %v", err)
	}
	bad = base()
	bad.Target = 9
	if _, err := VerticalScreen(bad, DefaultVerticalRule()); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("target out of range: %v", err)
	}
	if _, err := VerticalScreen(base(), VerticalRule{InputShare: 1.5}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("threshold above 1: %v", err)
	}
}

// The horizontal screen on a model market that includes the clouds' own
// models: a cloud buying a lab is horizontal only through its own model.
func TestHorizontalScreenWithOwnModels(t *testing.T) {
	// lab A 32, lab B 25, cloud X's own model 8, cloud Y's own model 0 (none
	// offered), fringe 35 x 1%.
	shares := withOnes([]float64{32, 25, 8, 0}, 35)
	cases := []struct {
		name        string
		cloud, lab  int
		delta       float64
		presumption bool
	}{
		{"cloud with an own model buys lab B", 2, 1, 400, true},
		{"cloud with no own model buys lab B", 3, 1, 0, false},
		{"cloud with an own model buys a 1% lab", 2, 4, 16, false},
	}
	for _, c := range cases {
		r, err := MergerScreen(shares, c.cloud, c.lab, Guidelines2023)
		if err != nil {
			t.Fatal(err)
		}
		checkExact(t, c.name+": dHHI", r.DeltaHHI, c.delta)
		if r.Presumption != c.presumption {
			t.Errorf("%s: presumption %v (%s), want %v", c.name, r.Presumption, r.Reason, c.presumption)
		}
	}
}

// mhhiBrute evaluates O'Brien and Salop's formula directly from the
// owners' profit interests and control weights given as maps.
func mhhiBrute(shares []float64, gamma, beta map[string][]float64) float64 {
	h := 0.0
	for j := range shares {
		h += shares[j] * shares[j]
		for k := range shares {
			if k == j {
				continue
			}
			num, den := 0.0, 0.0
			for o := range gamma {
				num += gamma[o][j] * beta[o][k]
				den += gamma[o][j] * beta[o][j]
			}
			if num != 0 {
				h += shares[j] * shares[k] * num / den
			}
		}
	}
	return h
}

// A cloud (firm 0, 30%) is wholly held by its own shareholders, here the
// holder "cloud"; a lab (firm 1, 20%) is controlled by a nonprofit with 51%
// of its profits and every vote, and "cloud" holds 49% of the lab's
// profits with no votes, is its key compute supplier and has information
// rights; a rival lab (firm 2, 25%) has a 20% voting investor "fund" that
// also holds 10% of the lab; the rest of the market is 25 x 1%.
func TestMHHIWithControl(t *testing.T) {
	firms := func() []FirmOwnership {
		f := []FirmOwnership{
			{Firm: "cloud", SharePct: 30, Governance: Governance{BoardSize: 9},
				Positions: []HolderPosition{{Holder: "cloud", Equity: 1, ProfitInterest: 1, Votes: 1}}},
			{Firm: "lab", SharePct: 20, Governance: Governance{BoardSize: 7, Unincorporated: true},
				Positions: []HolderPosition{
					{Holder: "nonprofit", Equity: 0.51, ProfitInterest: 0.51, Votes: 1, BoardSeats: 7},
					{Holder: "cloud", Equity: 0.49, ProfitInterest: 0.49, KeyInput: true, Information: true}}},
			{Firm: "rival", SharePct: 25, Governance: Governance{BoardSize: 5},
				Positions: []HolderPosition{
					{Holder: "founders", Equity: 0.8, ProfitInterest: 0.8, Votes: 0.8, BoardSeats: 4},
					{Holder: "fund", Equity: 0.2, ProfitInterest: 0.2, Votes: 0.2, BoardSeats: 1}}},
		}
		for range 25 {
			f = append(f, FirmOwnership{Firm: "fringe", SharePct: 1})
		}
		return f
	}
	// The fund also holds 10% of the lab's profits (non-voting).
	withFund := func() []FirmOwnership {
		f := firms()
		f[1].Positions[0].ProfitInterest, f[1].Positions[0].Equity = 0.41, 0.41
		f[1].Positions = append(f[1].Positions, HolderPosition{Holder: "fund", Equity: 0.1, ProfitInterest: 0.1})
		return f
	}
	// The rival's founders control it de facto (45% of the votes, 4 of 5
	// seats); the fund keeps 20% and a seat and holds 10% of the lab.
	deFacto := func() []FirmOwnership {
		f := withFund()
		f[2].Positions = []HolderPosition{
			{Holder: "founders", Equity: 0.45, ProfitInterest: 0.45, Votes: 0.45, BoardSeats: 4},
			{Holder: "fund", Equity: 0.2, ProfitInterest: 0.2, Votes: 0.2, BoardSeats: 1},
			{Holder: "public", Equity: 0.35, ProfitInterest: 0.35, Votes: 0.35}}
		return f
	}
	hhi := 900.0 + 400 + 625 + 25
	cases := []struct {
		name  string
		firms []FirmOwnership
		rule  ControlRule
		w     ControlWeighting
		delta float64
	}{
		// Sole control: the nonprofit runs the lab; only the cloud's stake
		// counts, on the cloud's side: 30 x 20 x 0.49.
		{"UK, sole control", firms(), UKControlRule(), DefaultControlWeighting(), 30 * 20 * 0.49},
		// Without sole control the cloud's material influence gives it
		// weight 0.25 in the lab: 294 + 20 x 30 x 0.25/(0.51 + 0.25 x 0.49).
		{"UK, influence weight", firms(), UKControlRule(), ControlWeighting{Influence: 0.25}, 294 + 600*0.25/(0.51+0.25*0.49)},
		// The EU sees no influence: the cloud's weight in the lab is its 0 votes.
		{"EU, influence weight", firms(), EUControlRule(), ControlWeighting{Influence: 0.25}, 294},
		// The fund (20% votes, a seat: material influence in the rival) also
		// holds 10% of the lab: the rival's founders control, so it adds
		// nothing under sole control ...
		{"UK, fund, sole control", withFund(), UKControlRule(), DefaultControlWeighting(), 294},
		// A de facto controller runs the firm as a legal one does.
		{"UK, fund, de facto controller", deFacto(), UKControlRule(), DefaultControlWeighting(), 294},
		// ... and with proportional control the rival weighs the lab's
		// profits: 25 x 20 x (0.25 x 0.1)/(0.8 x 0.8 + 0.25 x 0.2), plus the
		// lab side: the cloud term 20 x 30 x 0.25 over the lab's new
		// denominator 1 x 0.41 + 0.25 x 0.49.
		{"UK, fund, proportional", withFund(), UKControlRule(), ControlWeighting{Influence: 0.25},
			294 + 600*0.25/(0.41+0.25*0.49) + 500*0.25*0.1/(0.8*0.8+0.25*0.2)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := MHHIWithControl(c.firms, c.rule, c.w)
			if err != nil {
				t.Fatal(err)
			}
			checkExact(t, "HHI", r.HHI, hhi)
			checkTol(t, "delta", r.Delta, c.delta, 1e-9)
			// Independent evaluation from the weights.
			gamma, beta := map[string][]float64{}, map[string][]float64{}
			shares := make([]float64, len(c.firms))
			for j := range c.firms {
				shares[j] = c.firms[j].SharePct
			}
			for i, o := range r.Owners {
				gamma[o], beta[o] = r.Control[i], r.Profit[i]
			}
			checkTol(t, "MHHI vs brute force", r.MHHI, mhhiBrute(shares, gamma, beta), 1e-9)
		})
	}
	r, _ := MHHIWithControl(firms(), UKControlRule(), DefaultControlWeighting())
	if r.Owners[0] != "cloud" || r.Levels[0][1] != MaterialInfluence || r.Levels[1][1] != LegalControl {
		t.Errorf("owners %q, levels %v", r.Owners, r.Levels)
	}
	if _, err := MHHIWithControl(firms(), UKControlRule(), ControlWeighting{Influence: 2}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("influence weight 2: %v", err)
	}
	over := firms()
	over[0].SharePct = 90
	if _, err := MHHIWithControl(over, UKControlRule(), DefaultControlWeighting()); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("shares over 100: %v", err)
	}
}

func TestPartialOwnershipScreen(t *testing.T) {
	cases := []struct {
		before, after        float64
		regime               GuidelineRegime
		presumption, concern bool
	}{
		{1700, 1900, Guidelines2023, true, true},
		{1750, 1820, Guidelines2023, false, false},
		{1400, 1600, Guidelines2023, false, false},
		{1400, 1600, Guidelines2010, false, true},
		{2400, 2700, Guidelines2010, true, true},
	}
	for _, c := range cases {
		r, err := PartialOwnershipScreen(c.before, c.after, c.regime)
		if err != nil {
			t.Fatal(err)
		}
		checkExact(t, "delta", r.DeltaHHI, c.after-c.before)
		if strings.Contains(r.Reason, "merged share") {
			t.Errorf("reason %q: a partial acquisition merges no shares", r.Reason)
		}
		if r.Presumption != c.presumption || r.Concern != c.concern {
			t.Errorf("%v -> %v (%v): %v %v (%s), want %v %v", c.before, c.after, c.regime, r.Presumption, r.Concern, r.Reason, c.presumption, c.concern)
		}
	}
	if _, err := PartialOwnershipScreen(math.NaN(), 1, Guidelines2023); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("NaN: %v", err)
	}
	if _, err := PartialOwnershipScreen(1, 2, 9); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("unknown regime: %v", err)
	}
}
