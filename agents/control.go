package agents

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"frontiersim/market"
)

// Control rights, the agencies' classification of every holder's position
// and the merger-control review (model-v2.md §3.4; domain model §3.6,
// §3.8; docs/ODD.md, "Control and merger control"):
//
//   - a holder's position in a lab is its equity (the cap table), its
//     votes (equity on voting shares, renormalised over the voting
//     shares), its profit interest (its equity, or the profit share of a
//     backer contract in force, if larger), the rights the world file
//     declares for it ([[rights]]: board and observer seats, consultation,
//     vetoes, first notice of a change of control, information rights),
//     applying while it holds equity, and the rights its contract gives: a
//     backer whose exclusivity or right of first refusal is in force, or
//     that supplies more than half the lab's compute, is a key input; a
//     backer whose IP licence is in force has information rights;
//   - every month each holder x lab position is classified by the control
//     rule of the jurisdiction (antitrust.jurisdiction: UK, EU or US, the
//     parameter sets of market.UKControlRule, EUControlRule,
//     USControlRule), and the modified HHI is computed with the control
//     weights of that classification (market.DefaultControlWeighting);
//   - merger control (policy.merger_control) reviews acquisitions,
//     licence-and-hire deals and hyperscaler stakes: a deal is reviewable
//     when the jurisdiction's law makes it a merger (the classification
//     before and after) and a jurisdiction test in force on the deal's
//     calendar date is met (market.Regime.Review); a reviewable deal is
//     blocked when a screen objects and the presumption is not rebutted
//     (antitrust.p_rebut): horizontal (market.MergerScreen, the MHHI for
//     stakes), vertical input foreclosure and distribution
//     (market.VerticalScreen on the compute market's quantities and the
//     month's spend by channel).

// RightsSpec is one [[rights]] entry of a world file: the rights holder
// Holder (a hyperscaler or a fund, by cap-table name) has in lab Lab
// while it holds equity there.
type RightsSpec struct {
	Lab    int
	Holder string
	// NonVoting: the holder's shares carry no votes.
	NonVoting                 bool
	BoardSeats, ObserverSeats int
	Consultation              bool
	Vetoes                    market.Vetoes
	FirstNotice, Information  bool
	Note                      string
}

var vetoNames = []string{"budget", "business_plan", "senior_appointments", "major_investments", "minority_protection"}

func setVeto(v *market.Vetoes, name string) bool {
	switch name {
	case "budget":
		v.Budget = true
	case "business_plan":
		v.BusinessPlan = true
	case "senior_appointments":
		v.SeniorAppointments = true
	case "major_investments":
		v.MajorInvestments = true
	case "minority_protection":
		v.MinorityProtection = true
	default:
		return false
	}
	return true
}

// rights decodes [[rights]].
func (d *worldDecoder) rights(raw map[string]any, c *Cast) {
	labs := c.labNames()
	var holders []string
	for _, cl := range c.Clouds {
		if cl.Strategic {
			holders = append(holders, cl.Name)
		}
	}
	holders = append(holders, c.fundNames()...)
	seen := map[string]string{}
	seats := map[int]int{}
	for i, t := range d.tables(raw, "rights") {
		prefix := fmt.Sprintf("rights[%d]", i)
		d.unknownKeys(prefix, t, rightsKeys)
		r := RightsSpec{Lab: -1}
		if s, ok := d.str(t, prefix, "lab"); ok {
			r.Lab = d.lookup(prefix+".lab", s, "lab", labs)
		} else if _, present := t["lab"]; !present {
			d.add(prefix+".lab", "missing: the lab in which the rights are held")
		}
		if s, ok := d.str(t, prefix, "holder"); ok {
			if d.lookup(prefix+".holder", s, "hyperscaler or fund", holders) >= 0 {
				r.Holder = s
			}
		} else if _, present := t["holder"]; !present {
			d.add(prefix+".holder", "missing: the hyperscaler or fund that holds the rights")
		}
		if v, present := d.boolean(t, prefix, "voting"); present {
			r.NonVoting = !v
		}
		if n, ok := d.number(t, prefix, "board_seats", true, 0, 100, "directors"); ok {
			r.BoardSeats = int(n)
		}
		if n, ok := d.number(t, prefix, "observer_seats", true, 0, 100, "observers"); ok {
			r.ObserverSeats = int(n)
		}
		r.Consultation, _ = d.boolean(t, prefix, "consultation")
		r.FirstNotice, _ = d.boolean(t, prefix, "first_notice")
		r.Information, _ = d.boolean(t, prefix, "information")
		vs, _ := d.strings(t, prefix, "vetoes")
		for j, v := range vs {
			if !setVeto(&r.Vetoes, v) {
				d.add(fmt.Sprintf("%s.vetoes[%d]", prefix, j), "unknown veto %q: want one of %s", v, strings.Join(vetoNames, ", "))
			}
		}
		r.Note, _ = d.str(t, prefix, "note")
		if r.Lab < 0 || r.Holder == "" {
			continue
		}
		L := &c.Labs[r.Lab]
		key := L.Name + "/" + r.Holder
		switch {
		case seen[key] != "":
			d.add(prefix+".holder", "the rights of %q in %q are already declared (%s)", r.Holder, L.Name, seen[key])
			continue
		case L.Owner >= 0:
			d.add(prefix+".lab", "lab %q is a hyperscaler's own lab: its owner holds it all", L.Name)
			continue
		case r.BoardSeats > L.BoardSize:
			d.add(prefix+".board_seats", "%d board seats on the board of %d of lab %q (declare its board_size)", r.BoardSeats, L.BoardSize, L.Name)
			continue
		case seats[r.Lab]+r.BoardSeats > L.BoardSize:
			d.add(prefix+".board_seats", "with these %d, the holders of lab %q have %d board seats on its board of %d", r.BoardSeats, L.Name, seats[r.Lab]+r.BoardSeats, L.BoardSize)
			continue
		}
		seats[r.Lab] += r.BoardSeats
		seen[key] = prefix
		c.Rights = append(c.Rights, r)
	}
}

// checkRights checks the rights against the cast: known labs and holders,
// and the seats of each lab's holders within its board.
func (c *Cast) checkRights() error {
	seats := make([]int, len(c.Labs))
	for _, r := range c.Rights {
		if r.Lab < 0 || r.Lab >= len(c.Labs) {
			return fmt.Errorf("agents: world %q: rights of %q in lab %d", c.Name, r.Holder, r.Lab)
		}
		ok := slices.ContainsFunc(c.Funds, func(f FundSpec) bool { return f.Name == r.Holder })
		for _, cl := range c.Clouds {
			ok = ok || cl.Strategic && cl.Name == r.Holder
		}
		if !ok {
			return fmt.Errorf("agents: world %q: rights in %q of %q, not a hyperscaler or fund", c.Name, c.Labs[r.Lab].Name, r.Holder)
		}
		seats[r.Lab] += r.BoardSeats
	}
	for l, n := range seats {
		if n > c.Labs[l].BoardSize {
			return fmt.Errorf("agents: world %q: %d board seats declared in lab %q, board size %d", c.Name, n, c.Labs[l].Name, c.Labs[l].BoardSize)
		}
	}
	return nil
}

// RemedyParams are the remedies the agencies use, as policy levers
// (baseline: all off).
type RemedyParams struct {
	// NondiscriminatoryCompute: no priority tier for a cloud's own or
	// partner labs (policy.nondiscriminatory_compute).
	NondiscriminatoryCompute bool
	// StakeDivestiture: the largest stake a hyperscaler keeps in an
	// independent lab; 1 = off (policy.stake_divestiture).
	StakeDivestiture float64
	// PriorNotification: stakes giving material influence or more are
	// reviewed (policy.prior_notification).
	PriorNotification bool
	// InformationFirewall: information rights void; stakes and revenue
	// shares leave compute pricing (policy.information_firewall).
	InformationFirewall bool
}

// Jurisdiction is the competition authority whose control rule and
// jurisdiction tests apply (antitrust.jurisdiction).
type Jurisdiction int

const (
	JurisdictionUK Jurisdiction = iota // Enterprise Act 2002 (CMA)
	JurisdictionEU                     // EU Merger Regulation
	JurisdictionUS                     // HSR Act
)

// regime returns the jurisdiction's market.Regime.
func (j Jurisdiction) regime() market.Regime {
	switch j {
	case JurisdictionEU:
		return market.EURegime()
	case JurisdictionUS:
		return market.USRegime()
	}
	return market.UKRegime()
}

// Screens of the review, the index of the blocked-deal counters.
const (
	screenHorizontal = iota
	screenVertical
	screenDistribution
	screenStakeCap
	numScreens
)

// Deal kinds of the review.
const (
	dealAcquisition = iota
	dealLicence
	dealStake
)

// Fixed conversions of the jurisdiction tests (amounts in the model are
// US$B; thresholds in £m, €m, US$m), approximate 2019-2025 average rates,
// and the member states over which a party's EU turnover is spread (the
// four largest economies and the rest): assumptions.
const (
	gbpPerUSD = 0.79
	eurPerUSD = 0.92
)

var euStates = [...]struct {
	name  string
	share float64
}{{"DE", 0.3}, {"FR", 0.2}, {"IT", 0.15}, {"ES", 0.1}, {"rest", 0.25}}

// controlState is the classification and review state of a world.
type controlState struct {
	rule      market.ControlRule
	regime    market.Regime
	mergerLvl market.ControlLevel
	rights    []int // nLabs x numHolders: index into the cast's rights, -1 if none
	gov       []market.Governance
	level     []market.ControlLevel // nLabs x numHolders: this month's classification
	mhhi      float64               // MHHI with control rights (points)
	// MHHI scratch: owners are the hyperscalers, the funds and each lab's
	// founders and other investors, in that order
	share      []float64
	ctlW, prof [][]float64
	// cumulative counters
	bids, refused, nonFrontier, quasi, notReviewable int
	blockedBy                                        [numScreens]int
	divested                                         float64 // US$B of stakes sold under the divestiture remedy
	// stakeU[h] is the rebuttal draw of hyperscaler h's stake reviews this
	// month (drawn at the end of last month's M&A phase)
	stakeU [MaxClouds]float64
	err    error // a stake review's error, returned by the M&A phase
}

func (w *World) newControl() {
	c := &w.ctl
	n := w.nLabs * w.numHolders
	c.rights = make([]int, n)
	c.level = make([]market.ControlLevel, n)
	c.gov = make([]market.Governance, w.nLabs)
	owners := w.nHyper + w.nFunds + 2*w.nLabs
	c.share = make([]float64, w.nLabs+w.nOwn) // labs, then own models
	c.ctlW = make([][]float64, owners)
	c.prof = make([][]float64, owners)
	for i := range c.ctlW {
		c.ctlW[i] = make([]float64, w.nLabs+w.nOwn)
		c.prof[i] = make([]float64, w.nLabs+w.nOwn)
	}
}

func (w *World) resetControl() {
	c := &w.ctl
	s := &w.S
	c.regime = s.Antitrust.Jurisdiction.regime()
	c.rule, c.mergerLvl = c.regime.Control, c.regime.MergerLevel
	for i := range c.rights {
		c.rights[i] = -1
	}
	for i, r := range s.cast.Rights {
		if h := w.holderIndex(r.Holder); h >= 0 {
			c.rights[r.Lab*w.numHolders+h] = i
		}
	}
	for l := range w.Labs {
		sp := &s.cast.Labs[l]
		c.gov[l] = market.Governance{BoardSize: sp.BoardSize, Turnout: sp.Turnout}
	}
	clear(c.level)
	c.mhhi = 0
	c.bids, c.refused, c.nonFrontier, c.quasi, c.notReviewable = 0, 0, 0, 0, 0
	c.blockedBy = [numScreens]int{}
	c.divested = 0
	c.stakeU = [MaxClouds]float64{}
	c.err = nil
}

// stakeAfter is holder k's equity in lab l after holder i0's becomes eq,
// the others' scaled pro rata (i0 < 0: the cap table as it is).
func (w *World) stakeAfter(l, k, i0 int, eq float64) float64 {
	L := &w.Labs[l]
	x := L.Cap.Stake(w.holders[k])
	switch {
	case i0 < 0:
		return x
	case k == i0:
		return eq
	}
	cur := L.Cap.Stake(w.holders[i0])
	if cur >= 1 {
		return 0
	}
	return x * (1 - eq) / (1 - cur)
}

// position is holder i's position in lab l, in the cap table after holder
// i0's equity becomes eq (i0 < 0: the cap table as it is).
func (w *World) position(l, i, i0 int, eq float64) market.HolderPosition {
	return w.positionVoting(l, i, i0, eq, w.votingStake(l, i0, eq))
}

// votingStake is the equity of lab l's voting holders, with holder i0's
// equity eq (i0 < 0: as it is): the same for every holder of l, so the
// loops over a lab's holders take it once (positionVoting).
func (w *World) votingStake(l, i0 int, eq float64) float64 {
	c := &w.ctl
	voting := 0.0
	for k := range w.holders {
		if r := c.rights[l*w.numHolders+k]; r < 0 || !w.S.cast.Rights[r].NonVoting {
			voting += w.stakeAfter(l, k, i0, eq)
		}
	}
	return voting
}

// positionVoting is position with the lab's voting equity given
// (votingStake(l, i0, eq)).
func (w *World) positionVoting(l, i, i0 int, eq, voting float64) market.HolderPosition {
	L := &w.Labs[l]
	c := &w.ctl
	e := math.Min(1, math.Max(0, w.stakeAfter(l, i, i0, eq))) // cap-table sums carry rounding
	p := market.HolderPosition{Holder: w.holders[i], Equity: e, ProfitInterest: e}
	if e <= 0 {
		return p
	}
	r := c.rights[l*w.numHolders+i]
	if (r < 0 || !w.S.cast.Rights[r].NonVoting) && voting > 0 {
		p.Votes = math.Min(1, e/voting)
		if i != holderFounders {
			p.Votes = math.Min(p.Votes, w.maxVotes(l)) // governance.go
		}
	}
	if r >= 0 {
		sp := &w.S.cast.Rights[r]
		p.BoardSeats, p.ObserverSeats = sp.BoardSeats, sp.ObserverSeats
		p.Consultation, p.Vetoes, p.FirstNotice, p.Information = sp.Consultation, sp.Vetoes, sp.FirstNotice, sp.Information
	}
	if h := i - holderH0; h >= 0 && h < w.nHyper && L.Owner < 0 {
		if L.Backer == h {
			if L.Contract.ComputeExclusive || L.Contract.ROFR {
				p.KeyInput = true
			}
			if L.Contract.IPLicensed(w.t) {
				p.Information = true
			}
			p.ProfitInterest = math.Max(p.ProfitInterest, L.Contract.ProfitShareAfter)
		}
		if L.ComputeShare[h] > 0.5 {
			p.KeyInput = true
		}
	}
	if w.S.Remedies.InformationFirewall {
		p.Information = false
	}
	return p
}

// classifyControl classifies every holder x lab position under the
// jurisdiction's rule, counts the partnerships that reach material
// influence or more (quasi-mergers) and computes the MHHI with control
// rights (phase 10, after the month's deals). It allocates nothing.
func (w *World) classifyControl() error {
	c := &w.ctl
	for l := range w.Labs {
		L := &w.Labs[l]
		voting := 0.0
		if L.Active || L.Owner >= 0 {
			voting = w.votingStake(l, -1, 0)
		}
		for i := range w.holders {
			k := l*w.numHolders + i
			lv := market.NoControl
			if L.Active || L.Owner >= 0 {
				lv = c.rule.Level(w.positionVoting(l, i, -1, 0, voting), c.gov[l])
			}
			if h := i - holderH0; h >= 0 && h < w.nHyper && L.Owner < 0 && L.Active &&
				lv >= market.MaterialInfluence && c.level[k] < market.MaterialInfluence {
				c.quasi++
			}
			c.level[k] = lv
		}
	}
	m, err := w.controlMHHI(-1, -1, 0)
	if err != nil {
		return err
	}
	c.mhhi = m
	return nil
}

// controlMHHI is the modified HHI of the model market (O'Brien-Salop, as
// market.MHHIWithControl with market.DefaultControlWeighting): profit
// weights are equity, control weights follow the classification (a
// holder with legal or de facto control weighs 1 and the others 0;
// without a controller each holder's votes, at least 0.25 for material
// influence). Owners are the hyperscalers, the funds, and each lab's
// founders and other investors (people who hold no other lab). With
// l0 >= 0 the positions in lab l0 are those after holder i0's equity there
// becomes eq. It allocates nothing.
func (w *World) controlMHHI(l0, i0 int, eq float64) (float64, error) {
	c := &w.ctl
	wt := market.DefaultControlWeighting()
	for i := range c.ctlW {
		clear(c.ctlW[i])
		clear(c.prof[i])
	}
	own := w.nHyper + w.nFunds
	for l := range w.Labs {
		L := &w.Labs[l]
		c.share[l] = 100 * w.modelShare[l]
		j0 := -1
		if l == l0 {
			j0 = i0
		}
		voting := w.votingStake(l, j0, eq) // the positions' of lab l (levelVoting)
		controlled := false
		for i := range w.holders {
			if w.levelVoting(l, i, l0, i0, eq, voting) >= market.DeFactoControl {
				controlled = true
			}
		}
		for i := range w.holders {
			o := i - holderH0 // hyperscalers and funds hold across labs
			switch i {
			case holderFounders:
				o = own + 2*l
			case w.holderOthers:
				o = own + 2*l + 1
			}
			p := w.positionVoting(l, i, j0, eq, voting)
			if L.Owner >= 0 && i != holderH0+L.Owner {
				p = market.HolderPosition{}
			}
			c.prof[o][l] = p.Equity
			lv := w.levelVoting(l, i, l0, i0, eq, voting)
			g := p.Votes
			switch {
			case controlled && lv >= market.DeFactoControl:
				g = 1
			case controlled:
				g = 0
			case lv == market.MaterialInfluence:
				g = math.Max(g, wt.Influence)
			}
			c.ctlW[o][l] = g
		}
	}
	for k := 0; k < w.nOwn; k++ {
		// a hyperscaler's own model: wholly its own
		j, h := w.nLabs+k, w.ownCloud[k]
		c.share[j] = 100 * w.ownModelShare[h]
		c.prof[h][j], c.ctlW[h][j] = 1, 1
	}
	v, err := market.MHHI(c.share, c.ctlW, c.prof)
	if err != nil {
		return 0, fmt.Errorf("MHHI with control rights: %w", err)
	}
	return v, nil
}

// levelVoting is holder i's level in lab l: this month's classification,
// or, in lab l0, the level after holder i0's equity there becomes eq, with
// lab l's voting equity given (for l = l0, votingStake(l, i0, eq);
// otherwise unused).
func (w *World) levelVoting(l, i, l0, i0 int, eq, voting float64) market.ControlLevel {
	c := &w.ctl
	if l != l0 {
		return c.level[l*w.numHolders+i]
	}
	return c.rule.Level(w.positionVoting(l, i, i0, eq, voting), c.gov[l])
}

// runDivestiture applies the stake-divestiture remedy
// (policy.stake_divestiture < 1): a hyperscaler holding more than the
// threshold of an independent lab sells the excess to other investors at
// the lab's last post-money.
func (w *World) runDivestiture() error {
	th := w.S.Remedies.StakeDivestiture
	if th >= 1 {
		return nil
	}
	for l := range w.Labs {
		L := &w.Labs[l]
		if !L.Active || L.Owner >= 0 {
			continue
		}
		for h := 0; h < w.nHyper; h++ {
			st := L.Cap.Stake(w.hsHolder(h))
			if st <= th+1e-12 {
				continue
			}
			x := st - th
			if err := L.Cap.Transfer(w.hsHolder(h), w.holders[w.holderOthers], x); err != nil {
				return fmt.Errorf("divestiture of %s's stake in %s: %w", w.hsHolder(h), L.Name, err)
			}
			amt := x * math.Max(L.LastPost, 0)
			w.ledger.xfer(extOthers, w.accCloud(h), amt)
			w.ctl.divested += amt
		}
	}
	return nil
}

// computeRemedies applies the compute remedies to lab j's row of the
// compute market: non-discriminatory access turns a priority tier into
// open access (capacity is shared on equal terms with rival labs); an
// information firewall takes the stakes and revenue shares of clouds that
// do not own the lab out of their prices to it.
func (w *World) computeRemedies(j int, acc []market.Access, stk, uv []float64) {
	r := &w.S.Remedies
	if r.NondiscriminatoryCompute {
		for k := range acc {
			if acc[k] == market.AccessPriority {
				acc[k] = market.AccessOpen
			}
		}
	}
	if r.InformationFirewall {
		for k := range stk {
			if k != w.Labs[j].Owner {
				stk[k], uv[k] = 0, 0
			}
		}
	}
}

// stakeCapped limits a hyperscaler's investment in a lab: under merger
// control its stake stays at or below policy.stake_threshold, and a stake
// that is reviewed (a merger under the jurisdiction's law and reviewable,
// or notified under policy.prior_notification) is blocked when a screen
// objects. It returns the amount allowed.
func (w *World) stakeCapped(l, h int, amt, post float64) float64 {
	if amt <= 0 {
		return amt
	}
	if w.Reg.MergerControl {
		st := w.Labs[l].Cap.Stake(w.hsHolder(h))
		th := w.Reg.StakeThreshold
		if st >= th {
			w.blocked++
			w.ctl.blockedBy[screenStakeCap]++
			return 0
		}
		// st(1 - a/post) + a/post <= th  =>  a <= post (th - st)/(1 - st)
		if maxAmt := post * (th - st) / (1 - st); amt > maxAmt {
			w.blocked++
			w.ctl.blockedBy[screenStakeCap]++
			amt = maxAmt
		}
	}
	if !w.Reg.MergerControl && !w.S.Remedies.PriorNotification || w.S.Mode.Replay {
		return amt
	}
	st := w.Labs[l].Cap.Stake(w.hsHolder(h))
	after := st*(1-amt/post) + amt/post
	blocked, err := w.reviewDeal(dealStake, l, h, after, amt, w.ctl.stakeU[h])
	if err != nil && w.ctl.err == nil {
		// stakeCapped cannot return an error to its callers in the finance
		// phase: the error stops the month at the M&A phase
		w.ctl.err = fmt.Errorf("stake review in the finance phase: %w", err)
	}
	if err != nil || blocked {
		return 0
	}
	return amt
}

// reviewDeal reviews a deal of hyperscaler h in lab l: an acquisition
// (after = 1), a licence-and-hire deal, or a stake that leaves h with
// equity after; value is what h pays (US$B) and u the rebuttal draw. It
// reports whether the deal is blocked and counts the block by screen.
//
// Without merger control an acquisition meets the horizontal screen only
// (the guidelines' presumption), and a stake is reviewed only when
// notified (policy.prior_notification: a stake that gives material
// influence or more under the jurisdiction's rule), by the horizontal
// screen on the MHHI. With merger control a deal is reviewed when the
// jurisdiction's law makes it a merger and a test in force on its date is
// met, or when it is a notified stake, and then by every screen.
func (w *World) reviewDeal(kind, l, h int, after, value, u float64) (bool, error) {
	c := &w.ctl
	i := holderH0 + h
	notified := false
	if kind == dealStake {
		lvBefore := c.level[l*w.numHolders+i]
		lvAfter := c.rule.Level(w.position(l, i, i, after), c.gov[l])
		notified = w.S.Remedies.PriorNotification && lvAfter >= market.MaterialInfluence && lvAfter > lvBefore
	}
	reviewed := notified
	if w.Reg.MergerControl && !notified {
		rv, err := c.regime.Review(w.transaction(kind, l, h, after, value))
		if err != nil {
			return false, fmt.Errorf("review of %s and %s: %w", w.Labs[l].Name, w.hsHolder(h), err)
		}
		reviewed = rv.Reviewable
	}
	if !w.Reg.MergerControl && kind == dealAcquisition {
		reviewed = true
	}
	if !reviewed {
		if w.Reg.MergerControl {
			c.notReviewable++
		}
		return false, nil
	}
	objects := func(presumption bool) bool { return presumption && u >= w.Reg.PRebut }
	// horizontal
	var presumption bool
	if kind == dealStake {
		before, err := w.controlMHHI(-1, -1, 0)
		if err != nil {
			return false, err
		}
		post, err := w.controlMHHI(l, i, after)
		if err != nil {
			return false, err
		}
		r, err := market.PartialOwnershipScreen(before, post, w.Reg.Regime)
		if err != nil {
			return false, fmt.Errorf("partial-ownership screen of %s and %s: %w", w.Labs[l].Name, w.hsHolder(h), err)
		}
		presumption = r.Presumption
	} else {
		p, err := w.screen(l, h)
		if err != nil {
			return false, err
		}
		presumption = p
	}
	if objects(presumption) {
		w.blocked++
		c.blockedBy[screenHorizontal]++
		return true, nil
	}
	if !w.Reg.MergerControl {
		return false, nil
	}
	vr, err := market.VerticalScreen(w.verticalMarket(l, h), market.DefaultVerticalRule())
	if err != nil {
		return false, fmt.Errorf("vertical screen of %s and %s: %w", w.Labs[l].Name, w.hsHolder(h), err)
	}
	switch {
	case objects(vr.InputConcern):
		w.blocked++
		c.blockedBy[screenVertical]++
		return true, nil
	case objects(vr.DistributionConcern):
		w.blocked++
		c.blockedBy[screenDistribution]++
		return true, nil
	}
	return false, nil
}

// date is month t's first day (month 0 = January 2019).
func date(t int) time.Time {
	return time.Date(2019, time.January+time.Month(t), 1, 0, 0, 0, 0, time.UTC)
}

// transaction describes a deal to the jurisdiction tests: the parties'
// turnover is twelve times this month's revenue (the target's revenue; the
// acquirer's cloud revenue), of which antitrust.uk_share is earned in the
// UK and antitrust.eu_share in the EU (spread over euStates); shares of
// supply are model-market shares (the acquirer's through the labs it
// owns), the acquirer's largest its cloud share too.
func (w *World) transaction(kind, l, h int, after, value float64) market.Transaction {
	s := &w.S
	L := &w.Labs[l]
	party := func(turnover, share, largest float64, nexus bool) market.Party {
		share, largest = math.Min(1, math.Max(0, share)), math.Min(1, math.Max(0, largest)) // sums of shares carry rounding
		p := market.Party{UKTurnover: 1000 * gbpPerUSD * s.Antitrust.UKShare * turnover, UKShareOfSupply: share,
			UKLargestShare: largest, UKNexus: nexus, WorldTurnover: 1000 * eurPerUSD * turnover, USSize: 1000 * turnover}
		for _, st := range euStates {
			p.EUTurnover = append(p.EUTurnover, market.StateTurnover{State: st.name, Turnover: 1000 * eurPerUSD * s.Antitrust.EUShare * st.share * turnover})
		}
		return p
	}
	own := w.ownShare(h)
	t := market.Transaction{Date: date(w.t), Governance: w.ctl.gov[l], ValueHeld: 1000 * value,
		Acquirer: party(12*w.cloudRev[h], own, math.Max(own, w.cloudShare[h]), true),
		Target:   party(12*L.Revenue, w.modelShare[l], w.modelShare[l], L.Revenue > 0)}
	switch kind {
	case dealLicence:
		t.Kind = market.LicenceAndHire
	default:
		i := holderH0 + h
		t.Kind = market.StakeDeal
		t.Before = w.position(l, i, -1, 0)
		t.After = w.position(l, i, i, after)
		if kind == dealAcquisition {
			t.After = market.HolderPosition{Holder: w.holders[i], Equity: 1, ProfitInterest: 1, Votes: 1}
		}
		if kind == dealStake {
			t.ValueHeld = 1000 * after * math.Max(L.LastPost, value)
		}
	}
	return t
}

// verticalMarket is the vertical screen's view of a deal of h for lab l:
// the labs' GPU-hours by cloud this month (the compute market), the labs'
// spend by channel (direct, each cloud), the target's rivals (every other
// active lab h does not own), h's cloud and channel.
func (w *World) verticalMarket(l, h int) market.VerticalMarket {
	K := w.nClouds
	m := market.VerticalMarket{Target: l, Rivals: make([]bool, w.nLabs),
		MergedClouds: make([]bool, K), AcquirerChannels: make([]bool, w.numCh)}
	m.ComputeUse = make([][]float64, w.nLabs)
	m.Sales = make([][]float64, w.nLabs)
	for j := range w.Labs {
		row := make([]float64, K)
		if w.cm.qty != nil {
			for k := range K {
				row[k] = math.Max(0, w.cm.qty[j*K+k])
			}
		}
		m.ComputeUse[j] = row
		sales := make([]float64, w.numCh)
		for ch := range w.numCh {
			sales[ch] = math.Max(0, w.altSpend[j*w.numCh+ch])
		}
		m.Sales[j] = sales
		m.Rivals[j] = j != l && w.Labs[j].Active && w.Labs[j].Owner != h
	}
	m.MergedClouds[h] = true
	m.AcquirerChannels[1+h] = true
	return m
}

// controlMetrics: the classification, the review and the remedies.
func (m *metricList) controlMetrics(c *Cast) {
	for _, l := range c.Metrics.Labs {
		for h := range c.Clouds {
			if !c.Clouds[h].Strategic {
				continue
			}
			ln, hn := c.Labs[l].Name, c.Clouds[h].Name
			m.add(GroupMA, "control_"+hn+"_"+ln, "level (0 none, 1 material influence, 2 de facto, 3 legal control)",
				"classification of "+hn+"'s position in "+ln+" under the control rule of antitrust.jurisdiction",
				func(w *World) float64 { return float64(w.ctl.level[l*w.numHolders+holderH0+h]) })
		}
		// the other holders on the cap table: the founders, the funds (with
		// the rights [[rights]] declares for them) and the other investors
		f0 := holderH0 + c.Hyperscalers()
		others := []struct {
			name, desc string
			i          int
		}{{"founders", "the founders' (and employees')", holderFounders}}
		for f := range c.Funds {
			others = append(others, struct {
				name, desc string
				i          int
			}{c.Funds[f].Name, "venture fund " + c.Funds[f].Name + "'s", f0 + f})
		}
		others = append(others, struct {
			name, desc string
			i          int
		}{"others", "the other investors' (pooled)", f0 + len(c.Funds)})
		for _, o := range others {
			ln, i := c.Labs[l].Name, o.i
			m.add(GroupMA, "control_"+o.name+"_"+ln, "level (0 none, 1 material influence, 2 de facto, 3 legal control)",
				"classification of "+o.desc+" position in "+ln+" under the control rule of antitrust.jurisdiction",
				func(w *World) float64 { return float64(w.ctl.level[l*w.numHolders+i]) })
		}
	}
	pairs := func(lo, hi market.ControlLevel) func(w *World) float64 {
		return func(w *World) float64 {
			n := 0
			for l := range w.Labs {
				if !w.Labs[l].Active || w.Labs[l].Owner >= 0 {
					continue
				}
				for h := 0; h < w.nHyper; h++ {
					if lv := w.ctl.level[l*w.numHolders+holderH0+h]; lv >= lo && lv <= hi {
						n++
					}
				}
			}
			return float64(n)
		}
	}
	m.add(GroupMA, "partnerships_material_influence", "count", "hyperscaler x independent lab positions classified as material influence", pairs(market.MaterialInfluence, market.MaterialInfluence))
	m.add(GroupMA, "partnerships_control", "count", "hyperscaler x independent lab positions classified as de facto or legal control", pairs(market.DeFactoControl, market.LegalControl))
	m.add(GroupMA, "quasi_mergers", "count (cumulative)", "licence-and-hire deals plus hyperscaler positions in independent labs that reached material influence or more",
		func(w *World) float64 { return float64(w.ctl.quasi) })
	m.add(GroupMA, "acquisition_bids", "count (cumulative)", "bids: attempts whose valued gain to the buyer exceeds the price (acquisition or licence and hire)",
		func(w *World) float64 { return float64(w.ctl.bids) })
	m.add(GroupMA, "deal_valuation_failures", "count (cumulative)", "pricing solves of deal valuations (standalone, merged, licence and hire) that found no equilibrium: the pair is not valued and no bid is made",
		func(w *World) float64 { return float64(w.deal.fails) })
	m.add(GroupMA, "bids_refused", "count (cumulative)", "bids the target refused (its governance bars a sale)", func(w *World) float64 { return float64(w.ctl.refused) })
	m.add(GroupMA, "acquisitions_nonfrontier", "count (cumulative)", "completed acquisitions of labs more than 0.5 K units behind the frontier",
		func(w *World) float64 { return float64(w.ctl.nonFrontier) })
	for i, n := range [numScreens]string{"horizontal", "vertical_input", "distribution", "stake_cap"} {
		d := [numScreens]string{"the horizontal screen (HHI, or MHHI for stakes)", "the vertical input-foreclosure screen", "the distribution screen", "merger control's stake threshold"}[i]
		m.add(GroupMA, "blocked_"+n, "count (cumulative)", "deals blocked by "+d, func(w *World) float64 { return float64(w.ctl.blockedBy[i]) })
	}
	m.add(GroupMA, "deals_not_reviewable", "count (cumulative)", "deals merger control let through: no merger under the jurisdiction's law or below its thresholds",
		func(w *World) float64 { return float64(w.ctl.notReviewable) })
	m.add(GroupConcentration, "mhhi_control", "HHI points (0-10,000)", "modified HHI of the model market with control weights from the classification (O'Brien-Salop)",
		func(w *World) float64 { return w.ctl.mhhi })
	m.add(GroupMA, "stake_divested", "US$B (cumulative)", "hyperscaler stakes sold under the divestiture remedy, at the labs' last post-money",
		func(w *World) float64 { return w.ctl.divested })
}
