package toysim

import (
	"fmt"
	"strconv"
	"strings"

	"frontiersim/internal/tomlkeys"
	"frontiersim/simulator"
)

// Worlds is the toy model with world files (simulator.Worlds), for the
// tests of the experiment machinery's world key. A toy world file holds
// lines "name = NAME" and "cap = X" (X in [0, 1]: the default of toy.cap)
// and comments; anything else is a problem at its line.
type Worlds struct {
	Simulator
	cap float64 // the world's default cap; the zero Worlds runs the world "toy" (cap 1)
	set bool
}

// ToyWorlds are the shipped toy worlds.
var ToyWorlds = map[string]string{
	"toy":    "# the toy world: firm A uncapped\nname = toy\ncap = 1\n",
	"capped": "# firm A capped at half the market\nname = capped\ncap = 0.5\n",
}

// DefaultWorld implements simulator.Worlds.
func (Worlds) DefaultWorld() string { return "toy" }

// ShippedWorlds implements simulator.Worlds.
func (Worlds) ShippedWorlds() []string { return []string{"capped", "toy"} }

// ShippedWorld implements simulator.Worlds.
func (Worlds) ShippedWorld(name string) ([]byte, error) {
	s, ok := ToyWorlds[name]
	if !ok {
		return nil, fmt.Errorf("no shipped world %q (shipped: capped, toy)", name)
	}
	return []byte(s), nil
}

// WorldError lists the problems of a toy world file.
type WorldError struct{ Problems []tomlkeys.Problem }

func (e *WorldError) Error() string { return tomlkeys.ListProblems("world", e.Problems) }

// ProblemList returns the problems.
func (e *WorldError) ProblemList() []tomlkeys.Problem { return e.Problems }

// WithWorld implements simulator.Worlds.
func (w Worlds) WithWorld(file string, data []byte) (simulator.Simulator, error) {
	out := Worlds{cap: 1, set: true}
	var problems []tomlkeys.Problem
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch {
		case !ok:
			problems = append(problems, tomlkeys.Problem{File: file, Line: i + 1, Msg: "want KEY = VALUE"})
		case k == "name":
		case k == "cap":
			c, err := strconv.ParseFloat(v, 64)
			if err != nil || c < 0 || c > 1 {
				problems = append(problems, tomlkeys.Problem{File: file, Line: i + 1, Key: "cap", Msg: fmt.Sprintf("%q: want a number in [0, 1]", v)})
				continue
			}
			out.cap = c
		default:
			problems = append(problems, tomlkeys.Problem{File: file, Line: i + 1, Key: k, Msg: "unknown key: want name or cap"})
		}
	}
	if len(problems) > 0 {
		return nil, &WorldError{problems}
	}
	return out, nil
}

// Params implements simulator.Simulator: the toy parameters, with the
// world's default cap.
func (w Worlds) Params() []simulator.Param {
	ps := w.Simulator.Params()
	if w.set {
		ps[0].Default = w.cap
	}
	return ps
}
