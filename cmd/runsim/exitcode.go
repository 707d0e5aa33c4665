package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"frontiersim/dashboard"
	"frontiersim/estimation"
	"frontiersim/experiments"
	"frontiersim/results"
)

// Exit codes, mapped from errors in one place (report). A Go runtime fatal
// error (out of memory, concurrent map access, stack overflow, deadlock) is
// not a panic: it cannot be recovered, and the Go runtime exits 2 whatever
// this mapping says.
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2
	exitCrash       = 3 // a recovered panic: a bug in runsim
	exitInterrupted = 130
)

// usageError marks a command-line mistake (exit 2).
type usageError struct{ msg string }

func (u *usageError) Error() string { return u.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// report prints err (if any) and returns the exit code it maps to. args
// are the command's arguments (for a crash file).
func report(e *env, cmd string, args []string, err error) int {
	w := e.stderr
	if err == nil {
		return exitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	var inv *experiments.InvalidError
	var u *usageError
	var badTargets *estimation.InvalidError
	if value, stack, ok := panicOf(err); ok {
		reportCrash(e, cmd, args, err, value, stack)
		return exitCrash
	}
	switch {
	case errors.As(err, &inv):
		fmt.Fprintf(w, "runsim %s: %d problem(s):\n", cmd, len(inv.Problems))
		for _, p := range inv.Problems {
			fmt.Fprintf(w, "  %s\n", p)
		}
		return exitUsage
	case errors.As(err, &badTargets):
		fmt.Fprintf(w, "runsim %s: %d problem(s) in the targets file:\n", cmd, len(badTargets.Problems))
		for _, p := range badTargets.Problems {
			fmt.Fprintf(w, "  %s\n", p)
		}
		return exitUsage
	case errors.As(err, &u):
		fmt.Fprintf(w, "runsim %s: %v\n", cmd, err)
		return exitUsage
	case errors.Is(err, experiments.ErrInterrupted), errors.Is(err, context.Canceled):
		fmt.Fprintf(w, "runsim %s: %v\n", cmd, err)
		return exitInterrupted
	case errors.Is(err, experiments.ErrBadShards), errors.Is(err, experiments.ErrResultsExist),
		errors.Is(err, experiments.ErrResumeMismatch), errors.Is(err, errPlanTooLarge),
		errors.Is(err, results.ErrInconsistent), errors.Is(err, experiments.ErrCannotVerify),
		errors.Is(err, experiments.ErrOutputDir), errors.Is(err, results.ErrLocked),
		errors.Is(err, experiments.ErrNoCases), errors.Is(err, estimation.ErrCheckpointMismatch),
		errors.Is(err, dashboard.ErrNoDir):
		fmt.Fprintf(w, "runsim %s: %v\n", cmd, err)
		return exitUsage
	case errors.Is(err, experiments.ErrVerifyFailed):
		fmt.Fprintf(w, "runsim %s: %v\n", cmd, err)
		return exitFailure
	default:
		fmt.Fprintf(w, "runsim %s: %v\n", cmd, err)
		return exitFailure
	}
}

// parseFlags parses a subcommand's flags; a flag error is a usage error
// (the flag package has already printed it with the usage).
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &usageError{err.Error()}
	}
	return nil
}

// parseArgs parses flags that may come before, between or after the
// positional arguments (runsim run FILE -o DIR), and returns the
// positional arguments. "--" ends the flags.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// newFlagSet returns a flag set that prints its usage to the env's stderr.
func newFlagSet(e *env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.BoolVar(&e.debug, "debug", false, "on an internal error (exit 3), print the Go stack to stderr too")
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: runsim %s\n", synopsis)
		if hasFlags(fs) {
			fmt.Fprintln(e.stderr, "\nFlags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}
