package dashboard

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"frontiersim/results"
)

// secret is the content of a file outside the given directory, which no
// request may read.
const secret = "secret outside the given directory"

// fileTree lays out a given directory "given" holding one result
// directory "run" (a report, a chart, a store, a lock file, a file that is
// no result file, and symbolic links that lead out), beside a secret file
// outside it. It returns the given directory and the secret's path.
func fileTree(t *testing.T) (string, string) {
	t.Helper()
	top := t.TempDir()
	given := filepath.Join(top, "given")
	run := filepath.Join(given, "run")
	charts := filepath.Join(run, results.ChartsDir)
	if err := os.MkdirAll(charts, 0o755); err != nil {
		t.Fatal(err)
	}
	secretPath := filepath.Join(top, "secret.txt")
	files := map[string]string{
		secretPath:                                  secret,
		filepath.Join(run, results.ReportFile):      "<html>the report</html>",
		filepath.Join(run, results.ComparisonFile):  "arm,metric\n",
		filepath.Join(charts, "fan_spend.png"):      "PNG",
		filepath.Join(run, results.StoreFile):       "store",
		filepath.Join(run, results.LockFile):        "",
		filepath.Join(run, "notes.txt"):             "not a result file",
		filepath.Join(given, results.ManifestFile):  "{}",
		filepath.Join(run, results.ExperimentFile):  "name = \"x\"\n",
		filepath.Join(charts, "not-a-chart.png"):    "PNG",
		filepath.Join(top, "given-sibling", "x.md"): "sibling",
	}
	for p, c := range files {
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Symbolic links inside that lead out: a result file's name and a
	// directory.
	if err := os.Symlink(secretPath, filepath.Join(charts, "box_spend.png")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(top, filepath.Join(given, "up")); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(top, "outside-run"), 0o755)
	os.WriteFile(filepath.Join(top, "outside-run", results.ReportFile), []byte(secret), 0o644)
	return given, secretPath
}

// rawGet sends path as it is (no cleaning, no re-encoding by a client) and
// returns the status and body.
func rawGet(t *testing.T, addr, method, path, host string) (int, string) {
	status, body, _ := rawRequest(t, addr, method, path, host)
	return status, body
}

// rawRequest is rawGet that returns the Location header too.
func rawRequest(t *testing.T, addr, method, path, host string) (int, string, string) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	fmt.Fprintf(c, "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", method, path, host)
	resp, err := http.ReadResponse(bufio.NewReader(c), &http.Request{Method: method})
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header.Get("Location")
}

// TestFilesStayInside requests result files by every path that could lead
// out of the given directory: "..", encoded dots and slashes, absolute
// paths, symbolic links, backslashes, NUL, and names that are not result
// files. Only the result files inside are served; a redirect (the router
// cleaning a path) is followed to check where it leads.
func TestFilesStayInside(t *testing.T) {
	given, secretPath := fileTree(t)
	s := newServer(t, given)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	abs := filepath.ToSlash(secretPath)
	cases := []struct {
		path string
		ok   bool // served (200)
	}{
		{"/files/0/run/report.html", true},
		{"/files/0/run/comparison.csv", true},
		{"/files/0/run/charts/fan_spend.png", true},
		{"/files/0/run/experiment.toml", true},
		{"/files/0/manifest.json", true},
		{"/files/0/run/%72eport.html", true}, // an encoded letter is still the report

		{"/files/0/../secret.txt", false},
		{"/files/0/run/../../secret.txt", false},
		{"/files/0/%2e%2e/secret.txt", false},
		{"/files/0/%2E%2E/%2e%2e/secret.txt", false},
		{"/files/0/run/%2e%2e%2f%2e%2e%2fsecret.txt", false},
		{"/files/0/..%2fsecret.txt", false},
		{"/files/0/..%5csecret.txt", false},
		{"/files/0/run/..%2F..%2Foutside-run%2Freport.html", false},
		{"/files/0/up/outside-run/report.html", false}, // through a symbolic link to a directory outside
		{"/files/0/run/charts/box_spend.png", false},   // a chart's name, a link to the secret
		{"/files/0/" + abs, false},
		{"/files/0/%2F" + strings.TrimPrefix(abs, "/"), false},
		{"/files/0//" + strings.TrimPrefix(abs, "/"), false},
		{"/files/0/" + strings.ReplaceAll(abs, "/", "%2f"), false},
		{"/files/0/run/report.html%00.png", false},
		{"/files/0/run/replications.bin", false},
		{"/files/0/run/.lock", false},
		{"/files/0/run/notes.txt", false},
		{"/files/0/run/charts/not-a-chart.png", false},
		{"/files/0/./run/report.html", true}, // the router redirects to the clean path
		{"/files/1/run/report.html", false},
		{"/files/-1/run/report.html", false},
		{"/files/00/run/report.html", false},
		{"/files/0/", false},
		{"/files/" + abs, false},
		{"/" + abs, false},
	}
	for _, c := range cases {
		status, body, loc := rawRequest(t, addr, "GET", c.path, "127.0.0.1")
		for hops := 0; status/100 == 3 && loc != "" && hops < 5; hops++ {
			// Follow the router's redirect (to the cleaned path) as a browser would.
			status, body, loc = rawRequest(t, addr, "GET", loc, "127.0.0.1")
		}
		if strings.Contains(body, secret) || strings.Contains(body, "sibling") {
			t.Errorf("GET %s: read a file outside the given directory (status %d)", c.path, status)
		}
		if served := status == http.StatusOK; served != c.ok {
			t.Errorf("GET %s: status %d, want served %v (body %.80q)", c.path, status, c.ok, body)
		}
	}
}

// TestReadOnly: no endpoint answers a method that could write, the Host
// must name the loopback interface, and requests change no file.
func TestReadOnly(t *testing.T) {
	given, _ := fileTree(t)
	before := treeListing(t, filepath.Dir(given))
	s := newServer(t, given)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	paths := []string{"/", "/events", "/api/snapshot", "/files/0/run/report.html", "/files/0/run/new.txt"}
	for _, p := range paths {
		for _, m := range []string{"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "MKCOL", "PROPFIND"} {
			if status, _ := rawGet(t, addr, m, p, "127.0.0.1"); status != http.StatusMethodNotAllowed {
				t.Errorf("%s %s: status %d, want 405", m, p, status)
			}
		}
	}
	for host, ok := range map[string]bool{
		"127.0.0.1": true, "127.0.0.1:8737": true, "localhost:9000": true, "[::1]:8737": true,
		"evil.example": false, "evil.example:8737": false, "10.0.0.1": false, "localhost.evil.example": false,
	} {
		status, _ := rawGet(t, addr, "GET", "/api/snapshot", host)
		if (status == http.StatusOK) != ok {
			t.Errorf("Host %s: status %d, want allowed %v", host, status, ok)
		}
	}
	status, body := rawGet(t, addr, "GET", "/", "localhost")
	if status != http.StatusOK || !strings.Contains(body, "uPlot") || !strings.Contains(body, "new EventSource") {
		t.Errorf("GET /: status %d, %d bytes without uPlot or the script", status, len(body))
	}
	if strings.Contains(body, "<script src") || strings.Contains(body, "<link") || strings.Contains(body, "https://") && !strings.Contains(body, "/*! https://github.com/leeoniya/uPlot") {
		t.Errorf("the page loads something from elsewhere")
	}
	s.Poll()
	if after := treeListing(t, filepath.Dir(given)); after != before {
		t.Errorf("the files changed while serving:\nbefore %s\nafter  %s", before, after)
	}
}

// treeListing lists every path below dir with its size and modification time.
func treeListing(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil {
			fmt.Fprintf(&b, "%s %d %d; ", p, fi.Size(), fi.ModTime().UnixNano())
		}
		return nil
	})
	return b.String()
}

// TestServedFile is the path check alone.
func TestServedFile(t *testing.T) {
	for rel, ok := range map[string]bool{
		"report.html": true, "a/b/report.html": true, "run/charts/summary.png": true, "charts/fan_x.svg": true,
		"": false, "/report.html": false, "../report.html": false, "a/../report.html": false, "./report.html": false,
		"a//report.html": false, "a\\report.html": false, ".hidden/report.html": false, "replications.bin": false,
		"charts/notes.png": false, "run/fan_x.png": false, "report.html\x00": false,
	} {
		if got := servedFile(rel) == nil; got != ok {
			t.Errorf("servedFile(%q) = %v, want %v", rel, got, ok)
		}
	}
}

// TestServeStops: Serve returns nil once its context ends, with an event
// stream open.
func TestServeStops(t *testing.T) {
	given, _ := fileTree(t)
	s, err := New(Options{Dirs: []string{given}})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	line, err := bufio.NewReader(resp.Body).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "id: ") {
		t.Fatalf("first line of the stream %q, %v", line, err)
	}
	cancel()
	select {
	case err := <-served:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Minute):
		t.Fatal("Serve did not stop")
	}
}
