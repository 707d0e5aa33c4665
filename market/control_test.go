package market

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// Hand-built positions, several modelled on the public record (see
// UKControlRule for the decisions they follow).
var (
	// A capped-profit subsidiary's investor: 49% of profits, no votes, no
	// board seat, the firm's exclusive compute supplier, information rights.
	profitInterest49 = HolderPosition{Holder: "investor", Equity: 0.49, ProfitInterest: 0.49, KeyInput: true, Information: true}
	// The same interest with no means of influence at all.
	profitInterest49Bare = HolderPosition{Holder: "investor", Equity: 0.49, ProfitInterest: 0.49}
	// A minority investor with 15% of the votes, consultation rights and
	// first notice of a change of control.
	consultNotice15 = HolderPosition{Holder: "investor", Equity: 0.15, ProfitInterest: 0.15, Votes: 0.15, Consultation: true, FirstNotice: true}
	// Non-voting shares, consultation rights and first notice, from a
	// non-exclusive supplier.
	consultNoticeNonVoting = HolderPosition{Holder: "investor", Equity: 0.14, ProfitInterest: 0.14, Consultation: true, FirstNotice: true}
	voter51                = HolderPosition{Holder: "investor", Equity: 0.51, ProfitInterest: 0.51, Votes: 0.51}
	voter30BoardMajority   = HolderPosition{Holder: "investor", Equity: 0.30, ProfitInterest: 0.30, Votes: 0.30, BoardSeats: 4}
	voter40LowTurnout      = HolderPosition{Holder: "investor", Equity: 0.40, ProfitInterest: 0.40, Votes: 0.40}
	voter26                = HolderPosition{Holder: "investor", Equity: 0.26, ProfitInterest: 0.26, Votes: 0.26}
	voter20                = HolderPosition{Holder: "investor", Equity: 0.20, ProfitInterest: 0.20, Votes: 0.20}
	voter20Seat            = HolderPosition{Holder: "investor", Equity: 0.20, ProfitInterest: 0.20, Votes: 0.20, BoardSeats: 1}
	voter5                 = HolderPosition{Holder: "investor", Equity: 0.05, ProfitInterest: 0.05, Votes: 0.05}
	voter12                = HolderPosition{Holder: "investor", Equity: 0.12, ProfitInterest: 0.12, Votes: 0.12}
	veto10                 = HolderPosition{Holder: "investor", Equity: 0.10, ProfitInterest: 0.10, Votes: 0.10, Vetoes: Vetoes{Budget: true}}
	minorityVeto20         = HolderPosition{Holder: "investor", Equity: 0.20, ProfitInterest: 0.20, Votes: 0.20, Vetoes: Vetoes{MinorityProtection: true}}
	voter50                = HolderPosition{Holder: "investor", Equity: 0.50, ProfitInterest: 0.50, Votes: 0.50}
	profit50LLC            = HolderPosition{Holder: "investor", Equity: 0.50, ProfitInterest: 0.50}
	halfBoard              = HolderPosition{Holder: "investor", Equity: 0.20, ProfitInterest: 0.20, Votes: 0.20, BoardSeats: 3}
)

var (
	board7     = Governance{BoardSize: 7}
	board6     = Governance{BoardSize: 6}
	turnout70  = Governance{BoardSize: 7, Turnout: 0.7}
	llcBoard7  = Governance{BoardSize: 7, Unincorporated: true}
	noBoardLLC = Governance{Unincorporated: true}
)

func TestClassifyUK(t *testing.T) {
	cases := []struct {
		name   string
		p      HolderPosition
		g      Governance
		want   ControlLevel
		points float64
	}{
		// Material influence without votes or a seat: the economic interest
		// (1), the dependence on the holder's compute (1) and information
		// rights (0.5) reach 2 points; nothing reaches control.
		{"49% profit interest, key input, information", profitInterest49, llcBoard7, MaterialInfluence, 2.5},
		// A purely economic interest gives no means of influence.
		{"49% profit interest alone", profitInterest49Bare, llcBoard7, NoControl, 1},
		// Consultation rights and first notice count toward material
		// influence (1.5) and, with 15% of the votes (1), reach it.
		{"15% votes, consultation, first notice", consultNotice15, board7, MaterialInfluence, 2.5},
		{"15% votes alone", HolderPosition{Holder: "investor", Equity: 0.15, ProfitInterest: 0.15, Votes: 0.15}, board7, NoControl, 1},
		{"non-voting, consultation, first notice", consultNoticeNonVoting, board7, NoControl, 1.5},
		{"51% of the votes", voter51, board7, LegalControl, 2},
		{"30% of the votes, 4 of 7 seats", voter30BoardMajority, board7, DeFactoControl, 4},
		{"40% of the votes, 70% turnout", voter40LowTurnout, turnout70, DeFactoControl, 2},
		{"40% of the votes, full turnout", voter40LowTurnout, board7, MaterialInfluence, 2},
		{"26% of the votes", voter26, board7, MaterialInfluence, 2},
		{"20% of the votes", voter20, board7, NoControl, 1},
		{"20% of the votes and a seat", voter20Seat, board7, MaterialInfluence, 3},
		// An observer seat scores only without a board seat.
		{"20% of the votes, a seat and an observer", func() HolderPosition { p := voter20Seat; p.ObserverSeats = 1; return p }(), board7, MaterialInfluence, 3},
		{"20% of the votes and an observer", func() HolderPosition { p := voter20; p.ObserverSeats = 1; return p }(), board7, NoControl, 1.5},
		{"budget veto with 10%", veto10, board7, MaterialInfluence, 2},
		{"minority-protection veto with 20%", minorityVeto20, board7, NoControl, 1},
		{"5% of the votes", voter5, board7, NoControl, 0},
		{"exactly 50% of the votes", voter50, board7, MaterialInfluence, 2},
		{"3 of 6 seats", halfBoard, board6, MaterialInfluence, 3},
	}
	rule := UKControlRule()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := rule.Classify(c.p, c.g)
			if err != nil {
				t.Fatal(err)
			}
			if got.Level != c.want {
				t.Errorf("level = %v (%s), want %v", got.Level, got.Reason, c.want)
			}
			checkExact(t, "points", got.Points, c.points)
			if got.Reason == "" {
				t.Error("empty reason")
			}
		})
	}
}

func TestClassifyEU(t *testing.T) {
	cases := []struct {
		name string
		p    HolderPosition
		g    Governance
		want ControlLevel
	}{
		// No material influence in the EU: a minority without decisive
		// influence is no concentration.
		{"49% profit interest, key input, information", profitInterest49, llcBoard7, NoControl},
		{"15% votes, consultation, first notice", consultNotice15, board7, NoControl},
		{"26% of the votes", voter26, board7, NoControl},
		{"51% of the votes", voter51, board7, LegalControl},
		{"30% of the votes, 4 of 7 seats", voter30BoardMajority, board7, DeFactoControl},
		{"40% of the votes, 70% turnout", voter40LowTurnout, turnout70, DeFactoControl},
		// A veto over the budget is joint control (Notice paras 67-73).
		{"budget veto with 10%", veto10, board7, DeFactoControl},
		{"minority-protection veto with 20%", minorityVeto20, board7, NoControl},
	}
	rule := EUControlRule()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := rule.Classify(c.p, c.g)
			if err != nil {
				t.Fatal(err)
			}
			if got.Level != c.want {
				t.Errorf("level = %v (%s), want %v", got.Level, got.Reason, c.want)
			}
		})
	}
}

func TestClassifyUS(t *testing.T) {
	cases := []struct {
		name string
		p    HolderPosition
		g    Governance
		want ControlLevel
	}{
		// 49% of an LLC's profits is below the 50% that HSR calls control.
		{"49% profit interest in an LLC", profitInterest49, llcBoard7, NoControl},
		{"50% profit interest in an LLC", profit50LLC, noBoardLLC, LegalControl},
		// Profits decide control only for an unincorporated firm.
		{"50% non-voting equity in a corporation", profit50LLC, board7, NoControl},
		{"exactly 50% of the votes", voter50, board7, LegalControl},
		{"3 of 6 seats", halfBoard, board6, LegalControl},
		{"30% of the votes, 4 of 7 seats", voter30BoardMajority, board7, LegalControl},
		// 40% of the votes is not control under HSR, whatever the turnout.
		{"40% of the votes, 70% turnout", voter40LowTurnout, turnout70, MaterialInfluence},
		{"12% of the votes (not passive)", voter12, board7, MaterialInfluence},
		{"5% of the votes (passive)", voter5, board7, NoControl},
		{"15% votes, consultation, first notice", consultNotice15, board7, MaterialInfluence},
		{"budget veto with 10%", veto10, board7, MaterialInfluence},
	}
	rule := USControlRule()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := rule.Classify(c.p, c.g)
			if err != nil {
				t.Fatal(err)
			}
			if got.Level != c.want {
				t.Errorf("level = %v (%s), want %v", got.Level, got.Reason, c.want)
			}
		})
	}
}

func TestThreshold(t *testing.T) {
	if !Above(0.5).Met(0.51) || Above(0.5).Met(0.5) || !AtLeast(0.5).Met(0.5) || AtLeast(0.5).Met(0.49) {
		t.Error("Above/AtLeast boundaries")
	}
	var off Threshold
	if off.Met(1) || off.Used() || off.String() != "unused" {
		t.Error("zero Threshold must be unused and never met")
	}
	if Above(0.5).String() != "> 50%" || AtLeast(0.25).String() != ">= 25%" {
		t.Errorf("String: %q %q", Above(0.5), AtLeast(0.25))
	}
}

func TestClassifyBadInput(t *testing.T) {
	rule := UKControlRule()
	bad := []struct {
		name string
		p    HolderPosition
		g    Governance
	}{
		{"votes above 1", HolderPosition{Votes: 1.2}, board7},
		{"negative profit", HolderPosition{ProfitInterest: -0.1}, board7},
		{"NaN equity", HolderPosition{Equity: math.NaN()}, board7},
		{"more seats than the board", HolderPosition{BoardSeats: 8}, board7},
		{"seats without a board", HolderPosition{BoardSeats: 1}, Governance{}},
		{"negative observers", HolderPosition{ObserverSeats: -1}, board7},
		{"turnout above 1", HolderPosition{}, Governance{Turnout: 1.5}},
		{"negative board", HolderPosition{}, Governance{BoardSize: -1}},
	}
	for _, c := range bad {
		if _, err := rule.Classify(c.p, c.g); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", c.name, err)
		}
	}
}

func TestClassifyFirm(t *testing.T) {
	ct, err := NewCapTable(Holding{"founders", 0.45}, Holding{"cloud", 0.30}, Holding{"fund", 0.25})
	if err != nil {
		t.Fatal(err)
	}
	ps := PositionsFromCapTable(ct)
	ps[1].BoardSeats = 4 // the cloud appoints 4 of 7 directors
	got, err := UKControlRule().ClassifyFirm(ps, board7)
	if err != nil {
		t.Fatal(err)
	}
	want := []ControlLevel{MaterialInfluence, DeFactoControl, MaterialInfluence}
	for i := range want {
		if got[i].Level != want[i] {
			t.Errorf("%s: %v (%s), want %v", ps[i].Holder, got[i].Level, got[i].Reason, want[i])
		}
	}
	for _, c := range []struct {
		name string
		ps   []HolderPosition
	}{
		{"votes over 1", []HolderPosition{{Holder: "a", Votes: 0.6}, {Holder: "b", Votes: 0.6}}},
		{"duplicate holder", []HolderPosition{{Holder: "a"}, {Holder: "a"}}},
		{"seats over the board", []HolderPosition{{Holder: "a", BoardSeats: 4}, {Holder: "b", BoardSeats: 4}}},
	} {
		if _, err := UKControlRule().ClassifyFirm(c.ps, board7); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", c.name, err)
		}
	}
}

func TestControlLevelString(t *testing.T) {
	for l, want := range map[ControlLevel]string{NoControl: "none", MaterialInfluence: "material influence",
		DeFactoControl: "de facto control", LegalControl: "legal control", 9: "ControlLevel(9)"} {
		if l.String() != want {
			t.Errorf("%d: %q, want %q", int(l), l, want)
		}
	}
	c, _ := UKControlRule().Classify(consultNoticeNonVoting, board7)
	if !strings.Contains(c.Reason, "consultation") || !strings.Contains(c.Reason, "first notice") {
		t.Errorf("reason %q should name the factors", c.Reason)
	}
}

// More votes, seats or rights never lower a holder's level, in any regime
// (checked on a grid of positions).
func TestClassifyMonotone(t *testing.T) {
	g := Governance{BoardSize: 5, Turnout: 0.8}
	votes := []float64{0, 0.05, 0.1, 0.12, 0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.51, 0.7, 1}
	build := func(v float64, seats, bits int) HolderPosition {
		return HolderPosition{Holder: "h", Equity: v, ProfitInterest: v, Votes: v, BoardSeats: seats,
			ObserverSeats: bits & 1, Consultation: bits&2 != 0, FirstNotice: bits&4 != 0, Information: bits&8 != 0,
			KeyInput: bits&16 != 0, Vetoes: Vetoes{Budget: bits&32 != 0}}
	}
	for _, rule := range []ControlRule{UKControlRule(), EUControlRule(), USControlRule()} {
		for _, gov := range []Governance{g, {BoardSize: 5, Turnout: 0.8, Unincorporated: true}} {
			for vi, v := range votes {
				for seats := 0; seats <= 5; seats++ {
					for bits := range 64 {
						c, err := rule.Classify(build(v, seats, bits), gov)
						if err != nil {
							t.Fatal(err)
						}
						next := []HolderPosition{}
						if vi+1 < len(votes) {
							next = append(next, build(votes[vi+1], seats, bits))
						}
						if seats < 5 {
							next = append(next, build(v, seats+1, bits))
						}
						for b := 0; b < 6; b++ {
							if bits&(1<<b) == 0 {
								next = append(next, build(v, seats, bits|1<<b))
							}
						}
						for _, q := range next {
							d, _ := rule.Classify(q, gov)
							if d.Level < c.Level {
								t.Fatalf("%s: %+v is %v but %+v is %v", rule.Name, build(v, seats, bits), c.Level, q, d.Level)
							}
						}
					}
				}
			}
		}
	}
}

// TestLevelMatchesClassify: Level is Classify's level on the grid of
// TestClassifyMonotone, and allocates nothing.
func TestLevelMatchesClassify(t *testing.T) {
	votes := []float64{0, 0.1, 0.15, 0.25, 0.3, 0.5, 0.51, 1}
	for _, rule := range []ControlRule{UKControlRule(), EUControlRule(), USControlRule()} {
		for _, gov := range []Governance{{BoardSize: 5, Turnout: 0.8}, {BoardSize: 4, Unincorporated: true}} {
			for _, v := range votes {
				for seats := 0; seats <= 4; seats++ {
					for bits := range 64 {
						p := HolderPosition{Holder: "h", Equity: v, ProfitInterest: v, Votes: v, BoardSeats: seats,
							ObserverSeats: bits & 1, Consultation: bits&2 != 0, FirstNotice: bits&4 != 0, Information: bits&8 != 0,
							KeyInput: bits&16 != 0, Vetoes: Vetoes{Budget: bits&32 != 0}}
						c, err := rule.Classify(p, gov)
						if err != nil {
							t.Fatal(err)
						}
						if l := rule.Level(p, gov); l != c.Level {
							t.Fatalf("%s: %+v: Level %v, Classify %v (%s)", rule.Name, p, l, c.Level, c.Reason)
						}
					}
				}
			}
		}
	}
	p := HolderPosition{Holder: "h", Equity: 0.2, ProfitInterest: 0.2, Votes: 0.2, Consultation: true, KeyInput: true}
	r := UKControlRule()
	if a := testing.AllocsPerRun(10, func() { r.Level(p, Governance{}) }); a != 0 {
		t.Fatalf("Level: %g allocations", a)
	}
}
