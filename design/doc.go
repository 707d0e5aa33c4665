// Package design makes the point sets of computer experiments: full
// factorial grids and Latin hypercube samples of the unit cube, the Sobol
// low-discrepancy sequence (with the direction numbers of Joe and Kuo, for
// up to SobolMaxDimension dimensions), the Saltelli design of variance-based
// sensitivity analysis and the one-at-a-time trajectories of Morris's
// elementary effects, and the maps from a unit coordinate onto a
// parameter's range (continuous or whole numbers). experiments expands an
// experiment's sweep with it, and the calibration search and sensitivity
// analysis draw their hypercubes with it, so that one sampler serves all.
//
// Points are rows: point i is pts[i], one coordinate per dimension, in the
// unit cube; Scale and ScaleWhole map a coordinate onto a parameter. Random
// designs draw only from the rand.Source handed in, never from a global
// generator; the Sobol sequence and the Saltelli design are deterministic.
// The estimators that read the outputs of a Saltelli or Morris design are
// in package stats (SobolIndices, ElementaryEffects), which documents the
// same row layout.
//
// The embedded direction numbers (joekuo/) are Joe and Kuo's, under their
// BSD-style licence (JoeKuoLicence).
//
// design imports the standard library and gonum only.
package design
