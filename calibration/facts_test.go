package calibration

import (
	"context"
	"sync"
	"testing"
)

// The stylized-fact tests share one batch: FactReps replications of the
// endogenous default scenario and FactReps of historical replay (for SF6),
// each with FactBuyers enterprise buyers — a reduced population (the full
// default experiment uses more buyers; the buyer population only samples
// the same segment-level choice probabilities, so the facts' statistics
// are unaffected beyond sampling noise), seed FactSeed, replication r on
// engine.NewStreams(FactSeed, r). Run with go test -run Slow (make
// test-slow); skipped under -short.

var (
	factOnce           sync.Once
	factReps, factRepl []*Rep
	factErr            error
)

func factBatch(t *testing.T) ([]*Rep, []*Rep) {
	t.Helper()
	if testing.Short() {
		t.Skip("stylized facts over 200 replications; run with -run Slow")
	}
	factOnce.Do(func() {
		factReps, factRepl, factErr = EndogenousAndReplay(context.Background(), FactBuyers, FactSeed, FactReps)
	})
	if factErr != nil {
		t.Fatal(factErr)
	}
	return factReps, factRepl
}

// checkFact asserts that fact f holds. The facts of KnownFailures (model
// v1 does not reproduce them) and of ReportOnly (a change of model v2 broke
// them, until the recalibration issue) are skipped with their measured
// values and the reason instead; their criteria are never weakened, and
// docs/validation.md (make validation-report) shows their verdicts.
func checkFact(t *testing.T, f Fact) {
	t.Helper()
	for _, p := range f.Parts {
		t.Logf("%s: %s: measured %s; criterion %s [%s]", f.ID, p.Name, p.Measured(), p.Criterion, passWord(p.Pass))
	}
	if why, ok := ReportOnly[f.ID]; ok {
		t.Skipf("%s is %s (%s): its verdict (%s) is in docs/validation.md, make validation-report", f.ID, ReportOnlyMark, why, verdict(f, true))
	}
	reason, known := KnownFailures[f.ID]
	switch {
	case f.Pass() && known:
		t.Logf("%s passes but is listed as a known failure: remove it from KnownFailures", f.ID)
	case f.Pass():
	case known:
		var failed string
		for _, p := range f.Parts {
			if !p.Pass {
				failed += "; " + p.Name + " measured " + p.Measured() + " criterion " + p.Criterion
			}
		}
		t.Skipf("KNOWN: %s fails%s. Reason: %s", f.ID, failed, reason)
	default:
		t.Errorf("%s does not hold (see the measured values above)", f.ID)
	}
}

func TestSlowSF1RevenueShareFalls(t *testing.T) { r, _ := factBatch(t); checkFact(t, SF1(r)) }
func TestSlowSF2SecondHyperscaler(t *testing.T) { r, _ := factBatch(t); checkFact(t, SF2(r)) }
func TestSlowSF3CloudAffinity(t *testing.T)     { r, _ := factBatch(t); checkFact(t, SF3(r)) }
func TestSlowSF4ChannelConflict(t *testing.T)   { r, _ := factBatch(t); checkFact(t, SF4(r)) }
func TestSlowSF5InvestorsCustomers(t *testing.T) {
	r, _ := factBatch(t)
	checkFact(t, SF5(r))
}
func TestSlowSF6MultiHoming(t *testing.T)       { r, p := factBatch(t); checkFact(t, SF6(r, p)) }
func TestSlowSF7LeaderErodes(t *testing.T)      { r, _ := factBatch(t); checkFact(t, SF7(r)) }
func TestSlowSF8PricesSpend(t *testing.T)       { r, _ := factBatch(t); checkFact(t, SF8(r)) }
func TestSlowSF9Rounds(t *testing.T)            { r, _ := factBatch(t); checkFact(t, SF9(r)) }
func TestSlowSF12LossesRounds(t *testing.T)     { r, _ := factBatch(t); checkFact(t, SF12(r)) }
func TestSlowSF13CircularSpending(t *testing.T) { r, _ := factBatch(t); checkFact(t, SF13(r)) }
