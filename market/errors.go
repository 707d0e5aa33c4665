package market

import (
	"errors"
	"fmt"
	"math"
)

// Sentinel errors. Every error returned by this package wraps one of them.
var (
	// ErrInvalidArgument reports an argument outside its documented domain
	// (NaN, a discount factor outside (0,1), lambda outside (0,1], a negative
	// share, shares that do not sum to one, mismatched lengths, ...).
	ErrInvalidArgument = errors.New("market: invalid argument")
	// ErrNoAgreement reports a bargaining problem with no agreement: the
	// surplus is smaller than what the parties get without one.
	ErrNoAgreement = errors.New("market: no agreement")
	// ErrEmptyChoiceSet reports a choice set with no available alternative.
	ErrEmptyChoiceSet = errors.New("market: empty choice set")
	// ErrNoIRR reports cash flows whose net present value has no sign change
	// for any rate above -100%, so no internal rate of return exists.
	ErrNoIRR = errors.New("market: cash flows have no IRR")
	// ErrNoConvergence reports an iterative solver (the compute-price
	// fixed point) that did not reach its tolerance within its iteration
	// cap.
	ErrNoConvergence = errors.New("market: no convergence")
)

// invalid wraps ErrInvalidArgument with a formatted context.
func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidArgument}, args...)...)
}

// finite reports whether every x is neither NaN nor infinite.
func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// anyNaN reports whether some x is NaN.
func anyNaN(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) {
			return true
		}
	}
	return false
}

// clamp limits x to [lo, hi]; NaN stays NaN.
func clamp(x, lo, hi float64) float64 {
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}
