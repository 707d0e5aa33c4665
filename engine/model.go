package engine

import (
	"context"
	"fmt"
)

// Model is a discrete-time simulation stepped once per month.
//
// Step advances the model from the start of month t to its end. It is called
// with t = 0, 1, 2, ... in order and must run its phases in a fixed order.
type Model interface {
	Step(ctx context.Context, t int) error
}

// Run steps m for months months, t = 0..months-1. The context is checked
// before every step; when it is done Run returns its error, wrapped with the
// month at which the run stopped.
func Run(ctx context.Context, m Model, months int) error {
	if months < 0 {
		return fmt.Errorf("engine: negative number of months %d", months)
	}
	for t := 0; t < months; t++ {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("engine: stopped before month %d: %w", t, err)
		}
		if err := m.Step(ctx, t); err != nil {
			return fmt.Errorf("engine: month %d: %w", t, err)
		}
	}
	return nil
}

// Phase is one named part of a step.
type Phase struct {
	Name string
	Run  func(t int) error
}

// Phases is a fixed, ordered list of phases. Its Step runs every phase in
// order and stops at the first error, which it wraps with the phase name.
// A Phases value allocates nothing per step.
type Phases []Phase

// Step runs the phases in order for month t.
func (p Phases) Step(ctx context.Context, t int) error {
	for i := range p {
		if err := p[i].Run(t); err != nil {
			return fmt.Errorf("phase %d (%s): %w", i+1, p[i].Name, err)
		}
	}
	return nil
}

// Names returns the phase names in order.
func (p Phases) Names() []string {
	out := make([]string, len(p))
	for i := range p {
		out[i] = p[i].Name
	}
	return out
}
