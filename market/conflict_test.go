package market

import (
	"math"
	"testing"
)

// §4.9 channel conflict table: 40% backer accounts; lab keeps 0.8 of direct
// and 0.2 of resale.
func TestChannelConflictTable(t *testing.T) {
	inf := math.Inf(1)
	cases := []struct {
		name                                   string
		d, L                                   float64
		direct, resale, rival, outside, lab, h float64
	}{
		{"cooperation", 0, 0, 0.2980, 0.2945, 0.2980, 0.1096, 0.2973, 0.2952},
		{"disparagement", 0.5, 0, 0.2710, 0.3124, 0.3046, 0.1120, 0.2793, 0.3041},
		{"release lag", 0, 1, 0.3585, 0.1512, 0.3585, 0.1319, 0.3170, 0.1927},
		{"withheld", 0, inf, 0.4223, 0, 0.4223, 0.1554, 0.3379, 0.08446},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := ChannelConflict(ConflictCase{Disparage: c.d, Lag: c.L, BackerAccountShare: 0.4, LabKeepDirect: 0.8, LabKeepResale: 0.2})
			checkAbs(t, "direct", out.Direct, c.direct)
			checkAbs(t, "resale", out.Resale, c.resale)
			checkAbs(t, "rival", out.Rival, c.rival)
			checkAbs(t, "outside", out.Outside, c.outside)
			checkAbs(t, "lab net", out.LabNet, c.lab)
			checkAbs(t, "backer net", out.BackerNet, c.h)
			checkTol(t, "shares sum", out.Direct+out.Resale+out.Rival+out.Outside, 1, 1e-14)
		})
	}
}

// §4.9 directions: d raises the backer's take and the rival's share, L the
// lab's; conflict lowers the partnership's joint take.
func TestChannelConflictDirections(t *testing.T) {
	base := ConflictCase{BackerAccountShare: 0.4, LabKeepDirect: 0.8, LabKeepResale: 0.2}
	coop := ChannelConflict(base)
	d := base
	d.Disparage = 0.5
	dis := ChannelConflict(d)
	l := base
	l.Lag = 1
	lag := ChannelConflict(l)
	both := base
	both.Disparage, both.Lag = 0.5, 1
	war := ChannelConflict(both)
	if !(dis.BackerNet > coop.BackerNet && dis.Rival > coop.Rival) {
		t.Errorf("disparagement: backer %g vs %g, rival %g vs %g", dis.BackerNet, coop.BackerNet, dis.Rival, coop.Rival)
	}
	if !(lag.LabNet > coop.LabNet) {
		t.Errorf("lag: lab %g vs %g", lag.LabNet, coop.LabNet)
	}
	if !(war.Rival > coop.Rival) || !(war.LabNet+war.BackerNet < coop.LabNet+coop.BackerNet) {
		t.Errorf("conflict equilibrium: %+v vs %+v", war, coop)
	}
	// Bad input gives documented values, never NaN.
	weird := ChannelConflict(ConflictCase{Disparage: math.NaN(), Lag: -3, BackerAccountShare: 2, LabKeepDirect: math.NaN(), LabKeepResale: -1})
	checkFinite(t, "weird", weird.Direct, weird.Resale, weird.Rival, weird.Outside, weird.LabNet, weird.BackerNet)
	allIn := ChannelConflict(ConflictCase{Disparage: math.Inf(1), Lag: math.Inf(1), BackerAccountShare: 1, LabKeepDirect: 0.8, LabKeepResale: 0.2})
	checkFinite(t, "both channels removed", allIn.Direct, allIn.Resale, allIn.LabNet, allIn.BackerNet)
	if allIn.Direct != 0 || allIn.Resale != 0 {
		t.Errorf("removed channels kept share: %+v", allIn)
	}
	// Custom utilities.
	u := DefaultConflictUtilities()
	u.OtherResale = math.NaN()
	o := ChannelConflictWith(base, u)
	checkFinite(t, "NaN base utility", o.Direct, o.Resale)
}
