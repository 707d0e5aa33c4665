package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontiersim/experiments"
	"frontiersim/internal/toysim"
)

func dispatchT(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	e, out, errb := testEnv()
	code := dispatch(context.Background(), e, args)
	return code, out.String(), errb.String()
}

// TestEverySubcommandHasHelp: -h prints the usage and exits 0.
func TestEverySubcommandHasHelp(t *testing.T) {
	for _, c := range commands() {
		code, _, stderr := dispatchT(t, c.name, "-h")
		if code != exitOK || !strings.Contains(stderr, "Usage: runsim "+c.name) {
			t.Errorf("%s -h: exit %d, stderr %q", c.name, code, stderr)
		}
	}
	if code, out, _ := dispatchT(t, "-h"); code != exitOK || !strings.Contains(out, "bench-model") {
		t.Errorf("runsim -h: exit %d: %s", code, out)
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	cases := [][]string{
		{},
		{"frobnicate"},
		{"run", "-workers", "-1"},
		{"run", "-reps", "0"},
		{"run", "-seed", "minus-one"},
		{"run", "-shard", "5/4"},
		{"run", "-shard", "0/4"},
		{"run", "-shard", "auto"},
		{"run", "-resume", "-force"},
		{"run", "a.toml", "b.toml"},
		{"run", "-no-such-flag"},
		{"validate"},
		{"compare"},
		{"merge", "x"},
		{"merge", "-o", "out"},
		{"bench-model", "nosuchmodel"},
		{"bench-model", "schelling", "-size", "enormous"},
		{"bench-model", "boltzmann", "-repeat", "0"},
	}
	for _, args := range cases {
		code, _, stderr := dispatchT(t, args...)
		if code != exitUsage {
			t.Errorf("runsim %s: exit %d, want 2 (%s)", strings.Join(args, " "), code, stderr)
		}
		if strings.TrimSpace(stderr) == "" {
			t.Errorf("runsim %s: nothing on stderr", strings.Join(args, " "))
		}
	}
}

func TestShardAuto(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	cases := []struct {
		getenv func(string) string
		count  int
		want   experiments.ShardSpec
		ok     bool
	}{
		{env("SLURM_ARRAY_TASK_ID", "0", "SLURM_ARRAY_TASK_COUNT", "4", "SLURM_ARRAY_TASK_MIN", "0"), 0, experiments.ShardSpec{Index: 1, Count: 4}, true},
		{env("SLURM_ARRAY_TASK_ID", "4", "SLURM_ARRAY_TASK_COUNT", "4", "SLURM_ARRAY_TASK_MIN", "1"), 0, experiments.ShardSpec{Index: 4, Count: 4}, true},
		{env("JOB_COMPLETION_INDEX", "2"), 3, experiments.ShardSpec{Index: 3, Count: 3}, true},
		{env("JOB_COMPLETION_INDEX", "3"), 3, experiments.ShardSpec{}, false},
		{env("JOB_COMPLETION_INDEX", "0"), 0, experiments.ShardSpec{}, false},
		{env(), 0, experiments.ShardSpec{}, false},
	}
	for i, c := range cases {
		got, err := shardSpec("auto", c.count, c.getenv)
		if (err == nil) != c.ok || c.ok && got != c.want {
			t.Errorf("case %d: got %+v, %v; want %+v ok=%v", i, got, err, c.want, c.ok)
		}
	}
	if w, err := experiments.DefaultWorkers(env("SLURM_CPUS_PER_TASK", "3")); w != 3 || err != nil {
		t.Errorf("workers under Slurm = %d, %v; want SLURM_CPUS_PER_TASK = 3", w, err)
	}
}

// TestGarbageSlurmVariables: a Slurm variable that is not a usable number
// is a usage error naming it (SLURM_ARRAY_TASK_MIN was read as 0,
// SLURM_CPUS_PER_TASK ignored).
func TestGarbageSlurmVariables(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	cases := []struct {
		getenv func(string) string
		name   string
	}{
		{env("SLURM_ARRAY_TASK_ID", "3", "SLURM_ARRAY_TASK_COUNT", "4", "SLURM_ARRAY_TASK_MIN", "one"), "SLURM_ARRAY_TASK_MIN"},
		{env("SLURM_ARRAY_TASK_ID", "3", "SLURM_ARRAY_TASK_COUNT", "4", "SLURM_ARRAY_TASK_MIN", "-1"), "SLURM_ARRAY_TASK_MIN"},
		{env("SLURM_ARRAY_TASK_ID", "3", "SLURM_ARRAY_TASK_COUNT", "4", "SLURM_ARRAY_TASK_MIN", "5"), "SLURM_ARRAY_TASK_MIN=5"},
		{env("SLURM_ARRAY_TASK_ID", "9", "SLURM_ARRAY_TASK_COUNT", "4", "SLURM_ARRAY_TASK_MIN", "1"), "SLURM_ARRAY_TASK_ID=9"},
		{env("SLURM_ARRAY_TASK_ID", "x", "SLURM_ARRAY_TASK_COUNT", "4"), "SLURM_ARRAY_TASK_ID"},
		{env("SLURM_ARRAY_TASK_ID", "1", "SLURM_ARRAY_TASK_COUNT", "four"), "SLURM_ARRAY_TASK_COUNT"},
		{env("SLURM_ARRAY_TASK_ID", "1"), "SLURM_ARRAY_TASK_COUNT"},
	}
	for i, c := range cases {
		_, err := shardSpec("auto", 0, c.getenv)
		var u *usageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), c.name) {
			t.Errorf("case %d: got %v, want a usage error naming %s", i, err, c.name)
		}
	}
	for _, v := range []string{"four", "0", "-2", "2.5"} {
		if _, err := experiments.DefaultWorkers(env("SLURM_CPUS_PER_TASK", v)); err == nil || !strings.Contains(err.Error(), "SLURM_CPUS_PER_TASK") {
			t.Errorf("SLURM_CPUS_PER_TASK=%q: got %v, want an error naming it", v, err)
		}
	}
	file := writeToy(t, toyStudy)
	for _, args := range [][]string{{"run", file, "-o", filepath.Join(t.TempDir(), "out"), "-q"}, {"validate", file}} {
		e, _, errb := toyEnv(toysim.Simulator{})
		e.getenv = env("SLURM_CPUS_PER_TASK", "lots")
		if code := dispatch(context.Background(), e, args); code != exitUsage || !strings.Contains(errb.String(), `SLURM_CPUS_PER_TASK="lots"`) {
			t.Errorf("%s with SLURM_CPUS_PER_TASK=lots: exit %d: %s", args[0], code, errb)
		}
	}
}

// TestRepsObeysTheJobLimit: -reps cannot make a plan larger than
// experiments.MaxJobs, which the file's replications key obeys.
func TestRepsObeysTheJobLimit(t *testing.T) {
	file := writeToy(t, toyStudy+`
[sweep]
kind = "grid"
[[sweep.parameters]]
name = "toy.noise"
min = 0
max = 0.5
steps = 200
`)
	code, _, stderr := runToy(t, context.Background(), nil, "run", file, "-o", filepath.Join(t.TempDir(), "out"), "-q", "-reps", "1000000")
	if code != exitUsage || !strings.Contains(stderr, "-reps 1000000") || !strings.Contains(stderr, "600000000") || !strings.Contains(stderr, "at most -reps 166666") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// TestInitParamsCompare: the template validates, params lists the policy
// levers with units and ranges, compare prints the comparison table.
func TestInitParamsCompare(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "study.toml")
	if code, _, stderr := dispatchT(t, "init", file); code != 0 {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	if code, _, _ := dispatchT(t, "init", file); code != exitUsage {
		t.Errorf("init over an existing file: exit %d, want 2", code)
	}
	if code, out, stderr := dispatchT(t, "validate", file); code != 0 || !strings.Contains(out, "valid") {
		t.Fatalf("the template does not validate: exit %d: %s%s", code, out, stderr)
	}
	code, out, _ := dispatchT(t, "params")
	for _, want := range []string{"policy.revenue_share_cap", "policy.ban_exclusive", "policy.merger_control", "policy.switching_cost_multiplier", "grade: D", "[0, 1]"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("params: exit %d, output lacks %q", code, want)
		}
	}
	code, out, _ = dispatchT(t, "params", "-metrics")
	for _, want := range []string{"hhi_model", "enterprise_surplus", "US$"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("params -metrics: exit %d, output lacks %q", code, want)
		}
	}
	// A small run of the template, then compare.
	b, _ := os.ReadFile(file)
	small := strings.NewReplacer("replications = 100", "replications = 4", "buyers = 10000", "buyers = 200", "months = 84", "months = 24").Replace(string(b))
	os.WriteFile(file, []byte(small), 0o644)
	out2 := filepath.Join(dir, "out")
	if code, _, stderr := dispatchT(t, "run", file, "-o", out2, "-q", "-no-charts"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	code, out, stderr := dispatchT(t, "compare", out2, "-metric", "hhi_model")
	if code != 0 || !strings.Contains(out, "revenue_share_cap") || !strings.Contains(out, "PAIRED 95% CI") || strings.Contains(out, "enterprise_surplus") {
		t.Fatalf("compare: exit %d:\n%s%s", code, out, stderr)
	}
	// Results already there: exit 2 without -resume or -force.
	if code, _, stderr := dispatchT(t, "run", file, "-o", out2, "-q"); code != exitUsage || !strings.Contains(stderr, "-resume") {
		t.Errorf("run into a full directory: exit %d: %s", code, stderr)
	}
}
