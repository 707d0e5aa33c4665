package estimation_test

import (
	"fmt"

	"frontiersim/estimation"
	"frontiersim/results"
	"frontiersim/simulator"
)

// A targets file of one parameter and two targets, checked against a
// model, and the objective's terms at simulated means.
func Example() {
	model := estimation.Model{
		Params:  []simulator.Param{{Name: "growth", Default: 0.05, Min: -1, Max: 1}},
		Metrics: []results.Metric{{Name: "share"}},
		Months:  24,
		Windows: []results.Window{{Name: "late", From: 18, To: 23}},
	}
	tg, err := estimation.LoadTargets("targets.toml", []byte(`
[[parameters]]
name = "growth"
min = 0
max = 0.3

[[targets]]
metric = "share"
month = 5
observed = 0.6
sd = 0.05
source = "survey"

[[targets]]
metric = "share"
window = "late"
observed = 0.8
weight = 0.5
source = "survey"
`), model)
	if err != nil {
		fmt.Println(err)
		return
	}
	obj, terms := estimation.Objective(tg.Targets, []float64{0.65, 0.72})
	for _, t := range terms {
		fmt.Printf("%s: observed %g simulated %g sd %g weight %g term %.4g\n", t.Target, t.Observed, t.Simulated, t.SD, t.Weight, t.Value)
	}
	fmt.Printf("objective %.4g\n", obj)
	// Output:
	// share@m5: observed 0.6 simulated 0.65 sd 0.05 weight 1 term 1
	// share@late: observed 0.8 simulated 0.72 sd 0.8 weight 0.5 term 0.005
	// objective 1.005
}

// A problem names the file, line and key.
func ExampleLoadTargets_problem() {
	model := estimation.Model{Metrics: []results.Metric{{Name: "share"}}, Months: 24}
	_, err := estimation.LoadTargets("targets.toml", []byte("[[parameters]]\nname = \"growth\"\nmin = 0\nmax = 1\n\n[[targets]]\nmetric = \"share\"\nmonth = 30\nobserved = 1\nsource = \"s\"\n"), model)
	fmt.Println(err)
	// Output:
	// invalid targets file: 2 problem(s)
	//   targets.toml:2: parameters[0].name: unknown parameter "growth" (runsim params lists them)
	//   targets.toml:8: targets[0].month: want a whole number from 0 to 23, got 30
}
