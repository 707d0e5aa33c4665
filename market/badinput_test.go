package market

import (
	"errors"
	"math"
	"testing"
)

var (
	nan  = math.NaN()
	pInf = math.Inf(1)
	nInf = math.Inf(-1)
)

// Invalid arguments return an error wrapping the documented sentinel.
func TestBadInputErrors(t *testing.T) {
	out := make([]float64, 8)
	scratch := make([]float64, 8)
	call := func(f func() error) func() error { return f }
	err2 := func(_, _ float64, err error) error { return err }
	err1 := func(_ any, err error) error { return err }
	cases := []struct {
		name string
		call func() error
		want error
	}{
		{"Rubinstein delta1 = 0", call(func() error { return err2(RubinsteinShares(0, 0.5)) }), ErrInvalidArgument},
		{"Rubinstein delta1 = 1", call(func() error { return err2(RubinsteinShares(1, 0.5)) }), ErrInvalidArgument},
		{"Rubinstein delta2 = 1", call(func() error { return err2(RubinsteinShares(0.9, 1)) }), ErrInvalidArgument},
		{"Rubinstein delta negative", call(func() error { return err2(RubinsteinShares(-0.1, 0.5)) }), ErrInvalidArgument},
		{"Rubinstein delta > 1", call(func() error { return err2(RubinsteinShares(0.5, 1.5)) }), ErrInvalidArgument},
		{"Rubinstein delta NaN", call(func() error { return err2(RubinsteinShares(nan, 0.5)) }), ErrInvalidArgument},
		{"continuous negative rate", call(func() error { return err2(RubinsteinContinuous(-0.1, 0.1, 1)) }), ErrInvalidArgument},
		{"continuous both rates 0", call(func() error { return err2(RubinsteinContinuous(0, 0, 1)) }), ErrInvalidArgument},
		{"continuous negative interval", call(func() error { return err2(RubinsteinContinuous(0.1, 0.1, -1)) }), ErrInvalidArgument},
		{"continuous NaN", call(func() error { return err2(RubinsteinContinuous(nan, 0.1, 1)) }), ErrInvalidArgument},
		{"continuous Inf interval", call(func() error { return err2(RubinsteinContinuous(0.1, 0.1, pInf)) }), ErrInvalidArgument},
		{"outside option delta = 1", call(func() error { return err2(RubinsteinOutsideOption(1, 0.3)) }), ErrInvalidArgument},
		{"outside option b NaN", call(func() error { return err2(RubinsteinOutsideOption(0.9, nan)) }), ErrInvalidArgument},
		{"outside option b > 1", call(func() error { return err2(RubinsteinOutsideOption(0.9, 1.5)) }), ErrNoAgreement},
		{"Nash alpha < 0", call(func() error { return err1(NashSplit(1, 0, 0, -0.1)) }), ErrInvalidArgument},
		{"Nash alpha > 1", call(func() error { return err1(NashSplit(1, 0, 0, 1.1)) }), ErrInvalidArgument},
		{"Nash NaN surplus", call(func() error { return err1(NashSplit(nan, 0, 0, 0.5)) }), ErrInvalidArgument},
		{"Nash Inf disagreement", call(func() error { return err1(NashSplit(1, pInf, 0, 0.5)) }), ErrInvalidArgument},
		{"outside options alpha NaN", call(func() error { return err1(NashWithOutsideOptions(1, 0, 0, 0, 0, nan, Constraint)) }), ErrInvalidArgument},
		{"outside options NaN w", call(func() error { return err1(NashWithOutsideOptions(1, 0, 0, nan, 0, 0.5, ThreatPoint)) }), ErrInvalidArgument},
		{"nested lambda 0", call(func() error {
			return err1(NestedLogit([]float64{1, 2}, []int{0, 0}, []float64{0}, out, scratch))
		}), ErrInvalidArgument},
		{"nested lambda > 1", call(func() error {
			return err1(NestedLogit([]float64{1, 2}, []int{0, 0}, []float64{1.5}, out, scratch))
		}), ErrInvalidArgument},
		{"nested lambda negative", call(func() error {
			return err1(NestedLogit([]float64{1, 2}, []int{0, 1}, []float64{0.5, -0.5}, out, scratch))
		}), ErrInvalidArgument},
		{"nested lambda NaN", call(func() error {
			return err1(NestedLogit([]float64{1, 2}, []int{0, 0}, []float64{nan}, out, scratch))
		}), ErrInvalidArgument},
		{"nested index out of range", call(func() error {
			return err1(NestedLogit([]float64{1, 2}, []int{0, 1}, []float64{0.5}, out, scratch))
		}), ErrInvalidArgument},
		{"nested negative index", call(func() error {
			return err1(NestedLogit([]float64{1, 2}, []int{0, -1}, []float64{0.5}, out, scratch))
		}), ErrInvalidArgument},
		{"nested length mismatch", call(func() error {
			return err1(NestedLogit([]float64{1, 2}, []int{0}, []float64{0.5}, out, scratch))
		}), ErrInvalidArgument},
		{"nested short scratch", call(func() error {
			return err1(NestedLogit([]float64{1, 2}, []int{0, 1}, []float64{0.5, 0.5}, out, scratch[:3]))
		}), ErrInvalidArgument},
		{"nested short out", call(func() error {
			return err1(NestedLogit([]float64{1, 2}, []int{0, 0}, []float64{0.5}, out[:1], scratch))
		}), ErrInvalidArgument},
		{"nested NaN utility", call(func() error {
			return err1(NestedLogit([]float64{nan, 2}, []int{0, 0}, []float64{0.5}, out, scratch))
		}), ErrInvalidArgument},
		{"nested +Inf utility", call(func() error {
			return err1(NestedLogit([]float64{pInf, 2}, []int{0, 0}, []float64{0.5}, out, scratch))
		}), ErrInvalidArgument},
		{"nested overflow", call(func() error {
			return err1(NestedLogit([]float64{1e300, 2}, []int{0, 0}, []float64{1e-10}, out, scratch))
		}), ErrInvalidArgument},
		{"nested empty choice set", call(func() error {
			return err1(NestedLogit(nil, nil, []float64{0.5}, out, scratch))
		}), ErrEmptyChoiceSet},
		{"nested all unavailable", call(func() error {
			return err1(NestedLogit([]float64{nInf, nInf}, []int{0, 1}, []float64{0.5, 0.5}, out, scratch))
		}), ErrEmptyChoiceSet},
		{"logit empty choice set", call(func() error { return err1(Logit(nil, out)) }), ErrEmptyChoiceSet},
		{"logit all unavailable", call(func() error { return err1(Logit([]float64{nInf}, out)) }), ErrEmptyChoiceSet},
		{"logit NaN", call(func() error { return err1(Logit([]float64{0, nan}, out)) }), ErrInvalidArgument},
		{"logit +Inf", call(func() error { return err1(Logit([]float64{0, pInf}, out)) }), ErrInvalidArgument},
		{"logit short out", call(func() error { return err1(Logit([]float64{0, 1}, out[:1])) }), ErrInvalidArgument},
		{"Berry negative share", call(func() error { return err1(BerryInversion([]float64{-0.1, 0.6}, 0.5)) }), ErrInvalidArgument},
		{"Berry zero share", call(func() error { return err1(BerryInversion([]float64{0, 0.5}, 0.5)) }), ErrInvalidArgument},
		{"Berry shares not summing to 1", call(func() error { return err1(BerryInversion([]float64{0.4, 0.3}, 0.1)) }), ErrInvalidArgument},
		{"Berry shares above 1", call(func() error { return err1(BerryInversion([]float64{0.6, 0.5}, 0.1)) }), ErrInvalidArgument},
		{"Berry zero outside", call(func() error { return err1(BerryInversion([]float64{0.5, 0.5}, 0)) }), ErrInvalidArgument},
		{"Berry NaN share", call(func() error { return err1(BerryInversion([]float64{nan, 0.5}, 0.5)) }), ErrInvalidArgument},
		{"Berry empty", call(func() error { return err1(BerryInversion(nil, 1)) }), ErrEmptyChoiceSet},
		{"diversion negative share", call(func() error { return err1(DiversionRatio([]float64{-0.1, 0.5}, 0, 1)) }), ErrInvalidArgument},
		{"diversion shares above 1", call(func() error { return err1(DiversionRatio([]float64{0.7, 0.5}, 0, 1)) }), ErrInvalidArgument},
		{"diversion same index", call(func() error { return err1(DiversionRatio([]float64{0.5, 0.5}, 1, 1)) }), ErrInvalidArgument},
		{"diversion out of range", call(func() error { return err1(DiversionRatio([]float64{0.5, 0.5}, 0, 2)) }), ErrInvalidArgument},
		{"diversion monopoly", call(func() error { return err1(DiversionRatio([]float64{1, 0}, 0, 1)) }), ErrInvalidArgument},
		{"IRR no sign change", call(func() error { return err1(IRR([]float64{-1, -1})) }), ErrNoIRR},
		{"IRR Inf flow", call(func() error { return err1(IRR([]float64{-1, pInf})) }), ErrInvalidArgument},
		{"merger negative share", call(func() error { return err1(MergerScreen([]float64{-5, 50}, 0, 1, Guidelines2023)) }), ErrInvalidArgument},
		{"merger shares above 100", call(func() error { return err1(MergerScreen([]float64{60, 50}, 0, 1, Guidelines2010)) }), ErrInvalidArgument},
		{"MHHI NaN", call(func() error { return err1(MHHI([]float64{nan}, [][]float64{{1}}, [][]float64{{1}})) }), ErrInvalidArgument},
		{"round invest > post", call(func() error { return Round{Invest: 2, Post: 1}.Validate() }), ErrInvalidArgument},
		{"round NaN", call(func() error { return Round{Invest: nan, Post: 1}.Validate() }), ErrInvalidArgument},
		{"Bass negative q", call(func() error { return Bass{P: 0.01, Q: -1}.Validate() }), ErrInvalidArgument},
		{"Bass NaN p", call(func() error { return Bass{P: nan, Q: 0.3}.Validate() }), ErrInvalidArgument},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.call()
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if err.Error() == "" {
				t.Error("empty message")
			}
		})
	}
}

// Functions without an error return documented values, never a silent NaN.
func TestBadInputDocumentedValues(t *testing.T) {
	x1, x2, _ := RubinsteinShares(2, 2)
	out := make([]float64, 3)
	cases := []struct {
		name      string
		got, want float64
	}{
		{"Rubinstein error path", x1 + x2, 0},
		{"ImpatienceRate NaN runway", ImpatienceRate(nan, 0.02, 0.1, 12), 0.1},
		{"ImpatienceRate negative runway", ImpatienceRate(-3, 0.02, 0.1, 12), 0.1},
		{"ImpatienceRate tau 0, runway 0", ImpatienceRate(0, 0.02, 0.1, 0), 0.1},
		{"ImpatienceRate tau 0, runway 5", ImpatienceRate(5, 0.02, 0.1, 0), 0.02},
		{"Runway NaN", Runway(nan, 1, 0), 0},
		{"BargainingWeight both 0", BargainingWeight(0, 0), 0.5},
		{"BargainingWeight NaN lab", BargainingWeight(nan, 0.02), 1},
		{"BargainingWeight negative backer", BargainingWeight(0.02, -1), 0},
		{"BargainingWeight Inf lab", BargainingWeight(pInf, 0.02), 0},
		{"BargainingWeight Inf backer", BargainingWeight(0.02, pInf), 1},
		{"BargainingWeight both Inf", BargainingWeight(pInf, pInf), 0.5},
		{"ClosedFormShare R = 0", ClosedFormShare(0.5, 0.5, 1, 1, 1, 0), 0},
		{"ClosedFormShare R < 0", ClosedFormShare(0.5, 0.5, 1, 1, 1, -5), 0},
		{"ClosedFormShare NaN phi", ClosedFormShare(nan, 0.5, 1, 1, 1, 10), 0},
		{"ClampShare NaN", ClampShare(nan, 0.05, 0.5), 0.05},
		{"ClampShare high", ClampShare(0.9, 0.05, 0.5), 0.5},
		{"ConsumerSurplus betaP 0", ConsumerSurplus(2, 1, 0), 0},
		{"ConsumerSurplus empty set", ConsumerSurplus(nInf, 1, 1), 0},
		{"SwitchingCostMoney betaP < 0", SwitchingCostMoney(1, 1, -1), 0},
		{"StayProbability NaN other", StayProbability(1, 1, []float64{nan}), 0},
		{"StayProbability -Inf incumbent", StayProbability(nInf, 1, []float64{0}), 0},
		{"StayProbability +Inf incumbent", StayProbability(pInf, 0, []float64{0, pInf}), 0.5},
		{"StayProbability +Inf rival", StayProbability(1, 0, []float64{pInf}), 0},
		{"LogSumExp empty", LogSumExp(nil), nInf},
		{"LogSumExp all unavailable", LogSumExp([]float64{nInf, nInf}), nInf},
		{"LogSumExp +Inf", LogSumExp([]float64{0, pInf}), pInf},
		{"LogitShares empty", LogitShares(nil, out), nInf},
		{"Bass F NaN t", Bass{0.03, 0.38}.F(nan), 0},
		{"Bass Density negative t", Bass{0.03, 0.38}.Density(-1), 0},
		{"Bass Peak invalid", func() float64 { a, b, c := (Bass{P: nan}).Peak(); return a + b + c }(), 0},
		{"NashShare invalid alpha", func() float64 { s, _ := NashShare(ShareInputs{R: 1, Alpha: 2}); return s }(), 0},
		{"NashShare NaN", func() float64 { s, _ := NashShare(ShareInputs{R: nan, Alpha: 0.5}); return s }(), 0},
		{"MOIC NaN proceeds", MOIC(1, nan, 0), 0},
		{"RevenueMultiple NaN", RevenueMultiple(nan, 1), 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.got != c.want && !(math.IsInf(c.want, 0) && c.got == c.want) {
				t.Errorf("got %g, want %g", c.got, c.want)
			}
		})
	}
	// Edge cases of LogitShares that write into out.
	t.Run("LogitShares all unavailable", func(t *testing.T) {
		o := []float64{9, 9}
		if ls := LogitShares([]float64{nInf, nInf}, o); !math.IsInf(ls, -1) || o[0] != 0 || o[1] != 0 {
			t.Errorf("ls=%g out=%v", ls, o)
		}
	})
	t.Run("LogitShares +Inf shares the market", func(t *testing.T) {
		o := make([]float64, 3)
		LogitShares([]float64{pInf, 0, pInf}, o)
		if o[0] != 0.5 || o[1] != 0 || o[2] != 0.5 {
			t.Errorf("out=%v", o)
		}
	})
	t.Run("LogitShares NaN is documented NaN", func(t *testing.T) {
		o := make([]float64, 2)
		if ls := LogitShares([]float64{0, nan}, o); !math.IsNaN(ls) {
			t.Errorf("ls=%g", ls)
		}
		if ls := LogitShares([]float64{nan, nan}, o); !math.IsNaN(ls) || !math.IsNaN(o[0]) {
			t.Errorf("ls=%g out=%v", ls, o)
		}
	})
	t.Run("NashWithOutsideOptions no agreement payoffs", func(t *testing.T) {
		o, err := NashWithOutsideOptions(10, 8, 5, 2, 1, 0.5, Constraint)
		if err != nil || o.Agreement || o.U1 != 8 || o.U2 != 5 {
			t.Errorf("%+v %v", o, err)
		}
	})
}
