package market

import "fmt"

// Structural screens beyond the horizontal one of MergerScreen
// (model-v2.md §3.4): vertical foreclosure shares, and the modified HHI
// with control weights from the agencies' classification of each holder.

// ShareThrough is the fraction of the flows from the selected rows that
// pass through the selected columns:
//
//	sum_{r in from, c in through} flows[r][c] / sum_{r in from, all c} flows[r][c].
//
// flows is rows x columns with finite non-negative entries (GPU-hours per
// month that labs buy from clouds, or US$ of a lab's sales by channel);
// from and through select rows and columns. Selected rows with no flows at
// all give 0. Errors wrap ErrInvalidArgument for ragged or mismatched
// dimensions or invalid entries.
func ShareThrough(flows [][]float64, from, through []bool) (float64, error) {
	if len(from) != len(flows) {
		return 0, invalid("ShareThrough: %d rows but %d row selectors", len(flows), len(from))
	}
	var in, total float64
	for r, row := range flows {
		if len(row) != len(through) {
			return 0, invalid("ShareThrough: row %d has %d columns, want %d", r, len(row), len(through))
		}
		for c, x := range row {
			if !finite(x) || x < 0 {
				return 0, invalid("ShareThrough: flow [%d][%d] = %g", r, c, x)
			}
			if !from[r] {
				continue
			}
			total += x
			if through[c] {
				in += x
			}
		}
	}
	if total == 0 {
		return 0, nil
	}
	return in / total, nil
}

// VerticalRule holds the thresholds of the vertical screen (fractions).
type VerticalRule struct {
	// InputShare: input foreclosure is a concern when the merged firm
	// supplies at least this share of the compute the target's rivals use.
	// The July 2023 draft Merger Guidelines presumed harm above a 50%
	// foreclosure share; the final 2023 Guidelines (Guideline 5) dropped
	// the bright line for a case-by-case test of ability and incentive, the
	// 50% figure reappearing only in a note; so 0.5 here is a screen, not a
	// presumption.
	InputShare float64
	// DistributionShare: distribution is a concern when at least this share
	// of the target's sales already passes through the acquirer's channels,
	// so that withdrawing the target's model from rival channels costs the
	// merged firm little (the incentive half of Guideline 5's test). The
	// agencies state no number; 0.5 by default.
	DistributionShare float64
}

// DefaultVerticalRule is {InputShare: 0.5, DistributionShare: 0.5}.
func DefaultVerticalRule() VerticalRule {
	return VerticalRule{InputShare: 0.5, DistributionShare: 0.5}
}

// VerticalMarket is the state a vertical screen reads: labs' compute by
// cloud, labs' sales by channel, which lab is the target, which labs are
// its rivals (typically every other lab not owned by the merged firm), and
// which clouds and channels belong to the merged firm.
type VerticalMarket struct {
	// ComputeUse is labs x clouds, GPU-hours per month.
	ComputeUse [][]float64
	// Sales is labs x channels (direct sales, each cloud's marketplace,
	// ...), US$B per month.
	Sales [][]float64
	// Target is the target lab's row.
	Target int
	// Rivals selects the labs (rows) that compete with the target.
	Rivals []bool
	// MergedClouds selects the clouds (columns of ComputeUse) of the merged
	// firm; AcquirerChannels the channels (columns of Sales) of the
	// acquirer.
	MergedClouds, AcquirerChannels []bool
}

// VerticalResult is the outcome of VerticalScreen: InputForeclosure is the
// merged firm's share of the compute the target's rivals use,
// TargetThroughAcquirer the share of the target's sales through the
// acquirer's channels (both fractions), the concern flags and the reason.
type VerticalResult struct {
	InputForeclosure, TargetThroughAcquirer float64
	InputConcern, DistributionConcern       bool
	Reason                                  string
}

// VerticalScreen applies rule to m (2023 Merger Guidelines, Guideline 5:
// mergers that create a firm able to limit rivals' access to a product
// they use to compete). It is a screen only: in the model, foreclosure
// bites through the compute-price rule, where the integrated cloud's
// prices to rival labs follow from its stakes and capacity; a flag here
// says only that the structure would interest an agency. Errors wrap
// ErrInvalidArgument for invalid flows or selectors, a target out of range,
// a target listed among its rivals, or thresholds outside [0,1].
func VerticalScreen(m VerticalMarket, rule VerticalRule) (VerticalResult, error) {
	if !(rule.InputShare >= 0 && rule.InputShare <= 1) || !(rule.DistributionShare >= 0 && rule.DistributionShare <= 1) {
		return VerticalResult{}, invalid("VerticalScreen: thresholds %g and %g outside [0,1]", rule.InputShare, rule.DistributionShare)
	}
	if m.Target < 0 || m.Target >= len(m.Sales) || m.Target >= len(m.ComputeUse) {
		return VerticalResult{}, invalid("VerticalScreen: target %d out of range", m.Target)
	}
	if m.Target < len(m.Rivals) && m.Rivals[m.Target] {
		return VerticalResult{}, invalid("VerticalScreen: the target is listed among its rivals")
	}
	in, err := ShareThrough(m.ComputeUse, m.Rivals, m.MergedClouds)
	if err != nil {
		return VerticalResult{}, fmt.Errorf("VerticalScreen: compute: %w", err)
	}
	target := make([]bool, len(m.Sales))
	target[m.Target] = true
	dist, err := ShareThrough(m.Sales, target, m.AcquirerChannels)
	if err != nil {
		return VerticalResult{}, fmt.Errorf("VerticalScreen: sales: %w", err)
	}
	r := VerticalResult{InputForeclosure: in, TargetThroughAcquirer: dist,
		InputConcern: in >= rule.InputShare, DistributionConcern: dist >= rule.DistributionShare}
	r.Reason = fmt.Sprintf("input foreclosure share %.1f%% (concern from %.0f%%: %v); target's sales through the acquirer %.1f%% (concern from %.0f%%: %v)",
		100*in, 100*rule.InputShare, r.InputConcern, 100*dist, 100*rule.DistributionShare, r.DistributionConcern)
	return r, nil
}

// FirmOwnership is one firm of a market for MHHIWithControl: its share
// (percent, as HHI), its holders' positions and its governance.
type FirmOwnership struct {
	Firm       string
	SharePct   float64
	Positions  []HolderPosition
	Governance Governance
}

// ControlWeighting maps classifications to O'Brien and Salop's control
// weights gamma_ij (the weight firm j's management puts on owner i's
// interests).
type ControlWeighting struct {
	// SoleControl: when some holder of a firm has legal or de facto
	// control, the controllers get weight 1 and every other holder 0 (the
	// firm maximises its controllers' returns). Otherwise, and without a
	// controller, each holder's weight is its vote share ("proportional
	// control").
	SoleControl bool
	// Influence is the least weight of a holder with material influence,
	// in [0,1]: it gives a holder with few or no votes but material
	// influence a say (a 49% profit interest with no votes gets this
	// weight, not 0).
	Influence float64
}

// DefaultControlWeighting is {SoleControl: true, Influence: 0.25}.
func DefaultControlWeighting() ControlWeighting {
	return ControlWeighting{SoleControl: true, Influence: 0.25}
}

// MHHIResult is the outcome of MHHIWithControl: HHI and MHHI in points,
// their difference, the owners (the union of holders, in order of first
// appearance), the weights passed to MHHI (owners x firms) and each
// holder's classification.
type MHHIResult struct {
	HHI, MHHI, Delta float64
	Owners           []string
	Control, Profit  [][]float64
	Levels           [][]ControlLevel
}

// MHHIWithControl is the modified HHI (O'Brien and Salop 2000; domain model
// §3.6 and §3.8) of a market whose firms' holders are classified by rule:
// beta_ij is holder i's profit interest in firm j, gamma_ij its control
// weight from its classification under w (see ControlWeighting). A firm's
// own shareholders (say, a cloud's public shareholders) appear as a holder
// like any other, so that a cloud with a stake in a lab internalises the
// lab's profits. Errors wrap ErrInvalidArgument for invalid shares,
// positions or weighting, and for a firm with cross-ownership whose
// controllers hold none of its profits.
func MHHIWithControl(firms []FirmOwnership, rule ControlRule, w ControlWeighting) (MHHIResult, error) {
	if !(w.Influence >= 0 && w.Influence <= 1) {
		return MHHIResult{}, invalid("MHHIWithControl: influence weight %g outside [0,1]", w.Influence)
	}
	shares := make([]float64, len(firms))
	var owners []string
	index := map[string]int{}
	for j, f := range firms {
		shares[j] = f.SharePct
		for _, p := range f.Positions {
			if _, ok := index[p.Holder]; !ok {
				index[p.Holder] = len(owners)
				owners = append(owners, p.Holder)
			}
		}
	}
	if err := ValidateSharesPct(shares); err != nil {
		return MHHIResult{}, fmt.Errorf("MHHIWithControl: %w", err)
	}
	res := MHHIResult{HHI: HHI(shares), Owners: owners}
	res.Control = make([][]float64, len(owners))
	res.Profit = make([][]float64, len(owners))
	res.Levels = make([][]ControlLevel, len(owners))
	for i := range owners {
		res.Control[i] = make([]float64, len(firms))
		res.Profit[i] = make([]float64, len(firms))
		res.Levels[i] = make([]ControlLevel, len(firms))
	}
	for j, f := range firms {
		cs, err := rule.ClassifyFirm(f.Positions, f.Governance)
		if err != nil {
			return MHHIResult{}, fmt.Errorf("MHHIWithControl: firm %q: %w", f.Firm, err)
		}
		controlled := false
		for _, c := range cs {
			controlled = controlled || c.Level >= DeFactoControl
		}
		for k, p := range f.Positions {
			i := index[p.Holder]
			res.Profit[i][j] = p.ProfitInterest
			res.Levels[i][j] = cs[k].Level
			g := p.Votes
			switch {
			case w.SoleControl && controlled && cs[k].Level >= DeFactoControl:
				g = 1
			case w.SoleControl && controlled:
				g = 0
			case cs[k].Level == MaterialInfluence:
				g = max(g, w.Influence)
			}
			res.Control[i][j] = g
		}
	}
	m, err := MHHI(shares, res.Control, res.Profit)
	if err != nil {
		return MHHIResult{}, fmt.Errorf("MHHIWithControl: %w", err)
	}
	res.MHHI, res.Delta = m, m-res.HHI
	return res, nil
}

// PartialOwnershipScreen applies the guideline thresholds of regime to a
// stake deal measured by the MHHI before and after (points): the change
// in MHHI plays the part of the change in HHI. No shares merge, so the
// 2023 Guidelines' merged-share test does not apply. The 2023 Guidelines
// examine partial ownership case by case (Guideline 11) and state no
// thresholds for it; carrying the HHI thresholds over to the MHHI is the
// model's screen (O'Brien and Salop 2000 propose the MHHI for this use).
// Errors wrap ErrInvalidArgument for non-finite or negative MHHIs or an
// unknown regime.
func PartialOwnershipScreen(mhhiBefore, mhhiAfter float64, regime GuidelineRegime) (ScreenResult, error) {
	if !finite(mhhiBefore, mhhiAfter) || mhhiBefore < 0 || mhhiAfter < 0 {
		return ScreenResult{}, invalid("PartialOwnershipScreen: MHHI %g before, %g after", mhhiBefore, mhhiAfter)
	}
	r := ScreenResult{PreHHI: mhhiBefore, PostHHI: mhhiAfter, DeltaHHI: mhhiAfter - mhhiBefore}
	if err := r.applyGuidelines(regime, false); err != nil {
		return ScreenResult{}, fmt.Errorf("PartialOwnershipScreen: %w", err)
	}
	r.Reason = "MHHI: " + r.Reason
	return r, nil
}
