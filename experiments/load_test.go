package experiments

import (
	"context"
	"errors"
	"fmt"
	"frontiersim/internal/tomlkeys"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// files returns a ReadFunc serving the given contents by path; other paths
// do not exist.
func files(m map[string]string) ReadFunc {
	return func(p string) ([]byte, error) {
		if s, ok := m[p]; ok {
			return []byte(s), nil
		}
		return nil, fmt.Errorf("open %s: %w", p, os.ErrNotExist)
	}
}

// mustInvalid loads file and returns its problems, failing unless Load
// reports problems (and does not panic).
func mustInvalid(t *testing.T, file string, read ReadFunc, sim Simulator) []Problem {
	t.Helper()
	e, err := loadNoPanic(file, read, sim)
	if err != nil && strings.HasPrefix(err.Error(), "PANIC") {
		t.Fatal(err)
	}
	var inv *InvalidError
	if e != nil || !errors.As(err, &inv) {
		t.Fatalf("%s: got %v (experiment %v), want an *InvalidError", file, err, e != nil)
	}
	return inv.Problems
}

// findProblem returns the problem about key, failing if there is none.
func findProblem(t *testing.T, problems []Problem, key string) Problem {
	t.Helper()
	for _, p := range problems {
		if p.Key == key {
			return p
		}
	}
	t.Fatalf("no problem about %q in %v", key, problems)
	return Problem{}
}

func scenarioValue(e *Experiment, name string) (float64, bool) {
	for _, p := range e.Scenario {
		if p.Name == name {
			return p.Value, true
		}
	}
	return 0, false
}

// TestChildWinsWhateverTheKeyForm: shipped:baseline sets "mode.replay" = 0
// (quoted); a child setting it in another form must win every time. Before
// the keys were normalised the result depended on map order (the base won
// about one time in five) and so did the hash.
func TestChildWinsWhateverTheKeyForm(t *testing.T) {
	forms := map[string]string{
		"dotted":       "[scenario]\nmode.replay = 1\n",
		"table":        "[scenario.mode]\nreplay = 1\n",
		"inline table": "[scenario]\nmode = {replay = 1}\n",
		"quoted":       "[scenario]\n\"mode.replay\" = 1\n",
	}
	for name, body := range forms {
		t.Run(name, func(t *testing.T) {
			read := files(map[string]string{"child.toml": "extends = \"shipped:baseline\"\nname = \"child\"\n" + body})
			var hash string
			for i := 0; i < 40; i++ {
				e, err := Load("child.toml", read, fuzzSim{})
				if err != nil {
					t.Fatal(err)
				}
				if v, ok := scenarioValue(e, "mode.replay"); !ok || v != 1 {
					t.Fatalf("load %d: mode.replay = %v (set %v), want the child's 1; scenario %v", i+1, v, ok, e.Scenario)
				}
				if hash == "" {
					hash = e.Hash()
				} else if e.Hash() != hash {
					t.Fatalf("load %d: hash %s, first load %s", i+1, e.Hash(), hash)
				}
			}
		})
	}
}

// TestParameterSetTwiceInOneFile: every pair of forms of one parameter in
// one file is a problem at the second line, and the file is rejected the
// same way on every load.
func TestParameterSetTwiceInOneFile(t *testing.T) {
	cases := []struct{ name, body, key string }{
		{"dotted and quoted", "[scenario]\nbass.p = 0.1\n\"bass.p\" = 0.2\n", "scenario.bass.p"},
		{"quoted and dotted", "[scenario]\n\"bass.p\" = 0.1\nbass.p = 0.2\n", "scenario.bass.p"},
		{"inline and quoted", "[scenario]\nbass = {p = 0.1}\n\"bass.p\" = 0.2\n", "scenario.bass.p"},
		{"quoted and table", "[scenario]\n\"bass.p\" = 0.1\n[scenario.bass]\np = 0.2\n", "scenario.bass.p"},
		{"arm overrides", "[[arms]]\nname = \"a\"\n[arms.overrides]\n\"bass.p\" = 0.1\nbass.p = 0.2\n", "arms[0].overrides.bass.p"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text := "name = \"twice\"\nmonths = 12\nbuyers = 20\nreplications = 2\n" + c.body
			lines := strings.Split(text, "\n")
			want := len(lines) - 1 // the last line sets it the second time
			var first string
			for i := 0; i < 8; i++ {
				problems := mustInvalid(t, "twice.toml", files(map[string]string{"twice.toml": text}), reliabilitySim{})
				if len(problems) != 1 {
					t.Fatalf("%d problems, want 1: %v", len(problems), problems)
				}
				p := findProblem(t, problems, c.key)
				if p.Line != want || !strings.Contains(p.Msg, "set twice in this file") {
					t.Fatalf("got %v, want line %d and \"set twice in this file\"", p, want)
				}
				if i == 0 {
					first = p.String()
				} else if p.String() != first {
					t.Fatalf("load %d: %v, first load %v", i+1, p, first)
				}
			}
		})
	}
}

// TestArmNamesThatAreTables: arm names that are tables or arrays, in a base
// and its child, are reported (merging the arms by name used to panic
// comparing them).
func TestArmNamesThatAreTables(t *testing.T) {
	for _, name := range []string{"{}", "{a = 1}", "[]", "[\"cap\"]"} {
		arm := "[[arms]]\nname = " + name + "\n"
		read := files(map[string]string{
			"base.toml":  "name = \"base\"\n" + arm,
			"child.toml": "extends = \"base.toml\"\nname = \"child\"\n" + arm,
		})
		problems := mustInvalid(t, "child.toml", read, reliabilitySim{})
		if p := findProblem(t, problems, "arms[0].name"); p.File != "base.toml" || p.Line != 3 {
			t.Errorf("name = %s: %v, want base.toml:3", name, p)
		}
		if p := findProblem(t, problems, "arms[1].name"); p.File != "child.toml" || p.Line != 4 {
			t.Errorf("name = %s: %v, want child.toml:4", name, p)
		}
	}
}

// TestArmsMergeByName: a child's arm replaces the base's arm of its name;
// two arms of one name in the child are a duplicate, even when the base has
// one of that name (they used to replace it in turn and vanish into one);
// messages about a child's arm point at the child's line.
func TestArmsMergeByName(t *testing.T) {
	base := "name = \"base\"\nmonths = 12\nbuyers = 20\nreplications = 2\n" +
		"[[arms]]\nname = \"cap\"\n[arms.overrides]\n\"policy.revenue_share_cap\" = 0.1\n" +
		"[[arms]]\nname = \"ban\"\n[arms.overrides]\n\"policy.ban_exclusive\" = 3\n"
	one := "extends = \"base.toml\"\nname = \"child\"\n" +
		"[[arms]]\nname = \"cap\"\n[arms.overrides]\n\"policy.revenue_share_cap\" = 0.2\n" +
		"[[arms]]\nname = \"new\"\n[arms.overrides]\n\"bass.p\" = 0.5\n"
	e, err := Load("child.toml", files(map[string]string{"base.toml": base, "child.toml": one}), reliabilitySim{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range e.Arms {
		got = append(got, fmt.Sprintf("%s%v", a.Name, a.Overrides))
	}
	if want := "baseline[] cap[{policy.revenue_share_cap 0.2}] ban[{policy.ban_exclusive 3}] new[{bass.p 0.5}]"; strings.Join(got, " ") != want {
		t.Errorf("arms %s, want %s", strings.Join(got, " "), want)
	}

	two := "extends = \"base.toml\"\nname = \"child\"\n" +
		"[[arms]]\nname = \"cap\"\n" +
		"[[arms]]\nname = \"cap\"\n" +
		"[[arms]]\nname = \"x\"\n[arms.overrides]\n\"bass.p\" = 2\n"
	problems := mustInvalid(t, "child.toml", files(map[string]string{"base.toml": base, "child.toml": two}), reliabilitySim{})
	if len(problems) != 2 {
		t.Fatalf("%d problems, want 2: %v", len(problems), problems)
	}
	if p := findProblem(t, problems, "arms[2].name"); p.File != "child.toml" || p.Line != 6 || !strings.Contains(p.Msg, `duplicate arm name "cap" (arms[0].name on line 4 has it too)`) {
		t.Errorf("got %v, want child.toml:6 duplicate of line 4", p)
	}
	if p := findProblem(t, problems, "arms[3].overrides.bass.p"); p.File != "child.toml" || p.Line != 10 {
		t.Errorf("got %v, want child.toml:10 (the child's third arm is the merged fourth)", p)
	}
}

func TestNames(t *testing.T) {
	good := []string{"a", "cap-study", "cap_10", "v1.2", "A" + strings.Repeat("b", MaxNameLen-1), "-x", "_x"}
	bad := map[string]string{
		"":                                "must not be empty",
		"   ":                             "must not be empty",
		"..":                              "begins with '.'",
		".":                               "begins with '.'",
		".x":                              "begins with '.'",
		"../../x":                         "has the character '/'",
		"a/b":                             `has the character '/'`,
		`a\b`:                             `has the character '\\'`,
		"a\nb":                            `"a\nb" has the character '\n'`,
		"\x1b[31mred":                     `"\x1b[31mred" has the character '\x1b'`,
		"a b":                             "has the character ' '",
		strings.Repeat("x", 300):          "is 300 characters long: at most 64 allowed",
		strings.Repeat("x", MaxNameLen+1): "is 65 characters long",
	}
	for _, n := range good {
		if msg := nameProblem(n); msg != "" {
			t.Errorf("%q rejected: %s", n, msg)
		}
	}
	for n, want := range bad {
		if msg := nameProblem(n); !strings.Contains(msg, want) {
			t.Errorf("%q: got %q, want a message containing %q", n, msg, want)
		}
		// The experiment's name and an arm's name alike.
		text := fmt.Sprintf("name = %q\n[[arms]]\nname = %q\n", n, n)
		problems := mustInvalid(t, "n.toml", files(map[string]string{"n.toml": text}), reliabilitySim{})
		for _, key := range []string{"name", "arms[0].name"} {
			if key == "arms[0].name" && strings.TrimSpace(n) == "" {
				want = "every arm needs a non-empty name"
			}
			if p := findProblem(t, problems, key); !strings.Contains(p.Msg, want) {
				t.Errorf("%q as %s: %v, want %q", n, key, p, want)
			}
		}
	}
}

// nestedInline returns about n bytes of inline tables nested in one another.
func nestedInline(n int) string {
	k := n / 6
	return "name = \"deep\"\n[scenario]\nx = " + strings.Repeat("{a = ", k) + "1" + strings.Repeat("}", k) + "\n"
}

// TestDeepNestingIsRejectedCheaply: 40 KB of nested inline tables cost the
// TOML decoder about 4 GB and a minute; the nesting bound rejects it before
// decoding, quickly and in little memory. So for dotted keys, headers and
// arrays.
func TestDeepNestingIsRejectedCheaply(t *testing.T) {
	const size = 40 << 10
	cases := map[string]string{
		"inline tables": nestedInline(size),
		"dotted key":    "name = \"deep\"\n[scenario]\n" + strings.Repeat("a.", size/2) + "b = 1\n",
		"header":        "name = \"deep\"\n[" + strings.Repeat("a.", size/2) + "b]\nc = 1\n",
		"arrays":        "name = \"deep\"\nx = " + strings.Repeat("[", size/2) + strings.Repeat("]", size/2) + "\n",
		"mixed":         "name = \"deep\"\n[scenario]\n" + strings.Repeat("a.b = {c.d = [{", size/16) + "\n",
		"after a BOM":   "\uFEFF[" + strings.Repeat("a.", size/2) + "b]\nc = 1\n",
	}
	for name, text := range cases {
		t.Run(name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			problems := mustInvalid(t, "deep.toml", files(map[string]string{"deep.toml": text}), reliabilitySim{})
			took := time.Since(start)
			runtime.ReadMemStats(&after)
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("%d bytes rejected in %v, %d KiB allocated: %v", len(text), took, alloc>>10, problems[0])
			if len(problems) != 1 || !strings.Contains(problems[0].Msg, "nested more than 16 levels deep") || problems[0].Line == 0 {
				t.Fatalf("got %v, want one nesting problem with a line", problems)
			}
			if alloc > 8<<20 {
				t.Errorf("%d MiB allocated to reject %d bytes, want at most 8 MiB", alloc>>20, len(text))
			}
		})
	}
}

// TestNestingBound: the bound admits what the shipped files need (4 levels)
// with room to spare (internal/tomlkeys tests how it counts).
func TestNestingBound(t *testing.T) {
	for _, f := range ShippedFiles() {
		b, err := ReadShipped(f)
		if err != nil {
			t.Fatal(err)
		}
		if np := tomlkeys.CheckNesting(string(b), 4); np != nil {
			t.Errorf("%s nests deeper than 4: %+v", f, *np)
		}
		if len(b) > MaxFileBytes/100 {
			t.Errorf("%s: %d bytes, far more than the shipped files need", f, len(b))
		}
	}
}

// TestFileReader: the reader the CLI uses accepts regular files only,
// refuses a named pipe without blocking and a device without reading it,
// stops at the size limit and returns the context's error once cancelled.
func TestFileReader(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	ok := filepath.Join(dir, "ok.toml")
	if err := os.WriteFile(ok, []byte("name = \"ok\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := FileReader(ctx)(ok); err != nil || string(b) != "name = \"ok\"\n" {
		t.Fatalf("regular file: %q, %v", b, err)
	}
	big := filepath.Join(dir, "big.toml")
	if err := os.WriteFile(big, make([]byte, MaxFileBytes+1), 0o644); err != nil {
		t.Fatal(err)
	}
	exact := filepath.Join(dir, "exact.toml")
	if err := os.WriteFile(exact, []byte(strings.Repeat("#", MaxFileBytes)), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := FileReader(ctx)(exact); err != nil || len(b) != MaxFileBytes {
		t.Fatalf("a file of exactly the limit: %d bytes, %v", len(b), err)
	}
	fifo := filepath.Join(dir, "fifo.toml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, want string }{
		{fifo, "a named pipe (FIFO), not a regular file"},
		{"/dev/zero", "a character device, not a regular file"},
		{dir, "a directory, not a regular file"},
		{big, "may have at most 1048576 (1 MiB)"},
		{filepath.Join(dir, "missing.toml"), "no such file"},
	} {
		done := make(chan error, 1)
		go func() { _, err := FileReader(ctx)(c.path); done <- err }()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: got %v, want an error containing %q", c.path, err, c.want)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("%s: the reader blocks", c.path)
		}
		// As the file and as a base file: a problem naming the file (and
		// the extends line), not a hang or an out-of-memory crash.
		problems := mustInvalid(t, c.path, FileReader(ctx), reliabilitySim{})
		if p := problems[0]; p.File != c.path || !strings.Contains(p.Msg, c.want) {
			t.Errorf("Load(%s): %v", c.path, p)
		}
		child := filepath.Join(dir, "child.toml")
		if err := os.WriteFile(child, fmt.Appendf(nil, "name = \"child\"\nextends = %q\n", c.path), 0o644); err != nil {
			t.Fatal(err)
		}
		problems = mustInvalid(t, child, FileReader(ctx), reliabilitySim{})
		if p := problems[0]; p.File != child || p.Line != 2 || p.Key != "extends" || !strings.Contains(p.Msg, c.want) {
			t.Errorf("extends %s: %v", c.path, p)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Load(ok, FileReader(cancelled), reliabilitySim{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: got %v, want context.Canceled", err)
	}
}

func TestEmptyNames(t *testing.T) {
	_, err := Load("", FileReader(context.Background()), reliabilitySim{})
	var inv *InvalidError
	if !errors.As(err, &inv) || len(inv.Problems) != 1 || !strings.HasPrefix(inv.Problems[0].String(), "the experiment file name is empty") {
		t.Errorf("empty file name: %v", err)
	}
	problems := mustInvalid(t, "e.toml", files(map[string]string{"e.toml": "name = \"e\"\nextends = \"\"\n"}), reliabilitySim{})
	if p := findProblem(t, problems, "extends"); p.Line != 2 || strings.Contains(p.Msg, "got a string") || !strings.Contains(p.Msg, "empty: give the path of a base experiment file") {
		t.Errorf("extends = \"\": %v", p)
	}
}

// TestShippedByName: shipped:NAME names a shipped file from anywhere, as the
// file or in extends; relative extends inside it stay among the shipped
// files.
func TestShippedByName(t *testing.T) {
	def, err := LoadDefault(fuzzSim{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"shipped:default", "shipped:default.toml"} {
		e, err := Load(name, files(nil), fuzzSim{})
		if err != nil {
			t.Fatal(err)
		}
		if e.Hash() != def.Hash() {
			t.Errorf("%s differs from the embedded default", name)
		}
	}
	dir := t.TempDir()
	child := filepath.Join(dir, "child.toml")
	if err := os.WriteFile(child, []byte("extends = \"shipped:baseline\"\nname = \"child\"\nreplications = 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	e, err := Load(child, FileReader(context.Background()), fuzzSim{})
	if err != nil {
		t.Fatal(err)
	}
	if e.Seed != 20190101 || e.Replications != 3 || e.Months != 84 {
		t.Errorf("seed %d, replications %d, months %d: want the baseline's seed and months", e.Seed, e.Replications, e.Months)
	}
	problems := mustInvalid(t, "x.toml", files(map[string]string{"x.toml": "name = \"x\"\nextends = \"shipped:../../etc/passwd\"\n"}), fuzzSim{})
	if p := findProblem(t, problems, "extends"); !strings.Contains(p.Msg, "no shipped file") || !strings.Contains(p.Msg, "shipped:baseline") {
		t.Errorf("got %v", p)
	}
}

// TestSweepPointsAreRunnable: validate rejects grids whose points a
// whole-number parameter cannot take, and a Latin hypercube over one draws
// whole numbers, each equally often, and says so.
func TestSweepPointsAreRunnable(t *testing.T) {
	head := "name = \"s\"\nmonths = 12\nbuyers = 20\nreplications = 2\n"
	grid := func(min, max string, steps int) string {
		return head + fmt.Sprintf("[sweep]\nkind = \"grid\"\n[[sweep.parameters]]\nname = \"policy.ban_exclusive\"\nmin = %s\nmax = %s\nsteps = %d\n", min, max, steps)
	}
	for _, c := range []struct {
		text, want string
	}{
		{grid("0", "3", 3), "3 steps from 0 to 3 give 1.5: use steps = 2 or steps = 4"},
		{grid("0", "3", 5), "5 steps from 0 to 3 give 0.75: use steps = 4"},
		{grid("0", "3", 1), "steps = 1 gives min (0) only and ignores max (3)"},
		{head + "[sweep]\nkind = \"grid\"\n[[sweep.parameters]]\nname = \"bass.p\"\nmin = 0.1\nmax = 0.2\nsteps = 1\n", "steps = 1 gives min (0.1) only"},
	} {
		problems := mustInvalid(t, "s.toml", files(map[string]string{"s.toml": c.text}), reliabilitySim{})
		if p := findProblem(t, problems, "sweep.parameters[0].steps"); !strings.Contains(p.Msg, c.want) || p.Line == 0 {
			t.Errorf("got %v, want %q", p, c.want)
		}
	}
	for _, ok := range []string{grid("0", "3", 4), grid("0", "3", 2), grid("1", "1", 1)} {
		if _, err := Load("s.toml", files(map[string]string{"s.toml": ok}), reliabilitySim{}); err != nil {
			t.Errorf("%v", err)
		}
	}

	lhs := head + "[sweep]\nkind = \"lhs\"\npoints = 400\n" +
		"[[sweep.parameters]]\nname = \"policy.ban_exclusive\"\nmin = 0\nmax = 3\n" +
		"[[sweep.parameters]]\nname = \"bass.p\"\nmin = 0.1\nmax = 0.2\n"
	e, err := Load("lhs.toml", files(map[string]string{"lhs.toml": lhs}), reliabilitySim{})
	if err != nil {
		t.Fatal(err)
	}
	count := map[float64]int{}
	fractional := false
	for _, pt := range e.points() {
		x := pt.Params[0].Value
		if x != math.Trunc(x) || x < 0 || x > 3 {
			t.Fatalf("point %s: policy.ban_exclusive = %v", pt.Name, x)
		}
		count[x]++
		if y := pt.Params[1].Value; y != math.Trunc(y) {
			fractional = true
		}
	}
	for _, x := range []float64{0, 1, 2, 3} {
		if count[x] != 100 {
			t.Errorf("policy.ban_exclusive = %v at %d of 400 points, want 100 (a Latin hypercube stratifies)", x, count[x])
		}
	}
	if !fractional {
		t.Error("bass.p takes whole values only: the rounding applies to whole-number parameters only")
	}
	if len(e.Notes) != 1 || !strings.Contains(e.Notes[0], "sweep.parameters[0]: policy.ban_exclusive takes whole numbers") {
		t.Errorf("notes %q, want one about sweep.parameters[0]", e.Notes)
	}
}

// TestEmptyParameterTable: an empty table where a parameter is expected is
// a problem, not silently nothing.
func TestEmptyParameterTable(t *testing.T) {
	head := "name = \"e\"\nmonths = 12\nbuyers = 20\nreplications = 2\n"
	for _, c := range []struct{ body, key string }{
		{"[scenario]\npolicy = {}\n", "scenario.policy"},
		{"[scenario]\n\"bass.p\" = {}\n", "scenario.bass.p"},
		{"[scenario.bass]\n", "scenario.bass"},
		{"[[arms]]\nname = \"a\"\noverrides = {bass = {p = {}}}\n", "arms[0].overrides.bass.p"},
	} {
		problems := mustInvalid(t, "e.toml", files(map[string]string{"e.toml": head + c.body}), reliabilitySim{})
		if p := findProblem(t, problems, c.key); !strings.Contains(p.Msg, "empty table") || p.Line == 0 {
			t.Errorf("%q: %v", c.body, p)
		}
	}
	// An empty [scenario] or overrides table sets nothing, and is fine.
	if _, err := Load("e.toml", files(map[string]string{"e.toml": head + "[scenario]\n[[arms]]\nname = \"a\"\n[arms.overrides]\n"}), reliabilitySim{}); err != nil {
		t.Error(err)
	}
}

func TestDuplicateMetrics(t *testing.T) {
	head := "name = \"m\"\nmonths = 12\nbuyers = 20\nreplications = 2\n"
	for _, table := range []string{"report", "charts"} {
		text := head + "[" + table + "]\nmetrics = [\"hhi_model\", 3, \"spend\", \"hhi_model\"]\n"
		problems := mustInvalid(t, "m.toml", files(map[string]string{"m.toml": text}), reliabilitySim{})
		if len(problems) != 2 {
			t.Errorf("%s: %v, want the number and the duplicate", table, problems)
		}
		// Elements are named by their index as written (the number is [1]).
		findProblem(t, problems, table+".metrics[1]")
		if p := findProblem(t, problems, table+".metrics[3]"); !strings.Contains(p.Msg, `duplicate metric "hhi_model" (`+table+`.metrics[0] lists it too)`) {
			t.Errorf("%s: %v", table, p)
		}
	}
}
