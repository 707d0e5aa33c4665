package market

import (
	"fmt"
	"math"
	"testing"
)

// §4.5 Bass diffusion closed form (per-year p, q; t in years).
func TestBassTable(t *testing.T) {
	cases := []struct {
		p, q                float64
		F1, F3, F5, F10, f1 float64
		tStar, FStar, fStar float64
		fStarExact          bool
	}{
		{0.03, 0.38, 0.03576, 0.1505, 0.3312, 0.8128, 0.04203, 6.193, 0.4605, 0.1106, false},
		{0.01, 0.50, 0.01288, 0.06624, 0.1880, 0.7617, 0.01623, 7.671, 0.4900, 0.13005, true},
		{0.003, 0.50, 0.003884, 0.02057, 0.06349, 0.4754, 0.004923, 10.17, 0.4970, 0.1265, false},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("p=%g q=%g", c.p, c.q), func(t *testing.T) {
			b := Bass{P: c.p, Q: c.q}
			checkAbs(t, "F(1)", b.F(1), c.F1)
			checkAbs(t, "F(3)", b.F(3), c.F3)
			checkAbs(t, "F(5)", b.F(5), c.F5)
			checkAbs(t, "F(10)", b.F(10), c.F10)
			checkAbs(t, "f(1)", b.Density(1), c.f1)
			ts, Fs, fs := b.Peak()
			checkRel(t, "t*", ts, c.tStar)
			checkAbs(t, "F(t*)", Fs, c.FStar)
			if c.fStarExact {
				checkExact(t, "f(t*)", fs, c.fStar)
			} else {
				checkAbs(t, "f(t*)", fs, c.fStar)
			}
			// The peak formulas agree with the closed forms.
			checkTol(t, "F(t*) closed form", b.F(ts), Fs, 1e-12)
			checkTol(t, "f(t*) closed form", b.Density(ts), fs, 1e-12)
			// The density is the derivative of F (central difference).
			h := 1e-5
			checkTol(t, "f = dF/dt", (b.F(1+h)-b.F(1-h))/(2*h), b.Density(1), 1e-9)
		})
	}
}

// §4.5 monthly exact one-step map, p_m = 0.03/12, q_m = 0.38/12.
func TestBassStepTable(t *testing.T) {
	b := Bass{P: 0.03, Q: 0.38}.Monthly()
	cases := []struct {
		F, Fnext, h float64
	}{
		{0, 0.002537, 0.002537},
		{0.1, 0.1052, 0.005732},
		{0.5, 0.5092, 0.01831},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("F=%g", c.F), func(t *testing.T) {
			Fn, h := b.Step(c.F, 1)
			checkAbs(t, "F_next", Fn, c.Fnext)
			checkAbs(t, "h", h, c.h)
			checkTol(t, "h definition", h, (Fn-c.F)/(1-c.F), 1e-15)
		})
	}
	t.Run("sixty months", func(t *testing.T) {
		F := 0.0
		for range 60 {
			F, _ = b.Step(F, 1)
		}
		checkAbs(t, "F(60 months)", F, 0.3312)
		checkTol(t, "vs closed form F(5y)", F, Bass{P: 0.03, Q: 0.38}.F(5), 1e-9)
	})
	t.Run("explicit Euler misses the closed form", func(t *testing.T) {
		// Reference values of §4.5 for the scheme the engine must not use.
		N := 0.0
		var at12, at60 float64
		for m := 1; m <= 60; m++ {
			N += (b.P + b.Q*N) * (1 - N)
			switch m {
			case 12:
				at12 = N
			case 60:
				at60 = N
			}
		}
		checkAbs(t, "Euler month 12", at12, 0.03518)
		checkAbs(t, "Euler month 60", at60, 0.3258)
		exact := b.F(60)
		if d := exact - at60; d < 0.005 {
			t.Errorf("Euler undershoot at month 60 = %g, want about 0.0054", d)
		}
	})
}

func TestBassEdges(t *testing.T) {
	b := Bass{P: 0.03, Q: 0.38}
	if b.F(0) != 0 || b.F(-1) != 0 || b.F(math.NaN()) != 0 {
		t.Error("F at t <= 0 should be 0")
	}
	checkExact(t, "F(+Inf)", b.F(math.Inf(1)), 1)
	checkExact(t, "f(0) = p", b.Density(0), 0.03)
	// q <= p: peak at t = 0.
	ts, Fs, fs := Bass{P: 0.5, Q: 0.1}.Peak()
	if ts != 0 || Fs != 0 || fs != 0.5 {
		t.Errorf("Peak q<p = %g %g %g", ts, Fs, fs)
	}
	// p = 0: the exact map is the logistic map.
	l := Bass{P: 0, Q: 0.3}
	Fn, _ := l.Step(0.1, 2)
	want := 0.1 * math.Exp(0.6) / (0.9 + 0.1*math.Exp(0.6))
	checkTol(t, "logistic", Fn, want, 1e-15)
	if Fn, h := l.Step(0, 1); Fn != 0 || h != 0 {
		t.Errorf("p=0 from F=0: %g %g", Fn, h)
	}
	// Saturated, invalid step and invalid coefficients return the input.
	if Fn, h := b.Step(1, 1); Fn != 1 || h != 0 {
		t.Errorf("F=1: %g %g", Fn, h)
	}
	if Fn, h := b.Step(0.3, 0); Fn != 0.3 || h != 0 {
		t.Errorf("dt=0: %g %g", Fn, h)
	}
	if Fn, h := b.Step(math.NaN(), 1); Fn != 0 || h != 0 {
		t.Errorf("NaN F: %g %g", Fn, h)
	}
	bad := Bass{P: -1, Q: 0.3}
	if bad.Validate() == nil || bad.F(3) != 0 || bad.Density(3) != 0 {
		t.Error("negative p accepted")
	}
	if Fn, h := bad.Step(0.2, 1); Fn != 0.2 || h != 0 {
		t.Errorf("invalid Step: %g %g", Fn, h)
	}
	if (Bass{P: 0.03, Q: 0.38}).Validate() != nil {
		t.Error("valid model rejected")
	}
	// The §3.3 engine default: F(1y), F(2y), F(3y), t*.
	d := Bass{P: 0.0470, Q: 0.625}
	checkAbs(t, "default F(1y)", d.F(1), 0.0628)
	checkAbs(t, "default F(2y)", d.F(2), 0.1654)
	checkAbs(t, "default F(3y)", d.F(3), 0.3128)
	ts, _, _ = d.Peak()
	checkTol(t, "default t* (quoted to 3 s.f.)", ts, 3.85, 0.005)
}
