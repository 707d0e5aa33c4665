package main

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"strings"

	"frontiersim/estimation"
	"frontiersim/experiments"
)

// fitChart draws each target's observed value and the simulated mean at
// the fit (± one replication standard deviation), as standardized
// deviations (simulated − observed) / sd: one row per target.
func fitChart(tg *estimation.Targets, r estimation.Result) []byte {
	const left, right, rowH, top = 260.0, 40.0, 28.0, 40.0
	width := 760.0
	height := top + rowH*float64(len(tg.Targets)) + 40
	span := 3.0
	for i, t := range r.Terms {
		z := math.Abs(t.Simulated-t.Observed)/t.SD + r.SD[i]/t.SD
		if !math.IsNaN(z) && !math.IsInf(z, 0) {
			span = math.Max(span, math.Ceil(z))
		}
	}
	px := func(z float64) float64 {
		return left + (z+span)/(2*span)*(width-left-right)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" font-family="sans-serif" font-size="12">`+"\n", width, height)
	fmt.Fprintf(&b, `<text x="%g" y="20" font-size="14">Simulated vs observed at the fit: (simulated − observed) / sd, bar ± 1 replication sd</text>`+"\n", 10.0)
	for z := -span; z <= span; z++ {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%g" x2="%.1f" y2="%g" stroke="#ddd"/>`+"\n", px(z), top-5, px(z), height-35)
		fmt.Fprintf(&b, `<text x="%.1f" y="%g" text-anchor="middle">%g</text>`+"\n", px(z), height-20, z)
	}
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%g" x2="%.1f" y2="%g" stroke="#000"/>`+"\n", px(0), top-5, px(0), height-35)
	for i, t := range r.Terms {
		y := top + rowH*(float64(i)+0.5)
		z := (t.Simulated - t.Observed) / t.SD
		e := r.SD[i] / t.SD
		fmt.Fprintf(&b, `<text x="%g" y="%.1f" text-anchor="end">%s</text>`+"\n", left-10, y+4, template.HTMLEscapeString(t.Target))
		fmt.Fprintf(&b, `<path d="M%.1f %.1f l5 5 l-5 5 l-5 -5 z" fill="#000"><title>observed %s</title></path>`+"\n", px(0), y-5, fmtG(t.Observed))
		if !math.IsNaN(z) && !math.IsInf(z, 0) {
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#1f77b4"/>`+"\n", px(math.Max(-span, z-e)), y, px(math.Min(span, z+e)), y)
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="4" fill="#1f77b4"><title>simulated %s</title></circle>`+"\n", px(math.Max(-span, math.Min(span, z))), y, fmtG(t.Simulated))
		}
	}
	b.WriteString("</svg>\n")
	return []byte(b.String())
}

// traceChart draws the objective of each evaluation and the best so far,
// on a log scale.
func traceChart(r estimation.Result) []byte {
	const w, h, l, bt, tp = 760.0, 300.0, 60.0, 40.0, 30.0
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, ev := range r.Trace {
		if v := ev.Objective; v > 0 && !math.IsInf(v, 0) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if math.IsInf(lo, 0) {
		lo, hi = 1e-12, 1
	}
	llo, lhi := math.Floor(math.Log10(lo)), math.Ceil(math.Log10(hi))
	if lhi <= llo {
		lhi = llo + 1
	}
	n := float64(max(len(r.Trace), 2))
	px := func(i int) float64 { return l + float64(i-1)/(n-1)*(w-l-20) }
	py := func(v float64) float64 {
		v = math.Max(v, math.Pow(10, llo))
		return tp + (lhi-math.Log10(v))/(lhi-llo)*(h-tp-bt)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" font-family="sans-serif" font-size="12">`+"\n", w, h)
	b.WriteString(`<text x="10" y="20" font-size="14">Objective of each evaluation (dots) and best so far (line), log scale</text>` + "\n")
	for e := llo; e <= lhi; e++ {
		fmt.Fprintf(&b, `<line x1="%g" y1="%.1f" x2="%g" y2="%.1f" stroke="#ddd"/><text x="%g" y="%.1f" text-anchor="end">1e%g</text>`+"\n", l, py(math.Pow(10, e)), w-20, py(math.Pow(10, e)), l-5, py(math.Pow(10, e))+4, e)
	}
	var path strings.Builder
	for _, ev := range r.Trace {
		if !math.IsInf(ev.Objective, 0) {
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="2" fill="#999"/>`+"\n", px(ev.N), py(ev.Objective))
		}
		if !math.IsInf(ev.Best, 0) {
			cmd := "L"
			if path.Len() == 0 {
				cmd = "M"
			}
			fmt.Fprintf(&path, "%s%.1f %.1f ", cmd, px(ev.N), py(ev.Best))
		}
	}
	fmt.Fprintf(&b, `<path d="%s" fill="none" stroke="#1f77b4" stroke-width="2"/>`+"\n", strings.TrimSpace(path.String()))
	fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="middle">evaluation</text>`+"\n", w/2, h-8)
	b.WriteString("</svg>\n")
	return []byte(b.String())
}

var calibrationPage = template.Must(template.New("calibration").Funcs(template.FuncMap{"g": fmtG}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Calibration of {{.Name}}</title>
<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:right}td:first-child,th:first-child{text-align:left}.warn{color:#b00}</style>
</head><body>
<h1>Calibration of {{.Name}}</h1>
<p>Targets file {{.File}}: {{len .Params}} parameter(s) estimated on {{len .Targets}} target(s), {{.Reps}} replications per evaluation (seed {{.Seed}}, common random numbers).
Objective (weighted sum of squared standardized deviations of the baseline's replication means from the observed values): <b>{{g .R.Objective}}</b> after {{.R.Evaluations}} evaluations of the Nelder–Mead search{{if not .R.Converged}} <span class="warn">(stopped at max_evaluations before the tolerance)</span>{{end}}.</p>
<h2>Fitted parameters</h2>
<table><tr><th>parameter</th><th>min</th><th>max</th><th>start</th><th>fitted</th><th>pinned by</th><th>null-space share</th></tr>
{{range .Params}}<tr><td>{{.Name}}</td><td>{{g .Min}}</td><td>{{g .Max}}</td><td>{{g .Start}}</td><td>{{g .Fitted}}{{if .OnBound}} <span class="warn">on a bound</span>{{end}}</td><td>{{if .Pins}}{{.Pins}}{{else}}<span class="warn">none</span>{{end}}</td><td>{{g .Null}}{{if gt .Null 0.5}} <span class="warn">not identified</span>{{end}}</td></tr>
{{end}}</table>
<h2>Targets</h2>
<p><img src="fit.svg" alt="simulated vs observed"></p>
<table><tr><th>target</th><th>observed</th><th>simulated mean</th><th>replication sd</th><th>sd (scale)</th><th>weight</th><th>term</th><th>grade</th><th>source</th></tr>
{{range .Targets}}<tr><td>{{.ID}}</td><td>{{g .Observed}}</td><td>{{g .Simulated}}</td><td>{{g .RepSD}}</td><td>{{g .SD}}</td><td>{{g .Weight}}</td><td>{{g .Term}}</td><td>{{.Grade}}</td><td>{{.Source}}</td></tr>
{{end}}</table>
<h2>Identification</h2>
<p>Jacobian of the standardized moments (√weight × mean / sd) with respect to the parameters scaled to their ranges, by central finite differences of {{g .R.Step}} of each range under common random numbers, at the fit:
rank <b>{{.R.Rank}}</b> of {{len .Params}}, condition number <b>{{.R.ConditionText}}</b>, singular values {{range $i, $s := .R.Singular}}{{if $i}}, {{end}}{{g $s}}{{end}}.
A parameter is pinned down by the targets whose entry is at least a tenth of the largest in its column; its null-space share is 1 when no target depends on it.</p>
<table><tr><th>target</th>{{range .Params}}<th>{{.Name}}</th>{{end}}</tr>
{{range .Jac}}<tr><td>{{.ID}}</td>{{range .Row}}<td>{{g .}}</td>{{end}}</tr>
{{end}}</table>
<h2>Search</h2>
<p><img src="trace.svg" alt="objective trace"></p>
<p>Files: calibration.json, trace.csv, identification.csv, evaluations.csv (the checkpoint), targets.toml.</p>
</body></html>
`))

// calibrationHTML is the report page of a calibration.
func calibrationHTML(exp *experiments.Experiment, tg *estimation.Targets, r estimation.Result) []byte {
	type param struct {
		Name                    string
		Min, Max, Start, Fitted float64
		OnBound                 bool
		Pins                    string
		Null                    float64
	}
	type target struct {
		ID, Grade, Source                            string
		Observed, Simulated, RepSD, SD, Weight, Term float64
	}
	type row struct {
		ID  string
		Row []float64
	}
	d := struct {
		Name, File string
		Reps       int
		Seed       uint64
		R          estimation.Result
		Params     []param
		Targets    []target
		Jac        []row
	}{Name: exp.Name, File: tg.File, Reps: exp.Replications, Seed: exp.Seed, R: r}
	for j, p := range tg.Parameters {
		d.Params = append(d.Params, param{p.Name, p.Min, p.Max, p.Start, r.X[j], contains(r.OnBound, p.Name), strings.Join(r.PinnedBy[j], ", "), r.Unidentified[j]})
	}
	for i, t := range tg.Targets {
		d.Targets = append(d.Targets, target{t.ID, t.Grade, t.Source, t.Observed, r.Terms[i].Simulated, r.SD[i], t.SD, t.Weight, r.Terms[i].Value})
		d.Jac = append(d.Jac, row{t.ID, r.Scaled[i]})
	}
	var b bytes.Buffer
	if err := calibrationPage.Execute(&b, d); err != nil {
		return []byte(err.Error())
	}
	return b.Bytes()
}
