package slurmtest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// manifest is what the tests read from a Kubernetes manifest, with a tiny
// line-based reader for the YAML subset of deploy/k8s (no k8s.io
// dependency): "key: value" lines at any depth, "- key: value" list items,
// commands as one-line JSON flow sequences, # comments.
type manifest struct {
	path string
	text string
}

func readManifest(t *testing.T, path string) manifest {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return manifest{path, string(b)}
}

// values returns the values of every "key:" line, in order.
func (m manifest) values(key string) []string {
	var out []string
	for _, line := range strings.Split(m.text, "\n") {
		s := strings.TrimSpace(line)
		if strings.HasPrefix(s, "#") {
			continue
		}
		if i := strings.Index(s, " #"); i >= 0 {
			s = strings.TrimSpace(s[:i])
		}
		s = strings.TrimPrefix(s, "- ")
		v, ok := strings.CutPrefix(s, key+":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		if uq, err := strconv.Unquote(v); err == nil {
			v = uq
		} else if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
			v = v[1 : len(v)-1]
		}
		out = append(out, v)
	}
	return out
}

// one returns the value of a key that must appear exactly once.
func (m manifest) one(t *testing.T, key string) string {
	t.Helper()
	v := m.values(key)
	if len(v) != 1 {
		t.Fatalf("%s: want one %q, found %d: %q", m.path, key, len(v), v)
	}
	return v[0]
}

// same returns the value of a key that may appear several times, always
// with the same value.
func (m manifest) same(t *testing.T, key string) string {
	t.Helper()
	v := m.values(key)
	if len(v) == 0 {
		t.Fatalf("%s: no %q", m.path, key)
	}
	for _, x := range v[1:] {
		if x != v[0] {
			t.Fatalf("%s: %q has different values: %q", m.path, key, v)
		}
	}
	return v[0]
}

func (m manifest) intValue(t *testing.T, key string) int {
	t.Helper()
	v := m.one(t, key)
	n, err := strconv.Atoi(v)
	if err != nil {
		t.Fatalf("%s: %s: %q is not a whole number", m.path, key, v)
	}
	return n
}

// command returns the one container command, a JSON flow sequence.
func (m manifest) command(t *testing.T) []string {
	t.Helper()
	v := m.one(t, "command")
	var cmd []string
	if err := json.Unmarshal([]byte(v), &cmd); err != nil {
		t.Fatalf("%s: command %s: want a one-line [\"...\", ...] list: %v", m.path, v, err)
	}
	return cmd
}

// indexedJob is what the tests need of deploy/k8s/indexed-job.yaml.
type indexedJob struct {
	completions int
	experiment  string   // the experiment file, e.g. /experiments/study.toml
	name        string   // its name without .toml, e.g. study
	args        []string // the runsim arguments, after "runsim"
	claim       string
	image       string
}

// k8sPaths returns the manifests of deploy/k8s.
func k8sPaths(t *testing.T) (indexed, merge, pvc string) {
	dir := filepath.Join(repoRoot(t), "deploy", "k8s")
	return filepath.Join(dir, "indexed-job.yaml"), filepath.Join(dir, "merge-job.yaml"), filepath.Join(dir, "pvc.yaml")
}

// checkManifests checks the Indexed Job, the merge Job and the PVC against
// each other and returns what the emulation needs.
func checkManifests(t *testing.T) (indexedJob, []string) {
	t.Helper()
	ip, mp, pp := k8sPaths(t)
	ij, mj, pvc := readManifest(t, ip), readManifest(t, mp), readManifest(t, pp)

	for _, m := range []manifest{ij, mj} {
		if v := m.one(t, "apiVersion"); v != "batch/v1" {
			t.Errorf("%s: apiVersion %q, want batch/v1", m.path, v)
		}
		if v := m.one(t, "kind"); v != "Job" {
			t.Errorf("%s: kind %q, want Job", m.path, v)
		}
		if v := m.one(t, "restartPolicy"); v != "Never" {
			t.Errorf("%s: restartPolicy %q, want Never", m.path, v)
		}
	}
	if v := ij.one(t, "completionMode"); v != "Indexed" {
		t.Errorf("%s: completionMode %q, want Indexed", ij.path, v)
	}
	n := ij.intValue(t, "completions")
	if p := ij.intValue(t, "parallelism"); n < 1 || p < 1 || p > n {
		t.Errorf("%s: completions %d, parallelism %d: want 1 <= parallelism <= completions", ij.path, n, p)
	}

	// The shard command: runsim run FILE -shard auto -shard-count N -resume -o DIR.
	cmd := ij.command(t)
	if len(cmd) < 3 || cmd[0] != "runsim" || cmd[1] != "run" {
		t.Fatalf("%s: command %q, want runsim run FILE ...", ij.path, cmd)
	}
	job := indexedJob{completions: n, experiment: cmd[2], args: cmd[1:]}
	if !strings.HasPrefix(job.experiment, "/experiments/") || !strings.HasSuffix(job.experiment, ".toml") {
		t.Fatalf("%s: experiment %q, want /experiments/NAME.toml (the ConfigMap mount)", ij.path, job.experiment)
	}
	job.name = strings.TrimSuffix(filepath.Base(job.experiment), ".toml")
	flags, bools := map[string]string{}, map[string]bool{}
	for i := 3; i < len(cmd); i++ {
		switch cmd[i] {
		case "-shard", "-shard-count", "-o", "-workers", "-reps", "-seed":
			if i+1 == len(cmd) {
				t.Fatalf("%s: %s without a value", ij.path, cmd[i])
			}
			flags[cmd[i]] = cmd[i+1]
			i++
		default:
			bools[cmd[i]] = true
		}
	}
	if flags["-shard"] != "auto" {
		t.Errorf("%s: -shard %q, want auto", ij.path, flags["-shard"])
	}
	if flags["-shard-count"] != strconv.Itoa(n) {
		t.Errorf("%s: -shard-count %q but completions %d: Kubernetes does not pass N, they must be equal", ij.path, flags["-shard-count"], n)
	}
	if !bools["-resume"] {
		t.Errorf("%s: no -resume: a retried pod would refuse its shard's partial directory", ij.path)
	}
	shardDir := "/results/" + job.name + "/shard-$(JOB_COMPLETION_INDEX)"
	if flags["-o"] != shardDir {
		t.Errorf("%s: -o %q, want %q", ij.path, flags["-o"], shardDir)
	}
	if !contains(ij.values("name"), "JOB_COMPLETION_INDEX") {
		t.Errorf("%s: JOB_COMPLETION_INDEX is not declared in env, so $(JOB_COMPLETION_INDEX) may not be expanded", ij.path)
	}
	mounts := ij.values("mountPath")
	if !contains(mounts, "/experiments") || !contains(mounts, "/results") {
		t.Errorf("%s: mountPaths %q, want /experiments and /results", ij.path, mounts)
	}

	// The merge command: sh -c "exec runsim merge -o /results/NAME/merged /results/NAME/shard-*".
	mcmd := mj.command(t)
	wantMerge := "exec runsim merge -o /results/" + job.name + "/merged /results/" + job.name + "/shard-*"
	if len(mcmd) != 3 || mcmd[0] != "sh" || mcmd[1] != "-c" || mcmd[2] != wantMerge {
		t.Errorf("%s: command %q, want [sh -c %q]", mj.path, mcmd, wantMerge)
	}
	if !contains(mj.values("mountPath"), "/results") {
		t.Errorf("%s: does not mount /results", mj.path)
	}

	// Both Jobs: the same experiment, volume and image.
	if a, b := ij.same(t, "experiment"), mj.same(t, "experiment"); a != job.name || b != job.name {
		t.Errorf("experiment labels %q (%s) and %q (%s), want %q, the experiment file's name", a, ij.path, b, mj.path, job.name)
	}
	job.claim = ij.one(t, "claimName")
	if c := mj.one(t, "claimName"); c != job.claim {
		t.Errorf("the shards write to claim %q but the merge reads claim %q", job.claim, c)
	}
	job.image = ij.one(t, "image")
	if im := mj.one(t, "image"); im != job.image {
		t.Errorf("the shards run image %q but the merge %q: runsim merge refuses other program versions", job.image, im)
	}
	if k := pvc.one(t, "kind"); k != "PersistentVolumeClaim" {
		t.Errorf("%s: kind %q", pvc.path, k)
	}
	if name := pvc.values("name"); len(name) == 0 || name[0] != job.claim {
		t.Errorf("%s: claim %q, but the Jobs use %q", pvc.path, name, job.claim)
	}
	if !strings.Contains(pvc.text, "ReadWriteMany") {
		t.Errorf("%s: not ReadWriteMany: shard pods on several nodes write to it at once", pvc.path)
	}
	return job, mcmd
}

func TestKubernetesManifests(t *testing.T) {
	job, _ := checkManifests(t)
	t.Logf("Indexed Job: %d completions of %s, image %s, claim %s", job.completions, job.experiment, job.image, job.claim)
}

// TestSlowKubernetesIndexedJob emulates the Indexed Job (Kubernetes cannot
// run here): it runs the manifest's command once per completion index, with
// JOB_COMPLETION_INDEX set and $(JOB_COMPLETION_INDEX) expanded as the
// kubelet does, the volumes mapped to temporary directories; then the merge
// Job's command; and compares the merged results with a local run.
func TestSlowKubernetesIndexedJob(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs runsim; not in -short mode")
	}
	job, mergeCmd := checkManifests(t)
	if t.Failed() {
		t.FailNow()
	}
	bin := buildRunsim(t)
	dir := t.TempDir()
	mounts := strings.NewReplacer("/experiments/", dir+"/experiments/", "/results/", dir+"/results/")
	exp := mounts.Replace(job.experiment)
	writeExperiment(t, bin, exp)

	for i := 0; i < job.completions; i++ {
		idx := strconv.Itoa(i)
		args := make([]string, len(job.args))
		for k, a := range job.args {
			args[k] = mounts.Replace(strings.ReplaceAll(a, "$(JOB_COMPLETION_INDEX)", idx))
		}
		run(t, []string{"JOB_COMPLETION_INDEX=" + idx}, bin, args...)
	}
	shards, _ := filepath.Glob(filepath.Join(dir, "results", job.name, "shard-*"))
	if len(shards) != job.completions {
		t.Fatalf("%d pods wrote %d shard directories: %q", job.completions, len(shards), shards)
	}
	// The merge pod: its shell command, runsim on PATH.
	run(t, []string{"PATH=" + filepath.Dir(bin) + string(os.PathListSeparator) + os.Getenv("PATH")},
		mergeCmd[0], mergeCmd[1], mounts.Replace(mergeCmd[2]))

	local := filepath.Join(dir, "local")
	run(t, nil, bin, "run", exp, "-o", local, "-q")
	compareDirs(t, local, filepath.Join(dir, "results", job.name, "merged"))
}
