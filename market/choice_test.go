package market

import (
	"fmt"
	"math"
	"testing"
)

// §4.3 multinomial logit table.
func TestLogitTable(t *testing.T) {
	cases := []struct {
		name   string
		v      []float64
		shares []float64
		logsum float64
	}{
		{"(0,0,0)", []float64{0, 0, 0}, []float64{0.3333, 0.3333, 0.3333}, 1.099},
		{"(1,0,-1)", []float64{1, 0, -1}, []float64{0.6652, 0.2447, 0.09003}, 1.408},
		{"(2,1,0,outside 0)", []float64{2, 1, 0, 0}, []float64{0.6103, 0.2245, 0.08259, 0.08259}, 2.494},
		{"alternative 2 removed", []float64{2, 0, 0}, []float64{0.7870, 0.1065, 0.1065}, 2.240},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := make([]float64, len(c.v))
			ls := LogitShares(c.v, out)
			for j := range out {
				checkAbs(t, fmt.Sprintf("share %d", j), out[j], c.shares[j])
			}
			checkRel(t, "logsum", ls, c.logsum)
			checkTol(t, "LogSumExp", LogSumExp(c.v), ls, 1e-15)
			ls2, err := Logit(c.v, out)
			if err != nil || ls2 != ls {
				t.Errorf("Logit = %g, %v", ls2, err)
			}
		})
	}
	checkExact(t, "ln 3", LogSumExp([]float64{0, 0, 0}), math.Log(3))
}

// §4.3 surplus change from removing alternative 2, in utils and money.
func TestConsumerSurplusTable(t *testing.T) {
	full := LogSumExp([]float64{2, 1, 0, 0})
	removed := LogSumExp([]float64{2, 0, 0})
	checkTol(t, "logsum full", full, 2.493812, 1e-6)
	checkTol(t, "logsum removed", removed, 2.239545, 1e-6)
	checkAbs(t, "dCS utils", ConsumerSurplus(removed, 1, 1)-ConsumerSurplus(full, 1, 1), -0.2543)
	checkRel(t, "CS full, beta_P 0.5", ConsumerSurplus(full, 1, 0.5), 4.988)
	checkRel(t, "E[max U] (0,0,0)", ExpectedMaxUtility(LogSumExp([]float64{0, 0, 0})), 1.676)
	// Money scales with the price index.
	checkExact(t, "CS scales with P", ConsumerSurplus(full, 3, 0.5), 3*ConsumerSurplus(full, 1, 0.5))
}

// §4.3 attribute utilities V = 2K - 1P + 1 affinity.
func TestLogitAttributeTable(t *testing.T) {
	K := []float64{1.0, 0.9, 0.8} // O, A, G
	P := []float64{1.0, 0.8, 0.5}
	cases := []struct {
		name     string
		affinity int // index of the lab with cloud affinity, -1 none
		v        []float64
		shares   []float64
		logsum   float64
	}{
		{"Azure", 0, []float64{2.0, 1.0, 1.1}, []float64{0.5636, 0.2073, 0.2291}, 2.573},
		{"AWS", 1, []float64{1.0, 2.0, 1.1}, []float64{0.2073, 0.5636, 0.2291}, 2.573},
		{"GCP", 2, []float64{1.0, 1.0, 2.1}, []float64{0.1998, 0.1998, 0.6003}, 2.610},
		{"none", -1, []float64{1.0, 1.0, 1.1}, []float64{0.3220, 0.3220, 0.3559}, 2.133},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := make([]float64, 3)
			for j := range v {
				v[j] = 2*K[j] - P[j]
				if j == c.affinity {
					v[j]++
				}
				checkTol(t, fmt.Sprintf("V %d", j), v[j], c.v[j], 1e-12)
			}
			out := make([]float64, 3)
			ls := LogitShares(v, out)
			for j := range out {
				checkAbs(t, fmt.Sprintf("share %d", j), out[j], c.shares[j])
			}
			checkRel(t, "logsum", ls, c.logsum)
		})
	}
}

// §4.3 state dependence: incumbent first, V = (1+gamma, 1.0, 0.5).
func TestStayProbabilityTable(t *testing.T) {
	cases := []struct {
		gamma, stay float64
	}{
		{0, 0.3837},
		{1, 0.6285},
		{2, 0.8214},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("gamma %g", c.gamma), func(t *testing.T) {
			got := StayProbability(1.0, c.gamma, []float64{1.0, 0.5})
			checkAbs(t, "P_stay", got, c.stay)
			out := make([]float64, 3)
			LogitShares([]float64{1 + c.gamma, 1, 0.5}, out)
			checkTol(t, "vs logit", got, out[0], 1e-15)
		})
	}
	checkRel(t, "sigma gamma=1 beta_P=0.5", SwitchingCostMoney(1, 1, 0.5), 2.000)
	if StayProbability(0, 1, nil) != 1 {
		t.Error("no alternatives: stay != 1")
	}
	if got := StayProbability(math.NaN(), 1, []float64{0}); got != 0 {
		t.Errorf("NaN incumbent: %g", got)
	}
	checkExact(t, "huge utilities", StayProbability(700, 0, []float64{-700}), 1)
}

// §4.3 Berry inversion.
func TestBerryInversionTable(t *testing.T) {
	delta, err := BerryInversion([]float64{0.4, 0.3, 0.2}, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{1.386, 1.099, 0.6931}
	for j := range want {
		checkRel(t, fmt.Sprintf("delta %d", j), delta[j], want[j])
	}
	// Round trip: the recovered utilities reproduce the shares.
	v := append(delta, 0)
	out := make([]float64, 4)
	LogitShares(v, out)
	for j, s := range []float64{0.4, 0.3, 0.2, 0.1} {
		checkTol(t, fmt.Sprintf("round trip %d", j), out[j], s, 1e-14)
	}
}

// §4.3 MNL diversion ratios.
func TestDiversionRatioTable(t *testing.T) {
	shares := []float64{0.5, 0.3, 0.2}
	cases := []struct {
		name     string
		from, to int
		want     float64
	}{
		{"1->2", 0, 1, 0.6},
		{"1->3", 0, 2, 0.4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := DiversionRatio(shares, c.from, c.to)
			if err != nil {
				t.Fatal(err)
			}
			checkExact(t, "D", got, c.want)
		})
	}
}

// §4.4 nested logit (nests = clouds).
func TestNestedLogitTable(t *testing.T) {
	v := []float64{1.0, 0.0, 1.0, 0.0, 0.5} // O-Azure, Azure-own, Claude-AWS, AWS-own, Gemini
	nest := []int{0, 0, 1, 1, 2}
	cases := []struct {
		name   string
		lambda float64
		P      []float64
		IV     []float64
		logsum float64
	}{
		{"lambda 0.5", 0.5, []float64{0.3428, 0.04640, 0.3428, 0.04640, 0.2216}, []float64{2.127, 2.127, 1.000}, 2.007},
		{"lambda 1.0", 1.0, []float64{0.2992, 0.1101, 0.2992, 0.1101, 0.1815}, []float64{1.313, 1.313, 0.5000}, 2.207},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lambda := []float64{c.lambda, c.lambda, c.lambda}
			out := make([]float64, len(v))
			scratch := make([]float64, 2*len(lambda))
			ls, err := NestedLogit(v, nest, lambda, out, scratch)
			if err != nil {
				t.Fatal(err)
			}
			for j := range out {
				checkAbs(t, fmt.Sprintf("P %d", j), out[j], c.P[j])
			}
			for g := range c.IV {
				checkRel(t, fmt.Sprintf("IV %d", g), scratch[g], c.IV[g])
			}
			checkRel(t, "logsum", ls, c.logsum)
			// scratch[G+g] holds the nest probabilities.
			checkTol(t, "P(Azure)", scratch[3], out[0]+out[1], 1e-14)
			checkTol(t, "P(AWS)", scratch[4], out[2]+out[3], 1e-14)
			checkTol(t, "P(GCP)", scratch[5], out[4], 1e-14)
			sum := 0.0
			for _, p := range out {
				sum += p
			}
			checkTol(t, "sum", sum, 1, 1e-14)
		})
	}
	t.Run("lambda 1 equals MNL", func(t *testing.T) {
		out := make([]float64, len(v))
		ls, err := NestedLogit(v, nest, []float64{1, 1, 1}, out, make([]float64, 6))
		if err != nil {
			t.Fatal(err)
		}
		mnl := make([]float64, len(v))
		lsM := LogitShares(v, mnl)
		checkTol(t, "logsum", ls, lsM, 1e-14)
		for j := range out {
			checkTol(t, fmt.Sprintf("P %d", j), out[j], mnl[j], 1e-14)
		}
	})
	t.Run("API exclusivity: a model in one nest only", func(t *testing.T) {
		// Removing Claude from the AWS nest (an empty-able nest) must
		// still work and raise the other shares.
		out := make([]float64, 5)
		vv := []float64{1.0, 0.0, math.Inf(-1), math.Inf(-1), 0.5}
		if _, err := NestedLogit(vv, nest, []float64{0.5, 0.5, 0.5}, out, make([]float64, 6)); err != nil {
			t.Fatal(err)
		}
		if out[2] != 0 || out[3] != 0 {
			t.Errorf("unavailable nest got share: %v", out)
		}
		checkTol(t, "sum", out[0]+out[1]+out[4], 1, 1e-14)
	})
}
