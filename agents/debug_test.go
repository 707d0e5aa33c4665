package agents

import (
	"context"
	"fmt"
	"os"
	"testing"

	"frontiersim/engine"
)

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
	if err := w.Run(context.Background()); err != nil {
		t.Fatal(err)
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
