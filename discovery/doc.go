// Package discovery finds the regions of a parameter space where a case of
// interest happens (scenario discovery: B. P. Bryant and R. J. Lempert,
// "Thinking inside the box", Technol. Forecast. Soc. Change 77 (2010)
// 34–49): given the points of a sweep (one row of parameter values per run)
// and, for each, whether the run is a case of interest (say, the paired
// effect of a policy lever below a threshold: where the policy backfires),
// it describes where those cases are with boxes, hyperrectangles that
// restrict a few of the parameters.
//
// PRIM is Friedman and Fisher's patient rule induction method (peeling,
// then pasting): it returns the whole peeling trajectory, the trade-off
// between the coverage of a box (the share of all cases of interest inside
// it) and its density (the share of the runs inside it that are cases of
// interest), the box chosen on it, and the dimensions that box restricts.
// Classification and Regression grow a small CART tree (Breiman, Friedman,
// Olshen and Stone 1984) as a second view: its splits rank the parameters
// and its leaves are boxes too.
//
// Points are rows, x[i][j] the value of parameter j in run i, in any units
// (the box limits are in the same units). The functions are pure and
// deterministic: there is no random source, ties are broken by the lowest
// dimension and the lowest value, and the same data give the same boxes.
//
// discovery imports the standard library and gonum only.
package discovery
