package market

import "math"

// ConflictCase sets the levers of the channel-conflict example (domain model
// §3.9, §4.9): both the lab (direct API) and its backer (resale on the
// backer's cloud) sell the same model.
type ConflictCase struct {
	// Disparage d >= 0 is subtracted from the direct channel's utility for
	// the backer's cloud accounts (steering by the backer's sales force).
	Disparage float64
	// Lag L >= 0 is the utility penalty of the resale channel while the lab
	// withholds its model from it; +Inf removes the channel (not released).
	Lag float64
	// BackerAccountShare is the fraction of buyers who are the backer's
	// cloud accounts (0.4 in §4.9).
	BackerAccountShare float64
	// LabKeepDirect is the fraction of direct revenue the lab keeps (1 - s;
	// 0.8 in §4.9); the backer gets the rest.
	LabKeepDirect float64
	// LabKeepResale is the fraction of resale revenue paid to the lab (the
	// reciprocal share; 0.2 in §4.9); the backer keeps the rest.
	LabKeepResale float64
}

// ConflictUtilities are the systematic utilities of the direct, resale and
// rival-lab alternatives for the backer's accounts and for other buyers,
// before the levers; the outside good has utility 0.
type ConflictUtilities struct {
	BackerDirect, BackerResale, BackerRival float64
	OtherDirect, OtherResale, OtherRival    float64
}

// DefaultConflictUtilities returns the utilities of the §4.9 example:
// backer accounts (1, 2, 1), others (1, 0, 1) for (direct, resale, rival).
func DefaultConflictUtilities() ConflictUtilities {
	return ConflictUtilities{
		BackerDirect: 1, BackerResale: 2, BackerRival: 1,
		OtherDirect: 1, OtherResale: 0, OtherRival: 1,
	}
}

// ConflictOutcome holds market shares of the four alternatives (fractions
// of all buyers, summing to 1) and the lab's and backer's net revenue per
// buyer at price 1.
type ConflictOutcome struct {
	Direct, Resale, Rival, Outside float64
	LabNet, BackerNet              float64
}

// ChannelConflict reproduces the deterministic example of domain model
// §4.9 with DefaultConflictUtilities: backer accounts have utilities
// (1 - d, 2 - L, 1, 0) and other buyers (1, -L, 1, 0) over (direct, resale,
// rival lab, outside); shares are multinomial logit within each group,
// weighted by BackerAccountShare. See ChannelConflictWith.
func ChannelConflict(c ConflictCase) ConflictOutcome {
	return ChannelConflictWith(c, DefaultConflictUtilities())
}

// ChannelConflictWith is ChannelConflict with given base utilities. The lab
// nets LabKeepDirect*direct + LabKeepResale*resale and the backer the
// complements. Documented handling of bad input: a negative or NaN
// Disparage or Lag counts as 0 (+Inf removes the channel); NaN fractions
// count as 0 and fractions are clamped to [0,1]; non-finite base utilities
// count as 0. The result never contains NaN.
func ChannelConflictWith(c ConflictCase, u ConflictUtilities) ConflictOutcome {
	lever := func(x float64) float64 {
		if !(x > 0) {
			return 0
		}
		return x
	}
	frac := func(x float64) float64 {
		if math.IsNaN(x) {
			return 0
		}
		return clamp(x, 0, 1)
	}
	base := func(x float64) float64 {
		if !finite(x) {
			return 0
		}
		return x
	}
	d, L := lever(c.Disparage), lever(c.Lag)
	a := frac(c.BackerAccountShare)
	kd, kr := frac(c.LabKeepDirect), frac(c.LabKeepResale)

	var pb, po [4]float64
	vb := [4]float64{base(u.BackerDirect) - d, base(u.BackerResale) - L, base(u.BackerRival), 0}
	vo := [4]float64{base(u.OtherDirect), base(u.OtherResale) - L, base(u.OtherRival), 0}
	LogitShares(vb[:], pb[:])
	LogitShares(vo[:], po[:])
	var s [4]float64
	for k := range s {
		s[k] = a*pb[k] + (1-a)*po[k]
	}
	return ConflictOutcome{
		Direct: s[0], Resale: s[1], Rival: s[2], Outside: s[3],
		LabNet:    kd*s[0] + kr*s[1],
		BackerNet: (1-kd)*s[0] + (1-kr)*s[1],
	}
}
