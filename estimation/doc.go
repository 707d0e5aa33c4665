// Package estimation fits the parameters of any experiment's model to
// observed targets: the method behind runsim calibrate.
//
// A targets file (LoadTargets) names the parameters to estimate with their
// search bounds ([[parameters]]) and the observed moments ([[targets]]: a
// metric at a month or averaged over a window, the observed value, its
// standard deviation, weight, source and grade). The objective (Objective)
// is the weighted sum of squared standardized deviations of the simulated
// baseline means from the observed values; it has one term per target and
// nothing else (no stylized-fact penalty).
//
// The search (Minimize) is a deterministic Nelder–Mead simplex on the unit
// cube of the bounds; it asks for the moments through a caller's function,
// so that the caller simulates them (with common random numbers through
// experiments.Replicate) and keeps a checkpoint of every evaluation
// (Checkpoint): a search re-run on the same checkpoint asks for the same
// points in the same order and takes each one already evaluated from it.
//
// At the optimum, Identify takes the Jacobian of the standardized moments
// with respect to the parameters scaled to their ranges (central finite
// differences), its singular values, rank and condition number, and for
// each parameter the moments that pin it down.
//
// The package knows no model: it imports the experiment machinery's
// building blocks only.
package estimation
