package main

import (
	"fmt"
	"os"

	"frontiersim/results"
)

// lockEnv is the environment variable that chooses how result directories
// are locked: "auto" (the default: flock, and a lock file where flock is
// unsupported) or "file" (a lock file as well as flock, for file systems
// whose flock does not reach other nodes).
const lockEnv = "RUNSIM_LOCK"

func lockMode(getenv func(string) string) (results.LockMode, error) {
	switch v := getenv(lockEnv); v {
	case "", "auto":
		return results.LockAuto, nil
	case "file":
		return results.LockWithFile, nil
	default:
		return 0, usagef("%s=%q: want auto (flock, the default) or file (also a lock file, for file systems whose flock does not reach other nodes)", lockEnv, v)
	}
}

// note tells the user something worth knowing that is not an error.
func (e *env) note(msg string) { fmt.Fprintf(e.stderr, "runsim: note: %s\n", msg) }

// lockResultDir locks an existing result directory for plot and report,
// which write into it. A path that is not a directory is left to the
// reader to report (it gives the usual message); the returned unlock is
// then a no-op.
func lockResultDir(e *env, dir string) (unlock func() error, err error) {
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return func() error { return nil }, nil
	}
	mode, err := lockMode(e.getenv)
	if err != nil {
		return nil, err
	}
	l, err := results.LockDir(dir, mode)
	if err != nil {
		return nil, err
	}
	if l.Note != "" {
		e.note(l.Note)
	}
	return l.Unlock, nil
}
