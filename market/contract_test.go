package market

import (
	"errors"
	"fmt"
	"math"
	"testing"
)

// §4.2 profit waterfall: 75% until cumulative payments reach 13, then 49%.
func TestProfitWaterfallTable(t *testing.T) {
	c := BackerContract{ProfitShareBefore: 0.75, ProfitShareAfter: 0.49, RecoupAmount: 13}
	profits := []float64{2, 4, 8, 10, 20}
	payments := []float64{1.500, 3.000, 6.000, 5.767, 9.800}
	cumulative := []float64{1.500, 4.500, 10.50, 16.27, 26.07}
	for k, p := range profits {
		t.Run(fmt.Sprintf("period %d", k+1), func(t *testing.T) {
			got := c.ProfitPayment(p)
			checkRel(t, "payment", got, payments[k])
			checkRel(t, "cumulative", c.Paid, cumulative[k])
		})
	}
	// Period 4 exactly: 10/3 of profit at 75% completes recoup, 20/3 at 49%.
	checkTol(t, "period 4 exact", 2.5+0.49*20.0/3, 5.766666666666667, 1e-12)
	checkTol(t, "final cumulative exact", c.Paid, 13+0.49*(20.0/3+20), 1e-12)
}

func TestProfitWaterfallCapAndEdges(t *testing.T) {
	t.Run("total cap", func(t *testing.T) {
		c := BackerContract{ProfitShareBefore: 0.75, ProfitShareAfter: 0.49, RecoupAmount: 13, TotalCap: 20}
		var sum float64
		for _, p := range []float64{2, 4, 8, 10, 20, 50} {
			sum += c.ProfitPayment(p)
		}
		checkExact(t, "capped total", sum, 20)
		checkExact(t, "Paid", c.Paid, 20)
		if got := c.ProfitPayment(100); got != 0 {
			t.Errorf("payment after cap = %g", got)
		}
	})
	t.Run("cap inside the recoup period", func(t *testing.T) {
		c := BackerContract{ProfitShareBefore: 0.75, ProfitShareAfter: 0.49, RecoupAmount: 13, TotalCap: 12}
		checkExact(t, "pay", c.ProfitPayment(100), 12)
	})
	t.Run("losses pay nothing", func(t *testing.T) {
		c := BackerContract{ProfitShareBefore: 0.75, ProfitShareAfter: 0.49, RecoupAmount: 13}
		for _, p := range []float64{0, -5, math.NaN(), math.Inf(1), math.Inf(-1)} {
			if got := c.ProfitPayment(p); got != 0 {
				t.Errorf("profit %g: payment %g", p, got)
			}
		}
		if c.Paid != 0 {
			t.Errorf("Paid = %g", c.Paid)
		}
	})
	t.Run("no recoup phase", func(t *testing.T) {
		c := BackerContract{ProfitShareBefore: 0.75, ProfitShareAfter: 0.49}
		checkExact(t, "pay", c.ProfitPayment(10), 4.9)
		if !c.Recouped() {
			t.Error("Recouped = false")
		}
	})
	t.Run("one period spans the whole recoup", func(t *testing.T) {
		c := BackerContract{ProfitShareBefore: 0.75, ProfitShareAfter: 0.49, RecoupAmount: 13}
		// 13/0.75 of profit at 75%, the rest at 49%.
		checkTol(t, "pay", c.ProfitPayment(100), 13+0.49*(100-13/0.75), 1e-12)
	})
}

func TestBackerContractTerms(t *testing.T) {
	c := BackerContract{
		RevenueShare: 0.2, ReciprocalShare: 0.2, ProfitShareBefore: 0.75, ProfitShareAfter: 0.49,
		RecoupAmount: 13, ComputeExclusive: true, ROFR: true, APIExclusive: true,
		IPLicenceExpiry: 120, ExpiryMonth: 73,
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	checkExact(t, "revenue share payment", c.RevenueSharePayment(3.7), 0.74)
	checkExact(t, "reciprocal payment", c.ReciprocalPayment(1), 0.2)
	if c.RevenueSharePayment(-1) != 0 || c.ReciprocalPayment(math.NaN()) != 0 {
		t.Error("negative or NaN base paid a share")
	}
	cases := []struct {
		month                          int
		active, compute, rofr, api, ip bool
	}{
		{72, true, true, true, true, true},
		{73, false, false, false, false, true},
		{120, false, false, false, false, false},
	}
	for _, cs := range cases {
		got := [5]bool{c.Active(cs.month), c.ComputeExclusiveAt(cs.month), c.ROFRAt(cs.month), c.APIExclusiveAt(cs.month), c.IPLicensed(cs.month)}
		want := [5]bool{cs.active, cs.compute, cs.rofr, cs.api, cs.ip}
		if got != want {
			t.Errorf("month %d: got %v, want %v", cs.month, got, want)
		}
	}
	bad := c
	bad.RevenueShare = 1.2
	if err := bad.Validate(); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("Validate share 1.2: %v", err)
	}
	bad = c
	bad.TotalCap = math.NaN()
	if err := bad.Validate(); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("Validate NaN cap: %v", err)
	}
	var zero BackerContract
	if !zero.Active(1000) || !zero.IPLicensed(1000) {
		t.Error("zero contract should never expire")
	}
}
