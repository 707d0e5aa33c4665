// Package plots draws frontiersim's charts and HTML report from a result
// directory alone (package results): it never sees the model, and two
// drawings of the same files are byte-identical.
//
// DrawAll writes, in the manifest's chart format (PNG at 110 dpi with a
// palette of the chart's own colours by default, SVG with embedded fonts on
// request), and returns as Charts (name, file, bytes and caption: each
// entry of the chart registry carries its caption, naming its metric once):
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
//     at the horizon, with 95% paired-t and bootstrap intervals, the values
//     in a column of their own;
//   - box_<metric> and hist_<metric>: horizon outcome distributions by arm;
//   - shares_model and shares_cloud: stacked mean market shares over time,
//     one panel per arm, when the plan has model_share_* or cloud_share_*
//     metrics;
//   - heatmap_<metric>: the mean paired difference from the baseline at the
//     horizon over a two-parameter sweep, one panel per policy arm on a
//     diverging scale centred on zero; a grid is drawn as cells on
//     categorical axes (the swept values, equally spaced), any other design
//     (Latin hypercube) as a scatter of the sweep points coloured by value,
//     without interpolation;
//   - sweep_<metric>: each policy's paired effect at the horizon with its
//     95% interval against each swept parameter (read from the manifest's
//     points), grid values as categories.
//
// The chart metrics are the experiment's [charts] metrics, else every
// metric that is not a market share (at most 12). Arms keep one colour from
// the Okabe-Ito palette across all charts, the baseline in black. With a
// sweep, the per-point charts are drawn at the point nearest the centre of
// the swept ranges, and say so, and at the points [charts] points names
// (NAME_at_POINT). Time series come from timeseries.csv, or from the
// replication store where [report] months thins it. A metric that declares
// results.ScaleLog is drawn on a log axis when it spans a decade or more.
// Labels are laid out not to collide (calendar ticks as many as fit,
// category labels wrapped or rotated, long names cut with "…" in legends
// and titles); LabelOverlaps checks it.
//
// WriteReport writes report.html: one file (the charts DrawAll returned,
// embedded from their bytes as data URIs up to an image budget, the rest
// linked; no script) that starts with its summary (the effects matrix, a
// generated sentence per policy, the model's validation status when given:
// ParseValidation of docs/validation.md), then the charts, then an
// appendix of collapsed tables with 95% intervals, the design, the
// manifest without timestamps and the experiment file, all escaped by
// html/template. Numbers are written by magnitude, never in e-notation,
// NaN as "–" with a footnote.
package plots
