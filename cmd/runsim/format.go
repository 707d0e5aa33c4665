package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"frontiersim/results"
)

// defaultWidth is the width text tables wrap to when neither COLUMNS nor
// the terminal says.
const defaultWidth = 100

// terminalWidth is the width text output wraps to: COLUMNS when it is a
// whole number of at least 40, else the terminal's width when stdout is a
// terminal, else defaultWidth.
func terminalWidth(e *env) int {
	if n, err := strconv.Atoi(strings.TrimSpace(e.getenv("COLUMNS"))); err == nil && n >= 40 {
		return n
	}
	if f, ok := e.stdout.(*os.File); ok {
		if n := fileWidth(f); n >= 40 {
			return n
		}
	}
	return defaultWidth
}

// width is a string's width in columns (one per rune: the tables hold no
// wide characters).
func width(s string) int { return utf8.RuneCountInString(s) }

// wrapText breaks s into lines of at most maxWidth columns at spaces (a
// word longer than that, such as a long path, stays whole on its line).
func wrapText(s string, maxWidth int) string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			switch {
			case line == "":
				line = word
			case width(line)+1+width(word) <= maxWidth:
				line += " " + word
			default:
				lines = append(lines, line)
				line = word
			}
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// writeWrapped writes a table of head and rows, columns two spaces apart,
// numbers right-aligned, in panels no wider than maxWidth: the first keys
// columns (the row's name) start every panel, and the other columns fill
// the panels in order, as many as fit (at least one).
func writeWrapped(w io.Writer, head []string, rows [][]string, keys, maxWidth int) {
	widths := make([]int, len(head))
	for i, h := range head {
		widths[i] = width(h)
	}
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], width(c))
		}
	}
	right := make([]bool, len(head)) // numbers and intervals right-aligned, heading too
	for i := range head {
		right[i] = i >= keys
		for _, r := range rows {
			right[i] = right[i] && numeric(r[i])
		}
	}
	keyWidth := 0
	for _, wd := range widths[:keys] {
		keyWidth += wd + 2
	}
	var panels [][]int
	for i := keys; i < len(head); {
		cols := []int{}
		used := keyWidth
		for i < len(head) && (len(cols) == 0 || used+widths[i] <= maxWidth) {
			cols = append(cols, i)
			used += widths[i] + 2
			i++
		}
		panels = append(panels, cols)
	}
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	line := func(cells []string, cols []int) {
		var b strings.Builder
		for k := 0; k < keys; k++ {
			b.WriteString(cells[k])
			b.WriteString(strings.Repeat(" ", widths[k]-width(cells[k])+2))
		}
		for j, c := range cols {
			pad := strings.Repeat(" ", widths[c]-width(cells[c]))
			if right[c] {
				b.WriteString(pad + cells[c])
			} else {
				b.WriteString(cells[c] + pad)
			}
			if j < len(cols)-1 {
				b.WriteString("  ")
			}
		}
		fmt.Fprintln(bw, strings.TrimRight(b.String(), " "))
	}
	for k, cols := range panels {
		if k > 0 {
			fmt.Fprintln(bw)
		}
		line(head, cols)
		for _, r := range rows {
			line(r, cols)
		}
	}
}

// numeric reports whether a cell is a number or an interval (or empty).
func numeric(s string) bool {
	if s == "" || s == "n/a" || strings.HasPrefix(s, "[") {
		return true
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// jsonSink is a results.RowSink that writes a table as a JSON array of
// objects, one per row, keyed by column name in column order: text as
// strings, whole numbers and floats as numbers (the shortest decimal that
// parses back to the same float64), NaN and infinities as null (JSON has
// no such numbers), booleans as true and false.
type jsonSink struct {
	w    *bufio.Writer
	cols []results.Column
	keys [][]byte
	rows int
}

func newJSONSink(w io.Writer) *jsonSink { return &jsonSink{w: bufio.NewWriter(w)} }

func (s *jsonSink) Begin(cols []results.Column) error {
	s.cols = cols
	for _, c := range cols {
		k, err := json.Marshal(c.Name)
		if err != nil {
			return err
		}
		s.keys = append(s.keys, k)
	}
	_, err := s.w.WriteString("[")
	return err
}

func (s *jsonSink) Row(vals []results.Value) error {
	if len(vals) != len(s.cols) {
		return fmt.Errorf("a row of %d values for %d columns", len(vals), len(s.cols))
	}
	if s.rows > 0 {
		s.w.WriteString(",")
	}
	s.rows++
	s.w.WriteString("\n  {")
	for i, v := range vals {
		if i > 0 {
			s.w.WriteString(", ")
		}
		s.w.Write(s.keys[i])
		s.w.WriteString(": ")
		switch s.cols[i].Kind {
		case results.Int:
			s.w.WriteString(strconv.Itoa(v.Int))
		case results.Float:
			if math.IsNaN(v.Float) || math.IsInf(v.Float, 0) {
				s.w.WriteString("null")
			} else {
				s.w.WriteString(results.FormatFloat(v.Float))
			}
		case results.Bool:
			s.w.WriteString(strconv.FormatBool(v.Bool))
		default:
			b, err := json.Marshal(v.Text)
			if err != nil {
				return err
			}
			s.w.Write(b)
		}
	}
	_, err := s.w.WriteString("}")
	return err
}

func (s *jsonSink) Close() error {
	if s.rows > 0 {
		s.w.WriteString("\n")
	}
	s.w.WriteString("]\n")
	return s.w.Flush()
}

func (s *jsonSink) Abort() { s.w.Flush() }

// markdownSink is a results.RowSink that writes a table as a Markdown
// (GitHub) table: every column, numbers right-aligned, floats with four
// significant digits, NaN as n/a.
type markdownSink struct {
	w    *bufio.Writer
	cols []results.Column
}

func newMarkdownSink(w io.Writer) *markdownSink { return &markdownSink{w: bufio.NewWriter(w)} }

func (s *markdownSink) Begin(cols []results.Column) error {
	s.cols = cols
	var head, rule []string
	for _, c := range cols {
		head = append(head, c.Name)
		if c.Kind == results.Int || c.Kind == results.Float {
			rule = append(rule, "---:")
		} else {
			rule = append(rule, "---")
		}
	}
	_, err := fmt.Fprintf(s.w, "| %s |\n| %s |\n", strings.Join(head, " | "), strings.Join(rule, " | "))
	return err
}

func (s *markdownSink) Row(vals []results.Value) error {
	if len(vals) != len(s.cols) {
		return fmt.Errorf("a row of %d values for %d columns", len(vals), len(s.cols))
	}
	cells := make([]string, len(vals))
	for i, v := range vals {
		switch s.cols[i].Kind {
		case results.Int:
			cells[i] = strconv.Itoa(v.Int)
		case results.Float:
			cells[i] = num(v.Float)
		case results.Bool:
			cells[i] = strconv.FormatBool(v.Bool)
		default:
			cells[i] = strings.ReplaceAll(v.Text, "|", `\|`)
		}
	}
	_, err := fmt.Fprintf(s.w, "| %s |\n", strings.Join(cells, " | "))
	return err
}

func (s *markdownSink) Close() error { return s.w.Flush() }

func (s *markdownSink) Abort() { s.w.Flush() }
