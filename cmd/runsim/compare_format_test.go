package main

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"frontiersim/internal/toysim"
	"frontiersim/results"
)

// toyWindows is the toy study with a reported month and two windows.
const toyWindows = toyStudy + `
[report]
months = [5]
windows = [{name = "late", from = 6, to = 11}, {name = "early", from = 0, to = 5}]
`

// runToyWindows runs the toy study with windows and returns its directory
// and comparison rows.
func runToyWindows(t *testing.T) (string, []results.ComparisonRow) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := runToy(t, context.Background(), nil, "run", writeToy(t, toyWindows), "-o", dir, "-q", "-no-charts"); code != exitOK {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	d, err := results.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return dir, d.Comparison
}

// sameRows compares comparison rows with NaN equal to NaN.
func sameRows(t *testing.T, what string, got, want []results.ComparisonRow) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d rows, want %d", what, len(got), len(want))
	}
	for i := range got {
		if a, b := compRowText(got[i]), compRowText(want[i]); a != b {
			t.Fatalf("%s: row %d:\n%s\nwant\n%s", what, i, a, b)
		}
	}
}

func compRowText(r results.ComparisonRow) string {
	var b strings.Builder
	w, _ := results.NewWriter(results.NewCSVStream(&b), results.ComparisonTable())
	w.Write(r)
	w.Close()
	return b.String()
}

// TestCompareFormats: -format csv writes comparison.csv byte for byte (and
// parses back to its numbers); json is an array of objects with typed
// values, NaN as null; markdown a table of every column; text fits in 100
// columns by default and in COLUMNS when set.
func TestCompareFormats(t *testing.T) {
	dir, rows := runToyWindows(t)
	file, err := os.ReadFile(filepath.Join(dir, results.ComparisonFile))
	if err != nil {
		t.Fatal(err)
	}

	code, out, stderr := runToy(t, context.Background(), nil, "compare", dir, "-format", "csv")
	if code != exitOK || stderr != "" {
		t.Fatalf("csv: exit %d: %s", code, stderr)
	}
	if out != string(file) {
		t.Errorf("-format csv is not comparison.csv:\n%s\nwant\n%s", out, file)
	}
	back, err := results.ReadCSV(strings.NewReader(out), results.ComparisonTable())
	if err != nil {
		t.Fatal(err)
	}
	sameRows(t, "csv read back", back, rows)

	code, out, stderr = runToy(t, context.Background(), nil, "compare", dir, "-format", "json")
	if code != exitOK {
		t.Fatalf("json: exit %d: %s", code, stderr)
	}
	var objs []map[string]any
	if err := json.Unmarshal([]byte(out), &objs); err != nil {
		t.Fatalf("json does not parse: %v\n%s", err, out)
	}
	if len(objs) != len(rows) {
		t.Fatalf("json: %d objects, want %d", len(objs), len(rows))
	}
	for i, o := range objs {
		r := rows[i]
		if len(o) != len(results.ComparisonTable().Fields) || o["arm"] != r.Arm || o["window"] != r.Window || o["from"] != float64(r.From) ||
			o["definitional"] != r.Definitional {
			t.Fatalf("json object %d: %v, want row %+v", i, o, r)
		}
		for _, c := range []struct {
			name string
			v    float64
		}{{"diff", r.Diff}, {"paired_ci95_lo", r.PairedLo}, {"pairing_gain", r.PairingGain}} {
			switch x := o[c.name].(type) {
			case nil:
				if !math.IsNaN(c.v) {
					t.Errorf("json object %d: %s is null, want %v", i, c.name, c.v)
				}
			case float64:
				if x != c.v {
					t.Errorf("json object %d: %s is %v, want %v", i, c.name, x, c.v)
				}
			default:
				t.Errorf("json object %d: %s is %T, want a number", i, c.name, x)
			}
		}
	}

	code, out, _ = runToy(t, context.Background(), nil, "compare", dir, "-format", "markdown", "-window", "late")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != exitOK || len(lines) != 2+2*4 || !strings.HasPrefix(lines[0], "| arm | point | metric | window | from | month | n |") ||
		!strings.HasPrefix(lines[1], "| --- | --- | --- | --- | ---: |") || !strings.Contains(lines[2], "| late | 6 | 11 |") {
		t.Errorf("markdown: exit %d:\n%s", code, out)
	}

	for _, c := range []struct {
		columns string
		width   int
	}{{"", 100}, {"60", 60}} {
		e, outb, errb := toyEnv(toysim.Simulator{})
		e.getenv = func(k string) string {
			if k == "COLUMNS" {
				return c.columns
			}
			return ""
		}
		if code := dispatch(context.Background(), e, []string{"compare", dir}); code != exitOK {
			t.Fatalf("text: exit %d: %s", code, errb)
		}
		text := outb.String()
		for _, l := range strings.Split(text, "\n") {
			if utf8.RuneCountInString(l) > c.width {
				t.Errorf("COLUMNS=%q: a line of %d columns, over %d:\n%s", c.columns, utf8.RuneCountInString(l), c.width, l)
			}
		}
		for _, want := range []string{"== horizon: 2019-12 (month 11) ==", "== m5: 2019-06 (month 5) ==",
			"== late: mean over 2019-07 to 2019-12 (months 6 to 11) ==", "model_share_a (fraction)", "PAIRED 95% CI", "BOOTSTRAP 95% CI", "yes"} {
			if !strings.Contains(text, want) {
				t.Errorf("COLUMNS=%q: text lacks %q:\n%s", c.columns, want, text)
			}
		}
	}
}

// TestCompareFilters: -arm, -point, -metric, -month and -window choose
// rows; a name the run does not have is a usage error that says what it
// has.
func TestCompareFilters(t *testing.T) {
	dir, rows := runToyWindows(t)
	count := func(keep func(results.ComparisonRow) bool) int {
		n := 0
		for _, r := range rows {
			if keep(r) {
				n++
			}
		}
		return n
	}
	for _, c := range []struct {
		args []string
		keep func(results.ComparisonRow) bool
	}{
		{[]string{"-window", "late"}, func(r results.ComparisonRow) bool { return r.Window == "late" }},
		{[]string{"-month", "5"}, func(r results.ComparisonRow) bool { return r.Window == "m5" }},
		{[]string{"-month", "11"}, func(r results.ComparisonRow) bool { return r.Window == "horizon" }},
		{[]string{"-arm", "slow", "-metric", "spend"}, func(r results.ComparisonRow) bool { return r.Arm == "slow" && r.Metric == "spend" }},
		{[]string{"-point", "-", "-window", "horizon"}, func(r results.ComparisonRow) bool { return r.Window == "horizon" }},
	} {
		code, out, stderr := runToy(t, context.Background(), nil, append([]string{"compare", dir, "-format", "csv"}, c.args...)...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", c.args, code, stderr)
		}
		got, err := results.ReadCSV(strings.NewReader(out), results.ComparisonTable())
		if err != nil {
			t.Fatal(err)
		}
		if want := count(c.keep); len(got) != want || want == 0 {
			t.Errorf("%v: %d rows, want %d", c.args, len(got), want)
		}
		for _, r := range got {
			if !c.keep(r) {
				t.Errorf("%v: row %+v", c.args, r)
			}
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-month", "4"}, "-month 4: comparison.csv compares months 11 (the horizon), 5"},
		{[]string{"-window", "lat"}, `-window "lat": comparison.csv has no such window (did you mean "late"?); its windows are horizon, m5, late, early`},
		{[]string{"-month", "5", "-window", "late"}, "give -month or -window, not both"},
		{[]string{"-arm", "baseline"}, `-arm "baseline" is the baseline`},
		{[]string{"-arm", "caps"}, `-arm "caps": this run has no such policy arm (did you mean "cap"?); its arms are cap, slow`},
		{[]string{"-point", "p1"}, `-point "p1": this run has no such sweep point; its points are -`},
		{[]string{"-format", "xml"}, `-format "xml": want one of text, csv, json, markdown`},
	} {
		code, out, stderr := runToy(t, context.Background(), nil, append([]string{"compare", dir}, c.args...)...)
		if code != exitUsage || !strings.Contains(stderr, c.want) || out != "" {
			t.Errorf("%v: exit %d, want 2 with %q: %s%s", c.args, code, c.want, out, stderr)
		}
	}
}

// TestCompareFormatsSweep: for a sweep, -format csv is comparison.csv byte
// for byte with the swept values' columns after point, and parses back with
// the plan's table; json objects carry the swept values by parameter name.
func TestCompareFormatsSweep(t *testing.T) {
	study := toyStudy + `
[sweep]
kind = "grid"
[[sweep.parameters]]
name = "toy.noise"
values = [0.01, 0.05]
[[sweep.parameters]]
name = "toy.lag"
values = [0, 2, 4]
`
	dir := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := runToy(t, context.Background(), nil, "run", writeToy(t, study), "-o", dir, "-q", "-no-charts"); code != exitOK {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	d, err := results.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	file, err := os.ReadFile(filepath.Join(dir, results.ComparisonFile))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(file), "arm,point,toy.noise,toy.lag,metric,window,") {
		t.Fatalf("comparison.csv header: %s", strings.SplitN(string(file), "\n", 2)[0])
	}
	code, out, stderr := runToy(t, context.Background(), nil, "compare", dir, "-format", "csv")
	if code != exitOK || out != string(file) {
		t.Fatalf("-format csv: exit %d (%s); it is not comparison.csv:\n%s\nwant\n%s", code, stderr, out, file)
	}
	back, err := results.ReadCSV(strings.NewReader(out), d.Manifest.Plan.ComparisonTable())
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != len(d.Comparison) || len(back) == 0 {
		t.Fatalf("read back %d rows, want %d", len(back), len(d.Comparison))
	}
	code, out, _ = runToy(t, context.Background(), nil, "compare", dir, "-format", "json", "-point", "p6")
	var objs []map[string]any
	if err := json.Unmarshal([]byte(out), &objs); code != exitOK || err != nil || len(objs) == 0 {
		t.Fatalf("json: exit %d, %v:\n%s", code, err, out)
	}
	for _, o := range objs {
		if o["toy.noise"] != 0.05 || o["toy.lag"] != 4.0 {
			t.Fatalf("json object at p6 (noise 0.05, lag 4): %v", o)
		}
	}
}
