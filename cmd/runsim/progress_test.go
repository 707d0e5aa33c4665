package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// fakeClock advances by step on every reading.
type fakeClock struct {
	t    time.Time
	step time.Duration
}

func (c *fakeClock) now() time.Time { c.t = c.t.Add(c.step); return c.t }

func TestProgressModes(t *testing.T) {
	run := func(tty, quiet bool, step time.Duration) string {
		var b bytes.Buffer
		c := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), step: step}
		p := newProgress(&b, tty, quiet, c.now)
		for i := 0; i <= 100; i++ {
			p.update(i, 100)
		}
		p.finish()
		return b.String()
	}
	// A terminal: a bar redrawn in place with rate and ETA, ending on a newline.
	out := run(true, false, 50*time.Millisecond)
	if !strings.Contains(out, "\r[") || !strings.Contains(out, "100/100 replications (100%)") || !strings.Contains(out, "ETA") || !strings.HasSuffix(out, "\n") {
		t.Errorf("terminal output: %q", out)
	}
	// Not a terminal: whole lines, one every 5 s at most (here 1 s per
	// replication: ~20 lines plus the last), no carriage returns.
	out = run(false, false, time.Second)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if strings.Contains(out, "\r") || len(lines) < 15 || len(lines) > 25 || !strings.Contains(lines[len(lines)-1], "100/100") {
		t.Errorf("log output (%d lines): %q", len(lines), out)
	}
	if !strings.Contains(lines[1], "/s") || !strings.Contains(lines[1], "ETA") {
		t.Errorf("a log line lacks rate or ETA: %q", lines[1])
	}
	// Quiet: nothing.
	if out := run(true, true, time.Second); out != "" {
		t.Errorf("quiet output: %q", out)
	}
}
