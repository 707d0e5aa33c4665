package agents

import (
	"context"
	"fmt"
	"os"
	"testing"

	"frontiersim/engine"
	"frontiersim/market"
)

type ShareInputs = market.ShareInputs

func TestDebugRun(t *testing.T) {
	if os.Getenv("AGDEBUG") == "" {
		t.Skip()
	}
	s := DefaultScenario()
	if os.Getenv("AGREPLAY") != "" {
		s.Mode.Replay = 1
	}
	w, err := NewWorld(s, 20000, engine.NewStreams(1, 0), 84, true)
	if err != nil {
		t.Fatal(err)
	}
	for m := 0; m < 84; m++ {
		if err := w.Step(context.Background(), m); err != nil {
			t.Fatal(err)
		}
		if m%6 == 0 && m >= 42 {
			L := &w.Labs[LabOpenAI]
			in := ShareInputs{}
			if L.Backer >= 0 {
				in = w.shareInputs(LabOpenAI)
			}
			fmt.Printf("m%d openai burn %.3f rev %.3f K %.2f/%.2f lag %d d %.2f | %+v | google K %.2f burn %.3f anth burn %.3f K %.2f eta %.2f %.2f C %.2f %.2f\n", m, L.Burn, L.Revenue, L.KTrain, L.KDep, L.Lag, w.Hyper[0].Disparage, in, w.Labs[LabGoogle].KDep, w.Labs[LabGoogle].Burn, w.Labs[LabAnthropic].Burn, w.Labs[LabAnthropic].KDep, L.Eta, w.Labs[LabGoogle].Eta, L.Log10C, w.Labs[LabGoogle].Log10C)
		}
	}
	names := []string{"model_share_openai", "model_share_anthropic", "model_share_google", "model_share_open_weight", "model_share_other", "enterprise_spend", "adoption", "arr_openai", "arr_anthropic", "cash_openai", "contract_share_openai", "effective_share_openai", "nash_share_openai", "backer_compute_share", "backer_compute_share_anthropic", "conflict_index", "frontier_capability", "capability_openai", "capability_anthropic", "price_index", "rounds", "round_post_openai", "round_post_anthropic", "strategic_investment", "cloud_share_azure", "cloud_share_aws", "surviving_labs", "exits", "acquisitions", "lab_independence", "vc_tvpi", "hs_investment_aws", "hs_investment_gcp", "hs_investment_azure"}
	fmt.Printf("%3s", "t")
	for _, n := range names {
		fmt.Printf(" %8.8s", n[len(n)-min(8, len(n)):])
	}
	fmt.Println()
	for m := 0; m < 84; m += 3 {
		fmt.Printf("%3d", m)
		for _, n := range names {
			c, _ := MetricIndex(n)
			fmt.Printf(" %8.3g", w.Recorder().Get(m, c))
		}
		fmt.Println()
	}
}
