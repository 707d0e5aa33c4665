package plots

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// findChromium returns the chromium binary, or "" when there is none.
func findChromium() string {
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

// wrapperHTML loads report.html in an iframe and, once it has loaded,
// writes into its own DOM how many images the report has, how many of them
// decoded (naturalWidth > 0) and how many tables it has. The report itself
// has no script.
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
}
document.getElementById('report').addEventListener('load', check);
</script>
</body></html>`

func TestReportInBrowser(t *testing.T) {
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("short")
	}
	chromium := findChromium()
	if chromium == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium not found (CI=true): .ci/chromium.sh installs it")
		}
		t.Skip("chromium not found; run .ci/chromium.sh")
	}
	dir := t.TempDir()
	d := fixture("grid")
	paths, err := DrawAll(d, filepath.Join(dir, "charts"))
	if err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(dir, "report.html")
	if err := WriteReport(d, paths, "# experiment\nname = \"fixture\"\n", report); err != nil {
		t.Fatal(err)
	}
	wrapper := filepath.Join(dir, "wrapper.html")
	if err := os.WriteFile(wrapper, []byte(wrapperHTML), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) []byte {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync",
			"--user-data-dir=" + t.TempDir()}
		cmd := exec.CommandContext(ctx, chromium, append(base, args...)...)
		var stderr limitedBuffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("chromium %v: %v\n%s", args, err, stderr.b)
		}
		return out
	}
	// file:// iframes of the same directory are same-origin only with this flag.
	dom := run("--allow-file-access-from-files", "--virtual-time-budget=5000", "--dump-dom", "file://"+wrapper)
	attr := func(name string) int {
		m := regexp.MustCompile(name + `="([0-9]+)"`).FindSubmatch(dom)
		if m == nil {
			t.Fatalf("no %s in the dumped DOM:\n%.2000s", name, dom)
		}
		n, _ := strconv.Atoi(string(m[1]))
		return n
	}
	imgs, ok, tables, comp := attr("data-images"), attr("data-images-ok"), attr("data-tables"), attr("data-comparison-tables")
	t.Logf("images %d, loaded %d, tables %d, comparison tables %d", imgs, ok, tables, comp)
	if imgs != len(paths) || ok != imgs {
		t.Errorf("%d of %d images loaded; want all %d charts", ok, imgs, len(paths))
	}
	if comp != len(d.Manifest.Plan.Metrics) || tables < comp+4 {
		t.Errorf("%d tables, %d comparison tables; want %d comparison tables plus design and manifest",
			tables, comp, len(d.Manifest.Plan.Metrics))
	}

	shot := filepath.Join(t.TempDir(), "report.png")
	if *update {
		shot, _ = filepath.Abs(filepath.Join("testdata", "out", "report.png"))
		os.MkdirAll(filepath.Dir(shot), 0o755)
	}
	run("--hide-scrollbars", "--window-size=1280,2000", "--virtual-time-budget=5000", "--screenshot="+shot, "file://"+report)
	if fi, err := os.Stat(shot); err != nil || fi.Size() == 0 {
		t.Fatalf("no screenshot: %v", err)
	}
	t.Logf("screenshot: %s", shot)
}

// limitedBuffer keeps the first 64 KiB written to it.
type limitedBuffer struct{ b []byte }

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := 64<<10 - len(l.b); room > 0 {
		l.b = append(l.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}
