package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"syscall"

	"frontiersim/dashboard"
)

const serveSynopsis = `serve [-port N] DIR...

Serves a live dashboard of the result directories under each DIR (a result
directory, or one holding them: out/, or out/NAME with the shard-K-of-N
directories of an array) at http://127.0.0.1:PORT/, on the loopback interface
only: progress and ETA per shard, fan charts and paired effects over the
replications finished so far, updated as the runs write. It only reads: it
locks, creates and changes nothing. From a cluster's login node, forward the
port: ssh -L 8737:127.0.0.1:8737 login-node. Ctrl-C stops it.`

// defaultServePort is the dashboard's port unless -port says otherwise.
const defaultServePort = 8737

// serveOptions are runsim serve's settings.
type serveOptions struct {
	dirs []string
	port int // 0: a free port, chosen by the system
}

func runServeCommand(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "serve", serveSynopsis)
	port := fs.Int("port", defaultServePort, "TCP port on 127.0.0.1 (0: any free port; the URL is printed)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("serve takes one or more result directories")
	}
	if *port < 0 || *port > 65535 {
		return usagef("-port %d: want 0 to 65535", *port)
	}
	return runServe(ctx, e, serveOptions{dirs: pos, port: *port})
}

// errListen is wrapped by the error for a port that cannot be listened on.
var errListen = errors.New("cannot listen")

// runServe serves the dashboard until ctx is done (Ctrl-C), then shuts it
// down and returns nil.
func runServe(ctx context.Context, e *env, opts serveOptions) error {
	srv, err := dashboard.New(dashboard.Options{Dirs: opts.dirs})
	if err != nil {
		return err
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(opts.port))
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp4", addr)
	if err != nil {
		srv.Close()
		hint := ""
		if errors.Is(err, syscall.EADDRINUSE) {
			hint = "; choose another with -port N (0: any free port)"
		}
		return fmt.Errorf("%w on %s: %v%s", errListen, addr, err, hint)
	}
	url := "http://" + ln.Addr().String() + "/"
	fmt.Fprintf(e.stderr, "runsim: serving a dashboard of %d director%s at %s (read-only; Ctrl-C stops it)\n",
		len(opts.dirs), map[bool]string{true: "y", false: "ies"}[len(opts.dirs) == 1], url)
	if err := srv.Serve(ctx, ln); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	fmt.Fprintln(e.stderr, "runsim: dashboard stopped")
	return nil
}
