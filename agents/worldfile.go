package agents

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"frontiersim/internal/tomlkeys"
)

// DefaultWorld is the name of the shipped 2019-2025 world (worlds/ai-2019.toml).
const DefaultWorld = "ai-2019"

// shippedWorlds holds the world files shipped with the model. They sit in
// package agents (not beside the experiment files) because the world
// belongs to the model: experiments import no model package's data, and an
// embedded file cannot lie outside its package's directory.
//
//go:embed worlds/*.toml
var shippedWorlds embed.FS

// ShippedWorlds lists the names of the shipped worlds ("ai-2019").
func ShippedWorlds() []string {
	entries, _ := fs.ReadDir(shippedWorlds, "worlds")
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".toml"))
	}
	return out
}

// ShippedWorld decodes the shipped world of that name.
func ShippedWorld(name string) (*Cast, error) {
	b, err := ShippedWorldSource(name)
	if err != nil {
		return nil, err
	}
	return DecodeWorld(path.Join("worlds", name+".toml"), b)
}

// ShippedWorldSource returns the text of the shipped world of that name.
func ShippedWorldSource(name string) ([]byte, error) {
	b, err := fs.ReadFile(shippedWorlds, path.Join("worlds", name+".toml"))
	if err != nil || !worldName.MatchString(name) {
		return nil, fmt.Errorf("no shipped world %q (shipped: %s)", name, strings.Join(ShippedWorlds(), ", "))
	}
	return b, nil
}

// WorldProblem is one thing wrong with a world file (File is the file's
// name as given to DecodeWorld; Key a dotted key path, e.g. labs[2].owner).
type WorldProblem = tomlkeys.Problem

// WorldError lists every problem found in a world file.
type WorldError struct {
	Problems []WorldProblem
}

func (e *WorldError) Error() string { return tomlkeys.ListProblems("world", e.Problems) }

// ProblemList returns the problems (the experiment loader reports them
// with its own).
func (e *WorldError) ProblemList() []tomlkeys.Problem { return e.Problems }

var (
	agentName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)
	worldName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)
	paramName = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$`)
)

// reservedHolders are cap-table holders that are not agents of the file.
var reservedHolders = []string{"founders", "others"}

// DecodeWorld decodes and validates a world file (see docs/ODD.md, "the
// world file"): [[labs]], [[clouds]], [[funds]], [[partnerships]],
// [[events]], [[parameters]] and [metrics]. Every problem is reported at
// once, each with the file, line and key path (*WorldError): syntax, unknown
// keys, wrong types, values out of range, duplicate names, references to
// agents the file does not declare, and counts over the maxima (MaxLabs,
// MaxClouds, MaxFunds). Text nested deeper than tomlkeys.MaxNesting is
// refused before the TOML decoder sees it.
func DecodeWorld(file string, data []byte) (*Cast, error) {
	d := &worldDecoder{file: file}
	text := string(data)
	switch {
	case strings.ContainsRune(text, 0):
		d.add("", "not a text file (contains NUL bytes)")
		return nil, d.err()
	case !utf8.ValidString(text):
		d.add("", "not UTF-8 text")
		return nil, d.err()
	}
	if np := tomlkeys.CheckNesting(text, tomlkeys.MaxNesting); np != nil {
		d.problems = append(d.problems, WorldProblem{File: file, Line: np.Line, Key: np.Key,
			Msg: fmt.Sprintf("nested more than %d levels deep (table header parts, dotted key parts, inline tables and arrays count together); a world file needs 3", tomlkeys.MaxNesting)})
		return nil, d.err()
	}
	var raw map[string]any
	if _, err := toml.Decode(text, &raw); err != nil {
		p := WorldProblem{File: file, Msg: err.Error()}
		var pe toml.ParseError
		if errors.As(err, &pe) {
			p.Line = pe.Position.Line
			p.Msg = "TOML syntax: " + pe.Message
			p.Key = pe.LastKey
		}
		d.problems = append(d.problems, p)
		return nil, d.err()
	}
	d.lines = map[string]int{}
	for k, ls := range tomlkeys.KeyLines(text) {
		d.lines[k] = ls[0]
	}
	c := d.cast(raw)
	if err := d.err(); err != nil {
		return nil, err
	}
	c.File = file
	return c, nil
}

type worldDecoder struct {
	file     string
	lines    map[string]int
	problems []WorldProblem
}

func (d *worldDecoder) err() error {
	if len(d.problems) == 0 {
		return nil
	}
	return &WorldError{Problems: d.problems}
}

// add records a problem at key; its line is the key's, else the closest
// enclosing key's that has one.
func (d *worldDecoder) add(key, format string, args ...any) {
	line := 0
	for k := key; k != ""; {
		if l, ok := d.lines[k]; ok {
			line = l
			break
		}
		i := strings.LastIndexAny(k, ".[")
		if i < 0 {
			// an array of tables as a whole: its first element's header
			line = d.lines[k+"[0]"]
			break
		}
		k = k[:i]
	}
	d.problems = append(d.problems, WorldProblem{File: d.file, Line: line, Key: key, Msg: fmt.Sprintf(format, args...)})
}

func join(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}

func describe(x any) string { return tomlkeys.Describe(x) }

func (d *worldDecoder) unknownKeys(prefix string, t map[string]any, allowed []string) {
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if slices.Contains(allowed, k) {
			continue
		}
		msg := "unknown key"
		if s := tomlkeys.Suggest(k, allowed); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		d.add(join(prefix, k), "%s; allowed keys: %s", msg, strings.Join(allowed, ", "))
	}
}

func (d *worldDecoder) str(t map[string]any, prefix, k string) (string, bool) {
	x, ok := t[k]
	if !ok {
		return "", false
	}
	s, ok := x.(string)
	if !ok {
		d.add(join(prefix, k), "want a string, got %s", describe(x))
		return "", false
	}
	return s, true
}

func (d *worldDecoder) boolean(t map[string]any, prefix, k string) (v, present bool) {
	x, ok := t[k]
	if !ok {
		return false, false
	}
	b, ok := x.(bool)
	if !ok {
		d.add(join(prefix, k), "want true or false, got %s", describe(x))
		return false, false
	}
	return b, true
}

// number reads a numeric key; whole numbers are required when integer.
func (d *worldDecoder) number(t map[string]any, prefix, k string, integer bool, lo, hi float64, unit string) (float64, bool) {
	x, ok := t[k]
	if !ok {
		return 0, false
	}
	key := join(prefix, k)
	var v float64
	switch n := x.(type) {
	case int64:
		v = float64(n)
	case float64:
		if integer {
			d.add(key, "want a whole number (%s), got the float %v (write it without a decimal point)", unit, n)
			return 0, false
		}
		v = n
	default:
		d.add(key, "want a number (%s), got %s", unit, describe(x))
		return 0, false
	}
	if math.IsNaN(v) || math.IsInf(v, 0) || v < lo || v > hi {
		d.add(key, "%v is out of range: allowed [%g, %g] (%s)", v, lo, hi, unit)
		return 0, false
	}
	return v, true
}

func (d *worldDecoder) strings(t map[string]any, prefix, k string) ([]string, bool) {
	x, ok := t[k]
	if !ok {
		return nil, false
	}
	arr, ok := x.([]any)
	if !ok {
		d.add(join(prefix, k), "want an array of strings, got %s", describe(x))
		return nil, false
	}
	out := make([]string, 0, len(arr))
	for i, e := range arr {
		s, ok := e.(string)
		if !ok {
			d.add(fmt.Sprintf("%s[%d]", join(prefix, k), i), "want a string, got %s", describe(e))
			continue
		}
		out = append(out, s)
	}
	return out, true
}

// tables reads an array of tables ([[k]]).
func (d *worldDecoder) tables(raw map[string]any, k string) []map[string]any {
	x, ok := raw[k]
	if !ok {
		return nil
	}
	ts, ok := x.([]map[string]any)
	if !ok {
		d.add(k, "want an array of tables ([[%s]]), got %s", k, describe(x))
		return nil
	}
	return ts
}

// name reads the required name of an agent or world.
func (d *worldDecoder) name(t map[string]any, prefix string, re *regexp.Regexp, what string) string {
	s, ok := d.str(t, prefix, "name")
	if !ok {
		if _, present := t["name"]; !present {
			d.add(join(prefix, "name"), "missing: every %s needs a name", what)
		}
		return ""
	}
	if !re.MatchString(s) {
		d.add(join(prefix, "name"), "%q is not a valid name: want lower case letters, digits and _ (starting with a letter), as in metric and parameter names", s)
		return ""
	}
	return s
}

var (
	topKeys         = []string{"name", "description", "labs", "clouds", "funds", "partnerships", "rights", "events", "parameters", "metrics"}
	labKeys         = []string{"name", "display", "governance", "open_weights", "direct_api", "owner", "parent_funded", "consumer_app", "home_cloud", "share_group"}
	cloudKeys       = []string{"name", "display", "strategic", "own_model"}
	fundKeys        = []string{"name", "display"}
	partnershipKeys = []string{"lab", "cloud", "note"}
	rightsKeys      = []string{"lab", "holder", "voting", "board_seats", "observer_seats", "consultation", "vetoes", "first_notice", "information", "note"}
	eventKeys       = []string{"month", "kind", "lab", "investor", "amount", "post", "governance", "note"}
	parameterKeys   = []string{"name", "description", "source", "grade", "min", "max", "sets"}
	metricKeys      = []string{"labs", "backer_labs"}
)

func attrKeys[S any](base []string, attrs []attr[S]) []string {
	out := append([]string(nil), base...)
	for _, a := range attrs {
		out = append(out, a.key)
	}
	return out
}

func (d *worldDecoder) cast(raw map[string]any) *Cast {
	c := &Cast{}
	d.unknownKeys("", raw, topKeys)
	c.Name = d.name(raw, "", worldName, "world")
	c.Description, _ = d.str(raw, "", "description")
	d.clouds(raw, c)
	d.funds(raw, c)
	d.labs(raw, c)
	for i, cl := range c.Clouds {
		for _, l := range c.Labs {
			if cl.OwnModel && l.Owner == i && l.Governance == GovInHouse {
				d.add(fmt.Sprintf("clouds[%d].own_model", i), "cloud %q owns the in-house lab %q, whose models are its own: declare no other own model (counted twice)", cl.Name, l.Name)
				break
			}
		}
	}
	d.partnerships(raw, c)
	d.rights(raw, c)
	d.events(raw, c)
	d.metrics(raw, c)
	claimed := d.parameters(raw, c)
	attributeParams(c, claimed)
	return c
}

// lookup resolves the name of an agent of one kind; what is "cloud",
// "lab" or "fund", names the declared ones.
func (d *worldDecoder) lookup(key, name, what string, names []string) int {
	for i, n := range names {
		if n == name {
			return i
		}
	}
	msg := fmt.Sprintf("unknown %s %q", what, name)
	if s := tomlkeys.Suggest(name, names); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	if len(names) == 0 {
		d.add(key, "%s: the world declares no %ss", msg, what)
	} else {
		d.add(key, "%s: the world's %ss are %s", msg, what, strings.Join(names, ", "))
	}
	return -1
}

func (c *Cast) labNames() []string {
	out := make([]string, len(c.Labs))
	for i := range c.Labs {
		out[i] = c.Labs[i].Name
	}
	return out
}

func (c *Cast) cloudNames() []string {
	out := make([]string, len(c.Clouds))
	for i := range c.Clouds {
		out[i] = c.Clouds[i].Name
	}
	return out
}

func (c *Cast) fundNames() []string {
	out := make([]string, len(c.Funds))
	for i := range c.Funds {
		out[i] = c.Funds[i].Name
	}
	return out
}

// agent reads the name and display name of one agent of a kind (what):
// a duplicate of a name in seen is reported with dup (a format taking the
// name), and so is a cap-table holder's name if the agent holds stakes;
// the display name defaults to the name.
func (d *worldDecoder) agent(t map[string]any, prefix, what string, seen map[string]bool, holder bool, dup string) (name, display string) {
	name = d.name(t, prefix, agentName, what)
	switch {
	case name == "":
	case seen[name]:
		d.add(prefix+".name", dup, name)
	case holder && slices.Contains(reservedHolders, name):
		d.add(prefix+".name", "%q is reserved (a cap-table holder); choose another name", name)
	}
	seen[name] = true
	display, _ = d.str(t, prefix, "display")
	if display == "" {
		display = name
	}
	return name, display
}

// count reports a count over a maximum at the first element beyond it.
func (d *worldDecoder) count(k string, n, max int, what string) {
	if n > max {
		d.add(fmt.Sprintf("%s[%d]", k, max), "%d %s declared, at most %d", n, what, max)
	}
}

// numbers reads the numeric attributes of one agent.
func numbers[S any](d *worldDecoder, t map[string]any, prefix string, s *S, attrs []attr[S]) {
	for _, a := range attrs {
		a.set(s, a.def)
		if v, ok := d.number(t, prefix, a.key, a.integer, a.min, a.max, a.unit); ok {
			a.set(s, v)
		}
	}
}

func (d *worldDecoder) clouds(raw map[string]any, c *Cast) {
	ts := d.tables(raw, "clouds")
	if _, ok := raw["clouds"]; !ok {
		d.add("clouds", "missing: a world needs at least one cloud ([[clouds]])")
	}
	d.count("clouds", len(ts), MaxClouds, "clouds")
	seen := map[string]bool{}
	fringe := -1
	rest := map[string]string{} // share key -> first cloud that takes the rest
	for i, t := range ts {
		prefix := fmt.Sprintf("clouds[%d]", i)
		d.unknownKeys(prefix, t, attrKeys(cloudKeys, cloudAttrs))
		var cl CloudSpec
		cl.Name, cl.Display = d.agent(t, prefix, "cloud", seen, true, "duplicate cloud name %q")
		st, ok := d.boolean(t, prefix, "strategic")
		if !ok {
			if _, present := t["strategic"]; !present {
				d.add(prefix+".strategic", "missing: say whether the cloud is a strategic hyperscaler (true) or part of the non-strategic fringe (false)")
			}
		}
		cl.Strategic = st
		if st && fringe >= 0 {
			d.add(prefix+".strategic", "hyperscaler %q after the fringe cloud %q: declare the strategic clouds first", cl.Name, c.Clouds[fringe].Name)
		}
		if !st && fringe < 0 {
			fringe = i
		}
		// buyer_share and base_share: a fraction, or "rest" (1 minus the others)
		for _, k := range []string{"buyer_share", "base_share"} {
			if s, isStr := t[k].(string); isStr {
				if s != "rest" {
					d.add(prefix+"."+k, "want a fraction in [0, 1] or \"rest\" (1 minus the other clouds' shares), got %q", s)
				} else if first, dup := rest[k]; dup {
					d.add(prefix+"."+k, "only one cloud takes the rest of %s (%q already does)", k, first)
				} else {
					rest[k] = cl.Name
				}
				delete(t, k) // read as "rest", not as a number
				if k == "buyer_share" {
					cl.BuyerRest = true
				} else {
					cl.BaseRest = true
				}
			}
		}
		numbers(d, t, prefix, &cl, cloudAttrs)
		cl.OwnModel, _ = d.boolean(t, prefix, "own_model")
		if !st {
			for _, k := range []string{"own_model_gap", "own_model"} {
				if _, ok := t[k]; ok {
					d.add(prefix+"."+k, "only a strategic cloud has own models")
				}
			}
		}
		c.Clouds = append(c.Clouds, cl)
	}
	for _, k := range []string{"buyer_share", "base_share"} {
		if len(ts) == 0 {
			break
		}
		sum := 0.0
		for i := range c.Clouds {
			cl := &c.Clouds[i]
			v, r := cl.BuyerShare, cl.BuyerRest
			if k == "base_share" {
				v, r = cl.BaseShare, cl.BaseRest
			}
			if !r {
				sum += v
			}
		}
		if err := shareSum(k, sum, rest[k] != ""); err != "" {
			d.add("clouds", "%s", err)
		}
	}
}

// shareSum checks the declared shares of a whole: at most 1 when a cloud
// takes the rest, else 1.
func shareSum(what string, sum float64, rest bool) string {
	switch {
	case rest && sum > 1+1e-12:
		return fmt.Sprintf("the clouds' %s values sum to %g, want at most 1 (the rest cloud takes 1 minus the sum)", what, sum)
	case !rest && math.Abs(sum-1) > 1e-9:
		return fmt.Sprintf("the clouds' %s values sum to %g, want 1 (or let one cloud take the \"rest\")", what, sum)
	}
	return ""
}

func (d *worldDecoder) funds(raw map[string]any, c *Cast) {
	ts := d.tables(raw, "funds")
	d.count("funds", len(ts), MaxFunds, "funds")
	seen := map[string]bool{}
	for _, cl := range c.Clouds {
		seen[cl.Name] = true
	}
	for i, t := range ts {
		prefix := fmt.Sprintf("funds[%d]", i)
		d.unknownKeys(prefix, t, attrKeys(fundKeys, fundAttrs))
		var f FundSpec
		f.Name, f.Display = d.agent(t, prefix, "fund", seen, true, "duplicate name %q (funds and clouds hold stakes in labs under their names, which must differ)")
		numbers(d, t, prefix, &f, fundAttrs)
		if _, ok := t["size"]; !ok {
			d.add(prefix+".size", "missing: the fund's committed capital (US$B)")
		}
		c.Funds = append(c.Funds, f)
	}
}

var governanceDoc = strings.Join(governanceNames[:], ", ")

func (d *worldDecoder) labs(raw map[string]any, c *Cast) {
	ts := d.tables(raw, "labs")
	if _, ok := raw["labs"]; !ok {
		d.add("labs", "missing: a world needs at least one lab ([[labs]])")
	}
	d.count("labs", len(ts), MaxLabs, "labs")
	clouds := c.cloudNames()
	fringe := -1
	for i := range c.Clouds {
		if !c.Clouds[i].Strategic {
			fringe = i
			break
		}
	}
	seen := map[string]bool{}
	for i, t := range ts {
		prefix := fmt.Sprintf("labs[%d]", i)
		d.unknownKeys(prefix, t, attrKeys(labKeys, labAttrs))
		l := LabSpec{Owner: -1, HomeCloud: -1}
		l.Name, l.Display = d.agent(t, prefix, "lab", seen, false, "duplicate lab name %q")
		l.Governance = GovForProfit
		if g, ok := d.str(t, prefix, "governance"); ok {
			found := false
			for gi, n := range governanceNames {
				if n == g {
					l.Governance, found = Governance(gi), true
				}
			}
			if !found {
				d.add(prefix+".governance", "unknown governance %q: want one of %s", g, governanceDoc)
			}
		}
		l.OpenWeights, _ = d.boolean(t, prefix, "open_weights")
		l.DirectAPI, _ = d.boolean(t, prefix, "direct_api")
		l.ParentFunded, _ = d.boolean(t, prefix, "parent_funded")
		l.ConsumerApp, _ = d.boolean(t, prefix, "consumer_app")
		l.ShareGroup = l.Name
		if g, ok := d.str(t, prefix, "share_group"); ok {
			if agentName.MatchString(g) {
				l.ShareGroup = g
			} else {
				d.add(prefix+".share_group", "%q is not a valid name: want lower case letters, digits and _", g)
			}
		}
		if o, ok := d.str(t, prefix, "owner"); ok {
			if l.Owner = d.lookup(prefix+".owner", o, "cloud", clouds); l.Owner >= 0 && !c.Clouds[l.Owner].Strategic {
				d.add(prefix+".owner", "cloud %q is not strategic: only a hyperscaler owns an in-house lab", o)
				l.Owner = -1
			}
		}
		if h, ok := d.str(t, prefix, "home_cloud"); ok {
			l.HomeCloud = d.lookup(prefix+".home_cloud", h, "cloud", clouds)
		}
		numbers(d, t, prefix, &l, labAttrs)
		// consistency of the declared attributes
		switch {
		case l.Owner >= 0 && l.Governance != GovInHouse:
			d.add(prefix+".governance", "a lab owned by a cloud has governance \"in_house\", not %q", l.Governance)
		case l.Owner < 0 && l.Governance == GovInHouse:
			if _, ok := t["owner"]; !ok {
				d.add(prefix+".owner", "missing: an in-house lab names the hyperscaler that owns it")
			}
		}
		if l.ParentFunded && l.Owner >= 0 {
			d.add(prefix+".parent_funded", "an in-house lab is funded by its owner (consolidated), not by a parent outside the market")
		}
		if l.DirectAPI && !l.OpenWeights {
			d.add(prefix+".direct_api", "applies to open-weight labs only (a closed independent lab always sells through its own API)")
		}
		if _, ok := t["open_weight_gap"]; ok && !l.OpenWeights {
			d.add(prefix+".open_weight_gap", "applies to open-weight labs only")
		}
		if _, ok := t["consumer_brand"]; ok && !l.ConsumerApp {
			d.add(prefix+".consumer_brand", "the lab has no consumer app (consumer_app = true)")
		}
		switch {
		case l.Owner >= 0 && l.HomeCloud >= 0 && l.HomeCloud != l.Owner:
			d.add(prefix+".home_cloud", "an in-house lab computes on its owner's cloud %q", c.Clouds[l.Owner].Name)
		case l.Owner >= 0:
			l.HomeCloud = l.Owner
		case l.HomeCloud < 0 && fringe >= 0:
			l.HomeCloud = fringe
		case l.HomeCloud < 0 && len(c.Clouds) > 0:
			if _, ok := t["home_cloud"]; !ok {
				d.add(prefix+".home_cloud", "missing: the world has no fringe cloud to start an independent lab's compute on")
			}
		}
		c.Labs = append(c.Labs, l)
	}
}

func (d *worldDecoder) partnerships(raw map[string]any, c *Cast) {
	labs, clouds := c.labNames(), c.cloudNames()
	has := map[int]string{}
	for i, t := range d.tables(raw, "partnerships") {
		prefix := fmt.Sprintf("partnerships[%d]", i)
		d.unknownKeys(prefix, t, partnershipKeys)
		p := Partnership{Lab: -1, Cloud: -1}
		if s, ok := d.str(t, prefix, "lab"); ok {
			p.Lab = d.lookup(prefix+".lab", s, "lab", labs)
		} else if _, present := t["lab"]; !present {
			d.add(prefix+".lab", "missing: the lab of the partnership")
		}
		if s, ok := d.str(t, prefix, "cloud"); ok {
			p.Cloud = d.lookup(prefix+".cloud", s, "cloud", clouds)
			if p.Cloud >= 0 && !c.Clouds[p.Cloud].Strategic {
				d.add(prefix+".cloud", "cloud %q is not strategic: only a hyperscaler backs a lab", s)
				p.Cloud = -1
			}
		} else if _, present := t["cloud"]; !present {
			d.add(prefix+".cloud", "missing: the hyperscaler that backs the lab")
		}
		p.Note, _ = d.str(t, prefix, "note")
		if p.Lab >= 0 {
			L := &c.Labs[p.Lab]
			switch {
			case L.Owner >= 0 || L.ParentFunded:
				d.add(prefix+".lab", "lab %q is owned or parent-funded: only an independent lab has a backer", L.Name)
			case has[p.Lab] != "":
				d.add(prefix+".lab", "lab %q already has a partnership (%s): a lab has one exclusive backer", L.Name, has[p.Lab])
			}
			has[p.Lab] = prefix
		}
		if p.Lab >= 0 && p.Cloud >= 0 {
			c.Partnerships = append(c.Partnerships, p)
		}
	}
}

func (d *worldDecoder) events(raw map[string]any, c *Cast) {
	labs, clouds := c.labNames(), c.cloudNames()
	kinds := eventKindNames[:]
	for i, t := range d.tables(raw, "events") {
		prefix := fmt.Sprintf("events[%d]", i)
		d.unknownKeys(prefix, t, eventKeys)
		e := Event{Lab: -1, Investor: -1}
		ok := true
		if m, present := d.number(t, prefix, "month", true, 0, 1e6, "month"); present {
			e.Month = int(m)
		} else {
			ok = false
			if _, present := t["month"]; !present {
				d.add(prefix+".month", "missing: the month of the event (0 = Jan 2019)")
			}
		}
		k, present := d.str(t, prefix, "kind")
		switch {
		case present && slices.Contains(kinds, k):
			for ki, n := range kinds {
				if n == k {
					e.Kind = EventKind(ki)
				}
			}
		case present:
			d.add(prefix+".kind", "unknown event kind %q: want one of %s", k, strings.Join(kinds, ", "))
			ok = false
		default:
			ok = false
			if _, p := t["kind"]; !p {
				d.add(prefix+".kind", "missing: want one of %s", strings.Join(kinds, ", "))
			}
		}
		if s, present := d.str(t, prefix, "lab"); present {
			e.Lab = d.lookup(prefix+".lab", s, "lab", labs)
		} else if _, p := t["lab"]; !p {
			d.add(prefix+".lab", "missing: the lab of the event")
		}
		if e.Lab < 0 {
			ok = false
		}
		if s, present := d.str(t, prefix, "investor"); present {
			e.Investor = d.lookup(prefix+".investor", s, "cloud", clouds)
			if e.Investor >= 0 && !c.Clouds[e.Investor].Strategic {
				d.add(prefix+".investor", "cloud %q is not strategic: only a hyperscaler makes strategic investments", s)
				e.Investor = -1
			}
			if e.Investor < 0 {
				ok = false
			}
		}
		e.Note, _ = d.str(t, prefix, "note")
		e.Governance = GovForProfit
		if g, present := d.str(t, prefix, "governance"); present {
			gi := slices.Index(governanceNames[:], g)
			switch {
			case e.Kind != EventRestructuring:
				d.add(prefix+".governance", "only a restructuring event changes the governance")
				ok = false
			case gi < 0 || Governance(gi) == GovInHouse || Governance(gi) == GovParentOwned:
				d.add(prefix+".governance", "a restructuring gives governance %q: want capped_profit, pbc or for_profit", g)
				ok = false
			default:
				e.Governance = Governance(gi)
			}
		}
		money := e.Kind == EventStrategic || e.Kind == EventRound
		amount, hasAmount := d.number(t, prefix, "amount", false, 0, 1e6, "US$B")
		post, hasPost := d.number(t, prefix, "post", false, 0, 1e9, "US$B")
		e.Amount, e.Post = amount, post
		if ok {
			switch {
			case e.Kind == EventStrategic && e.Investor < 0:
				d.add(prefix+".investor", "missing: the hyperscaler that invests")
				ok = false
			case e.Kind == EventRound && e.Investor >= 0:
				d.add(prefix+".investor", "a VC-led round has no strategic investor (funds and other investors take it)")
				ok = false
			case money && (!hasAmount || !hasPost):
				d.add(prefix, "a %s event needs amount and post (US$B)", k)
				ok = false
			case money && !(e.Amount > 0 && e.Post >= e.Amount):
				d.add(prefix+".amount", "want 0 < amount <= post, got amount %g and post %g", e.Amount, e.Post)
				ok = false
			case !money && (hasAmount || hasPost):
				d.add(prefix, "a %s event moves no money: remove amount and post", k)
				ok = false
			}
		}
		if ok {
			c.Events = append(c.Events, e)
		}
	}
}

func (d *worldDecoder) metrics(raw map[string]any, c *Cast) {
	x, present := raw["metrics"]
	if !present {
		return
	}
	t, ok := x.(map[string]any)
	if !ok {
		d.add("metrics", "want a table ([metrics]), got %s", describe(x))
		return
	}
	d.unknownKeys("metrics", t, metricKeys)
	labs := c.labNames()
	read := func(k string) []int {
		names, _ := d.strings(t, "metrics", k)
		var out []int
		for i, n := range names {
			key := fmt.Sprintf("metrics.%s[%d]", k, i)
			l := d.lookup(key, n, "lab", labs)
			switch {
			case l < 0:
			case slices.Contains(out, l):
				d.add(key, "lab %q is listed twice", n)
			default:
				out = append(out, l)
			}
		}
		return out
	}
	c.Metrics.Labs = read("labs")
	c.Metrics.BackerLabs = read("backer_labs")
}

// parameters reads the world's declared parameters: each names one or more
// agent attributes ("labs.openai.brand") that share one value. It returns
// the attributes they set (attribute path -> parameter name).
func (d *worldDecoder) parameters(raw map[string]any, c *Cast) map[string]string {
	seen := map[string]bool{}
	claimed := map[string]string{} // attribute path -> parameter that sets it
	for i, t := range d.tables(raw, "parameters") {
		prefix := fmt.Sprintf("parameters[%d]", i)
		d.unknownKeys(prefix, t, parameterKeys)
		var wp worldParam
		sp := &wp.spec
		sp.Name, _ = d.str(t, prefix, "name")
		switch {
		case sp.Name == "":
			if _, ok := t["name"]; !ok {
				d.add(prefix+".name", "missing: the parameter's name (dotted lower_snake, e.g. labs.openai.brand)")
			}
		case !paramName.MatchString(sp.Name):
			d.add(prefix+".name", "%q is not a valid parameter name: want dotted lower_snake words (group.name)", sp.Name)
		case seen[sp.Name]:
			d.add(prefix+".name", "duplicate parameter %q", sp.Name)
		case scenarioParamIndex(sp.Name) >= 0:
			d.add(prefix+".name", "%q is a behaviour parameter of the model (runsim params); a world parameter needs a name of its own", sp.Name)
		}
		seen[sp.Name] = true
		for _, k := range []string{"description", "source"} {
			s, ok := d.str(t, prefix, k)
			if !ok || strings.TrimSpace(s) == "" {
				if _, present := t[k]; !present || ok {
					d.add(prefix+"."+k, "missing: every parameter documents its %s", k)
				}
			}
			if k == "description" {
				sp.Description = s
			} else {
				sp.Source = s
			}
		}
		if g, ok := d.str(t, prefix, "grade"); ok && len(g) == 1 && strings.Contains("ABCD", g) {
			sp.Grade = g
		} else if ok || t["grade"] == nil {
			d.add(prefix+".grade", "want a certainty grade \"A\", \"B\", \"C\" or \"D\" (domain model §5)")
		}
		paths, _ := d.strings(t, prefix, "sets")
		if len(paths) == 0 {
			d.add(prefix+".sets", "missing: the attributes the parameter sets, e.g. [\"labs.openai.brand\"]")
		}
		lo, hi := math.Inf(-1), math.Inf(1)
		for j, p := range paths {
			key := fmt.Sprintf("%s.sets[%d]", prefix, j)
			ref, a, ok := d.attrRef(key, p, c)
			if !ok {
				continue
			}
			if other, dup := claimed[p]; dup {
				d.add(key, "%s is already set by parameter %s", p, other)
				continue
			}
			claimed[p] = sp.Name
			v := c.attrGet(ref)
			if len(wp.targets) == 0 {
				sp.Unit, sp.Integer, sp.Default = a.unit, a.integer, v
				lo, hi = a.min, a.max
			} else {
				if a.unit != sp.Unit || a.integer != sp.Integer {
					d.add(key, "%s is in %s, but the parameter's first target is in %s", p, a.unit, sp.Unit)
					continue
				}
				if v != sp.Default {
					d.add(key, "%s = %v but %s = %v: the targets of one parameter share one value", p, v, c.attrPath(wp.targets[0]), sp.Default)
					continue
				}
				lo, hi = math.Max(lo, a.min), math.Min(hi, a.max)
			}
			wp.targets = append(wp.targets, ref)
		}
		if len(wp.targets) == 0 {
			continue
		}
		sp.Min, sp.Max = lo, hi
		if v, ok := d.number(t, prefix, "min", sp.Integer, lo, hi, sp.Unit); ok {
			sp.Min = v
		}
		if v, ok := d.number(t, prefix, "max", sp.Integer, lo, hi, sp.Unit); ok {
			sp.Max = v
		}
		if sp.Min > sp.Max {
			d.add(prefix+".min", "min %g > max %g", sp.Min, sp.Max)
		} else if sp.Default < sp.Min || sp.Default > sp.Max {
			d.add(prefix+".sets", "the targets' value %v lies outside the parameter's range [%g, %g]", sp.Default, sp.Min, sp.Max)
		}
		if isAttrPath(sp.Name) && (len(wp.targets) != 1 || c.attrPath(wp.targets[0]) != sp.Name) {
			d.add(prefix+".name", "%q is an attribute path: a parameter of that name sets that attribute alone (sets = [%q]); name a parameter shared by several attributes after what they share, e.g. labs.frontier_burn_growth", sp.Name, sp.Name)
		}
		c.params = append(c.params, wp)
	}
	return claimed
}

// isAttrPath reports whether name has the form of an attribute path
// (labs.<lab>.<attribute>, clouds.<cloud>.<attribute>, funds.<fund>.<attribute>).
func isAttrPath(name string) bool {
	parts := strings.Split(name, ".")
	return len(parts) == 3 && (parts[0] == "labs" || parts[0] == "clouds" || parts[0] == "funds")
}

// attributeParams appends a parameter for every numeric attribute of every
// agent that no declared parameter sets, named by its path
// (labs.anthropic.brand), with the attribute's unit and range and the world
// file's value as its default: any attribute of the cast can be overridden
// in an experiment, swept or varied like any other parameter. Declared
// parameters come first, in file order; then labs, clouds and funds in
// declaration order, each in attribute order. A share declared "rest" (the
// remainder of the others) has no parameter.
func attributeParams(c *Cast, claimed map[string]string) {
	add := func(ref attrRef, a attr[struct{}], display string) {
		path := c.attrPath(ref)
		if _, ok := claimed[path]; ok {
			return
		}
		grade, source := "C", "world "+c.Name+": the world file's value"
		if a.grade != "" {
			grade, source = a.grade, "world "+c.Name+": "+a.source
		}
		c.params = append(c.params, worldParam{
			spec: ParamSpec{Name: path, Unit: a.unit, Grade: grade,
				Source:      source,
				Description: display + ": " + a.desc,
				Default:     c.attrGet(ref), Min: a.min, Max: a.max, Integer: a.integer},
			targets: []attrRef{ref},
		})
	}
	for i := range c.Labs {
		for j := range labAttrs {
			add(attrRef{kindLab, i, j}, erase(labAttrs[j]), c.Labs[i].Display)
		}
	}
	for i, cl := range c.Clouds {
		for j, a := range cloudAttrs {
			if a.key == "buyer_share" && cl.BuyerRest || a.key == "base_share" && cl.BaseRest {
				continue // "rest": the remainder of the others, not a value of its own
			}
			add(attrRef{kindCloud, i, j}, erase(cloudAttrs[j]), cl.Display)
		}
	}
	for i := range c.Funds {
		for j := range fundAttrs {
			add(attrRef{kindFund, i, j}, erase(fundAttrs[j]), c.Funds[i].Display)
		}
	}
}

// attrRef resolves an attribute path: labs.<lab>.<attr>, clouds.<cloud>.<attr>
// or funds.<fund>.<attr>.
func (d *worldDecoder) attrRef(key, p string, c *Cast) (attrRef, attr[struct{}], bool) {
	parts := strings.Split(p, ".")
	if len(parts) != 3 {
		d.add(key, "%q: want labs.<lab>.<attribute>, clouds.<cloud>.<attribute> or funds.<fund>.<attribute>", p)
		return attrRef{}, attr[struct{}]{}, false
	}
	var (
		ref   attrRef
		names []string
		keys  []string
		meta  func(i int) attr[struct{}]
	)
	switch parts[0] {
	case "labs":
		ref.kind, names = kindLab, c.labNames()
		keys = attrKeys(nil, labAttrs)
		meta = func(i int) attr[struct{}] { return erase(labAttrs[i]) }
	case "clouds":
		ref.kind, names = kindCloud, c.cloudNames()
		keys = attrKeys(nil, cloudAttrs)
		meta = func(i int) attr[struct{}] { return erase(cloudAttrs[i]) }
	case "funds":
		ref.kind, names = kindFund, c.fundNames()
		keys = attrKeys(nil, fundAttrs)
		meta = func(i int) attr[struct{}] { return erase(fundAttrs[i]) }
	default:
		d.add(key, "%q: unknown agent kind %q: want labs, clouds or funds", p, parts[0])
		return attrRef{}, attr[struct{}]{}, false
	}
	what := strings.TrimSuffix(parts[0], "s")
	if ref.agent = d.lookup(key, parts[1], what, names); ref.agent < 0 {
		return attrRef{}, attr[struct{}]{}, false
	}
	ref.attr = -1
	for i, k := range keys {
		if k == parts[2] {
			ref.attr = i
		}
	}
	if ref.attr < 0 {
		msg := fmt.Sprintf("%q: %s has no numeric attribute %q", p, what, parts[2])
		if s := tomlkeys.Suggest(parts[2], keys); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		d.add(key, "%s; its numeric attributes are %s", msg, strings.Join(keys, ", "))
		return attrRef{}, attr[struct{}]{}, false
	}
	return ref, meta(ref.attr), true
}

// erase keeps an attribute's documentation and range without its accessors.
func erase[S any](a attr[S]) attr[struct{}] {
	return attr[struct{}]{key: a.key, unit: a.unit, desc: a.desc, grade: a.grade, source: a.source, min: a.min, max: a.max, integer: a.integer, def: a.def}
}
