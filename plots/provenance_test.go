package plots

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportShowsRevision: the report's manifest table names the source
// revision the results were made by.
func TestReportShowsRevision(t *testing.T) {
	for _, c := range []struct {
		revision string
		dirty    bool
		want     string
	}{
		{"4272096b42e90563d5e82013ac49fe55f7492fd1", true, "4272096b42e90563d5e82013ac49fe55f7492fd1 with uncommitted changes"},
		{"", false, "unknown (built without VCS information)"},
	} {
		d := fixture("")
		d.Manifest.Revision, d.Manifest.Dirty = c.revision, c.dirty
		path := filepath.Join(t.TempDir(), "report.html")
		if err := WriteReport(d, nil, "", path); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(path)
		if i := strings.Index(string(b), "source revision"); i < 0 || !strings.Contains(string(b[i:min(len(b), i+300)]), c.want) {
			t.Errorf("the report does not show the source revision %q", c.want)
		}
	}
}
