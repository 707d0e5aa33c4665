// Package design makes the point sets of computer experiments: full
// factorial grids and Latin hypercube samples of the unit cube, and the maps
// from a unit coordinate onto a parameter's range (continuous or whole
// numbers). experiments expands an experiment's sweep with it, and the
// calibration search and sensitivity analysis draw their hypercubes with it,
// so that one sampler serves all three. A later Sobol sequence is one more
// function here.
//
// Points are rows: point i is pts[i], one coordinate per dimension. Random
// designs draw only from the rand.Source handed in, never from a global
// generator.
//
// design imports the standard library and gonum only.
package design
