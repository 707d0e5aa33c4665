package main

import (
	"context"
	"fmt"
	"os"

	"frontiersim/experiments"
)

func runInit(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "init", "init [FILE]\n\nWrites a commented template experiment to FILE (default: stdout). It refuses to overwrite an existing file.")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	tmpl := experiments.Template()
	switch len(pos) {
	case 0:
		_, err := e.stdout.Write(tmpl)
		return err
	case 1:
		f, err := os.OpenFile(pos[0], os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666) // less the umask, as every file runsim writes
		if err != nil {
			if os.IsExist(err) {
				return usagef("%s already exists; choose another name", pos[0])
			}
			return err
		}
		if _, err := f.Write(tmpl); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "runsim: wrote %s; check it with: runsim validate %s\n", pos[0], pos[0])
		return nil
	default:
		return usagef("init takes at most one file name")
	}
}
