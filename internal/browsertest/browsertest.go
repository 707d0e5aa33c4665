// Package browsertest loads an HTML report in headless Chromium (Debian's
// chromium, which .ci/run installs) and reports what a reader would see
// wrong: images that do not load and text that overflows its box. It is
// test support: no package imports it outside its tests.
package browsertest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"time"
)

// Chromium returns the chromium binary, or "" when there is none.
func Chromium() string {
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

// Check is what Load found in a report.
type Check struct {
	Images, ImagesLoaded int    // <img> elements, and those that decoded (naturalWidth > 0)
	Tables, Comparison   int    // <table> elements, and those of class comparison
	Overflow             int    // elements whose text overflows, a page wider than the window, images past it
	OverflowText         string // the first few of them, by tag and text
	DOM                  []byte // the wrapper's dumped DOM
}

// wrapperHTML loads report.html in an iframe and, once it has loaded,
// writes into its own DOM how many images the report has, how many of them
// decoded (naturalWidth > 0), how many tables it has, and which text
// overflows: an element of text whose content is wider than its box, or a
// page wider than the window (its first few, by tag and text). The report
// itself has no script.
const wrapperHTML = `<!DOCTYPE html>
<html><head><meta charset="utf-8"></head><body>
<div id="result" data-images-ok="pending"></div>
<iframe id="report" src="report.html" style="width:1200px;height:1000px"></iframe>
<script>
function check() {
  var doc = document.getElementById('report').contentDocument;
  var imgs = doc.images, ok = 0;
  for (var i = 0; i < imgs.length; i++) {
    if (imgs[i].complete && imgs[i].naturalWidth > 0) ok++;
  }
  var r = document.getElementById('result');
  r.setAttribute('data-images', String(imgs.length));
  r.setAttribute('data-images-ok', String(ok));
  r.setAttribute('data-tables', String(doc.querySelectorAll('table').length));
  r.setAttribute('data-comparison-tables', String(doc.querySelectorAll('table.comparison').length));
  var over = [], els = doc.querySelectorAll('h1, h2, h3, h4, p, li, figcaption, summary, td, th, nav a');
  for (var i = 0; i < els.length; i++) {
    var e = els[i];
    if (e.getClientRects().length > 0 && e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0) {
      over.push(e.tagName + ': ' + e.textContent.slice(0, 60));
    }
  }
  var page = doc.documentElement;
  if (page.scrollWidth > page.clientWidth + 1) {
    over.push('page: ' + page.scrollWidth + ' px wide in a window of ' + page.clientWidth);
  }
  for (var i = 0; i < imgs.length; i++) {
    if (imgs[i].getBoundingClientRect().right > page.clientWidth + 1) {
      over.push('img ' + imgs[i].alt + ' past the window');
    }
  }
  r.setAttribute('data-overflow', String(over.length));
  r.textContent = over.slice(0, 10).join(' | ');
}
document.getElementById('report').addEventListener('load', check);
</script>
</body></html>`

// Load opens report (an HTML file) in chromium in an iframe of 1200 px,
// lets it load (5 s of virtual time) and returns what the wrapper's script
// counted. tmp is a scratch directory for the wrapper, beside the report,
// and chromium's profile.
func Load(chromium, report, tmp string) (Check, error) {
	var c Check
	report, err := filepath.Abs(report)
	if err != nil {
		return c, err
	}
	wrapper := filepath.Join(filepath.Dir(report), "browsertest-wrapper.html")
	page := bytes.ReplaceAll([]byte(wrapperHTML), []byte(`src="report.html"`), []byte(`src="`+filepath.Base(report)+`"`))
	if err := os.WriteFile(wrapper, page, 0o644); err != nil {
		return c, err
	}
	defer os.Remove(wrapper)
	// file:// iframes of the same directory are same-origin only with this flag.
	dom, err := Run(chromium, tmp, "--allow-file-access-from-files", "--virtual-time-budget=5000", "--dump-dom", "file://"+wrapper)
	if err != nil {
		return c, err
	}
	c.DOM = dom
	attr := func(name string) (int, error) {
		m := regexp.MustCompile(name + `="([0-9]+)"`).FindSubmatch(dom)
		if m == nil {
			return 0, fmt.Errorf("browsertest: no %s in the dumped DOM:\n%.2000s", name, dom)
		}
		return strconv.Atoi(string(m[1]))
	}
	for _, f := range []struct {
		name string
		v    *int
	}{{"data-images", &c.Images}, {"data-images-ok", &c.ImagesLoaded}, {"data-tables", &c.Tables},
		{"data-comparison-tables", &c.Comparison}, {"data-overflow", &c.Overflow}} {
		if *f.v, err = attr(f.name); err != nil {
			return c, err
		}
	}
	if m := regexp.MustCompile(`data-overflow="[0-9]+"[^>]*>([^<]*)<`).FindSubmatch(dom); m != nil {
		c.OverflowText = string(m[1])
	}
	return c, nil
}

// Run runs headless chromium with args (and a fresh profile under tmp)
// for at most 90 s and returns its standard output.
func Run(chromium, tmp string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	profile, err := os.MkdirTemp(tmp, "chromium-")
	if err != nil {
		return nil, err
	}
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + profile}
	cmd := exec.CommandContext(ctx, chromium, append(base, args...)...)
	var stderr limitedBuffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("browsertest: chromium %v: %w\n%s", args, err, stderr.b)
	}
	return out, nil
}

// limitedBuffer keeps the first 64 KiB written to it.
type limitedBuffer struct{ b []byte }

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := 64<<10 - len(l.b); room > 0 {
		l.b = append(l.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}
