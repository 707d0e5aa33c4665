package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"frontiersim/experiments"
	"frontiersim/internal/toysim"
)

// syncBuffer is a writer safe for the goroutines of a command running in
// the background of a test.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs runsim serve with args in the background and returns
// the dashboard's URL, as it prints it, and a function that stops it (as
// Ctrl-C does) and returns its exit code and stderr.
func startServe(t *testing.T, sim experiments.Simulator, args ...string) (string, func() (int, string)) {
	t.Helper()
	var out, errb syncBuffer
	e := &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }, sim: sim}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	code := make(chan int, 1)
	go func() { code <- dispatch(ctx, e, append([]string{"serve"}, args...)) }()
	stop := func() (int, string) {
		cancel()
		select {
		case c := <-code:
			return c, errb.String()
		case <-time.After(time.Minute):
			t.Fatal("runsim serve did not stop within a minute of Ctrl-C")
			return 0, ""
		}
	}
	printed := regexp.MustCompile(` at (http://[^ ]+/) `)
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); {
		if m := printed.FindStringSubmatch(errb.String()); m != nil {
			return m[1], stop
		}
		select {
		case c := <-code:
			t.Fatalf("runsim serve exited %d before listening: %s", c, errb.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("runsim serve printed no URL within a minute: %s", errb.String())
	return "", nil
}

// TestServeUsage: serve needs directories that exist and a port that is
// one; each mistake exits 2 and says what is wrong.
func TestServeUsage(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"serve"}, "one or more result directories"},
		{[]string{"serve", filepath.Join(t.TempDir(), "missing")}, "cannot follow"},
		{[]string{"serve", file}, "not a directory"},
		{[]string{"serve", "-port", "-1", t.TempDir()}, "-port -1"},
		{[]string{"serve", "-port", "65536", t.TempDir()}, "-port 65536"},
	} {
		code, _, stderr := dispatchT(t, c.args...)
		if code != exitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("runsim %s: exit %d, stderr %q; want exit 2 and %q", strings.Join(c.args, " "), code, stderr, c.want)
		}
	}
}

// TestServeLoopbackAndStop: runsim serve -port 0 listens on 127.0.0.1
// alone, on the port it prints; a second serve on that port fails (exit 1)
// and says how to choose another; Ctrl-C stops the first, exit 0.
func TestServeLoopbackAndStop(t *testing.T) {
	dir := t.TempDir()
	url, stop := startServe(t, toysim.Simulator{}, "-port", "0", dir)
	host, port, err := net.SplitHostPort(strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/"))
	if err != nil || host != "127.0.0.1" {
		t.Fatalf("URL %s: want http://127.0.0.1:PORT/ (%v)", url, err)
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), "runsim serve") {
		t.Fatalf("GET %s: %d", url, resp.StatusCode)
	}
	// Not on the other addresses of the machine.
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			ip, _, err := net.ParseCIDR(a.String())
			if err != nil || ip.IsLoopback() || ip.To4() == nil {
				continue
			}
			if c, err := net.DialTimeout("tcp", net.JoinHostPort(ip.String(), port), 5*time.Second); err == nil {
				c.Close()
				t.Errorf("the dashboard answers on %s, not only on loopback", ip)
			}
		}
	}
	code, _, stderr := dispatchT(t, "serve", "-port", port, dir)
	if code != exitFailure || !strings.Contains(stderr, "choose another with -port") {
		t.Errorf("second serve on port %s: exit %d, %q", port, code, stderr)
	}
	code, stderr = stop()
	if code != exitOK || !strings.Contains(stderr, "serving a dashboard of 1 directory at "+url) || !strings.Contains(stderr, "dashboard stopped") {
		t.Errorf("after Ctrl-C: exit %d, stderr %q", code, stderr)
	}
	if _, err := http.Get(url); err == nil {
		t.Errorf("still serving after Ctrl-C")
	}
	if p, _ := strconv.Atoi(port); p == defaultServePort {
		t.Logf("-port 0 chose the default port")
	}
}
