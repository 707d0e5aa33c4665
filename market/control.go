package market

import (
	"fmt"
	"strings"
)

// ControlLevel is how far a holder can steer a firm, in the categories the
// merger agencies use (model-v2.md §3.4): none, material influence, de
// facto control, legal control. Levels are ordered: a larger value is more
// control.
type ControlLevel int

const (
	// NoControl: a passive holding.
	NoControl ControlLevel = iota
	// MaterialInfluence: the ability to influence the firm's policy
	// materially without controlling it (Enterprise Act 2002 s.26(3); the
	// lowest level of control UK merger law catches).
	MaterialInfluence
	// DeFactoControl: the ability to control the firm's policy without a
	// majority of all voting rights (a majority of the votes actually cast,
	// a majority of the board, or, in the EU, joint control through a veto
	// over strategic decisions).
	DeFactoControl
	// LegalControl: control by a majority of the voting rights (a
	// "controlling interest"), or what a regime's statute defines as control
	// (US HSR: 50% of votes, of an unincorporated firm's profits, or the
	// power to designate half the board).
	LegalControl
)

// String returns the level's name.
func (l ControlLevel) String() string {
	switch l {
	case NoControl:
		return "none"
	case MaterialInfluence:
		return "material influence"
	case DeFactoControl:
		return "de facto control"
	case LegalControl:
		return "legal control"
	}
	return fmt.Sprintf("ControlLevel(%d)", int(l))
}

// Vetoes are the decisions a holder can block. Budget, business plan,
// senior appointments and major investments are the strategic vetoes of
// the agencies' guidance: the CMA counts them toward material influence
// (CMA2, Mergers: guidance on the CMA's jurisdiction and procedure, ch. 4,
// "material influence"), and the European Commission holds that a veto
// over any of them confers joint control (Consolidated Jurisdictional
// Notice, 2008/C 95/01, paras 67-73). MinorityProtection is a veto over
// the matters that only protect a minority investor's money (changes to
// the articles, the capital, liquidation): neither agency counts it.
type Vetoes struct {
	Budget, BusinessPlan, SeniorAppointments, MajorInvestments bool
	MinorityProtection                                         bool
}

// Strategic reports whether any strategic veto is held.
func (v Vetoes) Strategic() bool {
	return v.Budget || v.BusinessPlan || v.SeniorAppointments || v.MajorInvestments
}

// HolderPosition is one holder's stake and rights in a firm. Fractions are
// of the whole firm, in [0,1]. ProfitInterest may differ from Equity: a
// capped-profit subsidiary can give an investor 49% of its profits and no
// votes; non-voting shares carry Equity and ProfitInterest but no Votes.
type HolderPosition struct {
	Holder string
	// Equity is the fraction of the firm's shares held.
	Equity float64
	// ProfitInterest is the fraction of the firm's distributed profits the
	// holder is entitled to (O'Brien and Salop's beta).
	ProfitInterest float64
	// Votes is the fraction of all voting rights at general meetings.
	Votes float64
	// BoardSeats is the number of directors the holder may appoint;
	// ObserverSeats non-voting board observers.
	BoardSeats, ObserverSeats int
	// Consultation: the firm must consult the holder on matters of
	// commercial policy.
	Consultation bool
	Vetoes       Vetoes
	// FirstNotice: the holder must be told first of a proposed change of
	// control (a right of first notice or first negotiation).
	FirstNotice bool
	// Information: information rights beyond the statutory ones.
	Information bool
	// KeyInput: the firm depends on the holder for an input it cannot
	// readily replace (an exclusive or dominant compute supplier, a main
	// financier). The CMA counts such commercial dependence toward material
	// influence (CMA2 ch. 4); a non-exclusive supplier among several is not
	// one.
	KeyInput bool
}

// Governance is what the classification needs to know of the firm itself.
type Governance struct {
	// BoardSize is the number of voting directors (0 if the firm declares no
	// board, in which case no holder may have board seats).
	BoardSize int
	// Turnout is the fraction of all voting rights usually cast at general
	// meetings, in (0,1]; 0 means every vote is cast.
	Turnout float64
	// Unincorporated marks a firm that is not a corporation (an LLC or
	// partnership); US HSR then defines control by profits, not votes.
	Unincorporated bool
}

// Threshold is a cut-off on a fraction: met when the value exceeds it, or
// reaches it if inclusive. The zero Threshold is never met (a rule that
// does not use that route). Build one with Above or AtLeast.
type Threshold struct {
	value           float64
	inclusive, used bool
}

// Above is a threshold met by values strictly greater than v.
func Above(v float64) Threshold { return Threshold{value: v, used: true} }

// AtLeast is a threshold met by values greater than or equal to v.
func AtLeast(v float64) Threshold { return Threshold{value: v, inclusive: true, used: true} }

// Met reports whether x passes the threshold; an unused threshold is never
// met.
func (t Threshold) Met(x float64) bool {
	if !t.used {
		return false
	}
	if t.inclusive {
		return x >= t.value
	}
	return x > t.value
}

// Used reports whether the threshold is in use.
func (t Threshold) Used() bool { return t.used }

// Value is the cut-off (0 for an unused threshold).
func (t Threshold) Value() float64 { return t.value }

// String prints the threshold as "> 50%" or ">= 25%"; "unused" if unused.
func (t Threshold) String() string {
	if !t.used {
		return "unused"
	}
	op := ">"
	if t.inclusive {
		op = ">="
	}
	return fmt.Sprintf("%s %g%%", op, 100*t.value)
}

// InfluenceWeights are the points each factor scores toward material
// influence (see ControlRule).
type InfluenceWeights struct {
	// PossibleVotes scores a vote share that meets ControlRule.PossibleVotes.
	PossibleVotes float64
	// BoardSeat scores one or more board seats; ObserverSeat one or more
	// observer seats (only when the holder has no board seat).
	BoardSeat, ObserverSeat float64
	// StrategicVeto scores any strategic veto (see Vetoes).
	StrategicVeto float64
	// Consultation, FirstNotice, Information and KeyInput score the rights
	// and the dependence of the same names in HolderPosition.
	Consultation, FirstNotice, Information, KeyInput float64
	// EconomicInterest scores a profit interest that meets
	// ControlRule.EconomicInterest.
	EconomicInterest float64
}

// ControlRule classifies a position. It tests, in order:
//
//	legal control:      Votes meets LegalVotes, or (for an unincorporated firm)
//	                    ProfitInterest meets LegalProfit, or the board share
//	                    BoardSeats/BoardSize meets LegalBoard;
//	de facto control:   the share of votes actually cast, min(1, Votes/Turnout),
//	                    meets DeFactoCastVotes, or the board share meets
//	                    DeFactoBoard, or (if StrategicVetoControl) the holder
//	                    has a strategic veto;
//	material influence: Votes meets PresumedVotes, or the holder's points,
//	                    the sum of the InfluenceWeights of the factors it has,
//	                    reach InfluencePoints (> 0).
//
// Anything else is NoControl. Thresholds left unused switch a route off.
// UKControlRule, EUControlRule and USControlRule give the parameter sets
// of the three regimes.
type ControlRule struct {
	Name                           string
	LegalVotes, LegalProfit        Threshold
	LegalBoard                     Threshold
	DeFactoCastVotes, DeFactoBoard Threshold
	StrategicVetoControl           bool
	PresumedVotes, PossibleVotes   Threshold
	EconomicInterest               Threshold
	Weights                        InfluenceWeights
	InfluencePoints                float64
	Source                         string
}

// UKControlRule is the UK parameter set (Enterprise Act 2002 s.26; CMA2,
// Mergers: guidance on the CMA's jurisdiction and procedure, ch. 4, as
// revised January 2025 and October 2025):
//
//   - legal control: more than 50% of the votes (a controlling interest);
//   - de facto control: more than half of the votes usually cast, or more
//     than half of the board; a veto alone is not control in the UK;
//   - material influence: presumed from 25% of the votes (the ability to
//     block special resolutions, which need 75%); otherwise 2 points from:
//     15% or more of the votes 1 (CMA2: holdings from 15% are examined,
//     below 15% only exceptionally), a board seat 2 (board representation
//     is usually enough on its own), a strategic veto 2, consultation
//     rights 1, dependence on the holder for a key input 1, a profit
//     interest of 25% or more 1, an observer seat, first notice of a change
//     of control and information rights 0.5 each.
//
// The points and their weights are the model's reading of a guidance that
// weighs "all the circumstances"; they reproduce the CMA's findings on the
// public record: a 49% profit interest with no votes and no board seat,
// from an investor that was the firm's exclusive compute supplier and held
// information rights, is material influence (1 + 1 + 0.5) and not de facto
// control (the CMA's Microsoft/OpenAI decision of 5 March 2025 found
// material influence since 2019 and no change to de facto control);
// consultation rights with non-voting shares from a non-exclusive supplier
// are not (1 + 0.5 for first notice: the CMA's Alphabet/Anthropic decision
// of 19 November 2024 found no material influence). Consultation rights
// and first notice count toward material influence: with 15% of the votes
// they reach it (1 + 1 + 0.5).
func UKControlRule() ControlRule {
	return ControlRule{
		Name:             "UK (Enterprise Act 2002 s.26; CMA2 ch. 4)",
		LegalVotes:       Above(0.5),
		DeFactoCastVotes: Above(0.5),
		DeFactoBoard:     Above(0.5),
		PresumedVotes:    AtLeast(0.25),
		PossibleVotes:    AtLeast(0.15),
		EconomicInterest: AtLeast(0.25),
		Weights: InfluenceWeights{
			PossibleVotes: 1, BoardSeat: 2, ObserverSeat: 0.5, StrategicVeto: 2,
			Consultation: 1, FirstNotice: 0.5, Information: 0.5, KeyInput: 1,
			EconomicInterest: 1,
		},
		InfluencePoints: 2,
		Source:          "Enterprise Act 2002 s.26; CMA2 (2025) ch. 4; CMA decisions Alphabet/Anthropic (19 Nov 2024), Microsoft/OpenAI (5 Mar 2025)",
	}
}

// EUControlRule is the EU parameter set (Merger Regulation 139/2004 Art.
// 3(2): control is the possibility of exercising decisive influence;
// Consolidated Jurisdictional Notice 2008/C 95/01): legal sole control by
// more than 50% of the votes; de facto sole control by a majority of the
// votes usually cast (Notice para 59) or of the board, and joint control
// by a veto over the budget, business plan, major investments or senior
// appointments (paras 67-73), both reported as DeFactoControl. The EU has
// no material influence: a minority stake without decisive influence is
// no concentration, so that route is off.
func EUControlRule() ControlRule {
	return ControlRule{
		Name:                 "EU (Merger Regulation Art. 3(2); Consolidated Jurisdictional Notice)",
		LegalVotes:           Above(0.5),
		DeFactoCastVotes:     Above(0.5),
		DeFactoBoard:         Above(0.5),
		StrategicVetoControl: true,
		Source:               "Regulation (EC) 139/2004 Art. 3; Commission Consolidated Jurisdictional Notice (2008/C 95/01) paras 54-73",
	}
}

// USControlRule is the US parameter set of the HSR rules (16 CFR 801.1(b)):
// control is holding 50% or more of the voting securities, having the
// right to 50% or more of the profits (or of the assets on dissolution) of
// an unincorporated entity, or the contractual power to designate 50% or
// more of the directors; all reported as LegalControl. US law has no de
// facto control or material influence; the MaterialInfluence level here
// marks a holding that is not "solely for the purpose of investment"
// (16 CFR 801.1(i)(1), 802.9): more than 10% of the votes, a board seat or
// a strategic veto (participation in the basic business decisions).
func USControlRule() ControlRule {
	return ControlRule{
		Name:            "US (HSR rules 16 CFR 801.1(b), 802.9)",
		LegalVotes:      AtLeast(0.5),
		LegalProfit:     AtLeast(0.5),
		LegalBoard:      AtLeast(0.5),
		PresumedVotes:   Above(0.10),
		Weights:         InfluenceWeights{BoardSeat: 1, StrategicVeto: 1},
		InfluencePoints: 1,
		Source:          "16 CFR 801.1(b) (control), 801.1(i)(1) and 802.9 (solely for the purpose of investment)",
	}
}

// Validate checks a position against its firm: fractions finite and in
// [0,1], seat counts non-negative, board seats at most the board size, and
// the governance valid (board size >= 0, turnout in [0,1]). Errors wrap
// ErrInvalidArgument.
func (p HolderPosition) Validate(g Governance) error {
	if err := g.Validate(); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		x    float64
	}{{"equity", p.Equity}, {"profit interest", p.ProfitInterest}, {"votes", p.Votes}} {
		if !(f.x >= 0 && f.x <= 1) {
			return invalid("position of %q: %s = %g, want a fraction in [0,1]", p.Holder, f.name, f.x)
		}
	}
	if p.BoardSeats < 0 || p.ObserverSeats < 0 {
		return invalid("position of %q: %d board and %d observer seats", p.Holder, p.BoardSeats, p.ObserverSeats)
	}
	if p.BoardSeats > g.BoardSize {
		return invalid("position of %q: %d board seats on a board of %d", p.Holder, p.BoardSeats, g.BoardSize)
	}
	return nil
}

// Validate checks BoardSize >= 0 and Turnout in [0,1]; errors wrap
// ErrInvalidArgument.
func (g Governance) Validate() error {
	if g.BoardSize < 0 {
		return invalid("governance: board size %d", g.BoardSize)
	}
	if !(g.Turnout >= 0 && g.Turnout <= 1) {
		return invalid("governance: turnout %g, want a fraction in [0,1]", g.Turnout)
	}
	return nil
}

// Classification is the result of ControlRule.Classify: the level, the
// material-influence points scored (whatever the level) and the reason in
// words.
type Classification struct {
	Level  ControlLevel
	Points float64
	Reason string
}

// Classify applies the rule (see ControlRule) to position p in a firm with
// governance g. Errors wrap ErrInvalidArgument for an invalid position or
// governance.
func (r ControlRule) Classify(p HolderPosition, g Governance) (Classification, error) {
	if err := p.Validate(g); err != nil {
		return Classification{}, fmt.Errorf("Classify: %w", err)
	}
	rt, _, cast := r.route(p, g)
	c := Classification{Level: rt.level(), Points: r.points(p)}
	pct := func(x float64) string { return fmt.Sprintf("%.4g%%", 100*x) }
	switch rt {
	case routeLegalVotes:
		c.Reason = "votes " + pct(p.Votes) + " " + r.LegalVotes.String()
	case routeLegalProfit:
		c.Reason = "profit interest " + pct(p.ProfitInterest) + " of an unincorporated firm " + r.LegalProfit.String()
	case routeLegalBoard:
		c.Reason = fmt.Sprintf("designates %d of %d directors (%s)", p.BoardSeats, g.BoardSize, r.LegalBoard)
	case routeCastVotes:
		c.Reason = "votes " + pct(p.Votes) + " are " + pct(cast) + " of the votes cast, " + r.DeFactoCastVotes.String()
	case routeBoard:
		c.Reason = fmt.Sprintf("%d of %d board seats (%s)", p.BoardSeats, g.BoardSize, r.DeFactoBoard)
	case routeVeto:
		c.Reason = "a veto over strategic decisions (joint control)"
	case routePresumed:
		c.Reason = "votes " + pct(p.Votes) + " " + r.PresumedVotes.String() + " (presumed)"
	case routePoints:
		c.Reason = fmt.Sprintf("influence points %g >= %g (%s)", c.Points, r.InfluencePoints, r.factors(p))
	default:
		c.Reason = "no route to control or influence"
		if c.Points > 0 {
			c.Reason = fmt.Sprintf("influence points %g < %g (%s)", c.Points, r.InfluencePoints, r.factors(p))
		}
	}
	return c, nil
}

// Level is the level of Classify without the reason: it allocates nothing,
// for callers that classify every holder of every firm each period. It
// does not validate p and g (Classify does): an invalid position gets the
// level its numbers reach.
func (r ControlRule) Level(p HolderPosition, g Governance) ControlLevel {
	rt, _, _ := r.route(p, g)
	return rt.level()
}

// controlRoute is the test of ControlRule that decided a classification.
type controlRoute int

const (
	routeNone controlRoute = iota
	routeLegalVotes
	routeLegalProfit
	routeLegalBoard
	routeCastVotes
	routeBoard
	routeVeto
	routePresumed
	routePoints
)

func (rt controlRoute) level() ControlLevel {
	switch rt {
	case routeLegalVotes, routeLegalProfit, routeLegalBoard:
		return LegalControl
	case routeCastVotes, routeBoard, routeVeto:
		return DeFactoControl
	case routePresumed, routePoints:
		return MaterialInfluence
	}
	return NoControl
}

// route runs the tests of ControlRule in order and returns the first met,
// with the board share and the share of the votes cast.
func (r ControlRule) route(p HolderPosition, g Governance) (rt controlRoute, board, cast float64) {
	if g.BoardSize > 0 {
		board = float64(p.BoardSeats) / float64(g.BoardSize)
	}
	turnout := g.Turnout
	if turnout == 0 {
		turnout = 1
	}
	cast = min(1, p.Votes/turnout)
	switch {
	case r.LegalVotes.Met(p.Votes):
		rt = routeLegalVotes
	case g.Unincorporated && r.LegalProfit.Met(p.ProfitInterest):
		rt = routeLegalProfit
	case r.LegalBoard.Met(board):
		rt = routeLegalBoard
	case r.DeFactoCastVotes.Met(cast):
		rt = routeCastVotes
	case r.DeFactoBoard.Met(board):
		rt = routeBoard
	case r.StrategicVetoControl && p.Vetoes.Strategic():
		rt = routeVeto
	case r.PresumedVotes.Met(p.Votes):
		rt = routePresumed
	case r.InfluencePoints > 0 && r.points(p) >= r.InfluencePoints:
		rt = routePoints
	}
	return rt, board, cast
}

// points is the sum of the weights of the factors p has.
func (r ControlRule) points(p HolderPosition) float64 {
	w := r.Weights
	s := 0.0
	add := func(has bool, x float64) {
		if has {
			s += x
		}
	}
	add(r.PossibleVotes.Met(p.Votes), w.PossibleVotes)
	add(p.BoardSeats > 0, w.BoardSeat)
	add(p.BoardSeats == 0 && p.ObserverSeats > 0, w.ObserverSeat)
	add(p.Vetoes.Strategic(), w.StrategicVeto)
	add(p.Consultation, w.Consultation)
	add(p.FirstNotice, w.FirstNotice)
	add(p.Information, w.Information)
	add(p.KeyInput, w.KeyInput)
	add(r.EconomicInterest.Met(p.ProfitInterest), w.EconomicInterest)
	return s
}

// factors names the scoring factors p has, for reasons.
func (r ControlRule) factors(p HolderPosition) string {
	w := r.Weights
	var f []string
	add := func(has bool, x float64, name string) {
		if has && x != 0 {
			f = append(f, fmt.Sprintf("%s %g", name, x))
		}
	}
	add(r.PossibleVotes.Met(p.Votes), w.PossibleVotes, "votes "+r.PossibleVotes.String())
	add(p.BoardSeats > 0, w.BoardSeat, "board seat")
	add(p.BoardSeats == 0 && p.ObserverSeats > 0, w.ObserverSeat, "observer seat")
	add(p.Vetoes.Strategic(), w.StrategicVeto, "strategic veto")
	add(p.Consultation, w.Consultation, "consultation")
	add(p.FirstNotice, w.FirstNotice, "first notice")
	add(p.Information, w.Information, "information")
	add(p.KeyInput, w.KeyInput, "key input")
	add(r.EconomicInterest.Met(p.ProfitInterest), w.EconomicInterest, "profit interest "+r.EconomicInterest.String())
	if len(f) == 0 {
		return "none"
	}
	return strings.Join(f, ", ")
}

// ClassifyFirm classifies every position in one firm. Beyond each
// position's own checks (HolderPosition.Validate), holders must be
// distinct and the votes, equity and profit interests must each sum to at
// most 1 (+1e-9). Errors wrap ErrInvalidArgument.
func (r ControlRule) ClassifyFirm(ps []HolderPosition, g Governance) ([]Classification, error) {
	var votes, equity, profit float64
	seats := 0
	for i, p := range ps {
		for _, q := range ps[:i] {
			if q.Holder == p.Holder {
				return nil, invalid("ClassifyFirm: holder %q listed twice", p.Holder)
			}
		}
		votes += p.Votes
		equity += p.Equity
		profit += p.ProfitInterest
		seats += p.BoardSeats
	}
	if votes > 1+1e-9 || equity > 1+1e-9 || profit > 1+1e-9 {
		return nil, invalid("ClassifyFirm: votes %g, equity %g, profit interests %g; each must sum to at most 1", votes, equity, profit)
	}
	if seats > g.BoardSize {
		return nil, invalid("ClassifyFirm: %d board seats held on a board of %d", seats, g.BoardSize)
	}
	out := make([]Classification, len(ps))
	for i, p := range ps {
		c, err := r.Classify(p, g)
		if err != nil {
			return nil, fmt.Errorf("ClassifyFirm: %w", err)
		}
		out[i] = c
	}
	return out, nil
}

// PositionsFromCapTable turns a cap table of ordinary shares into
// positions: each holder's stake is its equity, profit interest and votes,
// with no board seats or other rights. The caller adds the rights its
// contracts declare.
func PositionsFromCapTable(c *CapTable) []HolderPosition {
	hs := c.Holdings()
	ps := make([]HolderPosition, len(hs))
	for i, h := range hs {
		ps[i] = HolderPosition{Holder: h.Holder, Equity: h.Stake, ProfitInterest: h.Stake, Votes: h.Stake}
	}
	return ps
}
