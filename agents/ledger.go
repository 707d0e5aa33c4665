package agents

import (
	"fmt"
	"math"
)

// Ledger accounts. Every money flow moves an amount from one account to
// another with ledger.xfer, so it is booked once out and once in; external
// accounts (enterprises, consumers, suppliers, LPs, ...) close the system,
// and the sum of all balances stays 0 (check mode asserts it). The
// external accounts come first; the agents' accounts (labs, lab x
// hyperscaler credits, clouds, funds) follow, as many as the world declares
// (layout.accLab and friends).
const (
	extEnterprise = iota // enterprise buyers (spend)
	extConsumers         // consumer subscribers
	extSuppliers         // staff, hardware, energy; creditors of failed labs
	extLPs               // fund limited partners
	extParents           // owners of parent-funded labs and founders' seed money
	extOthers            // other investors (SoftBank-like, crossover funds)
	extITBuyers          // buyers of non-AI cloud services
	extFounders          // founders and employees (equity proceeds)
	extManagers          // fund managers (fees)
	numExternal
)

type ledger struct {
	bal     []float64
	initial []float64 // opening balances booked at founding (from extParents / extLPs)
	gross   float64   // cumulative gross flow volume
	bad     int       // count of invalid transfers (negative, NaN, self)
	badAmt  float64
	entOut  float64 // enterprise outflow this month
}

func newLedger(accounts int) ledger {
	return ledger{bal: make([]float64, accounts), initial: make([]float64, accounts)}
}

func (g *ledger) reset() {
	clear(g.bal)
	clear(g.initial)
	g.gross, g.bad, g.badAmt, g.entOut = 0, 0, 0, 0
}

// xfer moves amt from account from to account to.
func (g *ledger) xfer(from, to int, amt float64) {
	if amt == 0 {
		return
	}
	if !(amt > 0) || math.IsInf(amt, 0) || from == to {
		g.bad++
		g.badAmt = amt
		return
	}
	g.bal[from] -= amt
	g.bal[to] += amt
	g.gross += amt
	if from == extEnterprise {
		g.entOut += amt
	}
}

// check verifies that balances sum to zero relative to gross flows.
func (g *ledger) check() error {
	if g.bad > 0 {
		return fmt.Errorf("money conservation: %d invalid transfers (last amount %g)", g.bad, g.badAmt)
	}
	sum, abs := 0.0, 0.0
	for _, b := range g.bal {
		sum += b
		abs += math.Abs(b)
	}
	if math.IsNaN(sum) || math.Abs(sum) > 1e-9*math.Max(1, math.Max(g.gross, abs)) {
		return fmt.Errorf("money conservation: balances sum to %g (gross flows %g)", sum, g.gross)
	}
	return nil
}
