package main

import (
	"bytes"
	"errors"
	"fmt"
	"frontiersim/experiments"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"frontiersim/engine"
	"frontiersim/plots"
	"frontiersim/results"
)

// crashFilePrefix starts the name of a crash file: crash-YYYYMMDDTHHMMSS.txt
// in the output directory.
const crashFilePrefix = "crash-"

// panicOf returns the panic value and stack of a recovered panic in err's
// chain: on the command's goroutine or a replication worker
// (*engine.PanicError), or while drawing a chart (*plots.PanicError).
func panicOf(err error) (value any, stack []byte, ok bool) {
	var ep *engine.PanicError
	if errors.As(err, &ep) {
		return ep.Value, ep.Stack, true
	}
	var pp *plots.PanicError
	if errors.As(err, &pp) {
		return pp.Value, pp.Stack, true
	}
	return nil, nil, false
}

// reportCrash tells the user that runsim hit a bug (exit 3): the error,
// where the stack is (a crash file in the output directory, when there is
// one), and with -debug the stack itself.
func reportCrash(e *env, cmd string, args []string, err error, value any, stack []byte) {
	w := e.stderr
	fmt.Fprintf(w, "runsim %s: internal error: %v\n", cmd, err)
	fmt.Fprintf(w, "runsim %s: this is a bug in runsim, not a problem with your input; please report it", cmd)
	path, werr := "", error(nil)
	if e.outDir != "" {
		path, werr = writeCrashFile(e, cmd, args, value, stack)
	}
	switch {
	case path != "":
		fmt.Fprintf(w, " with %s, which holds the stack and the command line\n", path)
	case werr != nil:
		fmt.Fprintf(w, "; no crash file could be written in %s (%v)\n", e.outDir, werr)
	default:
		fmt.Fprintln(w)
	}
	if _, err := os.Stat(filepath.Join(e.outDir, results.ManifestFile)); cmd == "run" && e.outDir != "" && err == nil {
		fmt.Fprintf(w, "runsim %s: the replications finished so far are kept in %s; runsim run -o %s -resume continues once it is fixed\n", cmd, e.outDir, e.outDir)
	}
	if e.debug {
		fmt.Fprintf(w, "\n%s\n", crashText(e.binaryBuild(), cmd, args, value, stack))
	} else if path == "" {
		fmt.Fprintf(w, "runsim %s: run the same command with -debug to print the stack\n", cmd)
	}
}

// crashText is the content of a crash file.
func crashText(build experiments.Build, cmd string, args []string, value any, stack []byte) string {
	var b strings.Builder
	fmt.Fprintf(&b, "runsim crashed (exit 3): a bug in runsim\n\n")
	fmt.Fprintf(&b, "version: %s (%s, %s/%s)\n", programVersion(build), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(&b, "command: %s\n", commandLine(cmd, args))
	fmt.Fprintf(&b, "panic: %v\n\n", value)
	b.Write(bytes.TrimSpace(stack))
	b.WriteString("\n")
	return b.String()
}

// commandLine quotes the arguments that need it.
func commandLine(cmd string, args []string) string {
	parts := []string{"runsim"}
	for _, a := range append([]string{cmd}, args...) {
		if a == "" || strings.ContainsAny(a, " \t\n\"'\\$`") || strconv.Quote(a) != `"`+a+`"` {
			a = strconv.Quote(a)
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}

// writeCrashFile writes the crash report to a new file in the output
// directory, crash-YYYYMMDDTHHMMSS.txt (with -2, -3, ... if that exists).
func writeCrashFile(e *env, cmd string, args []string, value any, stack []byte) (string, error) {
	now := time.Now
	if e.now != nil {
		now = e.now
	}
	stamp := now().UTC().Format("20060102T150405")
	text := []byte(crashText(e.binaryBuild(), cmd, args, value, stack))
	for i := 1; i <= 100; i++ {
		name := crashFilePrefix + stamp + ".txt"
		if i > 1 {
			name = fmt.Sprintf("%s%s-%d.txt", crashFilePrefix, stamp, i)
		}
		path := filepath.Join(e.outDir, name)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		_, err = f.Write(text)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
			return "", err
		}
		return path, nil
	}
	return "", fmt.Errorf("100 crash files of %s already there", stamp)
}
