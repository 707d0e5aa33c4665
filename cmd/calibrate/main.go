// Command calibrate runs the calibration of the default scenario, the
// calibration report, the sensitivity analysis and the validation report
// (see package calibration).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"frontiersim/agents"
	"frontiersim/calibration"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: calibrate facts|search|report|sensitivity|validation|acceptance [flags]")
		os.Exit(2)
	}
	cmd := os.Args[1]
	if cmd == "validation" {
		check(validation(os.Args[2:]))
		return
	}
	if cmd == "acceptance" {
		check(acceptance(os.Args[2:]))
		return
	}
	fs := flag.NewFlagSet(cmd, flag.ExitOnError)
	reps := fs.Int("reps", 200, "replications")
	buyers := fs.Int("buyers", 3000, "buyers per replication")
	seed := fs.Uint64("seed", calibration.FactSeed, "seed")
	points := fs.Int("points", 0, "search: hypercube points (0: the default configuration)")
	out := fs.String("o", "calibration/calibrated.json", "search: result file")
	sbuyers := fs.Int("sbuyers", 1000, "sensitivity: buyers per replication")
	oatReps := fs.Int("oat-reps", 16, "sensitivity: replications per one-at-a-time run")
	lhsPoints := fs.Int("lhs-points", 512, "sensitivity: hypercube points (enough valid points for a regression on every varied parameter)")
	lhsReps := fs.Int("lhs-reps", 8, "sensitivity: replications per hypercube point")
	fs.Parse(os.Args[2:])
	ctx := context.Background()
	t0 := time.Now()
	switch cmd {
	case "facts":
		rs, rr, err := calibration.EndogenousAndReplay(ctx, *buyers, *seed, *reps)
		check(err)
		for _, f := range calibration.Facts(rs, rr) {
			fmt.Print(f)
		}
		for _, tg := range calibration.Targets() {
			fmt.Println(tg.Line(rs))
		}
	case "search":
		cfg := calibration.DefaultSearch
		if *points > 0 {
			cfg.Points = *points
		}
		res, err := calibration.Calibrate(ctx, agents.DefaultScenario(), cfg, func(f string, a ...any) {
			fmt.Fprintf(os.Stderr, "%6.1fs "+f+"\n", append([]any{time.Since(t0).Seconds()}, a...)...)
		})
		check(err)
		check(calibration.WriteResult(*out, res))
		for _, n := range res.Order {
			fmt.Printf("%-32s %8.4g -> %8.4g\n", n, res.Previous[n], res.Values[n])
		}
		for _, tv := range res.Terms {
			fmt.Printf("%-36s observed %-12s simulated %8.4g term %.3f\n", tv.ID, tv.Observed, tv.Simulated, tv.Term)
		}
	case "report":
		check(calibration.Report(ctx, calibration.ReportConfig{Reps: *reps, Buyers: *buyers, Seed: *seed,
			Doc: "docs/calibration.md", ChartDir: "docs/calibration", ResultFile: "calibration/calibrated.json"}))
	case "sensitivity":
		check(calibration.Sensitivity(ctx, calibration.SensConfig{Seed: *seed, Buyers: *sbuyers, OATReps: *oatReps,
			LHSPoints: *lhsPoints, LHSReps: *lhsReps, Doc: "docs/sensitivity.md"}, func(f string, a ...any) {
			fmt.Fprintf(os.Stderr, "%6.1fs "+f+"\n", append([]any{time.Since(t0).Seconds()}, a...)...)
		}))
	default:
		fmt.Fprintln(os.Stderr, "unknown command", cmd)
		os.Exit(2)
	}
	fmt.Fprintf(os.Stderr, "%s: %.1fs\n", cmd, time.Since(t0).Seconds())
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
