package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontiersim/estimation"
	"frontiersim/experiments"
	"frontiersim/internal/toysim"
)

// calibStudy is a small experiment of the toy model for runsim calibrate.
const calibStudy = `name = "toy-calib"
seed = 7
replications = 16
months = 24
buyers = 20

[report]
windows = [{ name = "late", from = 18, to = 23 }]

[scenario]
"toy.noise" = 0.002
`

// trueGrowth and trueCap are the parameters the targets are simulated
// from.
const trueGrowth, trueCap = 0.1, 0.7

// toyTargets simulates the two targets of the test (firm A's mean share
// over months 0-5 and over the window "late") at the true parameters, on
// another seed and 64 replications, and returns the targets file.
func toyTargets(t *testing.T, expFile string) string {
	t.Helper()
	sim := toysim.Simulator{}
	exp, err := experiments.Load(expFile, experiments.FileReader(context.Background()), sim)
	if err != nil {
		t.Fatal(err)
	}
	head := `[[parameters]]
name = "toy.growth"
min = 0
max = 0.3

[[parameters]]
name = "toy.cap"
min = 0.3
max = 1
`
	shell := head + `
[[targets]]
metric = "model_share_a"
window = { from = 0, to = 5 }
observed = 0.5
source = "simulated at the true parameters"

[[targets]]
metric = "model_share_a"
window = "late"
observed = 0.5
source = "simulated at the true parameters"
grade = "B"
`
	tg, err := estimation.LoadTargets("t.toml", []byte(shell), estimation.Model{Params: sim.Params(), Metrics: sim.Metrics(), Months: exp.Months, Windows: exp.Report.Windows})
	if err != nil {
		t.Fatal(err)
	}
	plan := exp.Plan(sim)
	plan.Replications = 64
	means, _, err := simulateMoments(context.Background(), sim, 99, plan, tg, [][]float64{{trueGrowth, trueCap}}, 2)
	if err != nil {
		t.Fatal(err)
	}
	return head + fmt.Sprintf(`
[[targets]]
metric = "model_share_a"
window = { from = 0, to = 5 }
observed = %v
sd = 0.02
source = "simulated at the true parameters"

[[targets]]
metric = "model_share_a"
window = "late"
observed = %v
sd = 0.02
source = "simulated at the true parameters"
grade = "B"
`, means[0][0], means[0][1])
}

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func readCalibration(t *testing.T, dir string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, calibrationJSON))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestCalibrateRecoversKnownParameters fits the toy model's growth rate
// and cap to two targets simulated from known values (on another seed, so
// with sampling noise) and recovers them within 0.01 (growth, range 0.3)
// and 0.02 (cap, range 0.7).
func TestCalibrateRecoversKnownParameters(t *testing.T) {
	dir := t.TempDir()
	expFile := writeFile(t, dir, "toy.toml", calibStudy)
	tgFile := writeFile(t, dir, "targets.toml", toyTargets(t, expFile))
	out := filepath.Join(dir, "out")
	code, stdout, stderr := runToy(t, context.Background(), nil, "calibrate", expFile, "-targets", tgFile, "-o", out, "-workers", "2")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	m := readCalibration(t, out)
	v := m["values"].(map[string]any)
	g, c := v["toy.growth"].(float64), v["toy.cap"].(float64)
	t.Logf("fitted growth %v (true %v), cap %v (true %v); objective %v after %v evaluations\n%s", g, trueGrowth, c, trueCap, m["objective"], m["evaluations"], stdout)
	if math.Abs(g-trueGrowth) > 0.01 || math.Abs(c-trueCap) > 0.02 {
		t.Errorf("fitted growth %v, cap %v; want %v ± 0.01, %v ± 0.02", g, c, trueGrowth, trueCap)
	}
	if m["rank"].(float64) != 2 {
		t.Errorf("rank %v, want 2 (both parameters identified)", m["rank"])
	}
	for _, f := range []string{calibrationTrace, calibrationIdent, calibrationChart, calibrationTraceC, calibrationReport, calibrationCkpt, calibrationTgts} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
}

// TestCalibrateResumesToSameBytes interrupts a calibration in the middle
// of an evaluation (the 11th, one worker), resumes it with the same
// command, and compares every file with an uninterrupted run's.
func TestCalibrateResumesToSameBytes(t *testing.T) {
	dir := t.TempDir()
	expFile := writeFile(t, dir, "toy.toml", calibStudy)
	tgFile := writeFile(t, dir, "targets.toml", toyTargets(t, expFile))
	whole, part := filepath.Join(dir, "whole"), filepath.Join(dir, "part")
	args := func(out string) []string {
		return []string{"calibrate", expFile, "-targets", tgFile, "-o", out, "-workers", "1"}
	}
	// count counts the replications a model runs (CancelAfter calls its
	// cancel for each replication past the 0th, and one worker runs them
	// in turn).
	counting := func(n *int) experiments.Simulator {
		return toysim.CancelAfter(toysim.Simulator{}, 0, func() { *n++ })
	}
	var wholeReps, resumedReps int
	if code, _, stderr := runToy(t, context.Background(), counting(&wholeReps), args(whole)...); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	code, _, stderr := runToy(t, ctx, toysim.CancelAfter(toysim.Simulator{}, 16*10+5, cancel), args(part)...)
	if code != exitInterrupted {
		t.Fatalf("interrupted run: exit %d, want %d\n%s", code, exitInterrupted, stderr)
	}
	if _, err := os.Stat(filepath.Join(part, calibrationJSON)); err == nil {
		t.Fatalf("an interrupted calibration wrote %s", calibrationJSON)
	}
	ck, err := os.ReadFile(filepath.Join(part, calibrationCkpt))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(ck), "\n") - 2; n != 10 {
		t.Errorf("the checkpoint holds %d evaluations, want the 10 finished before the interruption", n)
	}
	code, _, stderr = runToy(t, context.Background(), counting(&resumedReps), args(part)...)
	if code != 0 {
		t.Fatalf("resumed run: exit %d\n%s", code, stderr)
	}
	// The resumed run simulates what the whole run did less the 10
	// recorded evaluations of 16 replications.
	if resumedReps != wholeReps-16*10 {
		t.Errorf("the resumed run simulated %d replications, the whole run %d: want %d fewer", resumedReps+1, wholeReps+1, 16*10)
	}
	if !strings.Contains(stderr, "resuming: 10 evaluation(s) recorded") {
		t.Errorf("the resumed run does not say it resumes:\n%s", stderr)
	}
	files, err := os.ReadDir(whole)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		a, errA := os.ReadFile(filepath.Join(whole, f.Name()))
		b, errB := os.ReadFile(filepath.Join(part, f.Name()))
		if errA != nil || errB != nil {
			t.Errorf("%s: %v %v", f.Name(), errA, errB)
			continue
		}
		if string(a) != string(b) {
			t.Errorf("%s differs after an interruption and a resume", f.Name())
		}
	}
	if len(files) < 8 {
		t.Errorf("only %d files in the calibration directory", len(files))
	}
}

// TestCalibrateBadTargets: a bad targets file exits 2 and names
// file:line: key for each problem.
func TestCalibrateBadTargets(t *testing.T) {
	const params = "[[parameters]]\nname = \"toy.growth\"\nmin = 0\nmax = 0.3\n\n"
	const target = "[[targets]]\nmetric = \"model_share_a\"\nmonth = 3\nobserved = 0.5\nsource = \"s\"\n"
	for _, tc := range []struct{ name, text, want string }{
		{"unknown key", params + "[[targets]]\nmetrc = \"model_share_a\"\nmonth = 3\nobserved = 0.5\nsource = \"s\"\n", `targets.toml:7: targets[0].metrc: unknown key (did you mean "metric"?)`},
		{"unknown metric", params + strings.Replace(target, "model_share_a", "model_shar_a", 1), `targets.toml:7: targets[0].metric: unknown metric "model_shar_a" (did you mean "model_share_a"?)`},
		{"month out of range", params + strings.Replace(target, "month = 3", "month = 24", 1), "targets.toml:8: targets[0].month: want a whole number from 0 to 23"},
		{"unknown window", params + strings.Replace(target, "month = 3", `window = "early"`, 1), `targets.toml:8: targets[0].window: unknown window "early"`},
		{"window backwards", params + strings.Replace(target, "month = 3", "window = { from = 5, to = 2 }", 1), "targets.toml:8: targets[0].window.to: to 2 is before from 5"},
		{"no observed", params + strings.Replace(target, "observed = 0.5\n", "", 1), "targets.toml:6: targets[0].observed: missing"},
		{"zero observed without sd", params + strings.Replace(target, "observed = 0.5", "observed = 0", 1), "targets.toml:6: targets[0].sd: missing: an observed value of 0 needs sd"},
		{"negative weight", params + target + "weight = -1\n", "targets.toml:11: targets[0].weight: want a weight of 0 or more"},
		{"bad grade", params + target + "grade = \"E\"\n", `targets.toml:11: targets[0].grade: grade "E"`},
		{"unknown parameter", strings.Replace(params, "toy.growth", "toy.growht", 1) + target, `targets.toml:2: parameters[0].name: unknown parameter "toy.growht" (did you mean "toy.growth"?)`},
		{"bounds outside the range", strings.Replace(params, "max = 0.3", "max = 3", 1) + target, "targets.toml:3: parameters[0].min: bounds [0, 3] leave the parameter's range [-1, 1]"},
		{"integer parameter", strings.Replace(params, "toy.growth", "toy.lag", 1) + target, "targets.toml:2: parameters[0].name: parameter \"toy.lag\" takes whole numbers"},
		{"no targets", params, "targets.toml: targets: missing"},
		{"syntax", params + "[[targets]]\nobserved = ]\n", "targets.toml:7: targets.observed: TOML syntax"},
		{"unknown top-level key", "paramters = 1\n" + params + target, `targets.toml:1: paramters: unknown key (did you mean "parameters"?)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			expFile := writeFile(t, dir, "toy.toml", calibStudy)
			writeFile(t, dir, "targets.toml", tc.text)
			code, _, stderr := runToy(t, context.Background(), nil, "calibrate", expFile, "-targets", filepath.Join(dir, "targets.toml"), "-o", filepath.Join(dir, "out"))
			if code != exitUsage {
				t.Fatalf("exit %d, want %d\n%s", code, exitUsage, stderr)
			}
			if !strings.Contains(stderr, filepath.Join(dir, tc.want)) {
				t.Errorf("stderr lacks %q:\n%s", filepath.Join(dir, tc.want), stderr)
			}
		})
	}
}

// TestCalibrateUnidentifiedParameter estimates the toy model's growth and
// cap on two targets neither of which depends on the cap (firm A's early
// share stays far below a cap of 0.9 or more; total spend depends on no
// parameter): the Jacobian's rank is 1, the condition number infinite,
// and the cap is pinned down by no target and wholly in the null space.
func TestCalibrateUnidentifiedParameter(t *testing.T) {
	dir := t.TempDir()
	expFile := writeFile(t, dir, "toy.toml", calibStudy)
	tgFile := writeFile(t, dir, "targets.toml", `[[parameters]]
name = "toy.growth"
min = 0
max = 0.3

[[parameters]]
name = "toy.cap"
min = 0.9
max = 1

[[targets]]
metric = "model_share_a"
window = { from = 0, to = 5 }
observed = 0.6
source = "made up"

[[targets]]
metric = "spend"
month = 11
observed = 0.02
source = "made up"
`)
	out := filepath.Join(dir, "out")
	code, stdout, stderr := runToy(t, context.Background(), nil, "calibrate", expFile, "-targets", tgFile, "-o", out, "-q")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	m := readCalibration(t, out)
	if m["rank"].(float64) != 1 || m["condition"] != "+Inf" {
		t.Errorf("rank %v, condition %v; want 1, +Inf\n%s", m["rank"], m["condition"], stdout)
	}
	pins := m["pinned_by"].([]any)
	if pins[0] == nil || pins[1] != nil {
		t.Errorf("pinned by %v: want the growth pinned by the early share, the cap by nothing", pins)
	}
	null := m["null_share"].([]any)
	if null[0].(float64) > 1e-9 || math.Abs(null[1].(float64)-1) > 1e-9 {
		t.Errorf("null-space shares %v, want [0 1]", null)
	}
	if !strings.Contains(stdout, "toy.cap = ") || !strings.Contains(stdout, "pinned by: none") || !strings.Contains(stdout, "NOT IDENTIFIED") {
		t.Errorf("the summary does not flag the cap:\n%s", stdout)
	}
}

// TestCalibrateReadmeTargets: the targets file of README.md's section on
// runsim calibrate is valid for the default experiment of the market
// model.
func TestCalibrateReadmeTargets(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, sec, ok := strings.Cut(string(b), "### Calibrating an experiment to observed targets")
	_, block, ok2 := strings.Cut(sec, "```\n")
	block, _, ok3 := strings.Cut(block, "```")
	if !ok || !ok2 || !ok3 {
		t.Fatal("README.md has no targets block under its runsim calibrate section")
	}
	sim := simulator()
	exp, err := experiments.LoadDefault(sim)
	if err != nil {
		t.Fatal(err)
	}
	plan := exp.Plan(sim)
	tg, err := estimation.LoadTargets("README.md", []byte(block), estimation.Model{Params: exp.Simulator(sim).Params(), Metrics: plan.Metrics, Months: plan.Months, Windows: plan.Report.Windows})
	if err != nil {
		t.Fatal(err)
	}
	if len(tg.Parameters) != 1 || len(tg.Targets) != 1 {
		t.Errorf("%d parameters, %d targets; want 1, 1", len(tg.Parameters), len(tg.Targets))
	}
}

// TestCalibrateCheckpointOfOtherInputs: a checkpoint of another targets
// file is refused (exit 2, saying -force), and -force starts over.
func TestCalibrateCheckpointOfOtherInputs(t *testing.T) {
	dir := t.TempDir()
	expFile := writeFile(t, dir, "toy.toml", calibStudy)
	text := toyTargets(t, expFile)
	tgFile := writeFile(t, dir, "targets.toml", text)
	out := filepath.Join(dir, "out")
	args := []string{"calibrate", expFile, "-targets", tgFile, "-o", out, "-q"}
	if code, _, stderr := runToy(t, context.Background(), nil, args...); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	writeFile(t, dir, "targets.toml", strings.Replace(text, "sd = 0.02", "sd = 0.03", 1))
	code, _, stderr := runToy(t, context.Background(), nil, args...)
	if code != exitUsage || !strings.Contains(stderr, "checkpoint is of another calibration") || !strings.Contains(stderr, "-force") {
		t.Errorf("other targets on the same checkpoint: exit %d, want %d saying -force\n%s", code, exitUsage, stderr)
	}
	if code, _, stderr := runToy(t, context.Background(), nil, append(args, "-force")...); code != 0 {
		t.Errorf("-force: exit %d\n%s", code, stderr)
	}
}
