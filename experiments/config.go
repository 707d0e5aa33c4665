package experiments

import (
	"errors"
	"fmt"
	"math"
	"path"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"frontiersim/results"
)

// Limits of an experiment file.
const (
	MaxMonths       = 1200
	MaxBuyers       = 10_000_000
	MaxReplications = 1_000_000
	MaxSweepPoints  = 10_000
	MaxJobs         = 100_000_000
	maxExtendsDepth = 8
)

// Defaults for keys an experiment leaves out.
const (
	DefaultSeed         = 1
	DefaultReplications = 100
	DefaultMonths       = 84
	DefaultBuyers       = 10_000
)

// Experiment is a decoded, validated experiment file, with its base files
// (extends) already merged in.
type Experiment struct {
	File         string // the file it was loaded from
	Name         string
	Description  string
	Seed         uint64
	Replications int
	Months       int
	Buyers       int
	Scenario     []results.ParamValue // overrides for every arm, sorted by name
	Parameters   []results.ParamValue // every parameter's value, in the model's order: the defaults with Scenario applied
	Arms         []results.Arm        // Arms[0] is the baseline
	Sweep        *Sweep
	Report       results.ReportSpec
	Charts       results.ChartSpec
}

// Sweep is a grid over one or more parameters, or a Latin hypercube over
// ranges with Points points.
type Sweep struct {
	Kind       string // "grid" or "lhs"
	Points     int    // lhs: number of points
	Parameters []SweepParam
}

// SweepParam is one swept parameter: explicit Values, or Min..Max in Steps
// evenly spaced values (grid) or sampled (lhs).
type SweepParam struct {
	Name     string
	Values   []float64
	Min, Max float64
	Steps    int
}

// ReadFunc reads a file by path; extends paths are joined to the directory
// of the file that names them.
type ReadFunc func(path string) ([]byte, error)

// Load reads, merges (extends) and validates an experiment file. Every
// problem found is returned at once in an *InvalidError.
func Load(file string, read ReadFunc, sim Simulator) (*Experiment, error) {
	raw, origins, err := loadRaw(file, read, nil, 0)
	if err != nil {
		return nil, err
	}
	v := &validator{origins: origins, sim: sim, file: file}
	exp := v.experiment(raw)
	if len(v.problems) > 0 {
		return nil, &InvalidError{Problems: v.problems}
	}
	exp.File = file
	return exp, nil
}

// origin tells where a key path came from.
type origin struct {
	file string
	line int
}

// loadRaw decodes file and its extends chain into one merged generic table.
// origins maps key paths to the file and line that set them.
func loadRaw(file string, read ReadFunc, seen []string, depth int) (map[string]any, map[string]origin, error) {
	for _, s := range seen {
		if s == file {
			return nil, nil, &InvalidError{Problems: []Problem{{File: file, Key: "extends",
				Msg: fmt.Sprintf("extends cycle: %s", strings.Join(append(seen, file), " -> "))}}}
		}
	}
	if depth > maxExtendsDepth {
		return nil, nil, &InvalidError{Problems: []Problem{{File: file, Key: "extends",
			Msg: fmt.Sprintf("more than %d levels of extends", maxExtendsDepth)}}}
	}
	b, err := read(file)
	if err != nil {
		return nil, nil, &InvalidError{Problems: []Problem{{File: file, Msg: fmt.Sprintf("cannot read: %v", err)}}}
	}
	text := string(b)
	if strings.ContainsRune(text, 0) {
		return nil, nil, &InvalidError{Problems: []Problem{{File: file, Msg: "not a text file (contains NUL bytes)"}}}
	}
	var raw map[string]any
	if _, err := toml.Decode(text, &raw); err != nil {
		p := Problem{File: file, Msg: err.Error()}
		var pe toml.ParseError
		if errors.As(err, &pe) {
			p.Line = pe.Position.Line
			p.Msg = "TOML syntax: " + pe.Message
			if pe.LastKey != "" {
				p.Key = pe.LastKey
			}
		}
		return nil, nil, &InvalidError{Problems: []Problem{p}}
	}
	lines := keyLines(text)
	origins := map[string]origin{}
	for k, l := range lines {
		origins[k] = origin{file, l}
	}
	base, ok := raw["extends"]
	if !ok {
		return raw, origins, nil
	}
	baseName, isStr := base.(string)
	if !isStr || baseName == "" {
		return nil, nil, &InvalidError{Problems: []Problem{{File: file, Line: lines["extends"], Key: "extends",
			Msg: fmt.Sprintf("want the path of a base experiment file (a string), got %s", describe(base))}}}
	}
	basePath := baseName
	if !path.IsAbs(baseName) {
		basePath = path.Join(path.Dir(file), baseName)
	}
	baseRaw, baseOrigins, err := loadRaw(basePath, read, append(seen, file), depth+1)
	if err != nil {
		var inv *InvalidError
		if errors.As(err, &inv) && len(inv.Problems) == 1 && inv.Problems[0].File == basePath && inv.Problems[0].Line == 0 && inv.Problems[0].Key == "" {
			inv.Problems[0] = Problem{File: file, Line: lines["extends"], Key: "extends", Msg: inv.Problems[0].Msg + " (" + basePath + ")"}
		}
		return nil, nil, err
	}
	delete(raw, "extends")
	// [parameters] records the values a base file itself ran with (see
	// validator.parameters); a file that extends it is another experiment,
	// whose values are today's defaults with the merged [scenario] applied.
	delete(baseRaw, "parameters")
	merged := mergeRaw(baseRaw, raw)
	for k, o := range origins {
		baseOrigins[k] = o
	}
	return merged, baseOrigins, nil
}

// mergeRaw merges child over base: tables merge key by key, arms merge by
// name (a child arm replaces the base arm of the same name), the sweep is
// replaced whole, everything else is replaced.
func mergeRaw(base, child map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range child {
		switch k {
		case "arms":
			out[k] = mergeArms(base[k], v)
		case "sweep":
			out[k] = v
		default:
			bt, ok1 := out[k].(map[string]any)
			ct, ok2 := v.(map[string]any)
			if ok1 && ok2 {
				out[k] = mergeRaw(bt, ct)
			} else {
				out[k] = v
			}
		}
	}
	return out
}

func mergeArms(base, child any) any {
	b, ok1 := base.([]map[string]any)
	c, ok2 := child.([]map[string]any)
	if !ok1 || !ok2 {
		return child
	}
	out := append([]map[string]any(nil), b...)
	for _, arm := range c {
		replaced := false
		for i, old := range out {
			if old["name"] != nil && old["name"] == arm["name"] {
				out[i] = arm
				replaced = true
			}
		}
		if !replaced {
			out = append(out, arm)
		}
	}
	return out
}

// validator walks the generic table with the schema and collects problems.
type validator struct {
	file     string
	origins  map[string]origin
	sim      Simulator
	problems []Problem
	params   map[string]Param
	names    []string
}

func (v *validator) add(key, format string, args ...any) {
	o, ok := v.origins[key]
	if !ok {
		// Fall back to the closest enclosing key with a known line.
		for k := key; k != ""; {
			i := strings.LastIndexAny(k, ".[")
			if i < 0 {
				break
			}
			k = k[:i]
			if o2, ok2 := v.origins[k]; ok2 {
				o, ok = o2, true
				break
			}
		}
	}
	if !ok {
		o.file = v.file
	}
	v.problems = append(v.problems, Problem{File: o.file, Line: o.line, Key: key, Msg: fmt.Sprintf(format, args...)})
}

func describe(x any) string {
	switch x.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "a table"
	case []map[string]any:
		return "an array of tables"
	default:
		return fmt.Sprintf("a %T", x)
	}
}

func (v *validator) unknownKeys(prefix string, t map[string]any, allowed ...string) {
	for _, k := range sortedKeys(t) {
		known := false
		for _, a := range allowed {
			if k == a {
				known = true
			}
		}
		if known {
			continue
		}
		msg := fmt.Sprintf("unknown key; allowed keys: %s", strings.Join(allowed, ", "))
		if s := suggest(k, allowed); s != "" {
			msg = fmt.Sprintf("unknown key (did you mean %q?); allowed keys: %s", s, strings.Join(allowed, ", "))
		}
		v.add(join(prefix, k), "%s", msg)
	}
}

func join(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}

func (v *validator) str(t map[string]any, prefix, k string, def string) string {
	x, ok := t[k]
	if !ok {
		return def
	}
	s, ok := x.(string)
	if !ok {
		v.add(join(prefix, k), "want a string, got %s", describe(x))
		return def
	}
	return s
}

func (v *validator) integer(t map[string]any, prefix, k string, def, lo, hi int64) int64 {
	x, ok := t[k]
	if !ok {
		return def
	}
	n, ok := x.(int64)
	if !ok {
		if f, isF := x.(float64); isF && f == math.Trunc(f) && !math.IsInf(f, 0) {
			v.add(join(prefix, k), "want an integer, got the float %v (write it without a decimal point)", f)
		} else {
			v.add(join(prefix, k), "want an integer from %d to %d, got %s", lo, hi, describe(x))
		}
		return def
	}
	if n < lo || n > hi {
		v.add(join(prefix, k), "%d is out of range: allowed %d to %d", n, lo, hi)
		return def
	}
	return n
}

func number(x any) (float64, bool) {
	switch n := x.(type) {
	case int64:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

func (v *validator) strings(t map[string]any, prefix, k string) []string {
	x, ok := t[k]
	if !ok {
		return nil
	}
	arr, ok := x.([]any)
	if !ok {
		v.add(join(prefix, k), "want an array of strings, got %s", describe(x))
		return nil
	}
	out := make([]string, 0, len(arr))
	for i, e := range arr {
		s, ok := e.(string)
		if !ok {
			v.add(fmt.Sprintf("%s[%d]", join(prefix, k), i), "want a string, got %s", describe(e))
			continue
		}
		out = append(out, s)
	}
	return out
}

func (v *validator) table(t map[string]any, prefix, k string) map[string]any {
	x, ok := t[k]
	if !ok {
		return nil
	}
	m, ok := x.(map[string]any)
	if !ok {
		v.add(join(prefix, k), "want a table, got %s", describe(x))
		return nil
	}
	return m
}

var topKeys = []string{"name", "description", "seed", "replications", "months", "buyers", "scenario", "parameters", "arms", "sweep", "report", "charts"}

func (v *validator) experiment(raw map[string]any) *Experiment {
	v.params = map[string]Param{}
	for _, p := range v.sim.Params() {
		v.params[p.Name] = p
		v.names = append(v.names, p.Name)
	}
	v.unknownKeys("", raw, topKeys...)
	e := &Experiment{}
	e.Name = v.str(raw, "", "name", "")
	if _, ok := raw["name"]; !ok {
		v.add("name", "missing: every experiment needs a name")
	} else if strings.TrimSpace(e.Name) == "" {
		v.add("name", "must not be empty")
	}
	e.Description = v.str(raw, "", "description", "")
	e.Seed = uint64(v.integer(raw, "", "seed", DefaultSeed, 0, math.MaxInt64))
	e.Replications = int(v.integer(raw, "", "replications", DefaultReplications, 1, MaxReplications))
	e.Months = int(v.integer(raw, "", "months", DefaultMonths, 1, MaxMonths))
	e.Buyers = int(v.integer(raw, "", "buyers", DefaultBuyers, 1, MaxBuyers))
	e.Scenario = v.overrides(raw, "", "scenario")
	e.Parameters = v.parameters(raw, e.Scenario)

	e.Arms = []results.Arm{{Name: "baseline", Description: "no policy lever (the scenario as given)"}}
	if x, ok := raw["arms"]; ok {
		arms, ok := x.([]map[string]any)
		if !ok {
			v.add("arms", "want an array of tables ([[arms]]), got %s", describe(x))
		}
		seen := map[string]bool{"baseline": true}
		for i, a := range arms {
			prefix := fmt.Sprintf("arms[%d]", i)
			v.unknownKeys(prefix, a, "name", "description", "overrides")
			name := v.str(a, prefix, "name", "")
			switch {
			case name == "":
				v.add(join(prefix, "name"), "every arm needs a non-empty name")
			case name == "baseline":
				v.add(join(prefix, "name"), `"baseline" is reserved: the baseline arm is the scenario itself; put common settings in [scenario]`)
			case seen[name]:
				v.add(join(prefix, "name"), "duplicate arm name %q", name)
			case !validName(name):
				v.add(join(prefix, "name"), "%q: use letters, digits, '_', '-' and '.' only", name)
			}
			seen[name] = true
			arm := results.Arm{Name: name, Description: v.str(a, prefix, "description", "")}
			arm.Overrides = v.overrides(a, prefix, "overrides")
			e.Arms = append(e.Arms, arm)
		}
	}
	e.Sweep = v.sweep(raw)
	e.Report, e.Charts = v.reportCharts(raw, e)
	if e.Sweep != nil {
		for _, sp := range e.Sweep.Parameters {
			for _, a := range e.Arms {
				for _, o := range a.Overrides {
					if o.Name == sp.Name {
						v.add("sweep.parameters", "%q is both swept and set by arm %q: a sweep point would silently override the arm", sp.Name, a.Name)
					}
				}
			}
		}
	}
	if len(v.problems) == 0 {
		jobs := int64(len(e.Arms)) * int64(e.Points()) * int64(e.Replications)
		if jobs > MaxJobs {
			v.add("replications", "the plan has %d replications (arms × sweep points × replications); the limit is %d", jobs, MaxJobs)
		}
	}
	return e
}

func validName(s string) bool {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// overrides reads a table of parameter name -> number. Dotted keys may be
// quoted ("policy.revenue_share_cap" = 0.1) or nested (policy.revenue_share_cap = 0.1).
func (v *validator) overrides(t map[string]any, prefix, k string) []results.ParamValue {
	m := v.table(t, prefix, k)
	if m == nil {
		return nil
	}
	flat := map[string]any{}
	flatten("", m, flat)
	var out []results.ParamValue
	for _, name := range sortedKeys(flat) {
		key := join(join(prefix, k), name)
		if val, ok := v.param(key, name, flat[name]); ok {
			out = append(out, results.ParamValue{Name: name, Value: val})
		}
	}
	return out
}

// parameters returns every parameter's value, in the model's order: the
// defaults with the scenario overrides applied. A [parameters] table (the
// experiment.toml of a result directory has one) must list exactly these
// values: it records the experiment as run, and is checked so that a file
// written by a model with other defaults or other parameters does not load
// as if nothing had changed.
func (v *validator) parameters(raw map[string]any, scenario []results.ParamValue) []results.ParamValue {
	set := make(map[string]float64, len(scenario))
	for _, o := range scenario {
		set[o.Name] = o.Value
	}
	ps := v.sim.Params()
	out := make([]results.ParamValue, len(ps))
	for i, p := range ps {
		val := p.Default
		if x, ok := set[p.Name]; ok {
			val = x
		}
		out[i] = results.ParamValue{Name: p.Name, Value: val}
	}
	m := v.table(raw, "", "parameters")
	if m == nil {
		return out
	}
	flat := map[string]any{}
	flatten("", m, flat)
	var missing []string
	for i, p := range ps {
		key := join("parameters", p.Name)
		x, ok := flat[p.Name]
		if !ok {
			missing = append(missing, p.Name)
			continue
		}
		f, isNum := number(x)
		if !isNum {
			v.add(key, "want a number, got %s", describe(x))
			continue
		}
		want := out[i].Value
		switch _, inScenario := set[p.Name]; {
		case f == want:
		case inScenario:
			v.add(key, "%s, but [scenario] sets %s: [parameters] records the values the experiment ran with; set values in [scenario] only and delete [parameters] (runsim writes it again)",
				fmtNum(f), fmtNum(want))
		default:
			v.add(key, "%s, but this model's default is %s: the model changed since this file was written. To run with today's default delete [parameters]; to keep %s set it in [scenario]",
				fmtNum(f), fmtNum(want), fmtNum(f))
		}
	}
	for _, name := range sortedKeys(flat) {
		if _, known := v.params[name]; !known {
			v.param(join("parameters", name), name, flat[name]) // reports the unknown name, with a suggestion
		}
	}
	if len(missing) > 0 {
		list := missing
		more := ""
		if len(list) > 5 {
			list, more = list[:5], fmt.Sprintf(" and %d more", len(missing)-5)
		}
		v.add("parameters", "lacks %s%s: [parameters] lists the value of every parameter of the model that wrote it, and this model has parameters it does not list. Delete [parameters] to use today's defaults",
			strings.Join(list, ", "), more)
	}
	return out
}

func flatten(prefix string, m map[string]any, out map[string]any) {
	for k, x := range m {
		name := join(prefix, k)
		if sub, ok := x.(map[string]any); ok {
			flatten(name, sub, out)
			continue
		}
		out[name] = x
	}
}

// param checks one parameter value against its documentation.
func (v *validator) param(key, name string, x any) (float64, bool) {
	p, ok := v.params[name]
	if !ok {
		msg := fmt.Sprintf("unknown scenario parameter %q (runsim params lists them all)", name)
		if s := suggest(name, v.names); s != "" {
			msg = fmt.Sprintf("unknown scenario parameter %q (did you mean %q? runsim params lists them all)", name, s)
		}
		v.add(key, "%s", msg)
		return 0, false
	}
	var f float64
	switch n := x.(type) {
	case bool:
		if p.Min <= 0 && p.Max >= 1 && p.Integer {
			f = 0
			if n {
				f = 1
			}
		} else {
			v.add(key, "want a number from %s to %s, got a boolean", fmtNum(p.Min), fmtNum(p.Max))
			return 0, false
		}
	default:
		var isNum bool
		f, isNum = number(x)
		if !isNum {
			v.add(key, "want a number from %s to %s (%s), got %s", fmtNum(p.Min), fmtNum(p.Max), p.Unit, describe(x))
			return 0, false
		}
	}
	return v.checkRange(key, p, f)
}

func (v *validator) checkRange(key string, p Param, f float64) (float64, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		v.add(key, "%v is not allowed: want a number from %s to %s", f, fmtNum(p.Min), fmtNum(p.Max))
		return 0, false
	}
	if f < p.Min || f > p.Max {
		v.add(key, "%s is out of range: %s allows %s to %s (%s)", fmtNum(f), p.Name, fmtNum(p.Min), fmtNum(p.Max), p.Unit)
		return 0, false
	}
	if p.Integer && f != math.Trunc(f) {
		v.add(key, "%s: %s takes whole numbers only", fmtNum(f), p.Name)
		return 0, false
	}
	return f, true
}

func fmtNum(f float64) string { return results.FormatFloat(f) }

func (v *validator) sweep(raw map[string]any) *Sweep {
	m := v.table(raw, "", "sweep")
	if m == nil {
		return nil
	}
	v.unknownKeys("sweep", m, "kind", "points", "parameters")
	s := &Sweep{Kind: v.str(m, "sweep", "kind", "grid")}
	if s.Kind != "grid" && s.Kind != "lhs" {
		v.add("sweep.kind", "%q: want \"grid\" (every combination) or \"lhs\" (Latin hypercube)", s.Kind)
	}
	if _, ok := m["points"]; ok && s.Kind == "grid" {
		v.add("sweep.points", "points applies to kind = \"lhs\" only; a grid has one point per combination of values")
	}
	s.Points = int(v.integer(m, "sweep", "points", 0, 1, MaxSweepPoints))
	if s.Kind == "lhs" && s.Points == 0 {
		if _, ok := m["points"]; !ok {
			v.add("sweep.points", "missing: a Latin hypercube needs the number of points (1 to %d)", MaxSweepPoints)
		}
	}
	x, ok := m["parameters"]
	if !ok {
		v.add("sweep.parameters", "missing: a sweep needs at least one [[sweep.parameters]]")
		return s
	}
	ps, ok := x.([]map[string]any)
	if !ok {
		v.add("sweep.parameters", "want an array of tables ([[sweep.parameters]]), got %s", describe(x))
		return s
	}
	if len(ps) == 0 {
		v.add("sweep.parameters", "empty: a sweep needs at least one parameter")
	}
	seen := map[string]bool{}
	for i, p := range ps {
		prefix := fmt.Sprintf("sweep.parameters[%d]", i)
		v.unknownKeys(prefix, p, "name", "values", "min", "max", "steps")
		sp := SweepParam{Name: v.str(p, prefix, "name", "")}
		doc, known := v.params[sp.Name]
		switch {
		case sp.Name == "":
			v.add(join(prefix, "name"), "missing: name the scenario parameter to sweep")
		case !known:
			v.param(join(prefix, "name"), sp.Name, 0.0)
		case seen[sp.Name]:
			v.add(join(prefix, "name"), "%q is swept twice", sp.Name)
		}
		seen[sp.Name] = true
		_, hasValues := p["values"]
		_, hasMin := p["min"]
		_, hasMax := p["max"]
		if hasValues {
			if s.Kind == "lhs" {
				v.add(join(prefix, "values"), "a Latin hypercube samples a range: give min and max, not values")
			}
			if hasMin || hasMax {
				v.add(prefix, "give either values or min and max, not both")
			}
			arr, ok := p["values"].([]any)
			if !ok {
				v.add(join(prefix, "values"), "want an array of numbers, got %s", describe(p["values"]))
			} else if len(arr) == 0 {
				v.add(join(prefix, "values"), "empty sweep range: give at least one value")
			} else {
				for j, e := range arr {
					f, isNum := number(e)
					key := fmt.Sprintf("%s[%d]", join(prefix, "values"), j)
					if !isNum {
						v.add(key, "want a number, got %s", describe(e))
						continue
					}
					if known {
						if f, ok := v.checkRange(key, doc, f); ok {
							sp.Values = append(sp.Values, f)
						}
					}
				}
			}
		} else {
			if !hasMin || !hasMax {
				v.add(prefix, "give values = [...] or both min and max")
				s.Parameters = append(s.Parameters, sp)
				continue
			}
			for _, kk := range []string{"min", "max"} {
				f, isNum := number(p[kk])
				if !isNum {
					v.add(join(prefix, kk), "want a number, got %s", describe(p[kk]))
					continue
				}
				if known {
					if _, ok := v.checkRange(join(prefix, kk), doc, f); !ok {
						continue
					}
				}
				if kk == "min" {
					sp.Min = f
				} else {
					sp.Max = f
				}
			}
			if sp.Min > sp.Max {
				v.add(prefix, "empty sweep range: min %s > max %s", fmtNum(sp.Min), fmtNum(sp.Max))
			}
			if s.Kind == "grid" {
				sp.Steps = int(v.integer(p, prefix, "steps", 0, 1, MaxSweepPoints))
				if _, ok := p["steps"]; !ok {
					v.add(join(prefix, "steps"), "missing: a grid over min..max needs steps (the number of values, at least 1)")
				} else if sp.Steps > 1 && sp.Min == sp.Max {
					v.add(prefix, "empty sweep range: min = max = %s with %d steps", fmtNum(sp.Min), sp.Steps)
				}
			} else if _, ok := p["steps"]; ok {
				v.add(join(prefix, "steps"), "steps applies to kind = \"grid\" only")
			}
		}
		s.Parameters = append(s.Parameters, sp)
	}
	if n := s.pointCount(); n > MaxSweepPoints {
		v.add("sweep", "%d sweep points; the limit is %d", n, MaxSweepPoints)
	}
	return s
}

func (s *Sweep) pointCount() int {
	if s == nil {
		return 1
	}
	if s.Kind == "lhs" {
		return max(s.Points, 1)
	}
	n := 1
	for _, p := range s.Parameters {
		k := len(p.Values)
		if k == 0 {
			k = max(p.Steps, 1)
		}
		if n > MaxSweepPoints {
			return n
		}
		n *= k
	}
	return n
}

// Points returns the number of sweep points (1 without a sweep).
func (e *Experiment) Points() int { return e.Sweep.pointCount() }

func (v *validator) reportCharts(raw map[string]any, e *Experiment) (results.ReportSpec, results.ChartSpec) {
	metricNames := []string{}
	for _, m := range v.sim.Metrics() {
		metricNames = append(metricNames, m.Name)
	}
	checkMetric := func(key, name string) bool {
		for _, m := range metricNames {
			if m == name {
				return true
			}
		}
		msg := fmt.Sprintf("unknown metric %q", name)
		if s := suggest(name, metricNames); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		v.add(key, "%s; runsim params -metrics lists them", msg)
		return false
	}
	var rep results.ReportSpec
	if m := v.table(raw, "", "report"); m != nil {
		v.unknownKeys("report", m, "metrics", "months")
		for i, name := range v.strings(m, "report", "metrics") {
			if checkMetric(fmt.Sprintf("report.metrics[%d]", i), name) {
				rep.Metrics = append(rep.Metrics, name)
			}
		}
		if x, ok := m["months"]; ok {
			arr, ok := x.([]any)
			if !ok {
				v.add("report.months", "want an array of month indices (0 = the first month), got %s", describe(x))
			}
			for i, el := range arr {
				n, ok := el.(int64)
				key := fmt.Sprintf("report.months[%d]", i)
				if !ok {
					v.add(key, "want an integer month index, got %s", describe(el))
					continue
				}
				if n < 0 || n >= int64(e.Months) {
					v.add(key, "month %d is outside the horizon: allowed 0 to %d", n, e.Months-1)
					continue
				}
				rep.Months = append(rep.Months, int(n))
			}
			sort.Ints(rep.Months)
			rep.Months = uniqInts(rep.Months)
		}
	}
	ch := results.ChartSpec{Format: "png"}
	if m := v.table(raw, "", "charts"); m != nil {
		v.unknownKeys("charts", m, "format", "metrics", "heatmap", "enabled")
		ch.Format = v.str(m, "charts", "format", "png")
		if ch.Format != "png" && ch.Format != "svg" {
			v.add("charts.format", "%q: want \"png\" or \"svg\"", ch.Format)
		}
		for i, name := range v.strings(m, "charts", "metrics") {
			if checkMetric(fmt.Sprintf("charts.metrics[%d]", i), name) {
				ch.Metrics = append(ch.Metrics, name)
			}
		}
		ch.Heatmap = v.str(m, "charts", "heatmap", "")
		if ch.Heatmap != "" {
			checkMetric("charts.heatmap", ch.Heatmap)
			if e.Sweep == nil || len(e.Sweep.Parameters) != 2 {
				v.add("charts.heatmap", "a heatmap needs a sweep over exactly two parameters")
			}
		}
		if x, ok := m["enabled"]; ok {
			b, ok := x.(bool)
			if !ok {
				v.add("charts.enabled", "want true or false, got %s", describe(x))
			}
			ch.Disable = !b
		}
	}
	return rep, ch
}

func uniqInts(a []int) []int {
	out := a[:0]
	for i, x := range a {
		if i == 0 || x != a[i-1] {
			out = append(out, x)
		}
	}
	return out
}
