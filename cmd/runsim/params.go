package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"frontiersim/experiments"
	"frontiersim/results"
)

func runParams(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "params", "params [-metrics] [-world WORLD]\n\nLists every scenario parameter with its default, unit, allowed range, certainty grade (A-D; D = an assumption to calibrate) and source, for the default world or the world WORLD (shipped:NAME or a world file's path): the model's behaviour parameters, the world's declared parameters, and one parameter per agent attribute (labs.NAME.ATTRIBUTE) that an experiment may override.")
	metrics := fs.Bool("metrics", false, "list the recorded metrics instead, with units")
	world := fs.String("world", "", "the world whose parameters or metrics to list: shipped:NAME or the path of a world file (default: the model's default world)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("params takes no arguments")
	}
	sim := e.simulator()
	if *world != "" {
		ws, _, err := experiments.LoadWorld(*world, experiments.FileReader(ctx), sim)
		if err != nil {
			return err
		}
		sim = ws
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	if *metrics {
		fmt.Fprintln(tw, "METRIC\tUNIT\tDESCRIPTION")
		for _, m := range sim.Metrics() {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", m.Name, m.Unit, m.Description)
		}
		return tw.Flush()
	}
	fmt.Fprintln(tw, "PARAMETER\tDEFAULT\tUNIT\tRANGE\tGRADE\tSOURCE\tDESCRIPTION")
	for _, p := range sim.Params() {
		rng := fmt.Sprintf("[%s, %s]", results.FormatFloat(p.Min), results.FormatFloat(p.Max))
		if p.Integer {
			rng += " whole"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.Name, results.FormatFloat(p.Default), p.Unit, rng, p.Grade, p.Source, p.Description)
	}
	return tw.Flush()
}
