// Package stats holds the summary and paired statistics of Monte Carlo
// replications: the distribution of one metric across replications
// (Summarize), the comparison of a policy arm with the baseline replication
// by replication under common random numbers (ComparePaired: paired
// Student-t, bootstrap percentile and unpaired Welch intervals, and the
// paired t test's p-value PairedTP), the adjustment of a family of p-values
// for multiplicity (Adjust: Holm 1979, Benjamini and Hochberg 1995),
// Student's t quantiles, the interpolated sample quantile and the Wilson interval of a
// share of replications (Wilson); and the estimators of global sensitivity
// analysis: first- and total-order Sobol indices from the outputs of a
// Saltelli design (SobolIndices, with bootstrap intervals in
// SobolIndicesBootstrap; Saltelli et al. 2010 and Jansen 1999) and Morris's
// elementary effects with their μ, μ* and σ (ElementaryEffects; Morris 1991,
// Campolongo et al. 2007), whose designs package design draws.
// SummarizeInOrder and MeanInOrder sum in index order, so that a mean has
// the same bits on every platform, where gonum's vectorised sum adds in an
// order of its own; the sensitivity estimators sum in index order too.
//
// It is the one statistics package of frontiersim: experiments writes its
// timeseries.csv and comparison.csv with it, and the calibration's
// objective and stylized facts read its in-order summaries. The functions
// are pure: Summarize and ComparePaired allocate nothing when given scratch
// space, none keeps state, and a bootstrap draws only from the *rand.Rand
// handed in, so the same inputs give the same bits.
//
// stats imports the standard library and gonum only.
package stats
