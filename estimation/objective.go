package estimation

// Term is one term of the objective: a target's standardized deviation,
// squared and weighted.
type Term struct {
	Target    string  `json:"target"`
	Observed  float64 `json:"observed"`
	Simulated float64 `json:"simulated"` // the baseline's replication mean
	SD        float64 `json:"sd"`
	Weight    float64 `json:"weight"`
	Value     float64 `json:"term"` // Weight × ((Simulated − Observed) / SD)²
}

// Objective is the weighted sum of squared standardized deviations of the
// simulated means (one per target, in order) from the targets, and its
// terms: one per target, no other.
func Objective(targets []Target, means []float64) (float64, []Term) {
	terms := make([]Term, len(targets))
	tot := 0.0
	for i, t := range targets {
		d := (means[i] - t.Observed) / t.SD
		terms[i] = Term{Target: t.ID, Observed: t.Observed, Simulated: means[i], SD: t.SD, Weight: t.Weight, Value: t.Weight * d * d}
		tot += terms[i].Value
	}
	return tot, terms
}
