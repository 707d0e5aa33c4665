package experiments

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontiersim/internal/toysim"
	"frontiersim/results"
)

const toyWorldExperiment = `name = "w"
replications = 4
months = 12
buyers = 20
`

func paramValue(t *testing.T, e *Experiment, name string) float64 {
	t.Helper()
	for _, p := range e.Parameters {
		if p.Name == name {
			return p.Value
		}
	}
	t.Fatalf("no parameter %s in %v", name, e.Parameters)
	return 0
}

func hexSHA(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// TestWorldKeySelectsTheWorld: the world key selects a shipped world or a
// file relative to the file that names it (a base file's world is relative
// to the base); without the key the model's default world runs. The world
// decides the parameters' defaults.
func TestWorldKeySelectsTheWorld(t *testing.T) {
	mine := "cap = 0.25\n"
	read := files(map[string]string{
		"dir/none.toml":        toyWorldExperiment,
		"dir/shipped.toml":     `world = "shipped:capped"` + "\n" + toyWorldExperiment,
		"dir/path.toml":        `world = "worlds/mine.toml"` + "\n" + toyWorldExperiment,
		"dir/worlds/mine.toml": mine,
		"dir/sub/base.toml":    `world = "../worlds/mine.toml"` + "\n" + toyWorldExperiment,
		"dir/child.toml":       `extends = "sub/base.toml"` + "\n",
		"dir/override.toml":    `extends = "sub/base.toml"` + "\n" + `world = "shipped:capped"` + "\n",
		"dir/absolute.toml":    `world = "/abs/w.toml"` + "\n" + toyWorldExperiment,
		"/abs/w.toml":          "cap = 0.75\n",
		"dir/overridden.toml":  `world = "shipped:capped"` + "\n" + toyWorldExperiment + "[scenario]\n\"toy.cap\" = 0.9\n",
	})
	for _, c := range []struct {
		file, ref, path string
		cap             float64
		sha             string
	}{
		{"dir/none.toml", "", "shipped:toy", 1, hexSHA(toysim.ToyWorlds["toy"])},
		{"dir/shipped.toml", "shipped:capped", "shipped:capped", 0.5, hexSHA(toysim.ToyWorlds["capped"])},
		{"dir/path.toml", "worlds/mine.toml", "dir/worlds/mine.toml", 0.25, hexSHA(mine)},
		{"dir/child.toml", "../worlds/mine.toml", "dir/worlds/mine.toml", 0.25, hexSHA(mine)},
		{"dir/override.toml", "shipped:capped", "shipped:capped", 0.5, hexSHA(toysim.ToyWorlds["capped"])},
		{"dir/absolute.toml", "/abs/w.toml", "/abs/w.toml", 0.75, hexSHA("cap = 0.75\n")},
		{"dir/overridden.toml", "shipped:capped", "shipped:capped", 0.9, hexSHA(toysim.ToyWorlds["capped"])},
	} {
		e, err := Load(c.file, read, toysim.Worlds{})
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if e.World == nil || e.World.Ref != c.ref || e.World.File != c.path || e.World.SHA256 != c.sha {
			t.Errorf("%s: world %+v, want ref %q file %q sha %s", c.file, e.World, c.ref, c.path, c.sha)
		}
		if got := paramValue(t, e, "toy.cap"); got != c.cap {
			t.Errorf("%s: toy.cap = %g, want %g (the world's default, or the scenario's override)", c.file, got, c.cap)
		}
		canon := string(e.Canonical())
		if !strings.Contains(canon, `world = "world.toml"`) || !strings.Contains(canon, `world_sha256 = "`+c.sha+`"`) {
			t.Errorf("%s: the experiment as run does not name world.toml and its SHA-256:\n%s", c.file, canon)
		}
	}
}

// TestWorldHashIsContent: the experiment hash covers the world's content,
// not its path: one world at two paths gives one hash, an edited world
// another.
func TestWorldHashIsContent(t *testing.T) {
	read := files(map[string]string{
		"a/exp.toml": `world = "w.toml"` + "\n" + toyWorldExperiment, "a/w.toml": "cap = 0.5\n",
		"b/exp.toml": `world = "../c/x.toml"` + "\n" + toyWorldExperiment, "c/x.toml": "cap = 0.5\n",
		"d/exp.toml": `world = "w.toml"` + "\n" + toyWorldExperiment, "d/w.toml": "# a comment\ncap = 0.5\n",
	})
	hash := func(f string) string {
		e, err := Load(f, read, toysim.Worlds{})
		if err != nil {
			t.Fatal(err)
		}
		return e.Hash()
	}
	if hash("a/exp.toml") != hash("b/exp.toml") {
		t.Error("one world at two paths gives two experiment hashes")
	}
	if hash("a/exp.toml") == hash("d/exp.toml") {
		t.Error("an edited world file leaves the experiment hash unchanged")
	}
}

// TestWorldProblems: a bad world file's problems are reported with the
// experiment's, at the world file's line; a bad world key at the
// experiment's line.
func TestWorldProblems(t *testing.T) {
	read := files(map[string]string{
		"e/bad.toml":      `world = "w.toml"` + "\n" + toyWorldExperiment + "seed = -1\n",
		"e/w.toml":        "# header\ncap = 7\nspeed = 3\n",
		"e/missing.toml":  `world = "nope.toml"` + "\n" + toyWorldExperiment,
		"e/number.toml":   "world = 3\n" + toyWorldExperiment,
		"e/empty.toml":    `world = ""` + "\n" + toyWorldExperiment,
		"e/unknown.toml":  `world = "shipped:mars"` + "\n" + toyWorldExperiment,
		"e/pinned.toml":   `world = "shipped:capped"` + "\n" + `world_sha256 = "` + hexSHA("other") + `"` + "\n" + toyWorldExperiment,
		"e/badsha.toml":   `world = "shipped:capped"` + "\n" + `world_sha256 = "abc"` + "\n" + toyWorldExperiment,
		"e/oversize.toml": `world = "big.toml"` + "\n" + toyWorldExperiment,
		"e/big.toml":      strings.Repeat("# padding\n", MaxFileBytes/10+1),
	})
	ps := mustInvalid(t, "e/bad.toml", read, toysim.Worlds{})
	if p := findProblem(t, ps, "cap"); p.File != "e/w.toml" || p.Line != 2 {
		t.Errorf("world problem at %s:%d, want e/w.toml:2: %v", p.File, p.Line, p)
	}
	if p := findProblem(t, ps, "speed"); p.File != "e/w.toml" || p.Line != 3 {
		t.Errorf("world problem at %s:%d, want e/w.toml:3", p.File, p.Line)
	}
	findProblem(t, ps, "seed") // the experiment's own problems are still reported
	for _, c := range []struct{ file, key, want string }{
		{"e/missing.toml", "world", "cannot read the world file e/nope.toml"},
		{"e/number.toml", "world", "want a world"},
		{"e/empty.toml", "world", "empty"},
		{"e/unknown.toml", "world", `no shipped world "mars" (shipped: capped, toy)`},
		{"e/pinned.toml", "world_sha256", "the world was changed since"},
		{"e/badsha.toml", "world_sha256", "64 lower-case hex digits"},
		{"e/oversize.toml", "world", "at most 1048576"},
	} {
		p := findProblem(t, mustInvalid(t, c.file, read, toysim.Worlds{}), c.key)
		if p.File != c.file || p.Line < 1 || !strings.Contains(p.Msg, c.want) {
			t.Errorf("%s: got %v, want %s at a line of %s", c.file, p, c.want, c.file)
		}
	}
	// A model without world files rejects the key.
	p := findProblem(t, mustInvalid(t, "e/unknown.toml", read, toysim.Simulator{}), "world")
	if !strings.Contains(p.Msg, "no world files") {
		t.Errorf("world key for a model without worlds: %v", p)
	}
}

// TestWorldAsRun: a run writes the world beside the experiment as run; the
// result directory reloads with the same hash, resumes and merges; an
// edited world.toml is refused.
func TestWorldAsRun(t *testing.T) {
	mine := "# my world\ncap = 0.4\n"
	src := t.TempDir()
	for name, text := range map[string]string{"exp.toml": `world = "w.toml"` + "\n" + toyWorldExperiment, "w.toml": mine} {
		if err := os.WriteFile(filepath.Join(src, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	e, err := Load(filepath.Join(src, "exp.toml"), FileReader(context.Background()), toysim.Worlds{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	dir := t.TempDir()
	m, err := Execute(ctx, e, toysim.Worlds{}, RunOptions{Dir: dir, Now: fixedNow, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, results.WorldFile))
	if err != nil || string(b) != mine {
		t.Fatalf("world.toml = %q, %v; want the world file byte for byte", b, err)
	}
	asRun, err := Load(filepath.Join(dir, results.ExperimentFile), FileReader(ctx), toysim.Worlds{})
	if err != nil {
		t.Fatal(err)
	}
	if asRun.Hash() != m.ExperimentHash || paramValue(t, asRun, "toy.cap") != 0.4 {
		t.Errorf("the experiment as run reloads with hash %s (want %s), toy.cap %g", asRun.Hash(), m.ExperimentHash, paramValue(t, asRun, "toy.cap"))
	}
	// Shards of the world merge into a directory that has the world too,
	// with the single run's files.
	var shards []string
	for k := 1; k <= 2; k++ {
		d := t.TempDir()
		if _, err := Execute(ctx, e, toysim.Worlds{}, RunOptions{Dir: d, Now: fixedNow, Workers: 1, Shard: ShardSpec{k, 2}}); err != nil {
			t.Fatal(err)
		}
		shards = append(shards, d)
	}
	out := t.TempDir()
	if _, err := Merge(ctx, out, shards, toysim.Worlds{}, fixedNow, nil); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, dir, out)
	if b, _ := os.ReadFile(filepath.Join(out, results.WorldFile)); string(b) != mine {
		t.Errorf("merged world.toml = %q", b)
	}
	// Editing the world of a result directory is caught on loading it.
	if err := os.WriteFile(filepath.Join(dir, results.WorldFile), []byte("cap = 0.9\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := findProblem(t, mustInvalid(t, filepath.Join(dir, results.ExperimentFile), FileReader(ctx), toysim.Worlds{}), "world_sha256")
	if !strings.Contains(p.Msg, "changed since") {
		t.Errorf("edited world.toml: %v", p)
	}
	// The run of another world differs from this one's.
	e2, err := Load("x.toml", files(map[string]string{"x.toml": toyWorldExperiment}), toysim.Worlds{})
	if err != nil {
		t.Fatal(err)
	}
	d2 := t.TempDir()
	if _, err := Execute(ctx, e2, toysim.Worlds{}, RunOptions{Dir: d2, Now: fixedNow, Workers: 1}); err != nil {
		t.Fatal(err)
	}
	r1, _ := os.ReadFile(filepath.Join(dir, results.RunsFile))
	r2, _ := os.ReadFile(filepath.Join(d2, results.RunsFile))
	if string(r1) == string(r2) {
		t.Error("the runs of two worlds with different caps are identical")
	}
}
