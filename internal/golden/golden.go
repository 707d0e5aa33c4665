package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Check compares got with the golden file at path. With update it writes
// got to path (creating its directory) and passes. A difference fails tb
// with Diff and says how to regenerate the file: a change of output on
// purpose regenerates it with -update, and the diff of the golden file is
// reviewed with the change.
func Check(tb testing.TB, path string, got []byte, update bool) {
	tb.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (create it with go test -update)", err)
		return
	}
	if d := Diff(string(want), string(got)); d != "" {
		tb.Errorf("%s differs (-want +got):\n%s(a change on purpose regenerates it with go test -update)", path, d)
	}
}

// context is the number of equal lines Diff shows around a change.
const contextLines = 2

// Diff returns a line diff of want and got, or "" when they are equal:
// lines only in want start "-", lines only in got "+", equal lines near a
// change " ", and each hunk is headed by its line numbers in want and got.
// A difference in the final newline alone is reported too.
func Diff(want, got string) string {
	if want == got {
		return ""
	}
	a, b := splitLines(want), splitLines(got)
	ops := diffLines(a, b)
	var out strings.Builder
	// Print the changes with context lines, in hunks.
	show := make([]bool, len(ops))
	for i, op := range ops {
		if op.kind != ' ' {
			for j := max(0, i-contextLines); j <= min(len(ops)-1, i+contextLines); j++ {
				show[j] = true
			}
		}
	}
	for i := 0; i < len(ops); i++ {
		if !show[i] {
			continue
		}
		if i == 0 || !show[i-1] {
			fmt.Fprintf(&out, "@@ want line %d, got line %d @@\n", ops[i].a+1, ops[i].b+1)
		}
		fmt.Fprintf(&out, "%c %s\n", ops[i].kind, ops[i].text)
	}
	if out.Len() == 0 {
		// Same lines: the texts differ in their final newline.
		return fmt.Sprintf("want ends %q, got ends %q\n", tail(want), tail(got))
	}
	return out.String()
}

func tail(s string) string { return s[max(0, len(s)-10):] }

// splitLines splits s into lines without their newline; a final newline
// ends the last line rather than starting an empty one.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// op is one line of the edit script: kind ' ' (in both), '-' (want only)
// or '+' (got only), with its line index in want (a) and got (b).
type op struct {
	kind rune
	a, b int
	text string
}

// diffLines is the edit script of a longest common subsequence of lines
// (dynamic programming: goldens are small).
func diffLines(a, b []string) []op {
	n, m := len(a), len(b)
	// lcs[i][j] is the LCS length of a[i:] and b[j:].
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var ops []op
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			ops = append(ops, op{' ', i, j, a[i]})
			i++
			j++
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			ops = append(ops, op{'-', i, j, a[i]}) // deletions first, as go-cmp shows them
			i++
		default:
			ops = append(ops, op{'+', i, j, b[j]})
			j++
		}
	}
	return ops
}
