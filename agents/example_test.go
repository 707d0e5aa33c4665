package agents_test

import (
	"context"
	"fmt"

	"frontiersim/agents"
	"frontiersim/engine"
)

// Example runs the default scenario (endogenous mode) for 84 months with
// 5,000 buyers in check mode and reads two recorded metrics.
func Example() {
	s := agents.DefaultScenario()
	if err := s.Set("policy.ban_exclusive", 1); err != nil { // ban exclusive compute deals
		fmt.Println(err)
		return
	}
	w, err := agents.NewWorld(s, 5000, engine.NewStreams(42, 0), agents.DefaultMonths, true)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := engine.Run(context.Background(), w, agents.DefaultMonths); err != nil {
		fmt.Println(err)
		return
	}
	rec := w.Recorder()
	col, _ := agents.MetricIndex("model_share_openai")
	total := 0.0
	for _, name := range []string{"model_share_openai", "model_share_anthropic", "model_share_google", "model_share_open_weight", "model_share_other",
		"own_model_share_azure", "own_model_share_aws"} { // the hyperscalers' own models
		c, _ := agents.MetricIndex(name)
		total += rec.Get(83, c)
	}
	fmt.Println(len(rec.Columns()) == len(agents.Metrics()), rec.Columns()[col])
	fmt.Printf("model shares sum to %.6f\n", total)
	// Output:
	// true model_share_openai
	// model shares sum to 1.000000
}

// ExampleRemedies applies the stake-divestiture remedy with merger control
// under the EU's control rule and jurisdiction tests, and reads what the
// shipped world's rights declare for one holder.
func ExampleRemedies() {
	s := agents.DefaultScenario()
	for _, l := range agents.Remedies() {
		if l.Name != "stake_divestiture" {
			continue
		}
		if err := l.Apply(&s); err != nil {
			fmt.Println(err)
			return
		}
	}
	for _, p := range []struct {
		name  string
		value float64
	}{{"policy.merger_control", 1}, {"antitrust.jurisdiction", float64(agents.JurisdictionEU)}} {
		if err := s.Set(p.name, p.value); err != nil {
			fmt.Println(err)
			return
		}
	}
	fmt.Println(s.Remedies.StakeDivestiture, s.Policy.MergerControl, s.Antitrust.Jurisdiction == agents.JurisdictionEU)
	for _, r := range s.Cast().Rights {
		if r.Holder == "gcp" {
			fmt.Printf("gcp in %s: voting %v, consultation %v, first notice %v\n", s.Cast().Labs[r.Lab].Name, !r.NonVoting, r.Consultation, r.FirstNotice)
		}
	}
	// Output:
	// 0.1 true true
	// gcp in anthropic: voting false, consultation true, first notice true
}
