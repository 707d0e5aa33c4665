package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"frontiersim/experiments"
	"frontiersim/results"
)

func runParams(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "params", "params [-metrics] [-json] [-world WORLD] [PREFIX ...]\n\n"+
		"Lists every scenario parameter with its default, unit, allowed range, certainty grade (A-D; D = an assumption to calibrate), source and description, "+
		"for the default world or the world WORLD (shipped:NAME or a world file's path): the model's behaviour parameters, the world's declared parameters, "+
		"and one parameter per agent attribute (labs.NAME.ATTRIBUTE) that an experiment may override. "+
		"With PREFIX arguments only the names that start with one of them (runsim params policy. lists the policy levers). "+
		"Text wraps to the terminal's width (COLUMNS), else 100 columns; -json writes an array of objects instead.")
	metrics := fs.Bool("metrics", false, "list the recorded metrics instead, with units")
	asJSON := fs.Bool("json", false, "write a JSON array of objects, one per parameter (or metric)")
	world := fs.String("world", "", "the world whose parameters or metrics to list: shipped:NAME or the path of a world file (default: the model's default world)")
	prefixes, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	sim := e.simulator()
	if *world != "" {
		ws, _, err := experiments.LoadWorld(*world, experiments.FileReader(ctx), sim)
		if err != nil {
			return err
		}
		sim = ws
	}
	width := terminalWidth(e)
	if *metrics {
		var all []string
		var ms []results.Metric
		for _, m := range sim.Metrics() {
			all = append(all, m.Name)
			if matches(m.Name, prefixes) {
				ms = append(ms, m)
			}
		}
		if err := checkMatched(len(ms), prefixes, all, "metric"); err != nil {
			return err
		}
		if *asJSON {
			out := make([]metricJSON, len(ms))
			for i, m := range ms {
				out[i] = metricJSON(m)
			}
			return writeJSON(e.stdout, out)
		}
		rows := make([][]string, len(ms))
		for i, m := range ms {
			rows[i] = []string{m.Name, m.Unit}
		}
		notes := make([]string, len(ms))
		for i, m := range ms {
			notes[i] = m.Description
		}
		writeEntries(e.stdout, []string{"METRIC", "UNIT"}, rows, notes, width)
		return nil
	}
	var all []string
	var ps []experiments.Param
	for _, p := range sim.Params() {
		all = append(all, p.Name)
		if matches(p.Name, prefixes) {
			ps = append(ps, p)
		}
	}
	if err := checkMatched(len(ps), prefixes, all, "parameter"); err != nil {
		return err
	}
	if *asJSON {
		out := make([]paramJSON, len(ps))
		for i, p := range ps {
			out[i] = paramJSON{Name: p.Name, Default: p.Default, Unit: p.Unit, Min: p.Min, Max: p.Max, Integer: p.Integer,
				Grade: p.Grade, Source: p.Source, Description: p.Description, Enum: p.Enum, Lever: p.Lever}
		}
		return writeJSON(e.stdout, out)
	}
	rows := make([][]string, len(ps))
	notes := make([]string, len(ps))
	for i, p := range ps {
		rng := fmt.Sprintf("[%s, %s]", results.FormatFloat(p.Min), results.FormatFloat(p.Max))
		if p.Integer {
			rng += " whole"
		}
		if p.Enum != nil {
			levels := make([]string, len(p.Enum))
			for k, l := range p.Enum {
				levels[k] = fmt.Sprintf("%d=%s", k, l)
			}
			rng = strings.Join(levels, " ")
		}
		rows[i] = []string{p.Name, results.FormatFloat(p.Default), p.Unit, rng, p.Grade}
		notes[i] = p.Description
		if p.Lever {
			notes[i] += " (a policy lever: an arm may switch it on at a month, [[arms]] from)"
		}
		if p.Source != "" {
			notes[i] += " (source: " + p.Source + ")"
		}
	}
	writeEntries(e.stdout, []string{"PARAMETER", "DEFAULT", "UNIT", "RANGE", "GRADE"}, rows, notes, width)
	return nil
}

// paramJSON is a parameter in runsim params -json.
type paramJSON struct {
	Name        string  `json:"name"`
	Default     float64 `json:"default"`
	Unit        string  `json:"unit"`
	Min         float64 `json:"min"`
	Max         float64 `json:"max"`
	Integer     bool    `json:"integer"`
	Grade       string  `json:"grade"`
	Source      string  `json:"source"`
	Description string  `json:"description"`
	// Enum labels a categorical parameter's values 0, 1, ... (an experiment
	// may write the label; the tables of a sweep write it).
	Enum []string `json:"enum,omitempty"`
	// Lever marks a policy lever, which an arm may switch on at a month.
	Lever bool `json:"lever,omitempty"`
}

// metricJSON is a metric in runsim params -metrics -json.
type metricJSON struct {
	Name        string `json:"name"`
	Unit        string `json:"unit"`
	Description string `json:"description"`
	Group       string `json:"group,omitempty"`
	Scale       string `json:"scale,omitempty"`
}

func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// matches reports whether name starts with one of prefixes (any name when
// there are none).
func matches(name string, prefixes []string) bool {
	if len(prefixes) == 0 {
		return true
	}
	for _, p := range prefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// checkMatched refuses prefixes that match no name (a usage error with a
// did-you-mean).
func checkMatched(n int, prefixes, names []string, what string) error {
	if n > 0 || len(prefixes) == 0 {
		return nil
	}
	msg := fmt.Sprintf("no %s name starts with %s", what, strings.Join(prefixes, " or "))
	// Candidates: the names and their dotted groups (policy., labs.openai.).
	seen := map[string]bool{}
	var cands []string
	for _, n := range names {
		for i := range len(n) {
			if n[i] == '.' && !seen[n[:i+1]] {
				seen[n[:i+1]] = true
				cands = append(cands, n[:i+1])
			}
		}
		cands = append(cands, n)
	}
	if s := experiments.Suggest(prefixes[0], cands); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return usagef("%s; runsim params%s lists them all", msg, map[bool]string{true: " -metrics", false: ""}[what == "metric"])
}

// writeEntries writes a table of short columns, each row followed by its
// note (a description) indented on the lines below, wrapped to width. The
// columns that do not fit in width go into the note ("grade: D").
func writeEntries(w io.Writer, head []string, rows [][]string, notes []string, width int) {
	fit := len(head)
	for ; fit > 2; fit-- {
		used := 0
		for c := 0; c < fit; c++ {
			wd := utf8.RuneCountInString(head[c])
			for _, r := range rows {
				wd = max(wd, utf8.RuneCountInString(r[c]))
			}
			used += wd + 2
		}
		if used-2 <= width {
			break
		}
	}
	table := make([][]string, len(rows))
	for i, r := range rows {
		table[i] = r[:fit]
		var extra []string
		for c := fit; c < len(head); c++ {
			if r[c] != "" {
				extra = append(extra, strings.ToLower(head[c])+": "+r[c])
			}
		}
		if len(extra) > 0 {
			notes[i] = strings.Join(extra, "; ") + ". " + notes[i]
		}
	}
	var b strings.Builder
	writeWrapped(&b, head[:fit], table, 1, width)
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	fmt.Fprintln(w, lines[0])
	for i, l := range lines[1:] {
		fmt.Fprintln(w, l)
		if i >= len(notes) || strings.TrimSpace(notes[i]) == "" {
			continue
		}
		for _, nl := range strings.Split(wrapText(notes[i], width-4), "\n") {
			fmt.Fprintln(w, "    "+nl)
		}
	}
}
