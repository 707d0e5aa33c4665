package slurmtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// The runsim binary, built once for all tests of the package.
var (
	buildOnce sync.Once
	binDir    string
	runsimBin string
	buildErr  error
	buildLog  []byte
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// repoRoot returns the root of the frontiersim module.
func repoRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		t.Fatalf("go env GOMOD = %q: not inside the frontiersim module", mod)
	}
	root := filepath.Dir(mod)
	if _, err := os.Stat(filepath.Join(root, "cmd", "runsim")); err != nil {
		t.Fatalf("%s has no cmd/runsim: %v", root, err)
	}
	return root
}

// buildRunsim builds cmd/runsim into a temporary directory and returns the
// binary's path.
func buildRunsim(t *testing.T) string {
	t.Helper()
	root := repoRoot(t)
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "frontiersim-deploytest-")
		if buildErr != nil {
			return
		}
		runsimBin = filepath.Join(binDir, "runsim")
		cmd := exec.Command("go", "build", "-o", runsimBin, "./cmd/runsim")
		cmd.Dir = root
		buildLog, buildErr = cmd.CombinedOutput()
	})
	if buildErr != nil {
		t.Fatalf("go build ./cmd/runsim: %v\n%s", buildErr, buildLog)
	}
	return runsimBin
}

// cleanEnv is the test's environment without the variables through which
// runsim -shard auto, sbatch or srun could pick up an outer Slurm job or
// Kubernetes pod the tests happen to run in.
func cleanEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "SLURM_") || strings.HasPrefix(name, "SBATCH_") ||
			strings.HasPrefix(name, "SQUEUE_") || name == "JOB_COMPLETION_INDEX" {
			continue
		}
		env = append(env, kv)
	}
	return append(env, extra...)
}

// run runs name with args in the clean environment plus extra, fails the
// test if it does not succeed, and returns its standard output.
func run(t *testing.T, extra []string, name string, args ...string) string {
	t.Helper()
	out, err := runErr(extra, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

// runErr is run without failing: it returns standard output, or standard
// output and error together with the error.
func runErr(extra []string, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Env = cleanEnv(extra...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String() + stderr.String(), err
	}
	return stdout.String(), nil
}

// paramRange matches the RANGE column of runsim params: "[0, 1]".
var paramRange = regexp.MustCompile(`\[\s*([-+0-9.eE]+)\s*,\s*([-+0-9.eE]+)\s*\]`)

// pickParameter chooses a parameter for the experiment's one policy arm from
// runsim params (so it works whichever model runsim runs):
// policy.switching_cost_multiplier if there is one, else the first, set to
// a value inside its range that differs from its default.
func pickParameter(t *testing.T, bin string) (name, value string) {
	t.Helper()
	out := run(t, nil, bin, "params")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "PARAMETER") {
		t.Fatalf("runsim params: unexpected output:\n%s", out)
	}
	chosen := lines[1]
	for _, l := range lines[1:] {
		if f := strings.Fields(l); len(f) > 0 && f[0] == "policy.switching_cost_multiplier" {
			chosen = l
		}
	}
	f := strings.Fields(chosen)
	if len(f) < 2 {
		t.Fatalf("runsim params: cannot read line %q", chosen)
	}
	name, def := f[0], f[1]
	m := paramRange.FindStringSubmatch(chosen)
	if m == nil {
		return name, def // no finite range: the default is a valid value
	}
	lo, err1 := strconv.ParseFloat(m[1], 64)
	hi, err2 := strconv.ParseFloat(m[2], 64)
	d, err3 := strconv.ParseFloat(def, 64)
	if err1 != nil || err2 != nil || err3 != nil || math.IsInf(hi-lo, 0) {
		return name, def
	}
	whole := strings.Contains(chosen[strings.Index(chosen, m[0])+len(m[0]):], "whole")
	for _, v := range []float64{lo + (hi-lo)/2, lo + (hi-lo)/4, lo, hi} {
		if whole {
			v = math.Round(v)
		}
		if v != d && v >= lo && v <= hi {
			return name, strconv.FormatFloat(v, 'g', -1, 64)
		}
	}
	return name, def
}

// writeExperiment writes a small experiment (8 replications of 12 months
// with 200 buyers, the baseline and one policy arm) to path and checks it
// with runsim validate.
func writeExperiment(t *testing.T, bin, path string) {
	t.Helper()
	param, value := pickParameter(t, bin)
	text := fmt.Sprintf(`# Small experiment of the deploy tests (deploy/slurmtest).
name = "deploy-check"
description = "Sharded on Slurm or a Kubernetes Indexed Job, merged, compared with a local run."
seed = 20190101
replications = 8
months = 12
buyers = 200

[[arms]]
name = "lever"
description = "%s = %s"
[arms.overrides]
%q = %s
`, param, value, param, value)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := runErr(nil, bin, "validate", path)
	if err != nil {
		t.Fatalf("runsim validate of the test experiment failed: %v\n%s\n%s", err, out, text)
	}
	t.Logf("experiment: baseline and %s = %s, 8 replications, 12 months, 200 buyers", param, value)
}

// volatileManifestFields differ between two runs of the same plan.
var volatileManifestFields = []string{"start_time", "end_time", "go_version"}

// compareDirs fails the test unless got holds the same files as want, each
// byte-identical, except manifest.json, compared as JSON without its
// volatile fields.
func compareDirs(t *testing.T, want, got string) {
	t.Helper()
	wantFiles, gotFiles := listFiles(t, want), listFiles(t, got)
	if !reflect.DeepEqual(wantFiles, gotFiles) {
		t.Fatalf("%s holds files\n  %v\nbut %s holds\n  %v", got, gotFiles, want, wantFiles)
	}
	var charts int
	for _, f := range wantFiles {
		if strings.HasPrefix(f, "charts/") {
			charts++
		}
	}
	if charts == 0 || !contains(wantFiles, "report.html") || !contains(wantFiles, "manifest.json") {
		t.Fatalf("%s lacks charts, report.html or manifest.json: %v", want, wantFiles)
	}
	for _, f := range wantFiles {
		a, err := os.ReadFile(filepath.Join(want, f))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(got, f))
		if err != nil {
			t.Fatal(err)
		}
		if f == "manifest.json" {
			ma, mb := manifestMap(t, want, a), manifestMap(t, got, b)
			if !reflect.DeepEqual(ma, mb) {
				t.Errorf("manifest.json differs beyond %v:\n%s: %s\n%s: %s", volatileManifestFields, want, a, got, b)
			}
			continue
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs: %d bytes in %s, %d bytes in %s", f, len(a), want, len(b), got)
		}
	}
	t.Logf("%d files identical (%d charts, report.html, manifest.json without %v)", len(wantFiles), charts, volatileManifestFields)
}

func manifestMap(t *testing.T, dir string, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s/manifest.json: %v", dir, err)
	}
	for _, k := range volatileManifestFields {
		delete(m, k)
	}
	return m
}

// listFiles returns the regular files under dir, relative and sorted.
func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatalf("listing %s: %v", dir, err)
	}
	sort.Strings(files)
	return files
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
