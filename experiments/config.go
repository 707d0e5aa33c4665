package experiments

import (
	"context"
	"errors"
	"fmt"
	"frontiersim/internal/tomlkeys"
	"math"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"frontiersim/design"
	"frontiersim/results"
	"frontiersim/stats"
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

// Limits of an input file, checked before it is decoded: the TOML decoder
// holds a file whole in memory and its time and memory grow with the square
// of the nesting (40 KB of nested inline tables cost it 4 GB). The shipped
// files are at most 2 KB and nest 4 levels deep ([[sweep.parameters]],
// values = [...]).
const (
	MaxFileBytes = 1 << 20             // bytes per file (1 MiB)
	MaxNesting   = tomlkeys.MaxNesting // levels of table header parts, dotted key parts, inline tables and arrays together
	MaxNameLen   = 64                  // characters of an experiment's or arm's name
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
	Sensitivity  *Sensitivity          // a global sensitivity design, the experiment's sweep points (see Sensitivity)
	Stopping     *results.StoppingRule // nil: a fixed number of replications
	Output       *results.OutputSpec   // nil: CSV only
	Report       results.ReportSpec
	Charts       results.ChartSpec
	Notes        []string // how the plan reads the file where that is not obvious (runsim validate prints them)
	World        *World   // the world file it runs, for a model with worlds (simulator.Worlds); nil otherwise

	sim Simulator // the simulator of World, derived from the one given to Load
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
	Integer  bool // the parameter takes whole numbers: a Latin hypercube draws whole numbers
}

// ReadFunc reads a file by path; extends paths are joined to the directory
// of the file that names them.
type ReadFunc func(path string) ([]byte, error)

// Load reads, merges (extends) and validates an experiment file. Every
// problem found is returned at once in an *InvalidError. A file named
// shipped:NAME is the shipped file NAME (see ReadShippedName), whatever read
// does. An error of read that is a context error (the caller's context was
// cancelled while reading) is returned as it is, wrapped, not as a problem.
func Load(file string, read ReadFunc, sim Simulator) (*Experiment, error) {
	if file == "" {
		return nil, &InvalidError{Problems: []Problem{{Msg: "the experiment file name is empty: give the path of an experiment file, or shipped:NAME for a shipped one"}}}
	}
	if strings.HasPrefix(file, ShippedPrefix) {
		file = ShippedPrefix + strings.TrimSuffix(strings.TrimPrefix(file, ShippedPrefix), ".toml")
	}
	l := &loader{read: read}
	d, err := l.load(file, nil, 0)
	if err != nil {
		return nil, err
	}
	wsim, world, err := l.world(d, sim)
	if err != nil {
		return nil, err
	}
	v := &validator{origins: d.origins, sim: wsim, file: file}
	exp := v.experiment(d.raw)
	if problems := append(l.problems, v.problems...); len(problems) > 0 {
		return nil, &InvalidError{Problems: problems}
	}
	exp.File = file
	exp.Notes = v.notes
	if world != nil {
		exp.World, exp.sim = world, wsim
	}
	return exp, nil
}

// origin tells where a key path came from.
type origin struct {
	file string
	line int
}

// doc is a decoded file, or a file merged with its bases: the generic table
// and, for each key path, the file and line that set it.
type doc struct {
	raw     map[string]any
	origins map[string]origin
}

// loader reads a file and its extends chain. problems collects what is
// wrong with the files' keys (a parameter set twice in one file, an empty
// table for a parameter); the offending key is dropped and loading goes on,
// so that the validator reports everything else at once.
type loader struct {
	read     ReadFunc
	problems []Problem
}

func fileProblem(file string, line int, key, format string, args ...any) error {
	return &InvalidError{Problems: []Problem{{File: file, Line: line, Key: key, Msg: fmt.Sprintf(format, args...)}}}
}

// load decodes file and its extends chain into one merged document.
func (l *loader) load(file string, seen []string, depth int) (doc, error) {
	for _, s := range seen {
		if s == file {
			return doc{}, fileProblem(file, 0, "extends", "extends cycle: %s", strings.Join(append(seen, file), " -> "))
		}
	}
	if depth > maxExtendsDepth {
		return doc{}, fileProblem(file, 0, "extends", "more than %d levels of extends", maxExtendsDepth)
	}
	var b []byte
	var err error
	if name, ok := strings.CutPrefix(file, ShippedPrefix); ok {
		b, err = ReadShippedName(name)
	} else {
		b, err = l.read(file)
	}
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return doc{}, fmt.Errorf("reading %s: %w", file, err)
		}
		return doc{}, fileProblem(file, 0, "", "cannot read: %v", err)
	}
	if len(b) > MaxFileBytes {
		return doc{}, fileProblem(file, 0, "", "%d bytes: an experiment file may have at most %d (1 MiB)", len(b), MaxFileBytes)
	}
	text := string(b)
	if strings.ContainsRune(text, 0) {
		return doc{}, fileProblem(file, 0, "", "not a text file (contains NUL bytes)")
	}
	if np := tomlkeys.CheckNesting(text, MaxNesting); np != nil {
		return doc{}, fileProblem(file, np.Line, np.Key,
			"nested more than %d levels deep (table header parts, dotted key parts, inline tables and arrays count together): write parameters as \"group.name\" = value under [scenario] or [arms.overrides]", MaxNesting)
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
		return doc{}, &InvalidError{Problems: []Problem{p}}
	}
	lines := tomlkeys.KeyLines(text)
	d := doc{raw: raw, origins: map[string]origin{}}
	for k, ls := range lines {
		d.origins[k] = origin{file, ls[0]}
	}
	l.normalise(file, raw, lines)
	base, ok := raw["extends"]
	if !ok {
		return d, nil
	}
	extLine := d.origins["extends"].line
	baseName, isStr := base.(string)
	switch {
	case !isStr:
		return doc{}, fileProblem(file, extLine, "extends", "want the path of a base experiment file (a string), got %s", describe(base))
	case strings.TrimSpace(baseName) == "":
		return doc{}, fileProblem(file, extLine, "extends", "empty: give the path of a base experiment file (relative to this file's directory), or shipped:NAME for a shipped one (%s)", shippedList())
	}
	basePath := resolveExtends(file, baseName)
	bd, err := l.load(basePath, append(seen, file), depth+1)
	if err != nil {
		var inv *InvalidError
		if errors.As(err, &inv) && len(inv.Problems) == 1 && inv.Problems[0].File == basePath && inv.Problems[0].Line == 0 && inv.Problems[0].Key == "" {
			inv.Problems[0] = Problem{File: file, Line: extLine, Key: "extends", Msg: inv.Problems[0].Msg + " (" + basePath + ")"}
		}
		return doc{}, err
	}
	delete(raw, "extends")
	if _, ok := raw["world"]; ok {
		delete(bd.raw, "world_sha256") // it pinned the base's world, not this one
	}
	// [parameters] records the values a base file itself ran with (see
	// validator.parameters); a file that extends it is another experiment,
	// whose values are today's defaults with the merged [scenario] applied.
	delete(bd.raw, "parameters")
	return mergeDocs(bd, d), nil
}

// resolveExtends returns the file that extends = name in file from names:
// shipped:NAME as it is, a relative path in a shipped file another shipped
// file, a relative path otherwise joined to the directory of from.
func resolveExtends(from, name string) string {
	if rest, ok := strings.CutPrefix(name, ShippedPrefix); ok {
		return ShippedPrefix + strings.TrimSuffix(rest, ".toml")
	}
	if strings.HasPrefix(from, ShippedPrefix) && !path.IsAbs(name) {
		return ShippedPrefix + strings.TrimSuffix(path.Clean(name), ".toml")
	}
	if path.IsAbs(name) {
		return name
	}
	return path.Join(path.Dir(from), name)
}

// normalise rewrites the parameter tables of one decoded file ([scenario],
// [parameters] and every arm's overrides) as flat tables of dotted parameter names, so
// that "a.b" = 1, a.b = 1, a = {b = 1} and [x.a] b = 1 are one key, before
// files are merged. A parameter set twice in the file, in whatever forms,
// is a problem, and so is an empty table where a parameter is expected.
func (l *loader) normalise(file string, raw map[string]any, lines map[string][]int) {
	for _, k := range []string{"scenario", "parameters"} {
		if m, ok := raw[k].(map[string]any); ok {
			raw[k] = l.flatParams(file, k, m, lines)
		}
	}
	if arms, ok := raw["arms"].([]map[string]any); ok {
		for i, a := range arms {
			if m, ok := a["overrides"].(map[string]any); ok {
				a["overrides"] = l.flatParams(file, fmt.Sprintf("arms[%d].overrides", i), m, lines)
			}
		}
	}
}

func (l *loader) flatParams(file, prefix string, m map[string]any, lines map[string][]int) map[string]any {
	out := map[string]any{}
	l.flatten(file, prefix, "", m, out, lines)
	return out
}

func (l *loader) flatten(file, prefix, name string, m map[string]any, out map[string]any, lines map[string][]int) {
	for _, k := range sortedKeys(m) {
		n := join(name, k)
		key := prefix + "." + n
		ls := lines[key]
		line := 0
		if len(ls) > 0 {
			line = ls[len(ls)-1]
		}
		if sub, ok := m[k].(map[string]any); ok {
			if len(sub) == 0 {
				l.problems = append(l.problems, Problem{File: file, Line: line, Key: key,
					Msg: "empty table: a parameter needs a number (group.name = value; runsim params lists them); remove the empty table"})
				continue
			}
			l.flatten(file, prefix, n, sub, out, lines)
			continue
		}
		if _, dup := out[n]; dup {
			where := ""
			if len(ls) >= 2 {
				where = fmt.Sprintf(" (lines %d and %d)", ls[0], line)
			}
			l.problems = append(l.problems, Problem{File: file, Line: line, Key: key,
				Msg: fmt.Sprintf("parameter %q is set twice in this file%s: dotted (a.b = 1), quoted (\"a.b\" = 1) and table forms name the same parameter; keep one", n, where)})
			continue
		}
		out[n] = m[k]
	}
}

// mergeDocs merges child over base: tables merge key by key (parameter
// tables are flat by now, so a child's parameter replaces the base's), arms
// merge by name (a child arm replaces the base arm of the same name), the
// sweep is replaced whole (a child's [sweep] or [sensitivity] replaces the
// base's [sweep] and [sensitivity] both: either is the experiment's
// points), everything else is replaced. The origins follow: a child arm's
// keys move to the arm's index in the merged list.
func mergeDocs(base, child doc) doc {
	out := map[string]any{}
	for k, v := range base.raw {
		out[k] = v
	}
	if _, ok := child.raw["sweep"]; ok {
		delete(out, "sensitivity") // either is the experiment's points: a child's replaces the base's both
	}
	if _, ok := child.raw["sensitivity"]; ok {
		delete(out, "sweep")
	}
	var replaced []bool // base arms replaced by a child arm
	var slot []int      // merged index of each child arm
	armsMerged := false
	for k, v := range child.raw {
		switch k {
		case "arms":
			out[k], replaced, slot, armsMerged = mergeArms(base.raw[k], v)
		case "sweep", "sensitivity":
			out[k] = v
		default:
			out[k] = mergeValue(out[k], v)
		}
	}
	_, childArms := child.raw["arms"]
	_, childSweep := child.raw["sweep"]
	origins := base.origins // the base document is not used again: update it in place
	if childSweep || childArms {
		for k := range origins {
			if childSweep && under(k, "sweep") {
				delete(origins, k)
			}
			if childArms && under(k, "arms") {
				if n, _, ok := armIndex(k); !armsMerged || !ok || n >= len(replaced) || replaced[n] {
					delete(origins, k)
				}
			}
		}
	}
	for k, o := range child.origins {
		if n, rest, ok := armIndex(k); ok && armsMerged && n < len(slot) {
			k = "arms[" + strconv.Itoa(slot[n]) + "]" + rest
		}
		origins[k] = o
	}
	return doc{raw: out, origins: origins}
}

// mergeValue merges tables key by key; anything else is replaced.
func mergeValue(base, child any) any {
	bt, ok1 := base.(map[string]any)
	ct, ok2 := child.(map[string]any)
	if !ok1 || !ok2 {
		return child
	}
	out := map[string]any{}
	for k, v := range bt {
		out[k] = v
	}
	for k, v := range ct {
		out[k] = mergeValue(out[k], v)
	}
	return out
}

// under reports whether key path k is p or inside it.
func under(k, p string) bool {
	return k == p || strings.HasPrefix(k, p+".") || strings.HasPrefix(k, p+"[")
}

// armIndex splits "arms[N]rest" into N and rest.
func armIndex(k string) (int, string, bool) {
	s, ok := strings.CutPrefix(k, "arms[")
	if !ok {
		return 0, "", false
	}
	i := strings.IndexByte(s, ']')
	if i < 1 {
		return 0, "", false
	}
	n, err := strconv.Atoi(s[:i])
	if err != nil || n < 0 {
		return 0, "", false
	}
	return n, s[i+1:], true
}

// mergeArms merges the child's arms into the base's by name: a child arm
// whose name (a string) is that of a base arm not yet replaced takes its
// place; any other child arm is appended, so that two child arms of one name
// stay two (and are reported as duplicates). Unless both are arrays of
// tables the child's value replaces the base's (merged is false).
func mergeArms(base, child any) (out any, replaced []bool, slot []int, merged bool) {
	b, ok1 := base.([]map[string]any)
	c, ok2 := child.([]map[string]any)
	if !ok1 || !ok2 {
		return child, nil, nil, false
	}
	arms := append([]map[string]any(nil), b...)
	byName := map[string]int{}
	for i, arm := range b {
		if name, ok := arm["name"].(string); ok {
			if _, dup := byName[name]; !dup {
				byName[name] = i
			}
		}
	}
	replaced = make([]bool, len(b))
	slot = make([]int, len(c))
	for i, arm := range c {
		name, isStr := arm["name"].(string)
		if j, found := byName[name]; isStr && found && !replaced[j] {
			arms[j] = arm
			replaced[j] = true
			slot[i] = j
			continue
		}
		slot[i] = len(arms)
		arms = append(arms, arm)
	}
	return arms, replaced, slot, true
}

// validator walks the generic table with the schema and collects problems.
type validator struct {
	file      string
	origins   map[string]origin
	sim       Simulator
	problems  []Problem
	notes     []string
	suggested int // did-you-mean searches so far
	params    map[string]Param
	names     []string
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

// maxSuggestions bounds the did-you-mean searches of one load: each costs
// the name's length times the candidates' (a file of 40,000 unknown keys
// took seconds), and a file with so many unknown names has no typo to find.
const maxSuggestions = 200

func (v *validator) suggest(s string, candidates []string) string {
	if v.suggested >= maxSuggestions {
		return ""
	}
	v.suggested++
	return suggest(s, candidates)
}

func describe(x any) string { return tomlkeys.Describe(x) }

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
		if s := v.suggest(k, allowed); s != "" {
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

// strings reads an array of strings; a non-string element is a problem and
// left out. The result maps each element's index to its value, so that
// messages name the element as written.
func (v *validator) strings(t map[string]any, prefix, k string) []indexed {
	x, ok := t[k]
	if !ok {
		return nil
	}
	arr, ok := x.([]any)
	if !ok {
		v.add(join(prefix, k), "want an array of strings, got %s", describe(x))
		return nil
	}
	out := make([]indexed, 0, len(arr))
	for i, e := range arr {
		s, ok := e.(string)
		if !ok {
			v.add(fmt.Sprintf("%s[%d]", join(prefix, k), i), "want a string, got %s", describe(e))
			continue
		}
		out = append(out, indexed{i, s})
	}
	return out
}

type indexed struct {
	i int
	s string
}

// metrics reads a list of metric names (report.metrics, charts.metrics):
// every name must be a known metric, listed once.
func (v *validator) metrics(t map[string]any, prefix string, check func(key, name string) bool) []string {
	var out []string
	first := map[string]int{}
	for _, el := range v.strings(t, prefix, "metrics") {
		key := fmt.Sprintf("%s.metrics[%d]", prefix, el.i)
		if j, dup := first[el.s]; dup {
			v.add(key, "duplicate metric %q (%s.metrics[%d] lists it too): every row or chart would be written twice; list each metric once", el.s, prefix, j)
			continue
		}
		first[el.s] = el.i
		if check(key, el.s) {
			out = append(out, el.s)
		}
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

var topKeys = []string{"name", "description", "world", "world_sha256", "seed", "replications", "months", "buyers", "scenario", "parameters", "arms", "sweep", "sensitivity", "report", "charts", "stopping", "output"}

func (v *validator) experiment(raw map[string]any) *Experiment {
	v.params = map[string]Param{}
	for _, p := range v.sim.Params() {
		v.params[p.Name] = p
		v.names = append(v.names, p.Name)
	}
	v.unknownKeys("", raw, topKeys...)
	e := &Experiment{}
	e.Name = v.str(raw, "", "name", "")
	if x, ok := raw["name"]; !ok {
		v.add("name", "missing: every experiment needs a name")
	} else if _, isStr := x.(string); isStr {
		if msg := nameProblem(e.Name); msg != "" {
			v.add("name", "%s (the name is the default output directory out/NAME)", msg)
		}
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
		seen := map[string]int{"baseline": -1}
		for i, a := range arms {
			prefix := fmt.Sprintf("arms[%d]", i)
			v.unknownKeys(prefix, a, "name", "description", "overrides", "from")
			name := v.str(a, prefix, "name", "")
			x, present := a["name"]
			_, isStr := x.(string)
			first, dup := seen[name]
			switch {
			case present && !isStr: // v.str has said so
			case strings.TrimSpace(name) == "":
				v.add(join(prefix, "name"), "every arm needs a non-empty name")
			case name == "baseline":
				v.add(join(prefix, "name"), `"baseline" is reserved: the baseline arm is the scenario itself; put common settings in [scenario]`)
			case dup:
				v.add(join(prefix, "name"), "duplicate arm name %q (%s has it too): every arm needs its own name; an arm replaces a base file's arm of the same name, but two arms of one file cannot share one", name, v.where(fmt.Sprintf("arms[%d].name", first)))
			default:
				if msg := nameProblem(name); msg != "" {
					v.add(join(prefix, "name"), "%s (arm names are used in file names)", msg)
				}
			}
			if isStr && !dup {
				seen[name] = i
			}
			arm := results.Arm{Name: name, Description: v.str(a, prefix, "description", "")}
			arm.Overrides = v.overrides(a, prefix, "overrides")
			arm.From = v.leverStart(a, prefix, arm, e.Months)
			e.Arms = append(e.Arms, arm)
		}
	}
	e.Sweep = v.sweep(raw)
	e.Report, e.Charts = v.reportCharts(raw, e)
	e.Sensitivity = v.sensitivity(raw, e)
	e.Stopping = v.stopping(raw, e)
	e.Output = v.output(raw)
	if e.Sweep != nil {
		swept := map[string]bool{}
		for _, sp := range e.Sweep.Parameters {
			swept[sp.Name] = true
		}
		for _, a := range e.Arms {
			for _, o := range a.Overrides {
				if swept[o.Name] {
					v.add("sweep.parameters", "%q is both swept and set by arm %q: a sweep point would silently override the arm", o.Name, a.Name)
				}
			}
		}
	}
	if len(v.problems) == 0 {
		v.checkPoints(e)
	}
	if len(v.problems) == 0 {
		jobs := int64(len(e.Arms)) * int64(e.Points()) * int64(e.Replications)
		if jobs > MaxJobs {
			v.add("replications", "the plan has %d replications (arms × sweep points × replications); the limit is %d", jobs, MaxJobs)
		}
	}
	return e
}

// leverStart reads an arm's from: the month its levers switch on (0, the
// default: from the start), within the horizon. Only a policy arm has one,
// and it may then set levers only (Param.Lever): every other parameter
// holds from month 0, in [scenario]. An arm with from and no overrides is a
// problem: it switches nothing on (typically an arm of a file that extends
// another, written as if it added from to the base file's arm of its name).
func (v *validator) leverStart(a map[string]any, prefix string, arm results.Arm, months int) int {
	x, ok := a["from"]
	if !ok {
		return 0
	}
	key := join(prefix, "from")
	n, isInt := x.(int64)
	switch {
	case arm.Name == "baseline":
		v.add(key, "the baseline arm has no levers to switch on: from applies to a policy arm, whose months before it equal the baseline's")
		return 0
	case !isInt:
		v.add(key, "want an integer month index (0 = the first month) at which the arm's levers switch on, got %s", describe(x))
		return 0
	case n < 0:
		v.add(key, "month %d is before the first month: from is a month index from 0 (the start) to %d", n, months-1)
		return 0
	case n >= int64(months):
		v.add(key, "month %d is outside the horizon (months 0 to %d): the levers would never switch on; extend months or choose an earlier month", n, months-1)
		return 0
	}
	if n == 0 {
		return 0
	}
	levers := 0
	for _, p := range v.sim.Params() {
		if p.Lever {
			levers++
		}
	}
	if levers == 0 {
		v.add(key, "this model has no levers that can switch on at a month: remove from")
		return 0
	}
	if o, has := a["overrides"]; !has || isEmptyTable(o) {
		v.add(key, "arm %q switches its levers on at month %d but sets none (it has no [arms.overrides]), so it would be the baseline in every month; "+
			"an arm replaces a base file's arm of the same name whole (extends), overrides included: repeat the levers here", arm.Name, n)
		return 0
	}
	for _, o := range arm.Overrides {
		if p, known := v.params[o.Name]; known && !p.Lever {
			v.add(join(join(prefix, "overrides"), o.Name), "%s is not a policy lever and cannot switch on at month %d (from): only levers (runsim params policy.) can; set it in [scenario] for every arm, or drop from", o.Name, n)
		}
	}
	p := results.Plan{StartYear: StartYear, StartMonth: StartMonth, Months: months}
	v.notes = append(v.notes, fmt.Sprintf("%s: the levers of arm %q switch on at month %d (%s); before it the arm is the baseline, replication for replication, and comparison.csv compares the window %s (months %d to %d)",
		key, arm.Name, n, p.MonthLabel(int(n)), results.FromWindow(int(n)), n, months-1))
	return int(n)
}

// isEmptyTable reports whether x is a table with no keys.
func isEmptyTable(x any) bool {
	m, ok := x.(map[string]any)
	return ok && len(m) == 0
}

// nameProblem says what is wrong with an experiment's or arm's name, or
// returns "". A name is 1 to MaxNameLen letters, digits, '_', '-' and '.',
// not beginning with '.': it becomes a directory or file name, so it must
// not escape the output directory (../x, ..), hide (.x) or carry control
// characters.
func nameProblem(s string) string {
	if strings.TrimSpace(s) == "" {
		return "must not be empty"
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return fmt.Sprintf("%s has the character %q: use letters, digits, '_', '-' and '.' only", quoteName(s), c)
		}
	}
	if s[0] == '.' {
		return fmt.Sprintf("%s begins with '.': a name must begin with a letter, digit, '_' or '-'", quoteName(s))
	}
	if n := utf8.RuneCountInString(s); n > MaxNameLen {
		return fmt.Sprintf("%s is %d characters long: at most %d allowed", quoteName(s), n, MaxNameLen)
	}
	return ""
}

// quoteName quotes a name for a message, escaping control characters and
// shortening a long one.
func quoteName(s string) string {
	if utf8.RuneCountInString(s) > 24 {
		r := []rune(s)
		return strconv.Quote(string(r[:20])) + "…"
	}
	return strconv.Quote(s)
}

// where describes the origin of a key path for a message: "line 8" in the
// file being validated, "base.toml:8" in a base file.
func (v *validator) where(key string) string {
	o, ok := v.origins[key]
	switch {
	case !ok || o.line == 0:
		return key
	case o.file == v.file:
		return fmt.Sprintf("%s on line %d", key, o.line)
	default:
		return fmt.Sprintf("%s at %s:%d", key, o.file, o.line)
	}
}

// overrides reads a table of parameter name -> number. The loader has
// flattened it: "policy.revenue_share_cap" = 0.1 (quoted), policy.revenue_share_cap
// = 0.1 (dotted) and [x.policy] revenue_share_cap = 0.1 are all the key
// policy.revenue_share_cap.
func (v *validator) overrides(t map[string]any, prefix, k string) []results.ParamValue {
	m := v.table(t, prefix, k)
	if m == nil {
		return nil
	}
	var out []results.ParamValue
	for _, name := range sortedKeys(m) {
		key := join(join(prefix, k), name)
		if val, ok := v.param(key, name, m[name]); ok {
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
	flat := m // flattened by the loader
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

// param checks one parameter value against its documentation.
func (v *validator) param(key, name string, x any) (float64, bool) {
	p, ok := v.params[name]
	if !ok {
		msg := fmt.Sprintf("unknown scenario parameter %q (runsim params lists them all)", name)
		if s := v.suggest(name, v.names); s != "" {
			msg = fmt.Sprintf("unknown scenario parameter %q (did you mean %q? runsim params lists them all)", name, s)
		}
		v.add(key, "%s", msg)
		return 0, false
	}
	var f float64
	if _, isNum := number(x); !isNum && p.Enum != nil {
		if f, ok := v.level(key, p, x); ok {
			return v.checkRange(key, p, f)
		}
		return 0, false
	}
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

// level reads a categorical value of parameter p: a label of its Enum (a
// string; a boolean for a flag, whose labels are "false" and "true") as
// the label's index. Anything else is a problem naming the labels.
func (v *validator) level(key string, p Param, x any) (float64, bool) {
	label := ""
	switch l := x.(type) {
	case string:
		label = l
	case bool:
		label = strconv.FormatBool(l)
	default:
		v.add(key, "want a number, got %s", describe(x))
		return 0, false
	}
	if p.Enum == nil {
		if b, isBool := x.(bool); isBool && p.Min <= 0 && p.Max >= 1 && p.Integer {
			if b {
				return 1, true
			}
			return 0, true
		}
		v.add(key, "want a number, got %s: %s is not categorical (runsim params %s)", describe(x), p.Name, p.Name)
		return 0, false
	}
	if k := slices.Index(p.Enum, label); k >= 0 {
		return float64(k), true
	}
	msg := fmt.Sprintf("%q is not a value of %s: want one of %s (or their numbers 0 to %d)", label, p.Name, quoteList(p.Enum), len(p.Enum)-1)
	if s := v.suggest(label, p.Enum); s != "" {
		msg = fmt.Sprintf("%q is not a value of %s (did you mean %q?): want one of %s (or their numbers 0 to %d)", label, p.Name, s, quoteList(p.Enum), len(p.Enum)-1)
	}
	v.add(key, "%s", msg)
	return 0, false
}

// quoteList quotes each label and joins them with commas.
func quoteList(labels []string) string {
	q := make([]string, len(labels))
	for i, l := range labels {
		q[i] = strconv.Quote(l)
	}
	return strings.Join(q, ", ")
}

func (v *validator) checkRange(key string, p Param, f float64) (float64, bool) {
	if msg := rangeProblem(p, f); msg != "" {
		v.add(key, "%s", msg)
		return 0, false
	}
	return f, true
}

// rangeProblem says why f is not a valid value of p, or returns "".
func rangeProblem(p Param, f float64) string {
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		return fmt.Sprintf("%v is not allowed: want a number from %s to %s", f, fmtNum(p.Min), fmtNum(p.Max))
	case f < p.Min || f > p.Max:
		return fmt.Sprintf("%s is out of range: %s allows %s to %s (%s)", fmtNum(f), p.Name, fmtNum(p.Min), fmtNum(p.Max), p.Unit)
	case p.Integer && f != math.Trunc(f):
		return fmt.Sprintf("%s: %s takes whole numbers only", fmtNum(f), p.Name)
	}
	return ""
}

// checkPoints generates the sweep points and checks every value against
// its parameter, so that validate rejects what run would.
func (v *validator) checkPoints(e *Experiment) {
	if e.Sweep == nil {
		return
	}
	bad := map[int]bool{}
	for _, pt := range e.points() {
		for j, pv := range pt.Params {
			doc, ok := v.params[pv.Name]
			if !ok || bad[j] {
				continue
			}
			if msg := rangeProblem(doc, pv.Value); msg != "" {
				v.add(fmt.Sprintf("sweep.parameters[%d]", j), "sweep point %s: %s", pt.Name, msg)
				bad[j] = true
			}
		}
	}
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
		sp.Integer = known && doc.Integer
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
					if !isNum && known {
						f, isNum = v.level(key, doc, e)
						if !isNum {
							continue
						}
					}
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
			rangeOK := known
			for _, kk := range []string{"min", "max"} {
				f, isNum := number(p[kk])
				if !isNum {
					v.add(join(prefix, kk), "want a number, got %s", describe(p[kk]))
					rangeOK = false
					continue
				}
				if known {
					if _, ok := v.checkRange(join(prefix, kk), doc, f); !ok {
						rangeOK = false
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
				rangeOK = false
			}
			if s.Kind == "grid" {
				sp.Steps = int(v.integer(p, prefix, "steps", 0, 1, MaxSweepPoints))
				switch _, ok := p["steps"]; {
				case !ok:
					v.add(join(prefix, "steps"), "missing: a grid over min..max needs steps (the number of values, at least 1)")
				case sp.Steps > 1 && sp.Min == sp.Max:
					v.add(prefix, "empty sweep range: min = max = %s with %d steps", fmtNum(sp.Min), sp.Steps)
				case sp.Steps == 1 && sp.Min < sp.Max:
					v.add(join(prefix, "steps"), "steps = 1 gives min (%s) only and ignores max (%s): use steps = 2 or more, or values = [%s] for one value",
						fmtNum(sp.Min), fmtNum(sp.Max), fmtNum(sp.Min))
				case sp.Steps > 1 && rangeOK && sp.Integer:
					v.wholeGrid(prefix, doc, sp)
				}
			} else if _, ok := p["steps"]; ok {
				v.add(join(prefix, "steps"), "steps applies to kind = \"grid\" only")
			} else if rangeOK && sp.Integer && sp.Min < sp.Max {
				v.notes = append(v.notes, fmt.Sprintf("%s: %s takes whole numbers: the Latin hypercube draws the whole numbers %s to %s equally often (min + floor(u × (max - min + 1)))",
					prefix, sp.Name, fmtNum(sp.Min), fmtNum(sp.Max)))
			}
		}
		s.Parameters = append(s.Parameters, sp)
	}
	if n := s.pointCount(); n > MaxSweepPoints {
		v.add("sweep", "%d sweep points; the limit is %d", n, MaxSweepPoints)
	}
	return s
}

// wholeGrid checks that a grid of steps values from min to max over a
// whole-number parameter gives whole numbers only.
func (v *validator) wholeGrid(prefix string, doc Param, sp SweepParam) {
	for _, x := range design.Linspace(sp.Min, sp.Max, sp.Steps) {
		if x == math.Trunc(x) {
			continue
		}
		span := int64(sp.Max - sp.Min)
		var fit []string
		below, above := int64(0), int64(0)
		for d := int64(1); d <= span && d < MaxSweepPoints; d++ {
			if span%d != 0 {
				continue
			}
			if d+1 < int64(sp.Steps) {
				below = d + 1
			} else if above == 0 {
				above = d + 1
			}
		}
		for _, n := range []int64{below, above} {
			if n > 0 {
				fit = append(fit, fmt.Sprintf("steps = %d", n))
			}
		}
		v.add(join(prefix, "steps"), "%s takes whole numbers only, but %d steps from %s to %s give %s: use %s (steps - 1 must divide max - min = %d), or list values = [...]",
			doc.Name, sp.Steps, fmtNum(sp.Min), fmtNum(sp.Max), fmtNum(x), strings.Join(fit, " or "), span)
		return
	}
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

// Points returns the number of sweep points (1 without a sweep), those of
// a sensitivity design included.
func (e *Experiment) Points() int {
	if e.Sensitivity != nil {
		return e.Sensitivity.pointCount()
	}
	return e.Sweep.pointCount()
}

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
		if s := v.suggest(name, metricNames); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		v.add(key, "%s; runsim params -metrics lists them", msg)
		return false
	}
	var rep results.ReportSpec
	if m := v.table(raw, "", "report"); m != nil {
		v.unknownKeys("report", m, "metrics", "months", "windows", "adjust", "matrix_window")
		rep.Metrics = v.metrics(m, "report", checkMetric)
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
		rep.Windows = v.windows(m, e.Months)
		rep.Adjust = v.str(m, "report", "adjust", "")
		if _, ok := m["adjust"]; ok && !slices.Contains(stats.Adjustments, stats.Adjustment(rep.Adjust)) {
			v.add("report.adjust", "%q: want \"holm\" (Holm, the family-wise error rate; the default), \"bh\" (Benjamini–Hochberg, the false discovery rate) or \"none\"", rep.Adjust)
			rep.Adjust = ""
		}
		rep.MatrixWindow = v.str(m, "report", "matrix_window", "")
		if _, ok := m["matrix_window"]; ok {
			p := results.Plan{StartYear: StartYear, StartMonth: StartMonth, Months: e.Months, Report: rep, Arms: e.Arms}
			var names []string
			for _, w := range p.ComparisonWindows() {
				names = append(names, w.Name)
			}
			if !slices.Contains(names, rep.MatrixWindow) {
				msg := fmt.Sprintf("%q is not a window this experiment compares", rep.MatrixWindow)
				if s := v.suggest(rep.MatrixWindow, names); s != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", s)
				}
				v.add("report.matrix_window", "%s: want one of %s", msg, strings.Join(names, ", "))
				rep.MatrixWindow = ""
			}
		}
	}
	ch := results.ChartSpec{Format: "png"}
	if m := v.table(raw, "", "charts"); m != nil {
		v.unknownKeys("charts", m, "format", "metrics", "heatmap", "enabled", "points")
		ch.Format = v.str(m, "charts", "format", "png")
		if ch.Format != "png" && ch.Format != "svg" {
			v.add("charts.format", "%q: want \"png\" or \"svg\"", ch.Format)
		}
		ch.Metrics = v.metrics(m, "charts", checkMetric)
		ch.Heatmap = v.str(m, "charts", "heatmap", "")
		if ch.Heatmap != "" {
			checkMetric("charts.heatmap", ch.Heatmap)
			if e.Sweep == nil || len(e.Sweep.Parameters) != 2 {
				v.add("charts.heatmap", "a heatmap needs a sweep over exactly two parameters")
			}
		}
		ch.Points = v.chartPoints(m, e)
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

// chartPoints reads [charts] points: the sweep points (by name, as in
// manifest.json) whose per-point charts are drawn besides those of the
// point nearest the centre, or ["all"].
func (v *validator) chartPoints(m map[string]any, e *Experiment) []string {
	els := v.strings(m, "charts", "points")
	if len(els) == 0 {
		return nil
	}
	if e.Sweep == nil {
		v.add("charts.points", "per-point charts need a [sweep]")
		return nil
	}
	var names []string
	for _, pt := range e.points() {
		names = append(names, pt.Name)
	}
	var out []string
	for _, el := range els {
		key := fmt.Sprintf("charts.points[%d]", el.i)
		switch {
		case el.s == results.AllPoints:
			if len(els) > 1 {
				v.add(key, "%q stands alone: it draws every point", results.AllPoints)
			}
		case !slices.Contains(names, el.s):
			v.add(key, "%q is not a sweep point (the points are %s to %s)", el.s, names[0], names[len(names)-1])
			continue
		case slices.Contains(out, el.s):
			v.add(key, "duplicate point %q", el.s)
			continue
		}
		out = append(out, el.s)
	}
	return out
}

// windows reads [report] windows: an array of {name, from, to}, each a
// range of month indices within the horizon (from <= to), under a name of
// its own that is not the horizon's or a month's (horizon, m47).
func (v *validator) windows(t map[string]any, months int) []results.Window {
	x, ok := t["windows"]
	if !ok {
		return nil
	}
	var tables []map[string]any
	switch arr := x.(type) {
	case []map[string]any:
		tables = arr
	case []any:
		for i, el := range arr {
			m, ok := el.(map[string]any)
			if !ok {
				v.add(fmt.Sprintf("report.windows[%d]", i), "want a table {name = \"2023-2025\", from = 48, to = 83}, got %s", describe(el))
				continue
			}
			tables = append(tables, m)
		}
	default:
		v.add("report.windows", "want an array of tables such as [{name = \"2023-2025\", from = 48, to = 83}], got %s", describe(x))
		return nil
	}
	var out []results.Window
	seen := map[string]int{}
	for i, m := range tables {
		prefix := fmt.Sprintf("report.windows[%d]", i)
		v.unknownKeys(prefix, m, "name", "from", "to")
		name := v.str(m, prefix, "name", "")
		ok := true
		_, hasName := m["name"]
		switch first, dup := seen[name]; {
		case !hasName:
			v.add(join(prefix, "name"), "missing: every window needs a name (its rows in comparison.csv carry it)")
			ok = false
		case nameProblem(name) != "":
			v.add(join(prefix, "name"), "%s (a window's name labels its rows in comparison.csv)", nameProblem(name))
			ok = false
		case results.IsReservedWindowName(name):
			v.add(join(prefix, "name"), "%q is reserved: comparison.csv names the horizon's rows \"horizon\", a month's rows m and its index (m47), and the months from an arm's lever start from and its index (from84); choose another name", name)
			ok = false
		case dup:
			v.add(join(prefix, "name"), "duplicate window name %q (report.windows[%d] has it too)", name, first)
			ok = false
		default:
			seen[name] = i
		}
		w := results.Window{Name: name}
		dropped := false
		for _, k := range []string{"from", "to"} {
			if _, present := m[k]; !present {
				v.add(join(prefix, k), "missing: a window needs from and to (month indices, 0 = the first month)")
				ok = false
				continue
			}
			n, isInt := m[k].(int64)
			switch {
			case !isInt:
				v.add(join(prefix, k), "want an integer month index (0 = the first month), got %s", describe(m[k]))
				ok = false
				continue
			case n < 0 || n >= int64(months):
				if o, inherited := v.origins[join(prefix, k)]; inherited && o.file != v.file {
					// A base file's window past this file's shorter horizon
					// (extends = "shipped:default" with months = 36) is
					// dropped, not an error of this file.
					if !dropped {
						v.notes = append(v.notes, fmt.Sprintf("%s (%q, months %v to %v, from %s) is not within the horizon (months 0 to %d): this experiment does not compare it; list windows of your own in [report] windows",
							prefix, name, m["from"], m["to"], o.file, months-1))
					}
					dropped = true
					ok = false
					continue
				}
				v.add(join(prefix, k), "month %d is outside the horizon: allowed 0 to %d", n, months-1)
				ok = false
				continue
			}
			if k == "from" {
				w.From = int(n)
			} else {
				w.To = int(n)
			}
		}
		if dropped {
			continue
		}
		if ok && w.From > w.To {
			v.add(prefix, "from %d is after to %d: a window runs from its first month to its last", w.From, w.To)
			ok = false
		}
		if ok {
			out = append(out, w)
		}
	}
	return out
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
