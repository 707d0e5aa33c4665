package dashboard

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"strings"
	"testing"
)

// TestVendoredUPlot: the vendored uPlot files are those VERSION names by
// SHA-256 (as copied from the npm package), its MIT licence is beside
// them, and nothing in them could end the inline <script> or <style> of
// the page early.
func TestVendoredUPlot(t *testing.T) {
	version, err := os.ReadFile("assets/VERSION")
	if err != nil {
		t.Fatal(err)
	}
	sums := 0
	for _, line := range strings.Split(string(version), "\n") {
		sum, name, ok := strings.Cut(line, "  ")
		if !ok || len(sum) != 64 {
			continue
		}
		b, err := os.ReadFile("assets/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if got := sha256.Sum256(b); hex.EncodeToString(got[:]) != sum {
			t.Errorf("assets/%s: SHA-256 %x, VERSION says %s", name, got, sum)
		}
		if strings.Contains(strings.ToLower(string(b)), "</script") || strings.Contains(strings.ToLower(string(b)), "</style") {
			t.Errorf("assets/%s would end the page's inline element", name)
		}
		sums++
	}
	if sums != 2 {
		t.Errorf("VERSION lists %d files, want the script and the stylesheet", sums)
	}
	lic, err := os.ReadFile("assets/uPlot.LICENSE")
	if err != nil || !strings.Contains(string(lic), "The MIT License") {
		t.Errorf("uPlot's MIT licence is missing from assets/ (%v)", err)
	}
	page, err := renderPage()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), uplotJS[:200]) || !strings.Contains(string(page), "new EventSource") {
		t.Error("the page does not inline uPlot and the dashboard's script")
	}
}
