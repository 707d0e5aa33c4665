// Command runsim runs frontiersim experiments: Monte Carlo replications of
// policy arms on the agent-based model of the frontier-AI market, with
// statistics, charts and an HTML report.
//
// Usage:
//
//	runsim run [FILE] [-o DIR] [-reps N] [-workers N] [-seed S] [-resume] [-force] [-shard K/N|auto] [-q]
//	runsim validate FILE
//	runsim init [FILE]
//	runsim params [-metrics] [-json] [-world WORLD] [PREFIX ...]
//	runsim compare DIR [-format text|csv|json|markdown] [-arm ARM] [-point POINT] [-metric METRIC] [-month M | -window NAME]
//	runsim plot DIR
//	runsim report DIR
//	runsim sensitivity [FILE] [flags of run]
//	runsim calibrate EXPERIMENT.toml -targets TARGETS.toml [-o DIR] [-reps N] [-workers N] [-seed S] [-force] [-q]
//	runsim discover DIR -arm ARM -metric METRIC -threshold T [-month M | -window NAME]
//	runsim merge [-force] -o DIR DIR_1 ... DIR_N
//	runsim serve [-port N] DIR...
//	runsim bench-model NAME [-size small|large|huge] [-steps N] [-seed S]
//
// Exit codes: 0 success, 1 runtime failure, 2 usage or invalid experiment,
// 3 internal error (a recovered panic: a bug; the stack goes to a crash file
// in the output directory, and to stderr with -debug), 130 interrupted. A Go
// runtime fatal error (out of memory, concurrent map access, stack overflow)
// cannot be recovered and always exits 2.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"frontiersim/engine"
	"frontiersim/experiments"
)

// env is what a subcommand may touch of the outside world; tests replace it.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	stderrIsTTY    bool
	sim            experiments.Simulator // the model; nil: the market model
	now            func() time.Time      // clock of crash file names; nil: time.Now
	build          *experiments.Build    // the build of this binary; nil: experiments.CurrentBuild()

	// Set while a command runs: -debug, and the output directory once the
	// command knows it (where a crash file goes).
	debug  bool
	outDir string
}

// binaryBuild is the build of this binary, printed by runsim version and
// compared by runsim verify with a manifest's.
func (e *env) binaryBuild() experiments.Build {
	if e.build != nil {
		return *e.build
	}
	return experiments.CurrentBuild()
}

// simulator returns the model the commands run.
func (e *env) simulator() experiments.Simulator {
	if e.sim != nil {
		return e.sim
	}
	return simulator()
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		{"run", "run an experiment (without FILE: the embedded default; with -resume: DIR/experiment.toml)", runRun},
		{"validate", "check an experiment file and list every problem", runValidate},
		{"init", "write a commented template experiment", runInit},
		{"params", "list every scenario parameter (and -metrics: every metric)", runParams},
		{"compare", "print the comparison table of a result directory", runCompare},
		{"plot", "redraw the charts of a result directory", runPlot},
		{"report", "rewrite the HTML report of a result directory", runReport},
		{"calibrate", "fit an experiment's parameters to the observed targets of a targets file (-targets), with the identification at the fit", runCalibrate},
		{"sensitivity", "run an experiment's [sensitivity] design and write Sobol, Morris, one-at-a-time or SRC indices", runSensitivity},
		{"discover", "scenario discovery (PRIM, CART) on a finished Latin-hypercube sweep: where does a policy backfire?", runDiscover},
		{"merge", "merge the shards of a sharded run", runMerge},
		{"serve", "a live dashboard of running result directories on 127.0.0.1 (read-only)", runServeCommand},
		{"verify", "re-run a sample of replications and check the result files against the manifest", runVerify},
		{"bench-model", "run a standard ABM benchmark model (boltzmann, schelling, wolfsheep)", runBenchModel},
	}
}

// call runs the command, turning a panic on the calling goroutine into an
// *engine.PanicError (exit 3). The goroutines the command starts recover
// their own (engine.Replicate, plots).
func (c command) call(ctx context.Context, e *env, args []string) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &engine.PanicError{Value: v, Stack: debug.Stack()}
		}
	}()
	return c.run(ctx, e, args)
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "runsim: agent-based simulation of the frontier-AI market\n\nUsage: runsim COMMAND [flags] [args]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\n'runsim COMMAND -h' shows a command's flags.\nExit codes: 0 success, 1 runtime failure, 2 usage or invalid experiment, 3 internal error (a bug: see the crash file, or -debug), 130 interrupted.\n")
}

// dispatch runs the command named by args[0] and returns the exit code.
func dispatch(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 {
		usage(e.stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		usage(e.stdout)
		return exitOK
	case "version", "-version", "--version":
		fmt.Fprintln(e.stdout, programVersion(e.binaryBuild()))
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.call(ctx, e, args[1:])
			return report(e, c.name, args[1:], err)
		}
	}
	fmt.Fprintf(e.stderr, "runsim: unknown command %q\n\n", args[0])
	usage(e.stderr)
	return exitUsage
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := &env{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, stderrIsTTY: isTerminal(os.Stderr)}
	os.Exit(dispatch(ctx, e, os.Args[1:]))
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
