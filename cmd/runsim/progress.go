package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// progress shows replications done, rate and ETA on stderr: a bar redrawn
// in place (at most 10 times a second) when stderr is a terminal, a plain
// line every few seconds otherwise, nothing when quiet.
type progress struct {
	w          io.Writer
	tty, quiet bool
	now        func() time.Time
	start      time.Time
	last       time.Time
	startDone  int
	done       int
	total      int
	drawn      bool
}

// lineEvery is how often a non-terminal gets a progress line.
const lineEvery = 5 * time.Second

func newProgress(w io.Writer, tty, quiet bool, now func() time.Time) *progress {
	t := now()
	return &progress{w: w, tty: tty, quiet: quiet, now: now, start: t, last: t, startDone: -1}
}

func (p *progress) elapsed() time.Duration { return p.now().Sub(p.start) }

func (p *progress) update(done, total int) {
	if p.startDone < 0 {
		p.startDone = done // replications already finished before a resume
	}
	p.done, p.total = done, total
	if p.quiet {
		return
	}
	t := p.now()
	every := lineEvery
	if p.tty {
		every = 100 * time.Millisecond
	}
	if t.Sub(p.last) < every && done != total {
		return
	}
	p.last = t
	p.draw(t)
}

func (p *progress) draw(t time.Time) {
	el := t.Sub(p.start)
	rate := 0.0
	if el > 0 {
		rate = float64(p.done-p.startDone) / el.Seconds()
	}
	eta := "?"
	if rate > 0 {
		eta = (time.Duration(float64(p.total-p.done)/rate*float64(time.Second)) + time.Second/2).Truncate(time.Second).String()
	}
	pct := 100.0
	if p.total > 0 {
		pct = 100 * float64(p.done) / float64(p.total)
	}
	if p.tty {
		const width = 30
		fill := int(pct / 100 * width)
		fmt.Fprintf(p.w, "\r[%s%s] %d/%d replications (%.0f%%) %.1f/s ETA %s  ",
			strings.Repeat("#", fill), strings.Repeat(".", width-fill), p.done, p.total, pct, rate, eta)
		p.drawn = true
		return
	}
	fmt.Fprintf(p.w, "runsim: %d/%d replications (%.0f%%), %.1f/s, elapsed %s, ETA %s\n",
		p.done, p.total, pct, rate, el.Truncate(time.Second), eta)
}

func (p *progress) finish() {
	if p.quiet {
		return
	}
	if p.tty && p.drawn {
		fmt.Fprintln(p.w)
		p.drawn = false
	}
}
