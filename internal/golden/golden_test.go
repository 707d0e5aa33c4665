package golden

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	for _, c := range []struct {
		name, want, got, diff string
	}{
		{"equal", "a\nb\n", "a\nb\n", ""},
		{"changed line", "a\nb\nc\n", "a\nB\nc\n", "@@ want line 1, got line 1 @@\n  a\n- b\n+ B\n  c\n"},
		{"added line", "a\nb\n", "a\nb\nc\n", "@@ want line 1, got line 1 @@\n  a\n  b\n+ c\n"},
		{"removed line", "a\nb\nc\n", "a\nc\n", "@@ want line 1, got line 1 @@\n  a\n- b\n  c\n"},
		{"empty want", "", "x\n", "@@ want line 1, got line 1 @@\n+ x\n"},
		{"far apart changes make two hunks", "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "0\n2\n3\n4\n5\n6\n7\n8\n0\n",
			"@@ want line 1, got line 1 @@\n- 1\n+ 0\n  2\n  3\n@@ want line 7, got line 7 @@\n  7\n  8\n- 9\n+ 0\n"},
		{"final newline", "a\n", "a", "want ends \"a\\n\", got ends \"a\"\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Diff(c.want, c.got); got != c.diff {
				t.Errorf("Diff:\n%s\nwant\n%s", got, c.diff)
			}
		})
	}
}

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, format)
}
func (r *recorder) Fatalf(format string, args ...any) { r.Errorf(format, args...) }
func (r *recorder) Fatal(args ...any)                 { r.Errorf("fatal") }

func TestCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "out.golden")
	r := &recorder{TB: t}
	Check(r, path, []byte("one\n"), false)
	if len(r.errors) != 1 || !strings.Contains(r.errors[0], "create it with") {
		t.Errorf("missing golden: failures %q", r.errors)
	}
	r = &recorder{TB: t}
	Check(r, path, []byte("one\n"), true)
	if b, err := os.ReadFile(path); err != nil || string(b) != "one\n" || len(r.errors) != 0 {
		t.Fatalf("-update wrote %q (%v), failures %q", b, err, r.errors)
	}
	Check(r, path, []byte("one\n"), false)
	if len(r.errors) != 0 {
		t.Errorf("same text: failures %q", r.errors)
	}
	Check(r, path, []byte("two\n"), false)
	if len(r.errors) != 1 || !strings.Contains(r.errors[0], "-want +got") {
		t.Errorf("changed text: failures %q", r.errors)
	}
}
