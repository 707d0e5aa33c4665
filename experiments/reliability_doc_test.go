package experiments

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestReliabilityDocCounts: the counts of bad experiment files that
// docs/reliability.md states (written by docs/reliability.sh, make
// reliability) are those of testdata/bad, counted as the script counts
// them: the files, those with more than one "# want:" line, and the
// problems of many_problems.toml. A bad file added without regenerating the
// document fails here.
func TestReliabilityDocCounts(t *testing.T) {
	b, err := os.ReadFile("../docs/reliability.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	files := badFiles(t)
	multi, many := 0, 0
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, line := range strings.Split(string(text), "\n") {
			if strings.HasPrefix(line, "# want: ") {
				n++
			}
		}
		if n > 1 {
			multi++
		}
		if strings.HasSuffix(f, "/many_problems.toml") {
			many = n
		}
	}
	for _, c := range []struct {
		pattern string
		want    []int
	}{
		{`holds (\d+) bad experiment files: (\d+) with one problem each`, []int{len(files), len(files) - multi}},
		{`and (\d+) with several, among them many_problems\.toml with (\d+) problems`, []int{multi, many}},
		{`: (\d+) files rejected with the right key, line and message`, []int{len(files)}},
		{`runsim validate FILE \(exit 2, stderr names the key\): (\d+) passed`, []int{len(files)}},
	} {
		m := regexp.MustCompile(c.pattern).FindStringSubmatch(doc)
		if m == nil {
			t.Errorf("docs/reliability.md lacks /%s/", c.pattern)
			continue
		}
		for i, w := range c.want {
			if got, _ := strconv.Atoi(m[i+1]); got != w {
				t.Errorf("docs/reliability.md: %q says %d, testdata/bad has %d: run make reliability", m[0], got, w)
			}
		}
	}
}
