package agents

import (
	"fmt"
	"math"
)

// Ledger accounts. Every money flow moves an amount from one account to
// another with ledger.xfer, so it is booked once out and once in; external
// accounts (enterprises, consumers, suppliers, LPs, ...) close the system,
// and the sum of all balances stays 0 (check mode asserts it).
const (
	accLab0     = 0
	accCredit0  = accLab0 + NumLabs                    // lab x hyperscaler credits
	accCloud0   = accCredit0 + NumLabs*NumHyperscalers // hyperscaler cash and the other-cloud fringe
	accFund0    = accCloud0 + NumClouds                // VC funds
	accExternal = accFund0 + NumFunds                  // first external account
)

const (
	extEnterprise = accExternal + iota // enterprise buyers (spend)
	extConsumers                       // consumer subscribers
	extSuppliers                       // staff, hardware, energy; creditors of failed labs
	extLPs                             // fund limited partners
	extParents                         // owners of parent-funded labs and founders' seed money
	extOthers                          // other investors (SoftBank-like, crossover funds)
	extITBuyers                        // buyers of non-AI cloud services
	extFounders                        // founders and employees (equity proceeds)
	extManagers                        // fund managers (fees)
	numAccounts
)

func accLab(l int) int       { return accLab0 + l }
func accCredit(l, h int) int { return accCredit0 + l*NumHyperscalers + h }
func accCloud(c int) int     { return accCloud0 + c }
func accFund(f int) int      { return accFund0 + f }

type ledger struct {
	bal     [numAccounts]float64
	initial [numAccounts]float64 // opening balances booked at founding (from extParents / extLPs)
	gross   float64              // cumulative gross flow volume
	bad     int                  // count of invalid transfers (negative, NaN, self)
	badAmt  float64
	entOut  float64 // enterprise outflow this month
}

func (g *ledger) reset() {
	*g = ledger{}
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
