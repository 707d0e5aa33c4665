package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// validateWithin runs "runsim validate args..." with ctx and fails if it
// does not return within a generous deadline (reading a named pipe used to
// block forever).
func validateWithin(t *testing.T, ctx context.Context, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	e, out, errb := relEnv()
	done := make(chan int, 1)
	go func() { done <- dispatch(ctx, e, append([]string{"validate"}, args...)) }()
	select {
	case code = <-done:
	case <-time.After(30 * time.Second):
		t.Fatalf("validate %v has not returned after 30 s", args)
	}
	return code, out.String(), errb.String()
}

// TestValidateRefusesSpecialFiles: a named pipe, a device and a directory,
// as FILE or as the base it extends, are refused at once with exit 2 and
// the file (and extends line) named; an empty FILE says so.
func TestValidateRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "exp.toml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	child := filepath.Join(dir, "child.toml")
	for _, c := range []struct {
		file, want string
	}{
		{fifo, fifo + ": cannot read: a named pipe (FIFO), not a regular file"},
		{"/dev/zero", "/dev/zero: cannot read: a character device, not a regular file"},
		{dir, dir + ": cannot read: a directory, not a regular file"},
		{"", "  the experiment file name is empty: give the path of an experiment file, or shipped:NAME"},
	} {
		code, _, stderr := validateWithin(t, context.Background(), c.file)
		if code != exitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("validate %q: exit %d, stderr:\n%s\nwant exit 2 and %q", c.file, code, stderr, c.want)
		}
		if c.file == "" {
			continue
		}
		if err := os.WriteFile(child, fmt.Appendf(nil, "name = \"child\"\nextends = %q\n", c.file), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, stderr = validateWithin(t, context.Background(), child)
		want := child + ":2: extends: cannot read: "
		if code != exitUsage || !strings.Contains(stderr, want) {
			t.Errorf("extends %q: exit %d, stderr:\n%s\nwant exit 2 and %q", c.file, code, stderr, want)
		}
	}
}

// TestValidateReadingStopsOnSignal: once the context is cancelled (SIGINT,
// SIGTERM), reading stops and validate exits 130, not 2.
func TestValidateReadingStopsOnSignal(t *testing.T) {
	file := filepath.Join(t.TempDir(), "exp.toml")
	if err := os.WriteFile(file, []byte("name = \"x\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if code, _, stderr := validateWithin(t, ctx, file); code != exitInterrupted {
		t.Errorf("exit %d, want %d; stderr:\n%s", code, exitInterrupted, stderr)
	}
}

// TestValidateReadmeExamples: every TOML block of README.md passes
// "runsim validate", run from a directory outside the repository (the
// example used to extend "baseline.toml", found only inside it).
func TestValidateReadmeExamples(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```toml\n(.*?)```").FindAllSubmatch(b, -1)
	if len(blocks) == 0 {
		t.Fatal("README.md has no TOML block")
	}
	dir := t.TempDir()
	for i, m := range blocks {
		file := filepath.Join(dir, fmt.Sprintf("readme%d.toml", i+1))
		if err := os.WriteFile(file, m[1], 0o644); err != nil {
			t.Fatal(err)
		}
		if code, stdout, stderr := validateWithin(t, context.Background(), file); code != exitOK || !strings.Contains(stdout, ": valid: ") {
			t.Errorf("README.md TOML block %d: exit %d\n%s%s", i+1, code, stdout, stderr)
		}
	}
}

// TestValidateShowsNotes: a Latin hypercube over a whole-number parameter
// is valid, and validate says how it is sampled.
func TestValidateShowsNotes(t *testing.T) {
	file := filepath.Join(t.TempDir(), "lhs.toml")
	text := "extends = \"shipped:baseline\"\nname = \"lhs\"\nreplications = 2\nbuyers = 100\n[sweep]\nkind = \"lhs\"\npoints = 8\n" +
		"[[sweep.parameters]]\nname = \"policy.ban_exclusive\"\nmin = 0\nmax = 3\n"
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := validateWithin(t, context.Background(), file)
	want := file + ": note: sweep.parameters[0]: policy.ban_exclusive takes whole numbers: the Latin hypercube draws the whole numbers 0 to 3 equally often"
	if code != exitOK || !strings.Contains(stdout, want) {
		t.Errorf("exit %d, stdout:\n%s%s\nwant %q", code, stdout, stderr, want)
	}
}
