package market

import "math"

// BackerContract is the contract between a lab and its backer hyperscaler
// (domain model §3.1(g)). The reported Microsoft-OpenAI terms mix several
// instruments; they are kept separate here. Shares are fractions, amounts
// are $B, months are month indices (0 = Jan 2019).
type BackerContract struct {
	// RevenueShare s is paid by the lab to the backer on the lab's revenue
	// (reported ~0.20).
	RevenueShare float64
	// ReciprocalShare is paid by the backer to the lab on the backer's
	// resale revenue of the lab's models (reported ~0.20).
	ReciprocalShare float64
	// ProfitShareBefore applies to profit until cumulative waterfall
	// payments reach RecoupAmount (reported 0.75).
	ProfitShareBefore float64
	// ProfitShareAfter applies to profit after recoup (reported 0.49).
	ProfitShareAfter float64
	// RecoupAmount is the cumulative payment that ends the recoup phase
	// (about the investment, $B); <= 0 means no recoup phase.
	RecoupAmount float64
	// TotalCap caps cumulative waterfall payments ($B); 0 means no cap.
	TotalCap float64
	// ComputeExclusive: all of the lab's compute runs on the backer's cloud.
	ComputeExclusive bool
	// ROFR: the backer has a right of first refusal on new capacity.
	ROFR bool
	// APIExclusive: the lab's models are resold only via the backer's cloud.
	APIExclusive bool
	// IPLicenceExpiry is the month the backer's IP licence ends (<= 0: none).
	IPLicenceExpiry int
	// ExpiryMonth is the month the contract's exclusivity terms end
	// (<= 0: no expiry).
	ExpiryMonth int
	// Paid is the cumulative profit-waterfall payment so far ($B).
	Paid float64
}

// Validate reports whether the contract's terms are in range: shares in
// [0,1], amounts finite and non-negative.
func (c *BackerContract) Validate() error {
	for _, f := range []struct {
		name string
		v    float64
	}{
		{"RevenueShare", c.RevenueShare},
		{"ReciprocalShare", c.ReciprocalShare},
		{"ProfitShareBefore", c.ProfitShareBefore},
		{"ProfitShareAfter", c.ProfitShareAfter},
	} {
		if !(f.v >= 0 && f.v <= 1) {
			return invalid("BackerContract.%s = %g, want a fraction in [0,1]", f.name, f.v)
		}
	}
	for _, f := range []struct {
		name string
		v    float64
	}{
		{"RecoupAmount", c.RecoupAmount},
		{"TotalCap", c.TotalCap},
		{"Paid", c.Paid},
	} {
		if !finite(f.v) || f.v < 0 {
			return invalid("BackerContract.%s = %g, want a finite amount >= 0", f.name, f.v)
		}
	}
	return nil
}

// Active reports whether the contract's exclusivity terms still hold in
// month: true while month < ExpiryMonth, always true without an expiry.
func (c *BackerContract) Active(month int) bool {
	return c.ExpiryMonth <= 0 || month < c.ExpiryMonth
}

// IPLicensed reports whether the backer still holds the IP licence in month.
func (c *BackerContract) IPLicensed(month int) bool {
	return c.IPLicenceExpiry <= 0 || month < c.IPLicenceExpiry
}

// ComputeExclusiveAt reports whether compute exclusivity binds in month.
func (c *BackerContract) ComputeExclusiveAt(month int) bool {
	return c.ComputeExclusive && c.Active(month)
}

// ROFRAt reports whether the right of first refusal binds in month.
func (c *BackerContract) ROFRAt(month int) bool { return c.ROFR && c.Active(month) }

// APIExclusiveAt reports whether API exclusivity binds in month.
func (c *BackerContract) APIExclusiveAt(month int) bool {
	return c.APIExclusive && c.Active(month)
}

// RevenueSharePayment is the lab's payment to the backer on revenue ($B per
// period): RevenueShare * revenue, 0 for non-positive or NaN revenue.
func (c *BackerContract) RevenueSharePayment(revenue float64) float64 {
	if !(revenue > 0) {
		return 0
	}
	return c.RevenueShare * revenue
}

// ReciprocalPayment is the backer's payment to the lab on its resale revenue
// of the lab's models: ReciprocalShare * resale, 0 for non-positive or NaN.
func (c *BackerContract) ReciprocalPayment(resale float64) float64 {
	if !(resale > 0) {
		return 0
	}
	return c.ReciprocalShare * resale
}

// Recouped reports whether cumulative payments have reached RecoupAmount.
func (c *BackerContract) Recouped() bool { return c.Paid >= c.RecoupAmount }

// ProfitPayment is the profit-waterfall payment for one period's profit
// ($B) and adds it to c.Paid. It pays ProfitShareBefore*profit until
// cumulative payments reach RecoupAmount and ProfitShareAfter*profit after;
// in the period in which recoup completes, the profit is split exactly: the
// part needed to complete recoup pays at the before-rate and the rest at the
// after-rate. Cumulative payments never exceed TotalCap (when > 0). There is
// no payment when profit <= 0 or not finite. With ProfitShareBefore = 0 and a
// positive RecoupAmount the recoup phase never completes and nothing is
// paid.
func (c *BackerContract) ProfitPayment(profit float64) float64 {
	if !(profit > 0) || math.IsInf(profit, 1) {
		return 0
	}
	var pay float64
	remaining := c.RecoupAmount - c.Paid // still to pay before the after-rate applies
	switch {
	case remaining <= 0:
		pay = c.ProfitShareAfter * profit
	case c.ProfitShareBefore*profit <= remaining:
		pay = c.ProfitShareBefore * profit
	default:
		// Profit needed to complete recoup at the before-rate; the rest
		// pays at the after-rate.
		need := remaining / c.ProfitShareBefore
		pay = remaining + c.ProfitShareAfter*(profit-need)
	}
	if c.TotalCap > 0 {
		pay = math.Max(0, math.Min(pay, c.TotalCap-c.Paid))
	}
	c.Paid += pay
	return pay
}
