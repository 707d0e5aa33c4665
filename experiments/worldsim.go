package experiments

// Simulator returns the model the experiment runs: the simulator of its
// world (for a model with worlds), derived from the one given to Load, or
// sim. Its parameters are the ones the experiment's scenario may set.
func (e *Experiment) Simulator(sim Simulator) Simulator { return e.simulator(sim) }
