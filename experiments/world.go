package experiments

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"frontiersim/internal/tomlkeys"
	"frontiersim/results"
	"frontiersim/simulator"
)

// World is the world file an experiment runs (for a Simulator that
// implements simulator.Worlds). A result directory holds it as
// results.WorldFile beside experiment.toml, byte for byte; the experiment
// as run names that file (world = "world.toml") and records its SHA-256
// (world_sha256), so the experiment hash covers the world's content, not
// its path.
type World struct {
	Ref    string // as the experiment file gave it: "shipped:ai-2019", a path, or "" for the default world
	File   string // the file read: shipped:NAME or the path joined to the experiment file's directory
	Data   []byte // its content
	SHA256 string // hex SHA-256 of Data
}

// Name is how messages and the report name the world: the shipped name, or
// the file.
func (w *World) Name() string {
	if w.Ref == "" {
		return w.File
	}
	return w.Ref
}

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

// world resolves the experiment's world key (after extends are merged) and
// returns the simulator of that world. For a Simulator without worlds a
// world key is a problem and sim is returned as it is.
func (l *loader) world(d doc, sim Simulator) (Simulator, *World, error) {
	ws, ok := sim.(simulator.Worlds)
	x, present := d.raw["world"]
	o := d.origins["world"]
	problem := func(key, format string, args ...any) {
		line := d.origins[key].line
		file := d.origins[key].file
		if file == "" {
			file = o.file
		}
		l.problems = append(l.problems, Problem{File: file, Line: line, Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	if !ok {
		for _, k := range []string{"world", "world_sha256"} {
			if _, has := d.raw[k]; has {
				problem(k, "this model has no world files: remove the key")
			}
		}
		return sim, nil, nil
	}
	w := &World{}
	switch ref, isStr := x.(string); {
	case !present:
		w.File = ShippedPrefix + ws.DefaultWorld()
	case !isStr:
		problem("world", "want a world: \"shipped:NAME\" (%s) or the path of a world file relative to this file, got %s",
			strings.Join(ws.ShippedWorlds(), ", "), tomlkeys.Describe(x))
		return sim, nil, nil
	case strings.TrimSpace(ref) == "" || ref == ShippedPrefix:
		problem("world", "empty: give \"shipped:NAME\" (%s) or the path of a world file relative to this file",
			strings.Join(ws.ShippedWorlds(), ", "))
		return sim, nil, nil
	case strings.HasPrefix(ref, ShippedPrefix):
		w.Ref, w.File = ref, ShippedPrefix+strings.TrimSuffix(strings.TrimPrefix(ref, ShippedPrefix), ".toml")
	case strings.HasPrefix(o.file, ShippedPrefix) && !path.IsAbs(ref):
		problem("world", "a shipped experiment names a shipped world (\"shipped:NAME\": %s), not the path %q",
			strings.Join(ws.ShippedWorlds(), ", "), ref)
		return sim, nil, nil
	case path.IsAbs(ref):
		w.Ref, w.File = ref, ref
	default:
		w.Ref, w.File = ref, path.Join(path.Dir(o.file), ref)
	}
	var err error
	if name, shipped := strings.CutPrefix(w.File, ShippedPrefix); shipped {
		w.Data, err = ws.ShippedWorld(name)
	} else {
		w.Data, err = l.read(w.File)
	}
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return nil, nil, fmt.Errorf("reading %s: %w", w.File, err)
		}
		problem("world", "cannot read the world file %s: %v", w.File, err)
		return sim, nil, nil
	}
	if len(w.Data) > MaxFileBytes {
		problem("world", "%s has %d bytes: a world file may have at most %d (1 MiB)", w.File, len(w.Data), MaxFileBytes)
		return sim, nil, nil
	}
	sum := sha256.Sum256(w.Data)
	w.SHA256 = hex.EncodeToString(sum[:])
	if x, has := d.raw["world_sha256"]; has {
		s, isStr := x.(string)
		switch {
		case !isStr || !sha256Hex.MatchString(s):
			problem("world_sha256", "want the SHA-256 of the world file as 64 lower-case hex digits, got %s", tomlkeys.Describe(x))
		case s != w.SHA256:
			problem("world_sha256", "the world file %s has SHA-256 %s, but this experiment records %s: the world was changed since (restore it, or remove world_sha256 to run the world as it is now, as a new experiment)",
				w.File, w.SHA256, s)
		}
	}
	ns, err := ws.WithWorld(w.File, w.Data)
	if err != nil {
		var pl interface{ ProblemList() []tomlkeys.Problem }
		if errors.As(err, &pl) {
			l.problems = append(l.problems, pl.ProblemList()...)
		} else {
			problem("world", "%s: %v", w.File, err)
		}
		return sim, nil, nil
	}
	return ns, w, nil
}

// simulator returns the simulator an experiment runs: the one of its world
// when it was loaded with one, else sim.
func (e *Experiment) simulator(sim Simulator) Simulator {
	if e.sim != nil {
		return e.sim
	}
	return sim
}

// writeWorld writes the experiment's world file into a result directory
// as results.WorldFile (the experiment as run names it), or nothing for a
// model without worlds.
func (e *Experiment) writeWorld(dir string) error {
	if e.World == nil {
		return nil
	}
	return results.WriteFileAtomic(filepath.Join(dir, results.WorldFile), e.World.Data)
}

// LoadWorld returns the simulator of a world named as an experiment's
// world key would name it ("shipped:NAME", or a path relative to the
// current directory), for listing its parameters and metrics (runsim
// params -world). Problems are returned in an *InvalidError.
func LoadWorld(ref string, read ReadFunc, sim Simulator) (Simulator, *World, error) {
	if _, ok := sim.(simulator.Worlds); !ok {
		return nil, nil, &InvalidError{Problems: []Problem{{Key: "world", Msg: "this model has no world files"}}}
	}
	l := &loader{read: read}
	d := doc{raw: map[string]any{"world": ref}, origins: map[string]origin{"world": {file: ""}}}
	ws, w, err := l.world(d, sim)
	if err != nil {
		return nil, nil, err
	}
	if len(l.problems) > 0 {
		return nil, nil, &InvalidError{Problems: l.problems}
	}
	return ws, w, nil
}
