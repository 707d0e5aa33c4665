// Package plots draws frontiersim's charts and HTML report from a result
// directory alone (package results): it never sees the model, and two
// drawings of the same files are byte-identical.
//
// DrawAll writes, in the manifest's chart format (PNG at 150 dpi by
// default, SVG with embedded fonts on request), and returns as Charts (name,
// file, bytes and caption: each entry of the chart registry carries its
// caption):
//
//   - summary: small multiples, median and 50% band of up to nine chart
//     metrics over calendar time, all arms;
//   - effects: the effects matrix, the standardized paired effect (Glass's
//     Δ, the mean paired difference over the baseline's SD) of every policy
//     arm on every chart metric over one window, with its interval, starred
//     where the p-value adjusted across the cells (Holm, or
//     Benjamini–Hochberg: [report] adjust) is at most 0.05, hatched where the
//     arm moves the metric by definition;
//   - fan_<metric>: median with 50% and 90% bands over months, one colour
//     per arm;
//   - forest_<metric>: mean paired difference of each arm from the baseline
//     at the horizon, with 95% paired-t and bootstrap intervals;
//   - box_<metric> and hist_<metric>: horizon outcome distributions by arm;
//   - shares_model and shares_cloud: stacked mean market shares over time,
//     one panel per arm, when the plan has model_share_* or cloud_share_*
//     metrics;
//   - heatmap_<metric>: the horizon mean over a two-parameter sweep, one
//     panel per arm on a common colour scale; a grid is drawn as cells, any
//     other design (Latin hypercube) as a scatter of the sweep points
//     coloured by value, without interpolation.
//
// The chart metrics are the experiment's [charts] metrics, else every
// metric that is not a market share (at most 12). Arms keep one colour from
// the Okabe-Ito palette across all charts, the baseline in black. With a
// sweep, the per-point charts are drawn at the point nearest the centre of
// the swept ranges, and say so.
//
// WriteReport writes report.html: one self-contained file (the charts
// DrawAll returned, embedded from their bytes as data URIs, no script) with
// the effects matrix as its first table (and chart), the experiment's
// description and design, comparison
// and outcome tables with 95% intervals, the manifest without timestamps and
// the experiment file, all escaped by html/template.
package plots
