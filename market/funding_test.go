package market

import (
	"errors"
	"math"
	"testing"
)

// §4.7 funding rounds table.
func TestRoundTable(t *testing.T) {
	cases := []struct {
		name                          string
		invest, post, pre, stake, ret float64
	}{
		{"OpenAI, Oct 2024", 6.6, 157, 150.4, 0.04204, 0.9580},
		{"OpenAI, Mar 2025", 40, 300, 260.0, 0.1333, 0.8667},
		{"Anthropic Series E, Mar 2025", 3.5, 61.5, 58.0, 0.05691, 0.9431},
		{"Anthropic Series F, Sep 2025", 13, 183, 170.0, 0.07104, 0.9290},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Round{Invest: c.invest, Post: c.post}
			if err := r.Validate(); err != nil {
				t.Fatal(err)
			}
			checkRel(t, "pre", r.Pre(), c.pre)
			checkAbs(t, "new stake", r.NewStake(), c.stake)
			checkAbs(t, "retain", r.Retain(), c.ret)
		})
	}
}

// §4.7 revenue multiples.
func TestRevenueMultipleTable(t *testing.T) {
	cases := []struct {
		name               string
		post, revenue, mul float64
	}{
		{"OpenAI 2024 revenue", 157, 3.7, 42.43},
		{"Anthropic E ARR", 61.5, 1.4, 43.93},
		{"Anthropic F ARR", 183, 5.0, 36.60},
		{"OpenAI 2025 projected", 300, 12.7, 23.62},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkRel(t, "multiple", RevenueMultiple(c.post, c.revenue), c.mul)
		})
	}
	if RevenueMultiple(10, 0) != 0 {
		t.Error("zero revenue multiple")
	}
}

// §4.7 early OpenAI investor: in at $29B post, marked at $300B, diluted only
// by the two primary rounds (tenders do not dilute).
func TestEarlyInvestorReturns(t *testing.T) {
	ct, err := NewCapTable(Holding{"founders", 0.9}, Holding{"employees", 0.1})
	if err != nil {
		t.Fatal(err)
	}
	const invest = 0.3 // $B, any amount gives the same multiple
	steps := []struct {
		name string
		do   func() error
	}{
		{"Apr 2023 entry at $29B post", func() error { return ct.Issue(Round{Invest: invest, Post: 29}, "early") }},
		{"2023 tender", func() error { return ct.Transfer("employees", "tender buyer", 0.02) }},
		{"Oct 2024 round", func() error { return ct.Issue(Round{Invest: 6.6, Post: 157}, "Thrive") }},
		{"2024 tender", func() error { return ct.Transfer("founders", "SoftBank", 0.01) }},
		{"Mar 2025 round", func() error { return ct.Issue(Round{Invest: 40, Post: 300}, "SoftBank") }},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		checkTol(t, s.name+": cap table sums to 1", ct.Sum(), 1, 1e-12)
	}
	dil := DilutionFactor(Round{6.6, 157}, Round{40, 300})
	checkAbs(t, "dilution factor", dil, 0.8302)
	checkRel(t, "gross multiple", 300.0/29, 10.34)
	checkTol(t, "stake", ct.Stake("early"), invest/29*dil, 1e-15)
	moic := MOIC(invest, 0, ct.Stake("early")*300)
	checkRel(t, "MOIC", moic, 8.589)
	irr, err := IRRDated([]float64{-invest, ct.Stake("early") * 300}, []float64{0, 23.0 / 12})
	if err != nil {
		t.Fatal(err)
	}
	checkRel(t, "IRR over 23 months", irr, 2.071)
	checkTol(t, "IRR closed form", irr, math.Pow(moic, 12.0/23)-1, 1e-10)
	// Microsoft: $13.8B for a 27% stake valued at $135B.
	checkRel(t, "Microsoft paper MOIC", MOIC(13.8, 0, 135), 9.783)
	if len(ct.Holdings()) != 6 || ct.Len() != 6 {
		t.Errorf("holders = %v", ct.Holdings())
	}
}

// §4.7 IRR tests.
func TestIRRTable(t *testing.T) {
	cases := []struct {
		name  string
		flows []float64
		times []float64 // nil: periodic
		moic  float64
		irr   float64
	}{
		{"calls then exit", []float64{-100, -50, 0, 0, 0, 0, 0, 400}, nil, 2.667, 0.1581},
		{"calls then exit, dated", []float64{-100, -50, 400}, []float64{0, 1, 7}, 2.667, 0.1581},
		{"3x in 5 years", []float64{-1, 0, 0, 0, 0, 3}, nil, 3, 0.2457},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got float64
			var err error
			if c.times == nil {
				got, err = IRR(c.flows)
			} else {
				got, err = IRRDated(c.flows, c.times)
			}
			if err != nil {
				t.Fatal(err)
			}
			checkAbs(t, "IRR", got, c.irr)
			var in, out float64
			for _, f := range c.flows {
				if f < 0 {
					in -= f
				} else {
					out += f
				}
			}
			checkRel(t, "MOIC", MOIC(in, out, 0), c.moic)
		})
	}
	got, _ := IRR([]float64{-1, 0, 0, 0, 0, 3})
	checkTol(t, "3x in 5y exact", got, math.Pow(3, 0.2)-1, 1e-12)
}

func TestIRRRobustness(t *testing.T) {
	cases := []struct {
		name  string
		flows []float64
		want  float64
		err   error
	}{
		{"all negative", []float64{-1, -2}, 0, ErrNoIRR},
		{"all positive", []float64{1, 2}, 0, ErrNoIRR},
		{"all zero", []float64{0, 0}, 0, ErrNoIRR},
		{"empty", nil, 0, ErrNoIRR},
		{"no real root", []float64{1, -3, 3}, 0, ErrNoIRR}, // 1 - 3x + 3x^2 > 0 for all x
		{"NaN flow", []float64{-1, math.NaN()}, 0, ErrInvalidArgument},
		{"total loss", []float64{-1, 0.001}, -0.999, nil},
		{"huge multiple", []float64{-1, 1000}, 999, nil},
		{"break even", []float64{-1, 1}, 0, nil},
		{"investment after return", []float64{1, -1.1}, 0.1, nil},
		{"long horizon", append(append([]float64{-1}, make([]float64, 299)...), 2), math.Pow(2, 1.0/300) - 1, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := IRR(c.flows)
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("err = %v, want %v", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			checkTol(t, "IRR", got, c.want, 1e-9)
		})
	}
	// Multiple IRRs (-1, +5, -6 has roots at 100% and 200%): one of them.
	got, err := IRR([]float64{-1, 5, -6})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(got-1) > 1e-9 && math.Abs(got-2) > 1e-9 {
		t.Errorf("IRR = %g, want 1 or 2", got)
	}
	if _, err := IRRDated([]float64{-1, 2}, []float64{0}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("mismatched lengths: %v", err)
	}
	if _, err := IRRDated([]float64{-1, 2}, []float64{0, math.Inf(1)}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("infinite time: %v", err)
	}
}

func TestFundMultiples(t *testing.T) {
	checkExact(t, "TVPI", TVPI(50, 100, 60), 2.5)
	checkExact(t, "DPI", DPI(50, 60), 50.0/60)
	for _, v := range []float64{TVPI(1, 1, 0), DPI(1, -1), MOIC(0, 1, 1), TVPI(math.NaN(), 1, 1)} {
		if v != 0 {
			t.Errorf("invalid multiple = %g, want documented 0", v)
		}
	}
}

func TestCapTableErrors(t *testing.T) {
	if _, err := NewCapTable(Holding{"a", 0.5}, Holding{"b", 0.4}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("sum 0.9: %v", err)
	}
	if _, err := NewCapTable(Holding{"a", 1.5}, Holding{"b", -0.5}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("negative stake: %v", err)
	}
	if _, err := NewCapTable(Holding{"a", 0.5}, Holding{"a", 0.5}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("duplicate holder: %v", err)
	}
	ct, _ := NewCapTable(Holding{"a", 1})
	if err := ct.Issue(Round{Invest: 5, Post: 4}, "b"); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("invest > post: %v", err)
	}
	if err := ct.Transfer("a", "b", 2); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("oversell: %v", err)
	}
	if err := ct.Transfer("nobody", "b", 0.1); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("unknown seller: %v", err)
	}
	if ct.Sum() != 1 || ct.Len() != 1 {
		t.Errorf("failed operations changed the table: %v", ct.Holdings())
	}
	// A pro-rata participant keeps its stake in a syndicated round.
	ct, _ = NewCapTable(Holding{"a", 0.8}, Holding{"vc", 0.2})
	r := Round{Invest: 10, Post: 100}
	pr := ct.ProRata("vc", r)
	checkExact(t, "pro-rata amount", pr, 2)
	if err := ct.IssueSyndicate(r.Post, Allocation{"lead", r.Invest - pr}, Allocation{"vc", pr}); err != nil {
		t.Fatal(err)
	}
	checkTol(t, "sum", ct.Sum(), 1, 1e-12)
	checkTol(t, "vc keeps 20%", ct.Stake("vc"), 0.2, 1e-12)
	checkTol(t, "lead", ct.Stake("lead"), 0.08, 1e-12)
	checkTol(t, "a diluted", ct.Stake("a"), 0.72, 1e-12)
	if err := ct.IssueSyndicate(100, Allocation{"x", -1}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("negative allocation: %v", err)
	}
	var invalid Round
	if invalid.NewStake() != 0 || invalid.Retain() != 1 {
		t.Error("zero round")
	}
}
