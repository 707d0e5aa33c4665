package agents

import (
	"math"
	"testing"

	"frontiersim/engine"
)

// ownModelRun runs the hand-built world own-model.toml in check mode
// (money conserved, payments equal spend, shares of potential demand incl.
// the outside good sum to 1 in every cell, every month) to month months
// and returns the world.
func ownModelRun(t *testing.T, set map[string]float64, months int, seed uint64) *World {
	t.Helper()
	w := newTestWorld(t, worldScenario(t, "own-model.toml", set), 400, seed)
	stepTo(t, w, 0, months)
	return w
}

// meanOwnShare is the hyperscaler's mean own-model share over months
// [from, to) of a run of own-model.toml.
func meanOwnShare(t *testing.T, set map[string]float64, from, to int, seed uint64) float64 {
	t.Helper()
	w := newTestWorld(t, worldScenario(t, "own-model.toml", set), 400, seed)
	stepTo(t, w, 0, from)
	x := 0.0
	for m := from; m < to; m++ {
		stepTo(t, w, m, m+1)
		x += w.ownModelShare[0]
	}
	return x / float64(to-from)
}

// TestOwnModelSold: a hyperscaler that declares its own models sells them
// in endogenous mode: a positive share of spend, priced above its running
// cost, with spend equal to units x bill and the shares (labs' and own
// models') summing to 1.
func TestOwnModelSold(t *testing.T) {
	w := ownModelRun(t, nil, 60, 1)
	a := w.ownOf[0]
	if a < 0 || !w.altAvail[a] {
		t.Fatalf("hx's own model is not offered (alternative %d)", a)
	}
	sh := w.ownModelShare[0]
	if !(sh > 0 && sh < 1) {
		t.Fatalf("hx's own-model share %g, want in (0, 1)", sh)
	}
	if !(w.dm.bill[a] > w.pg.cost[a]) || !(w.pg.cost[a] > 0) {
		t.Fatalf("own model's bill %g, marginal cost %g: want bill > cost > 0", w.dm.bill[a], w.pg.cost[a])
	}
	if x := w.dm.qty[a] * w.dm.bill[a] * 1e-3; math.Abs(x-w.altSpend[a]) > 1e-12 || math.Abs(w.Hyper[0].revOwn-x) > 1e-12 {
		t.Fatalf("own model: payments %g, spend %g, revenue %g", x, w.altSpend[a], w.Hyper[0].revOwn)
	}
	t.Logf("m60: own-model share %.4f, bill %.4g, cost %.4g, labs' shares %.4f", sh, w.dm.bill[a], w.pg.cost[a], w.modelShare)
	sum := sh
	for _, x := range w.modelShare {
		sum += x
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Fatalf("model shares incl. own models sum to %g", sum)
	}
	// replay mode has no own models
	r := newTestWorld(t, worldScenario(t, "own-model.toml", map[string]float64{"mode.replay": 1}), 400, 1)
	stepTo(t, r, 0, 60)
	if r.ownModelShare[0] != 0 || r.altAvail[a] {
		t.Fatalf("replay mode: own-model share %g, offered %v", r.ownModelShare[0], r.altAvail[a])
	}
}

// TestOwnModelGapLowersShare: a larger own-model gap lowers the
// hyperscaler's own-model share (same seed, mean over months 30-60).
func TestOwnModelGapLowersShare(t *testing.T) {
	for seed := uint64(1); seed <= 2; seed++ {
		near := meanOwnShare(t, map[string]float64{"clouds.hx.own_model_gap": 0.5}, 30, 60, seed)
		far := meanOwnShare(t, map[string]float64{"clouds.hx.own_model_gap": 3}, 30, 60, seed)
		t.Logf("seed %d: own-model share %.4f at gap 0.5, %.4f at gap 3", seed, near, far)
		if !(far < near) || !(far > 0) {
			t.Fatalf("seed %d: own-model share %g at gap 0.5, %g at gap 3: want 0 < far < near", seed, near, far)
		}
	}
}

// TestOwnModelScreenDeltaHHI: the horizontal screen of an acquisition of
// a lab by a hyperscaler that owns no lab has a positive ΔHHI (2 x its own
// models' share x the lab's, in points) where without its own models it
// has none.
func TestOwnModelScreenDeltaHHI(t *testing.T) {
	for _, own := range []bool{false, true} {
		// no acquisitions: the hyperscaler owns no lab at the screen (with
		// resale agreements, model v2 part 3a, it would otherwise buy one)
		s := worldScenario(t, "own-model.toml", map[string]float64{"acquisition.lambda0": 0})
		s.cast = s.cast.deepClone()
		s.cast.Clouds[0].OwnModel = own
		w := newTestWorld(t, s, 400, 1)
		stepTo(t, w, 0, 60)
		l := lab(t, w, "beta")
		r, err := w.horizontalScreen(l, 0)
		if err != nil {
			t.Fatal(err)
		}
		want := 2 * 100 * w.ownModelShare[0] * 100 * w.modelShare[l]
		if math.Abs(r.DeltaHHI-want) > 1e-9*math.Max(1, want) {
			t.Fatalf("own models %v: ΔHHI %g, want %g", own, r.DeltaHHI, want)
		}
		t.Logf("own models %v: ΔHHI %.1f (own-model share %.4f, lab share %.4f)", own, r.DeltaHHI, w.ownModelShare[0], w.modelShare[l])
		if own != (r.DeltaHHI > 0) {
			t.Fatalf("own models %v: ΔHHI %g (own-model share %g, lab share %g)", own, r.DeltaHHI, w.ownModelShare[0], w.modelShare[l])
		}
	}
}

// TestOwnModelResetReproduces: a world with own models reproduces its run
// after a reset (the own-model alternatives hold no state of an earlier
// run).
func TestOwnModelResetReproduces(t *testing.T) {
	s := worldScenario(t, "own-model.toml", nil)
	a := newTestWorld(t, s, 400, 11)
	stepTo(t, a, 0, 60)
	b := newTestWorld(t, s, 400, 5)
	stepTo(t, b, 0, 30)
	if err := b.Reset(s, engine.NewStreams(11, 0)); err != nil {
		t.Fatal(err)
	}
	stepTo(t, b, 0, 60)
	da, db := a.Recorder().Data(), b.Recorder().Data()
	for i := range da {
		if da[i] != db[i] && !(math.IsNaN(da[i]) && math.IsNaN(db[i])) {
			t.Fatalf("value %d (%s): %g vs %g", i, a.metrics[i%len(a.metrics)].Name, da[i], db[i])
		}
	}
}
