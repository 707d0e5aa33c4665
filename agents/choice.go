package agents

import (
	"errors"
	"fmt"
	"math"

	"frontiersim/market"
)

// phaseChoice: Bass adoption on the realised adopted share, vendor and
// channel choice by nested logit per (segment, main vendor) cell, and
// re-choice of incumbents with switching costs (phases 4 and 5).
func (w *World) phaseChoice(t int) error {
	w.buildAlternatives(t)
	if w.dm.on {
		w.dm.u0 = w.outsideUtility(t)
	}
	var none [MaxLabs]float64
	if err := w.computeCells(&none, -1, 0, w.cellShare, w.cellLogsum); err != nil {
		return err
	}
	w.buildCDF()
	if w.dm.on {
		w.cloudChoice()
	}
	w.adoptionProb()
	w.buyerLoop()
	if w.dm.on {
		w.aggregateDemand()
		return w.welfare(t)
	}
	w.aggregateSpend()
	return nil
}

// resaleOn reports whether closed lab l's model is sold on hyperscaler
// cloud c this month, and whether it is the backer channel. In endogenous
// mode resale is an agreement (agreements.go): the backer's partnership
// (while its IP licence runs) or an agreement formed on its gain from
// trade; the calendar date contract.resale_start applies in replay mode
// only.
func (w *World) resaleOn(l, c, t int) (on, backer bool) {
	L := &w.Labs[l]
	s := &w.S
	if c >= w.nHyper {
		return false, false
	}
	if L.Owner >= 0 {
		return c == L.Owner, false
	}
	if w.agreementsOn() {
		if L.Backer == c {
			return L.Contract.IPLicensed(t), true
		}
		if L.Backer >= 0 && L.Contract.APIExclusive && !w.Reg.BanAPI {
			return false, false
		}
		return w.ag.on[l][c] || w.ag.probe[l][c], false
	}
	resale := t >= s.Contract.ResaleStart
	if L.Backer == c {
		return resale && L.Contract.IPLicensed(t), true
	}
	if L.Backer >= 0 && L.Contract.APIExclusive && !w.Reg.BanAPI {
		return false, false
	}
	if L.Cap.Stake(w.hsHolder(c)) > 0 && resale {
		return true, false
	}
	if w.Reg.BanAPI && L.Backer >= 0 && resale {
		return true, false
	}
	return false, false
}

// buildAlternatives sets availability and the segment-free utility terms of
// every model x channel alternative.
func (w *World) buildAlternatives(t int) {
	s := &w.S
	bk, bp := s.Logit.BetaK, s.Logit.BetaP
	pbar := w.priceBar
	if !(pbar > 0) {
		pbar = 1
	}
	for l := range w.Labs {
		L := &w.Labs[l]
		for ch := 0; ch < w.numCh; ch++ {
			a := l*w.numCh + ch
			avail := L.Active && L.KDep != 0
			if avail {
				switch {
				case ch == chDirect:
					avail = L.Closed && L.Owner < 0 || L.directAPI
				case !L.Closed:
					avail = true // self-hosted open weights on any cloud
				default:
					avail, _ = w.resaleOn(l, ch-1, t)
				}
			}
			w.altAvail[a] = avail
			if !avail {
				w.altBase[a] = math.Inf(-1)
				continue
			}
			if w.dm.on {
				w.altBase[a] = bk*L.chK[ch] + L.Brand // the bill enters by segment (computeCells)
			} else {
				w.altBase[a] = bk*L.chK[ch] - bp*L.Price/pbar + L.Brand
			}
			if ch != chDirect {
				w.altBase[a] += s.cast.Clouds[ch-1].ChannelBrand // the cloud's channel intercept
			}
			switch {
			case ch != chDirect:
				w.altSec[a] = s.Security.Cloud
			case t >= s.Security.EnterpriseMonth:
				w.altSec[a] = s.Security.DirectEnterprise
			default:
				w.altSec[a] = s.Security.Direct
			}
		}
	}
	w.ownModels()
	for f := 0; f <= w.nFunds; f++ {
		for l := range w.Labs {
			w.tieLab[f][l] = f > 0 && w.Labs[l].Cap.Stake(w.fundHolder(f-1)) > 0
		}
	}
}

// ownModels sets the hyperscalers' own-model alternatives: in endogenous
// mode, once a closed model is deployed, cloud c's own model is offered on
// c's channel at capability K_front - OwnGap (the best deployed closed
// model, as of this call, less the cloud's own-model gap, which acquisitions and licence-and-hire deals
// close) with brand intercept 0; in replay mode never.
func (w *World) ownModels() {
	s := &w.S
	if w.nOwn == 0 {
		return
	}
	kf, found := 0.0, false
	for l := range w.Labs {
		if L := &w.Labs[l]; L.Active && L.Closed && L.KDep != 0 && (!found || L.KDep > kf) {
			kf, found = L.KDep, true
		}
	}
	for k := 0; k < w.nOwn; k++ {
		a, c := w.ownAlt0+k, w.ownCloud[k]
		avail := w.dm.on && found && c < w.nHyper
		w.altAvail[a] = avail
		if !avail {
			w.altBase[a] = math.Inf(-1)
			continue
		}
		w.altBase[a] = s.Logit.BetaK * (kf - w.Hyper[c].OwnGap) // brand intercept 0
		w.altSec[a] = s.Security.Cloud
	}
}

// computeCells fills the workload shares and log-sums of every (segment,
// main vendor) cell. disp[l] overrides nothing unless dispLab >= 0, in
// which case lab dispLab's backer disparagement is disp[dispLab] and its
// backer channel carries the utility penalty lagPen with the deployed model
// (the conflict best-response evaluation). A cell without any available
// alternative gets zero shares and log-sum 0; any other failure of the
// nested logit is an error.
func (w *World) computeCells(disp *[MaxLabs]float64, dispLab int, lagPen float64, shares, logsum []float64) error {
	s := &w.S
	na, nch := w.numAlt, w.numCh
	gam := s.Logit.Gamma * w.Reg.Psi
	// per-lab disparagement applying to buyers whose primary is its backer
	var d [MaxLabs]float64
	var backer [MaxLabs]int
	for l := range w.Labs {
		backer[l] = w.Labs[l].Backer
		if backer[l] >= 0 && w.Labs[l].Owner < 0 {
			d[l] = w.Hyper[backer[l]].Disparage
		}
	}
	var base [maxAlt]float64
	copy(base[:na], w.altBase[:na])
	if dispLab >= 0 {
		d[dispLab] = disp[dispLab]
		if b := backer[dispLab]; b >= 0 {
			a := dispLab*nch + 1 + b
			if w.altAvail[a] {
				L := &w.Labs[dispLab]
				base[a] += s.Logit.BetaK*(L.KDep-L.chK[1+b]) - lagPen
			}
		}
	}
	v := w.vScratch[:na]
	vv := w.vvScratch[:na]
	nests, lambda := w.altNest[:na], w.lambda[:w.numNests]
	nl := w.nLabs
	v2 := w.dm.on
	outside := w.dm.cellOutside
	if dispLab >= 0 {
		outside = w.dm.evalOutside
	}
	if w.noCellMemo {
		// tests: every exponential and logarithm of this call taken anew
		for _, m := range [][]float64{w.incEMemo, w.cellMemo, w.incFMemo[:]} {
			for i := range m {
				m[i] = math.NaN()
			}
		}
	}
	canon := w.canonicalTies()
	// the conflict's evaluations keep the cells of segments whose
	// utilities did not move (evalCache); the month's cells clear it
	ec := &w.evalCache
	cache := dispLab >= 0 && len(shares) > 0 && &shares[0] == &w.evalShare[0] && !w.noTwins
	if dispLab < 0 {
		ec.clear()
	} else if cache {
		ec.size(w.numSeg, na)
	}
	for seg := 0; seg < w.numSeg; seg++ {
		if w.segMasked(seg) {
			continue // no cell of it is read (contracts.go)
		}
		if src := w.twinSegment(seg, &canon); src >= 0 {
			w.copyCells(seg, src, shares, logsum, outside)
			if cache {
				ec.copyEntry(seg, src, w.segmentCells(seg))
			}
			continue
		}
		w.segmentUtility(seg, base[:na], &d, &backer, v)
		if v2 {
			// model v2: the bill of the month's workload unit, in US$M
			_, _, sec := w.segment(seg)
			bp := w.dm.betaP[sec]
			floor := w.dm.u0 - 700 // a share of exp(-700) of the outside good's is 0
			for a, b := range w.dm.bill[:na] {
				if x := v[a] - bp*b; x > floor || math.IsInf(v[a], -1) {
					v[a] = x
				} else {
					v[a] = floor // keeps the nested logit finite at absurd bills
				}
			}
		}
		need := w.segmentCells(seg)
		if cache && ec.holds(seg, v, gam, w.dm.u0, need) {
			continue // its cells are those of an earlier evaluation
		}
		based, baseOK := false, false // incumbentBase of this segment
		for inc := 0; inc <= w.nLabs; inc++ {
			cell := seg*w.incStride + inc
			if w.cellMask != nil && !w.cellMask[cell] {
				continue // not read (evalConflict's unweighted cells)
			}
			out := shares[cell*na : (cell+1)*na]
			if inc > 0 && !w.Labs[inc-1].Active && dispLab < 0 {
				// dead incumbents re-choose from the none cell
				none := seg * w.incStride
				copy(out, shares[none*na:(none+1)*na])
				logsum[cell] = logsum[none]
				outside[cell] = outside[none]
				continue
			}
			if !w.noClosedInc {
				if !based {
					baseOK, based = w.incumbentBase(seg, v, nests, lambda, gam), true
				}
				if baseOK {
					if ls, ok := w.incumbentCell(cell, inc-1, nests, lambda, out); ok { // inc-1 = -1: none
						if v2 {
							ls, outside[cell] = withOutside(ls, w.dm.u0)
						}
						logsum[cell] = ls
						continue
					}
				}
			}
			copy(vv, v)
			if inc > 0 && gam != 0 {
				// switching away from the incumbent costs gam
				for l := 0; l < nl; l++ {
					if l == inc-1 {
						continue
					}
					row := vv[l*nch : (l+1)*nch]
					for ch := range row {
						row[ch] -= gam
					}
				}
				for a := w.ownAlt0; a < na; a++ {
					vv[a] -= gam // an own model is not the incumbent lab
				}
			}
			ls, err := w.nlMemo.NestedLogit(vv, nests, lambda, out, w.nlScratch[:])
			switch {
			case errors.Is(err, market.ErrEmptyChoiceSet):
				clear(out) // nothing to choose: no spend
				ls = 0
				if v2 {
					ls = math.Inf(-1)
				}
			case err != nil:
				return fmt.Errorf("choice in segment %d, incumbent %d: %w", seg, inc, err)
			}
			if v2 {
				// the outside good in a nest of its own: out stays the
				// inside shares conditional on buying inside
				ls, outside[cell] = withOutside(ls, w.dm.u0)
			}
			logsum[cell] = ls
		}
		if cache {
			ec.store(seg, v, gam, w.dm.u0, need)
		}
	}
	return nil
}

// incumbentBase prepares the closed form of a segment's incumbent cells
// (incumbentCell) from its utilities v without incumbent: per nest g the
// largest v/lambda_g (incM, -Inf for a nest without an available
// alternative), each alternative's e_a = exp(v_a/lambda_g - incM_g) (incE)
// and the switching cost's factor exp(-gam/lambda_g) (incF). It reports
// false where NestedLogit would reject v (a NaN or +Inf utility), and the
// cells then take NestedLogit's path; so they do for a lambda outside (0, 1].
func (w *World) incumbentBase(seg int, v []float64, nests []int, lambda []float64, gam float64) bool {
	m := w.incM[:len(lambda)]
	for g := range m {
		if !(lambda[g] > 0 && lambda[g] <= 1) {
			return false // NestedLogit's path reports it
		}
		m[g] = math.Inf(-1)
		w.incF[g] = memoOf(w.incFMemo[:], g, -gam/lambda[g], math.Exp)
	}
	for a, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 1) {
			return false
		}
		g := nests[a]
		y := x / lambda[g]
		if math.IsInf(y, 1) {
			return false
		}
		if y > m[g] {
			m[g] = y
		}
	}
	for a, x := range v {
		g := nests[a]
		if math.IsInf(m[g], -1) {
			w.incE[a] = 0
			continue
		}
		w.incE[a] = memoOf(w.incEMemo[seg*w.numAlt*2:], a, x/lambda[g]-m[g], math.Exp)
	}
	return true
}

// memoOf returns f(x) from slot i of memo (pairs of argument and value),
// computing it and storing the pair when the slot holds another argument:
// f(x) bit for bit, for a pure f (math.Exp, math.Log: equal arguments, -0
// and +0 included, give equal values). computeCells' memos (incEMemo per
// segment and alternative, cellMemo per cell and nest, incFMemo per nest)
// hold such values from one computation to the next, so an evaluation that
// moves some utilities (the conflict's) takes only theirs again; they need
// no invalidation. Their slots start as NaN, which matches nothing.
func memoOf(memo []float64, i int, x float64, f func(float64) float64) float64 {
	if memo[2*i] == x {
		return memo[2*i+1]
	}
	y := f(x)
	memo[2*i], memo[2*i+1] = x, y
	return y
}

// incumbentCell writes the inside shares of the cell of incumbent lab inc
// into out and returns the cell's log-sum over the inside nests: the nested
// logit of the utilities v - gam on every alternative but inc's own (inc -1:
// the cell without incumbent, of the utilities v), in closed form from the
// segment's exponentials (incumbentBase), so the segment's J exponentials
// are taken once for all its cells. Within nest
// g the shift multiplies the others' e_a by F_g = exp(-gam/lambda_g), so the
// nest's sum (relative to exp(incM_g)) is S_g = sum_{a of inc} e_a + F_g
// sum_{a not of inc} e_a, its inclusive value incM_g + ln S_g, and a share
// (e_a or F_g e_a)/S_g P(g): mathematically NestedLogit's result, equal to
// it up to rounding (TestIncumbentCellsClosedForm), with 2G+1 exponentials
// and logarithms instead of J+4G+1. It reports false where a nest's sum
// would lose its precision (S_g below 1e-280: a switching cost of hundreds
// of utils per lambda), and the cell then takes NestedLogit's path.
func (w *World) incumbentCell(cell, inc int, nests []int, lambda []float64, out []float64) (float64, bool) {
	cm := w.cellMemo[cell*4*maxNests : (cell+1)*4*maxNests] // per nest: ln S_g, then exp(u_g - top)
	G := len(lambda)
	na := len(out)
	lo, hi := inc*w.numCh, (inc+1)*w.numCh
	var own, rest, u, f [maxNests]float64
	for g := range G {
		f[g] = 1
		if inc >= 0 {
			f[g] = w.incF[g]
		}
	}
	e := w.incE[:na]
	for a, x := range e {
		if g := nests[a]; a >= lo && a < hi {
			own[g] += x
		} else {
			rest[g] += x
		}
	}
	m := w.incM[:G]
	top := math.Inf(-1)
	for g := range G {
		if math.IsInf(m[g], -1) {
			continue
		}
		s := own[g] + f[g]*rest[g]
		if !(s > 1e-280) {
			return 0, false
		}
		own[g] = s
		u[g] = lambda[g] * (m[g] + memoOf(cm, g, s, math.Log)) // lambda_g IV_g
		if u[g] > top {
			top = u[g]
		}
	}
	if math.IsInf(top, -1) {
		return 0, false // nothing to choose: NestedLogit's path says so
	}
	var sum float64
	for g := range G {
		if !math.IsInf(m[g], -1) {
			u[g] = memoOf(cm, maxNests+g, u[g]-top, math.Exp)
			sum += u[g]
		}
	}
	ls := top + math.Log(sum)
	// rest[g] becomes P(g)/S_g, own[g] F_g P(g)/S_g
	for g := range G {
		if math.IsInf(m[g], -1) {
			continue
		}
		r := u[g] / sum / own[g]
		rest[g], own[g] = r*f[g], r
	}
	for a, x := range e {
		g := nests[a]
		if math.IsInf(m[g], -1) {
			out[a] = 0
		} else if a >= lo && a < hi {
			out[a] = x * own[g]
		} else {
			out[a] = x * rest[g]
		}
	}
	return ls, true
}

// segmentCells is the set of segment seg's cells computeCells fills (bit
// inc for the cell of incumbent inc): those of cellMask, or all.
func (w *World) segmentCells(seg int) uint32 {
	var bits uint32
	for inc := 0; inc <= w.nLabs; inc++ {
		if w.cellMask == nil || w.cellMask[seg*w.incStride+inc] {
			bits |= 1 << inc
		}
	}
	return bits
}

// evalCache remembers, per segment, the utilities (with the bills) from
// which computeCells last filled the segment's cells of the conflict's
// buffers (evalShare, evalLogsum, dm.evalOutside), with the switching cost
// and the outside good's utility, and which of its cells it filled. The
// channel-conflict best responses evaluate the cells at many levels of one
// backer's disparagement, which only the segments of its primary cloud
// see, so most segments' cells stay as they were. Owner: computeCells.
// Invalidation: a segment's cells are a function of exactly these inputs
// (the nests and lambda are fixed between Resets), compared bit for bit;
// computeCells of the month's cells (the choice phase, which precedes the
// conflict phase every month) and resetDemand clear the cache.
type evalCache struct {
	v       []float64 // numSeg x numAlt
	gam, u0 []float64 // numSeg
	cells   []uint32  // numSeg: the cells filled (segmentCells bits); 0: none
	na      int
}

func (c *evalCache) clear() { clear(c.cells) }

// size makes room for seg segments of na alternatives (once per world).
func (c *evalCache) size(seg, na int) {
	if len(c.cells) != seg || c.na != na {
		c.v, c.gam, c.u0 = make([]float64, seg*na), make([]float64, seg), make([]float64, seg)
		c.cells, c.na = make([]uint32, seg), na
	}
}

// holds reports whether segment seg's cells were filled from utilities v,
// switching cost gam and outside utility u0, including every cell of need.
func (c *evalCache) holds(seg int, v []float64, gam, u0 float64, need uint32) bool {
	if c.cells[seg]&need != need || c.gam[seg] != gam || c.u0[seg] != u0 {
		return false
	}
	for a, x := range c.v[seg*c.na : (seg+1)*c.na] {
		if x != v[a] {
			return false
		}
	}
	return true
}

// store records that segment seg's cells filled are those of v, gam, u0.
func (c *evalCache) store(seg int, v []float64, gam, u0 float64, filled uint32) {
	copy(c.v[seg*c.na:(seg+1)*c.na], v)
	c.gam[seg], c.u0[seg], c.cells[seg] = gam, u0, filled
}

// copyEntry records that segment seg's cells filled were copied from
// twin segment src's, so they hold src's inputs.
func (c *evalCache) copyEntry(seg, src int, filled uint32) {
	copy(c.v[seg*c.na:(seg+1)*c.na], c.v[src*c.na:(src+1)*c.na])
	c.gam[seg], c.u0[seg], c.cells[seg] = c.gam[src], c.u0[src], filled&c.cells[src]
}

// canonicalTies maps each investor tie to the first tie whose fund steers
// toward the same labs this month. segmentUtility reads a segment's tie
// only through the labs its fund holds and steers toward (w.tieLab and
// w.steering), so two segments of one primary cloud and security class
// whose ties map to the same canonical tie have bit for bit the same
// utilities, hence the same cells.
func (w *World) canonicalTies() [MaxFunds + 1]int {
	var canon [MaxFunds + 1]int
	for t := 0; t <= w.nFunds; t++ {
		canon[t] = t
	search:
		for u := 0; u < t; u++ {
			for l := 0; l < w.nLabs; l++ {
				if (w.tieLab[t][l] && w.steering.steer[t][l]) != (w.tieLab[u][l] && w.steering.steer[u][l]) {
					continue search
				}
			}
			canon[t] = u
			break
		}
	}
	return canon
}

// twinSegment is the segment computed earlier in this computeCells call
// whose cells segment seg shares (its canonical tie's segment, see
// canonicalTies), or -1 when seg's own are to be computed: seg's tie is
// canonical, or a cell seg needs was not computed there (cellMask).
func (w *World) twinSegment(seg int, canon *[MaxFunds + 1]int) int {
	prim, tie, sec := w.segment(seg)
	ct := canon[tie]
	if ct == tie || w.noTwins {
		return -1
	}
	src := w.segIndex(prim, ct, sec)
	if w.cellMask != nil {
		for inc := 0; inc <= w.nLabs; inc++ {
			if w.cellMask[seg*w.incStride+inc] && !w.cellMask[src*w.incStride+inc] {
				return -1
			}
		}
	}
	return src
}

// copyCells copies the shares, log-sums and outside shares of
// segment src's cells into segment seg's (the cells seg needs).
func (w *World) copyCells(seg, src int, shares, logsum, outside []float64) {
	na := w.numAlt
	for inc := 0; inc <= w.nLabs; inc++ {
		cell, from := seg*w.incStride+inc, src*w.incStride+inc
		if w.cellMask != nil && !w.cellMask[cell] {
			continue
		}
		copy(shares[cell*na:(cell+1)*na], shares[from*na:(from+1)*na])
		logsum[cell] = logsum[from]
		outside[cell] = outside[from]
	}
}

// segmentUtility writes into v segment seg's utilities of every alternative
// without price and incumbency terms: base (capability, brand, and in model
// v1 the relative price) plus security, cloud affinity, investor tie and the
// backer's disparagement d of its partner's direct channel for buyers whose
// primary cloud it is.
func (w *World) segmentUtility(seg int, base []float64, d *[MaxLabs]float64, backer *[MaxLabs]int, v []float64) {
	s := &w.S
	nch := w.numCh
	secW := [2]float64{s.Buyers.SecurityWeightLow, s.Buyers.SecurityWeightHigh}
	prim, tie, sec := w.segment(seg)
	sw := s.Logit.BetaS * secW[sec]
	for l := 0; l < w.nLabs; l++ {
		for ch := 0; ch < nch; ch++ {
			a := l*nch + ch
			x := base[a]
			if math.IsInf(x, -1) {
				v[a] = x
				continue
			}
			x += sw * w.altSec[a]
			if ch != chDirect && ch-1 == prim {
				x += s.Logit.BetaA
			}
			if w.tieLab[tie][l] && w.steering.steer[tie][l] { // the fund steers (backers.go)
				x += s.Logit.BetaI
			}
			if ch == chDirect && backer[l] == prim {
				x -= d[l]
			}
			v[a] = x
		}
	}
	for a := w.ownAlt0; a < w.numAlt; a++ {
		x := base[a]
		if !math.IsInf(x, -1) {
			x += sw * w.altSec[a]
			if w.ownCloud[a-w.ownAlt0] == prim {
				x += s.Logit.BetaA
			}
		}
		v[a] = x
	}
}

// buildCDF turns cell shares into cumulative lab probabilities for sampling
// a buyer's main vendor. It runs right after computeCells has filled every
// cell, so a twin segment's cells (twinSegment) have its source's shares
// and get its source's CDFs.
func (w *World) buildCDF() {
	na, nch, nl := w.numAlt, w.numCh, w.nLabs
	canon := w.canonicalTies()
	for cell := 0; cell < w.numCells; cell++ {
		inc := cell & (w.incStride - 1)
		if inc > nl {
			continue // no such vendor
		}
		if src := w.twinSegment(cell>>w.incShift, &canon); src >= 0 {
			from := src*w.incStride + inc
			copy(w.cellCDF[cell*nl:(cell+1)*nl], w.cellCDF[from*nl:(from+1)*nl])
			continue
		}
		sh := w.cellShare[cell*na : (cell+1)*na]
		cdf := w.cellCDF[cell*nl : (cell+1)*nl]
		acc := 0.0
		for l := range cdf {
			for ch := 0; ch < nch; ch++ {
				acc += sh[l*nch+ch]
			}
			cdf[l] = acc
		}
		if w.nOwn > 0 && acc > 0 && acc < 1 {
			// a buyer's main vendor is a lab: among the labs by their
			// shares (its own-model purchases follow the cell's shares)
			for l := range cdf {
				cdf[l] /= acc
			}
		}
	}
}

// adoptionProb is the probability a non-adopter adopts this month: the
// exact Bass step from the realised adopted share of the addressable
// market m = gate (capability-gated potential), in endogenous mode times
// the generalized Bass price term (priceResponse).
func (w *World) adoptionProb() {
	s := &w.S
	F := float64(w.adopted) / float64(w.nBuyers)
	m := w.gate
	w.pAdopt = 0
	if m <= 1e-12 || F >= m {
		return
	}
	b := market.Bass{P: s.Bass.P / 12, Q: s.Bass.Q / 12}
	next, _ := b.Step(math.Min(1, F/m), 1)
	target := m * next
	if F < 1 {
		x := 1.0
		if w.dm.on {
			x = w.priceResponse()
		}
		w.pAdopt = math.Max(0, math.Min(1, (target-F)/(1-F)*x))
	}
}

// buyerLoop is the hot loop: one 64-bit draw per buyer and month from the
// "buyers" stream (high half: adoption, low half: vendor review and
// sampling), so every policy arm consumes the stream identically.
func (w *World) buyerLoop() {
	const two32 = 4294967296.0
	thrA := uint64(w.pAdopt * two32)
	if w.pAdopt >= 1 {
		thrA = 1 << 32
	}
	rr := w.S.Buyers.ReviewRate
	thrR := uint64(rr * two32)
	var dead [MaxLabs + 1]bool
	for l := range w.Labs {
		dead[l+1] = !w.Labs[l].Active
	}
	invRR := 0.0
	if rr > 0 {
		invRR = 1 / rr
	}
	src := w.srcBuyers
	inc := w.Buyers.Inc
	seg := w.Buyers.Seg[:len(inc)]
	size := w.Buyers.Size[:len(inc)]
	nl, shift := w.nLabs, uint(w.incShift)
	cdf := w.cellCDF
	cw := w.cellW
	cn := w.cellN[:len(cw)] // one bounds check serves both
	clear(cw)
	clear(cn)
	adopted := 0
	// primary-cloud review (endogenous mode): an adopter's high half is
	// free, u < thrC reviews and u/thrC picks the cloud
	thrC := uint64(0)
	if w.dm.on {
		thrC = uint64(w.S.Demand.CloudReviewRate * two32)
	}
	invC := 0.0
	if thrC > 0 {
		invC = 1 / float64(thrC)
	}
	ccdf := w.dm.cloudCDF
	nc, stride := w.nClouds, w.segStride
	switched, base := 0, 0
	for i := range inc {
		x := src.Uint64()
		u, v := x>>32, x&0xffffffff
		c := int(inc[i])
		c0 := c
		sg := int(seg[i]) << shift
		draw := -1.0
		switch {
		case c == 0:
			if u < thrA {
				draw = float64(v) / two32
				c = 0
			}
		case dead[c]:
			draw = float64(v) / two32
			c = 0
		case v < thrR:
			draw = float64(v) / two32 * invRR
		}
		if draw >= 0 {
			b := (sg + c) * nl
			p := cdf[b : b+nl]
			k := 0
			for k < len(p)-1 && draw >= p[k] {
				k++
			}
			if p[k] > 0 {
				for k > 0 && p[k] == p[k-1] {
					k-- // never pick a lab with zero probability
				}
				c = k + 1
			} else if c == 0 || dead[c] {
				c = 0
			}
			inc[i] = uint8(c)
		}
		if c0 != 0 && c != 0 {
			base++
			if u < thrC {
				cell := sg + c
				p := ccdf[cell*nc : (cell+1)*nc]
				draw := float64(u) * invC
				k := 0
				for k < len(p)-1 && draw >= p[k] {
					k++
				}
				s := int(seg[i])
				if prim := s / stride; k != prim {
					seg[i] = uint8(s + (k-prim)*stride)
					sg = int(seg[i]) << shift
					switched++
				}
			}
		}
		if c != 0 {
			cell := sg + c
			cw[cell] += float64(size[i])
			cn[cell]++
			adopted++
		}
	}
	w.adopted = adopted
	w.dm.switched, w.dm.churnBase = switched, base
}

// aggregateSpend turns cell weights into spend by alternative, model shares
// and enterprise surplus.
func (w *World) aggregateSpend() {
	na := w.numAlt
	f := w.intensity * w.invSize
	spend := w.altSpend[:na]
	clear(spend)
	clear(w.segW)
	tot := 0.0
	for cell := 0; cell < w.numCells; cell++ {
		cw := w.cellW[cell]
		if cw == 0 {
			continue
		}
		sp := cw * f
		w.segW[cell/w.incStride] += sp
		sh := w.cellShare[cell*na : (cell+1)*na]
		offered := false
		for a := range spend {
			spend[a] += sp * sh[a]
			offered = offered || sh[a] > 0
		}
		if offered {
			tot += sp // a cell offered nothing (every lab it could buy from has exited) spends nothing
		}
	}
	w.spendTot = tot
	w.shareTotals(tot) // demand.go: model and group shares
}

// surplus is the enterprise surplus in US$B/month: spend-weighted log-sums
// divided by beta_P (Small & Rosen 1981, money-metric per unit of spend).
func (w *World) surplus() float64 {
	if w.dm.on {
		return w.dm.cs
	}
	f := w.intensity * w.invSize
	cs := 0.0
	for cell := 0; cell < w.numCells; cell++ {
		if cw := w.cellW[cell]; cw > 0 {
			cs += cw * f * w.cellLogsum[cell]
		}
	}
	return cs / w.S.Logit.BetaP
}
