package agents

import (
	"context"
	"fmt"
	"os"
	"testing"

	"frontiersim/engine"
)

func TestSFDebug(t *testing.T) {
	if os.Getenv("AGDEBUG") == "" {
		t.Skip()
	}
	n := 40
	g := func(w *World, name string, m int) float64 { c, _ := MetricIndex(name); return w.Recorder().Get(m, c) }
	var sf1a, sf1b, sf2, sf3, sf4, sf6, sf7a, sf7b, sf7c, sf7d, sf8p, sf8s, sf12, sf13 float64
	var nbig float64
	var nsf1a, nsf1b, mult, nmult, stepups, nstep, intervals, nint float64
	for r := 0; r < n; r++ {
		w, _ := NewWorld(DefaultScenario(), 3000, engine.NewStreams(99, uint64(r)), 84, false)
		if err := w.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		cross := -1
		for m := 0; m < 84; m++ {
			if g(w, "arr_openai", m) >= 2 && cross < 0 {
				cross = m
			}
		}
		s1, k1 := 0.0, 0.0
		for m := 46; m < 84 && (cross < 0 || m < cross); m++ {
			if g(w, "arr_openai", m) > 0.2 {
				s1 += g(w, "effective_share_openai", m)
				k1++
			}
		}
		if k1 > 0 {
			sf1a += s1 / k1
			nsf1a++
		}
		if cross >= 0 && cross+24 < 84 {
			sf1b += g(w, "effective_share_openai", cross+24)
			nsf1b++
		}
		// SF2
		big := -1
		for m := 0; m < 84; m++ {
			if g(w, "hs_investment_azure", m) >= 5 && big < 0 && m >= 40 {
				big = m
			}
		}
		ok2 := 0.0
		if big >= 0 {
			for m := big; m <= big+12 && m < 84; m++ {
				if g(w, "hs_investment_aws", m) >= 1 || g(w, "hs_investment_gcp", m) >= 1 {
					ok2 = 1
				}
			}
		}
		sf2 += ok2
		if big >= 0 {
			nbig++
		}
		a3 := 0.0
		for m := 60; m < 84; m++ {
			a3 += g(w, "affinity_gap_openai", m) / 24
		}
		sf3 += a3
		ok4 := 1.0
		for m := 0; m < 48; m++ {
			if g(w, "conflict_index", m) != 0 {
				ok4 = 0
			}
		}
		p := 0.0
		for m := 48; m < 54; m++ {
			p += g(w, "conflict_index", m)
		}
		if p == 0 {
			ok4 = 0
		}
		sf4 += ok4
		sf6 += g(w, "backer_compute_share", 83)
		for m := 48; m < 60; m++ {
			sf7a += g(w, "model_share_openai", m) / 12
			sf7c += g(w, "model_share_anthropic", m) / 12
		}
		for m := 75; m < 81; m++ {
			sf7b += g(w, "model_share_openai", m) / 6
			sf7d += g(w, "model_share_anthropic", m) / 6
		}
		sf8p += g(w, "price_index", 48) / g(w, "price_index", 60)
		s23, s24 := 0.0, 0.0
		for m := 48; m < 60; m++ {
			s23 += g(w, "enterprise_spend", m)
			s24 += g(w, "enterprise_spend", m+12)
		}
		sf8s += s24 / s23
		neg := 1.0
		for m := 46; m < 84; m++ {
			if g(w, "opcf_openai", m) > 0 {
				neg = 0
			}
		}
		sf12 += neg
		for _, lab := range []string{"openai", "anthropic"} {
			last, lastPost := -1, 0.0
			for m := 0; m < 84; m++ {
				if post := g(w, "round_post_"+lab, m); post > 0 {
					if mu := g(w, "round_multiple_"+lab, m); mu > 0 && g(w, "arr_"+lab, m) > 0.5 {
						mult += mu
						nmult++
					}
					if last >= 0 && m >= 46 {
						intervals += float64(m - last)
						nint++
						stepups += post / lastPost
						nstep++
					}
					last, lastPost = m, post
				}
			}
		}
		inv, ret := 0.0, 0.0
		for h, name := range []string{"azure", "aws", "gcp"} {
			_ = h
			for m := 0; m < 60; m++ {
				i := g(w, "hs_investment_"+name, m)
				if i > 0 {
					inv += i
					for k := m; k < m+24 && k < 84; k++ {
						ret += g(w, "hs_partner_cloud_revenue_"+name, k)
					}
				}
			}
		}
		if inv > 0 {
			sf13 += ret / inv
		}
		if r < 3 {
			fmt.Printf("rep %d cross m%d big m%d surviving %g exits %g acq %g acqh %g reneg %g\n", r, cross, big, g(w, "surviving_labs", 83), g(w, "exits", 83), g(w, "acquisitions", 83), g(w, "acquihires", 83), g(w, "renegotiations", 83))
		}
	}
	N := float64(n)
	fmt.Printf("SF1 eff share before crossing %.3f (n=%g), 24m after %.3f (n=%g)\n", sf1a/nsf1a, nsf1a, sf1b/nsf1b, nsf1b)
	fmt.Printf("SF2 reps with big %g; frac %.2f\nSF3 affinity gap %.3f\nSF4 frac %.2f\nSF6 backer compute m83 %.3f\n", nbig, sf2/nbig, sf3/N, sf4/N, sf6/N)
	fmt.Printf("SF7 openai 2023 %.3f mid25 %.3f; anthropic 2023 %.3f mid25 %.3f\n", sf7a/N, sf7b/N, sf7c/N, sf7d/N)
	fmt.Printf("SF8 price fall/yr %.2f spend growth %.2f\nSF9 multiple %.1f interval %.1f stepup %.2f\nSF12 frac opcf<0 %.2f\nSF13 ratio %.2f\n", sf8p/N, sf8s/N, mult/nmult, intervals/nint, stepups/nstep, sf12/N, sf13/N)
}
