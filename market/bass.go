package market

import (
	"math"
)

// Bass is the Bass (1969) diffusion model: among non-adopters the adoption
// hazard is P + Q*F, where F is the adopted fraction. P (innovation) and Q
// (imitation) are per unit of time; t in F, Density and Peak is in the same
// unit (per-year coefficients give t in years). Scaling P and Q by 1/12
// (Monthly) gives the same curve in months.
//
// The methods expect P >= 0 and Q >= 0 (Validate); invalid coefficients make
// F and Density return 0 and Step return its input unchanged.
type Bass struct {
	P, Q float64
}

// Validate reports whether P and Q are finite and non-negative.
func (b Bass) Validate() error {
	if !finite(b.P, b.Q) || b.P < 0 || b.Q < 0 {
		return invalid("Bass: p=%g, q=%g must be finite and >= 0", b.P, b.Q)
	}
	return nil
}

func (b Bass) ok() bool { return finite(b.P, b.Q) && b.P >= 0 && b.Q >= 0 }

// Monthly returns the model with per-month coefficients P/12, Q/12 from
// per-year ones (time rescaling is exact for the closed form).
func (b Bass) Monthly() Bass { return Bass{P: b.P / 12, Q: b.Q / 12} }

// F is the closed-form cumulative adopted fraction at time t >= 0, starting
// from F(0) = 0:
//
//	F(t) = (1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t}).
//
// t <= 0 (or NaN) returns 0; t = +Inf returns 1 when P > 0. With P = 0 no
// one ever starts adopting and F is 0.
func (b Bass) F(t float64) float64 {
	if !b.ok() || !(t > 0) || b.P == 0 {
		return 0
	}
	if math.IsInf(t, 1) {
		return 1
	}
	e := math.Exp(-(b.P + b.Q) * t)
	// Multiply through by p so q/p is never formed: (p(1-e))/(p + q e).
	return b.P * -math.Expm1(-(b.P+b.Q)*t) / (b.P + b.Q*e)
}

// Density is the closed-form adoption density f(t) = dF/dt:
//
//	f(t) = (p+q)^2/p * e^{-(p+q)t} / (1 + (q/p) e^{-(p+q)t})^2.
//
// t < 0 or NaN returns 0; f(0) = p.
func (b Bass) Density(t float64) float64 {
	if !b.ok() || !(t >= 0) || b.P == 0 {
		return 0
	}
	s := b.P + b.Q
	e := math.Exp(-s * t)
	d := b.P + b.Q*e
	return s * s * b.P * e / (d * d)
}

// Peak returns the time of peak adoption density t* = ln(q/p)/(p+q), the
// adopted fraction there F(t*) = 1/2 - p/(2q) and the peak density
// f(t*) = (p+q)^2/(4q). When q <= p the density is highest at t = 0 and it
// returns (0, 0, p). Invalid coefficients or P = 0 return zeros.
func (b Bass) Peak() (t, F, f float64) {
	if !b.ok() || b.P == 0 {
		return 0, 0, 0
	}
	if b.Q <= b.P {
		return 0, 0, b.P
	}
	s := b.P + b.Q
	return math.Log(b.Q/b.P) / s, 0.5 - b.P/(2*b.Q), s * s / (4 * b.Q)
}

// Step is the exact map of the Bass ODE over dt from the currently realised
// adopted fraction F (domain model §3.3): with C = (1-F)/(1+(q/p)F),
//
//	Fnext = (1 - C e^{-(p+q)dt}) / (1 + (q/p) C e^{-(p+q)dt}),
//
// and hazard = (Fnext - F)/(1 - F) is the probability that a current
// non-adopter adopts during the step. Iterating Step from F(t) reproduces
// the closed form F(t + k dt) to rounding; it is not an Euler step. It is
// written without q/p, so P = 0 gives the exact logistic map. F is clamped
// to [0,1]; F = 1, dt <= 0, NaN input or invalid coefficients return
// (F, 0). It allocates nothing.
func (b Bass) Step(F float64, dt float64) (Fnext, hazard float64) {
	if math.IsNaN(F) {
		return 0, 0
	}
	F = clamp(F, 0, 1)
	if !b.ok() || !(dt > 0) || F == 1 {
		return F, 0
	}
	den := b.P + b.Q*F
	if den == 0 {
		return F, 0
	}
	// C e^{-(p+q)dt} = p*K with K = (1-F) e^{-(p+q)dt} / (p + qF).
	K := (1 - F) * math.Exp(-(b.P+b.Q)*dt) / den
	Fnext = (1 - b.P*K) / (1 + b.Q*K)
	Fnext = clamp(Fnext, F, 1)
	return Fnext, (Fnext - F) / (1 - F)
}
