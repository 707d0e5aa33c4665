// Package benchmodels implements the standard agent-based-model benchmarks of
// Mesa 3.3.1 on frontiersim's engine, so that frontiersim's speed can be
// compared with Mesa's on the same work: Boltzmann wealth (grid variant),
// Schelling segregation and Wolf-Sheep predation.
//
// The rules and benchmark sizes are those of Mesa's examples as written down
// in /work/shared/design/benchmark-models.md: shuffled sequential activation
// with a fresh uniform permutation every step (later agents see earlier
// agents' moves; agents born during a step act from the next one), no-torus
// Moore neighbourhoods for Boltzmann and Schelling, a torus von Neumann
// neighbourhood for Wolf-Sheep, rejection sampling of Schelling's empty
// cell, grass regrowth at the end of tick t+R. Mesa draws from Python's
// Mersenne Twister, so the ports match Mesa in distribution, not draw for
// draw; the tests compare the reference outputs over many seeds.
//
// Each model is an engine.Model (Step(ctx, t) for t = 0, 1, ...) built for a
// fixed number of steps, with its storage allocated up front, so a step
// allocates nothing in practice: only a cell that outgrows its preallocated
// slots (more than 11 Boltzmann agents or 8 sheep in one cell, at the
// benchmark densities) or a Wolf-Sheep population that grows 16-fold makes a
// step allocate, once.
//
// Every model draws from one explicit random source: in Run, the named
// stream engine.NewStreams(seed, 0).Source(name) with name "boltzmann",
// "schelling" or "wolfsheep" (the *rand.Rand of Stream(name) gives the same
// draws). Bounded integers use Lemire's multiply-shift method with rejection
// on 32-bit words of the stream's outputs (16-bit words for Schelling's
// empty-cell tries, 8 bits for Boltzmann's cellmate, and three draws batched
// in one 64-bit word for Boltzmann's permutation), so every draw is exactly
// uniform.
//
// Run is the entry point of `runsim bench-model`: it builds a model of a
// named size (untimed), runs its steps through engine.Run, and reports the
// agent activations, the wall time of the stepping loop and the model's check
// values. Sizes small and large are Mesa's; Boltzmann also has medium (10,000
// agents, 100×100, 100 steps) and huge (100,000 agents, 316×316, 100 steps).
// Schelling's and Wolf-Sheep's huge sizes are ours, with no Mesa reference:
// the large configuration on a 316×316 grid with ten times the agents
// (Schelling: density 0.8, homophily 1, radius 2, 10 steps; Wolf-Sheep:
// 10,000 sheep and 5,000 wolves, 20 steps).
//
// Like Mesa's DataCollector, each model records its per-step series in an
// engine.Recorder inside the timed step (Boltzmann: the Gini coefficient and
// every agent's wealth; Schelling: happy agents and movers; Wolf-Sheep:
// sheep, wolves and grown grass).
//
// benchmodels imports only engine and the standard library.
package benchmodels
