package benchmodels_test

import (
	"context"
	"fmt"

	"frontiersim/benchmodels"
	"frontiersim/engine"
)

func Example() {
	res, err := benchmodels.Run(context.Background(), "boltzmann", benchmodels.Small, 0, 42)
	if err != nil {
		panic(err)
	}
	total, _ := res.Check("total_wealth")
	fmt.Println(res.Model, res.Size, res.Steps, res.Agents, res.AgentSteps, total)
	_, err = benchmodels.Run(context.Background(), "schelling", "medium", 0, 42)
	fmt.Println(err)
	// Output:
	// boltzmann small 125 100 12500 100
	// benchmodels: schelling has no size "medium" (allowed: small, large, huge)
}

// A model can also be built directly and stepped with engine.Run.
func ExampleNewSchelling() {
	cfg := benchmodels.SchellingConfig{Width: 40, Height: 40, Density: 0.625, MinorityPC: 0.5,
		Homophily: 0.4, Radius: 1, Steps: 20}
	m, err := benchmodels.NewSchelling(cfg, engine.NewStreams(1, 0).Source("schelling"))
	if err != nil {
		panic(err)
	}
	if err := engine.Run(context.Background(), m, cfg.Steps); err != nil {
		panic(err)
	}
	fmt.Println(m.Happy() == m.Agents())
	// Output: true
}
