package experiments

// Template returns a commented template experiment (runsim init).
func Template() []byte { return []byte(template) }

const template = `# A frontiersim experiment. Check it with: runsim validate FILE
# Run it with: runsim run FILE -o DIR. Every key is optional except name.

# Build on another file and state only what differs (a path relative to this
# file, or shipped:NAME for a shipped file such as the calibrated baseline):
# extends = "shipped:baseline"

name = "my-study"                 # 1-64 letters, digits, _ - . (not beginning with .); the default output directory
description = "What this study asks."
# world = "shipped:ai-2019"       # the labs, clouds and funds: shipped:NAME or a world file's path relative to this file
seed = 1                          # master seed; replication r of every arm uses the same streams
replications = 100                # Monte Carlo replications per arm and sweep point
months = 84                       # horizon in months (month 0 = Jan 2019; 84 = to Dec 2025)
buyers = 10000                    # enterprise buyers simulated (1 to 10,000,000)

# Overrides of the default scenario for every arm, by parameter name
# (runsim params lists them with units, ranges and sources).
[scenario]
# "logit.gamma" = 1.0
# "bass.q" = 0.625

# Policy arms compared with the baseline (the scenario as above).
[[arms]]
name = "revenue_share_cap"
description = "revenue shares capped at 10%"
[arms.overrides]
"policy.revenue_share_cap" = 0.10

# [[arms]]
# name = "ban_exclusive"
# [arms.overrides]
# "policy.ban_exclusive" = 3      # 0 off, 1 compute, 2 API, 3 both

# A sweep runs every arm at every point: a grid (values, or min/max/steps)
# or a Latin hypercube (kind = "lhs", points = N, min/max per parameter).
# [sweep]
# kind = "grid"
# [[sweep.parameters]]
# name = "policy.switching_cost_multiplier"
# values = [0.25, 0.5, 1.0]

# Or, instead of a sweep, a global sensitivity design (runsim sensitivity
# FILE): Sobol indices ("sobol", n base points, a power of two), Morris's
# elementary effects ("morris", trajectories), one at a time ("oat") or
# standardized regression ("src", n points), on the level of each metric and
# on each arm's paired effect.
# [sensitivity]
# method = "morris"
# trajectories = 10
# [[sensitivity.parameters]]
# name = "logit.beta_k"
# min = 1.0
# max = 3.0

# Which metrics and months go into timeseries.csv and comparison.csv
# (runsim params -metrics lists the metrics). Empty metrics = all; empty
# months = every month in timeseries.csv, and in comparison.csv the end of
# each year besides the horizon. Windows are compared on each replication's
# mean over months from..to (month indices, 0 = January 2019).
[report]
metrics = []
months = []
# windows = [{name = "2023-2025", from = 48, to = 83}]
# matrix_window = "2023-2025"  # the window of the report's effects matrix (default: the horizon)
# adjust = "holm"              # its p-value adjustment: "holm" (default), "bh" or "none"

# Charts: "png" (default) or "svg"; fan-chart metrics; a heatmap metric for a
# two-parameter sweep; enabled = false draws none.
[charts]
format = "png"
`
