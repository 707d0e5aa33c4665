package estimation

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"frontiersim/internal/tomlkeys"
	"frontiersim/results"
	"frontiersim/simulator"
)

// MaxFileBytes bounds a targets file.
const MaxFileBytes = 1 << 20

// Parameter is one estimated parameter: a scenario parameter of the model
// and the bounds of the search.
type Parameter struct {
	Name  string  `json:"name"`
	Min   float64 `json:"min"`
	Max   float64 `json:"max"`
	Start float64 `json:"start"` // where the search starts: the file's start, else the middle of the bounds
	Line  int     `json:"-"`
}

// Target is one observed moment: the replication mean of a metric at a
// month, or of its mean over a window of months (From to To inclusive).
type Target struct {
	ID       string  `json:"id"`     // metric@m12 or metric@NAME or metric@m0-11
	Metric   string  `json:"metric"` // a recorded metric of the model
	Window   string  `json:"window"` // the window's name, or "" for a month or an unnamed window
	From     int     `json:"from"`
	To       int     `json:"to"` // From == To: one month
	Observed float64 `json:"observed"`
	SD       float64 `json:"sd"` // the scale of a deviation: the file's sd, else |observed|
	Weight   float64 `json:"weight"`
	Source   string  `json:"source"`
	Grade    string  `json:"grade,omitempty"`
	Line     int     `json:"-"`
	column   int
}

// Search sets the size of the search.
type Search struct {
	MaxEvaluations int     `json:"max_evaluations"` // objective evaluations of the simplex search
	Tolerance      float64 `json:"tolerance"`       // stop when the simplex is this small in every unit-cube coordinate and in objective
	Step           float64 `json:"step"`            // finite-difference step of the identification, a fraction of each range
}

// DefaultSearch is the search of a file without [search].
var DefaultSearch = Search{MaxEvaluations: 200, Tolerance: 1e-4, Step: 0.01}

// Targets is a loaded targets file.
type Targets struct {
	File       string
	Parameters []Parameter
	Targets    []Target
	Search     Search
}

// Model is what a targets file is checked against: the model's parameters
// and metrics, the experiment's horizon and its named windows.
type Model struct {
	Params  []simulator.Param
	Metrics []results.Metric
	Months  int
	Windows []results.Window
}

// InvalidError lists every problem found in a targets file, each with its
// file, line and key.
type InvalidError struct {
	Problems []tomlkeys.Problem
}

func (e *InvalidError) Error() string { return tomlkeys.ListProblems("targets file", e.Problems) }

// Grades are the certainty grades a target may carry.
var Grades = []string{"A", "B", "C", "D"}

type checker struct {
	file     string
	lines    map[string][]int
	problems []tomlkeys.Problem
}

func (c *checker) line(key string) int {
	for k := key; k != ""; {
		if ls := c.lines[k]; len(ls) > 0 {
			return ls[0]
		}
		i := strings.LastIndexAny(k, ".[")
		if i < 0 {
			break
		}
		k = k[:i]
	}
	return 0
}

func (c *checker) add(key, format string, args ...any) {
	c.problems = append(c.problems, tomlkeys.Problem{File: c.file, Line: c.line(key), Key: key, Msg: fmt.Sprintf(format, args...)})
}

func (c *checker) unknown(prefix string, t map[string]any, allowed ...string) {
	for _, k := range sortedKeys(t) {
		if !contains(allowed, k) {
			msg := fmt.Sprintf("unknown key; allowed: %s", strings.Join(allowed, ", "))
			if s := tomlkeys.Suggest(k, allowed); s != "" {
				msg = fmt.Sprintf("unknown key (did you mean %q?); allowed: %s", s, strings.Join(allowed, ", "))
			}
			c.add(join(prefix, k), "%s", msg)
		}
	}
}

func join(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}

func contains(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]any) []string {
	k := make([]string, 0, len(m))
	for s := range m {
		k = append(k, s)
	}
	sort.Strings(k)
	return k
}

func number(x any) (float64, bool) {
	switch v := x.(type) {
	case int64:
		return float64(v), true
	case float64:
		return v, !math.IsNaN(v) && !math.IsInf(v, 0)
	}
	return 0, false
}

func (c *checker) num(t map[string]any, prefix, k string, required bool) (float64, bool) {
	x, ok := t[k]
	if !ok {
		if required {
			c.add(join(prefix, k), "missing: want a number")
		}
		return 0, false
	}
	f, ok := number(x)
	if !ok {
		c.add(join(prefix, k), "want a finite number, got %s", tomlkeys.Describe(x))
	}
	return f, ok
}

func (c *checker) whole(t map[string]any, prefix, k string, lo, hi int) (int, bool) {
	x, ok := t[k]
	if !ok {
		return 0, false
	}
	n, isInt := x.(int64)
	if !isInt || n < int64(lo) || n > int64(hi) {
		c.add(join(prefix, k), "want a whole number from %d to %d, got %v", lo, hi, x)
		return 0, false
	}
	return int(n), true
}

func (c *checker) str(t map[string]any, prefix, k string, required bool) string {
	x, ok := t[k]
	if !ok {
		if required {
			c.add(join(prefix, k), "missing: want a string")
		}
		return ""
	}
	s, isStr := x.(string)
	if !isStr {
		c.add(join(prefix, k), "want a string, got %s", tomlkeys.Describe(x))
	}
	return s
}

func (c *checker) tables(raw map[string]any, k string) []map[string]any {
	x, ok := raw[k]
	if !ok {
		c.add(k, "missing: want [[%s]] tables", k)
		return nil
	}
	a, isArr := x.([]map[string]any)
	if !isArr {
		c.add(k, "want an array of tables ([[%s]]), got %s", k, tomlkeys.Describe(x))
	}
	if isArr && len(a) == 0 {
		c.add(k, "empty: want at least one [[%s]] table", k)
	}
	return a
}

// LoadTargets decodes and checks a targets file against model m. Every
// problem names the file, line and key; the error is an *InvalidError.
func LoadTargets(file string, data []byte, m Model) (*Targets, error) {
	c := &checker{file: file}
	fail := func(line int, key, format string, args ...any) error {
		return &InvalidError{Problems: []tomlkeys.Problem{{File: file, Line: line, Key: key, Msg: fmt.Sprintf(format, args...)}}}
	}
	if len(data) > MaxFileBytes {
		return nil, fail(0, "", "%d bytes: a targets file may have at most %d (1 MiB)", len(data), MaxFileBytes)
	}
	text := string(data)
	if strings.ContainsRune(text, 0) {
		return nil, fail(0, "", "not a text file (contains NUL bytes)")
	}
	if np := tomlkeys.CheckNesting(text, tomlkeys.MaxNesting); np != nil {
		return nil, fail(np.Line, np.Key, "nested more than %d levels deep", tomlkeys.MaxNesting)
	}
	var raw map[string]any
	if _, err := toml.Decode(text, &raw); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, fail(pe.Position.Line, pe.LastKey, "TOML syntax: %s", pe.Message)
		}
		return nil, fail(0, "", "%v", err)
	}
	c.lines = tomlkeys.KeyLines(text)
	c.unknown("", raw, "parameters", "targets", "search")
	out := &Targets{File: file, Search: DefaultSearch}

	if x, ok := raw["search"]; ok {
		s, isTab := x.(map[string]any)
		if !isTab {
			c.add("search", "want a table, got %s", tomlkeys.Describe(x))
		} else {
			c.unknown("search", s, "max_evaluations", "tolerance", "step")
			if n, ok := c.whole(s, "search", "max_evaluations", 1, 100000); ok {
				out.Search.MaxEvaluations = n
			}
			if f, ok := c.num(s, "search", "tolerance", false); ok {
				if f <= 0 || f >= 1 {
					c.add("search.tolerance", "want a number above 0 and below 1, got %v", f)
				}
				out.Search.Tolerance = f
			}
			if f, ok := c.num(s, "search", "step", false); ok {
				if f <= 0 || f > 0.25 {
					c.add("search.step", "want a fraction of the range above 0, at most 0.25, got %v", f)
				}
				out.Search.Step = f
			}
		}
	}

	params := map[string]simulator.Param{}
	var names []string
	for _, p := range m.Params {
		params[p.Name] = p
		names = append(names, p.Name)
	}
	seen := map[string]bool{}
	for i, t := range c.tables(raw, "parameters") {
		prefix := fmt.Sprintf("parameters[%d]", i)
		c.unknown(prefix, t, "name", "min", "max", "start")
		name := c.str(t, prefix, "name", true)
		doc, known := params[name]
		switch {
		case name == "":
			if _, ok := t["name"]; ok {
				c.add(prefix+".name", "empty: want a scenario parameter of the model (runsim params)")
			}
			continue
		case !known:
			msg := fmt.Sprintf("unknown parameter %q (runsim params lists them)", name)
			if s := tomlkeys.Suggest(name, names); s != "" {
				msg = fmt.Sprintf("unknown parameter %q (did you mean %q?)", name, s)
			}
			c.add(prefix+".name", "%s", msg)
			continue
		case seen[name]:
			c.add(prefix+".name", "parameter %q is estimated twice", name)
			continue
		case doc.Integer || doc.Enum != nil:
			c.add(prefix+".name", "parameter %q takes whole numbers or levels: the search moves continuously, so fix it in the experiment", name)
			continue
		}
		seen[name] = true
		lo, okLo := c.num(t, prefix, "min", true)
		hi, okHi := c.num(t, prefix, "max", true)
		if !okLo || !okHi {
			continue
		}
		switch {
		case lo >= hi:
			c.add(prefix+".max", "max %v is not above min %v", hi, lo)
			continue
		case lo < doc.Min || hi > doc.Max:
			c.add(prefix+".min", "bounds [%v, %v] leave the parameter's range [%v, %v]", lo, hi, doc.Min, doc.Max)
			continue
		}
		p := Parameter{Name: name, Min: lo, Max: hi, Start: (lo + hi) / 2, Line: c.line(prefix)}
		if s, ok := c.num(t, prefix, "start", false); ok {
			if s < lo || s > hi {
				c.add(prefix+".start", "start %v is outside [%v, %v]", s, lo, hi)
			}
			p.Start = s
		}
		out.Parameters = append(out.Parameters, p)
	}

	cols := map[string]int{}
	var metrics []string
	for i, mt := range m.Metrics {
		cols[mt.Name] = i
		metrics = append(metrics, mt.Name)
	}
	windows := map[string]results.Window{}
	var wnames []string
	for _, w := range m.Windows {
		windows[w.Name] = w
		wnames = append(wnames, w.Name)
	}
	ids := map[string]bool{}
	for i, t := range c.tables(raw, "targets") {
		prefix := fmt.Sprintf("targets[%d]", i)
		c.unknown(prefix, t, "metric", "month", "window", "observed", "sd", "weight", "source", "grade")
		tg := Target{Line: c.line(prefix), Weight: 1}
		tg.Metric = c.str(t, prefix, "metric", true)
		if col, ok := cols[tg.Metric]; ok {
			tg.column = col
		} else if _, given := t["metric"]; given {
			msg := fmt.Sprintf("unknown metric %q (runsim params -metrics lists them)", tg.Metric)
			if s := tomlkeys.Suggest(tg.Metric, metrics); s != "" {
				msg = fmt.Sprintf("unknown metric %q (did you mean %q?)", tg.Metric, s)
			}
			c.add(prefix+".metric", "%s", msg)
		}
		_, hasMonth := t["month"]
		w, hasWindow := t["window"]
		switch {
		case hasMonth && hasWindow:
			c.add(prefix+".window", "give month or window, not both")
		case hasMonth:
			if n, ok := c.whole(t, prefix, "month", 0, m.Months-1); ok {
				tg.From, tg.To = n, n
			}
		case hasWindow:
			switch v := w.(type) {
			case string:
				ww, ok := windows[v]
				if !ok {
					msg := fmt.Sprintf("unknown window %q: the experiment's [report] windows are %s; or give {from = M, to = N}", v, quote(wnames))
					c.add(prefix+".window", "%s", msg)
					break
				}
				tg.Window, tg.From, tg.To = v, ww.From, ww.To
			case map[string]any:
				wp := prefix + ".window"
				c.unknown(wp, v, "from", "to")
				from, okF := c.whole(v, wp, "from", 0, m.Months-1)
				to, okT := c.whole(v, wp, "to", 0, m.Months-1)
				_, hasF := v["from"]
				_, hasT := v["to"]
				if !hasF || !hasT {
					c.add(wp, "want {from = M, to = N}, months 0 to %d", m.Months-1)
				} else if okF && okT {
					if from > to {
						c.add(wp+".to", "to %d is before from %d", to, from)
					}
					tg.From, tg.To = from, to
				}
			default:
				c.add(prefix+".window", "want a window name (a string) or {from = M, to = N}, got %s", tomlkeys.Describe(w))
			}
		default:
			c.add(prefix, "give month = M or window = NAME or window = {from = M, to = N}")
		}
		obs, okObs := c.num(t, prefix, "observed", true)
		tg.Observed = obs
		if sd, ok := c.num(t, prefix, "sd", false); ok {
			if sd <= 0 {
				c.add(prefix+".sd", "want a standard deviation above 0, got %v", sd)
			}
			tg.SD = sd
		} else if _, given := t["sd"]; !given && okObs {
			if obs == 0 {
				c.add(prefix+".sd", "missing: an observed value of 0 needs sd (the scale of a deviation; without sd it is |observed|)")
			}
			tg.SD = math.Abs(obs)
		}
		if wt, ok := c.num(t, prefix, "weight", false); ok {
			if wt < 0 {
				c.add(prefix+".weight", "want a weight of 0 or more, got %v", wt)
			}
			tg.Weight = wt
		}
		tg.Source = c.str(t, prefix, "source", true)
		if _, given := t["source"]; given && strings.TrimSpace(tg.Source) == "" {
			c.add(prefix+".source", "empty: say where the observed value comes from")
		}
		tg.Grade = c.str(t, prefix, "grade", false)
		if tg.Grade != "" && !contains(Grades, tg.Grade) {
			c.add(prefix+".grade", "grade %q: want one of %s", tg.Grade, strings.Join(Grades, ", "))
		}
		tg.ID = targetID(tg)
		if ids[tg.ID] {
			c.add(prefix, "target %s is given twice", tg.ID)
		}
		ids[tg.ID] = true
		out.Targets = append(out.Targets, tg)
	}
	if len(c.problems) > 0 {
		sort.SliceStable(c.problems, func(i, j int) bool { return c.problems[i].Line < c.problems[j].Line })
		return nil, &InvalidError{Problems: c.problems}
	}
	return out, nil
}

func quote(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}

func targetID(t Target) string {
	switch {
	case t.Window != "":
		return t.Metric + "@" + t.Window
	case t.From == t.To:
		return fmt.Sprintf("%s@m%d", t.Metric, t.From)
	}
	return fmt.Sprintf("%s@m%d-%d", t.Metric, t.From, t.To)
}

// Column is the target's metric column in the model's metrics.
func (t Target) Column() int { return t.column }

// Statistic is the target's statistic of one replication: its metric at the
// month, or its mean over the window. out holds months × metrics values,
// month-major, of metrics columns.
func (t Target) Statistic(out []float64, metrics int) float64 {
	s := 0.0
	for m := t.From; m <= t.To; m++ {
		s += out[m*metrics+t.column]
	}
	return s / float64(t.To-t.From+1)
}
