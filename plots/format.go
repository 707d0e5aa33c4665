package plots

import (
	"math"
	"strconv"
	"strings"
)

// missing is how charts and the report show a value that is not a number
// (NaN): an en dash, explained in a footnote.
const missing = "–"

// superscripts maps the characters of an exponent to their superscript
// forms, for powers of ten written 1.2×10⁻⁴ rather than 1.2e-04.
var superscripts = strings.NewReplacer("-", "⁻", "0", "⁰", "1", "¹", "2", "²", "3", "³",
	"4", "⁴", "5", "⁵", "6", "⁶", "7", "⁷", "8", "⁸", "9", "⁹")

// magnitudeWords name the large magnitudes numbers are written in.
var magnitudeWords = []struct {
	v    float64
	word string
}{{1e12, "trillion"}, {1e9, "billion"}, {1e6, "million"}}

// fmtValue formats one number for a reader: three significant digits,
// thousands grouped, millions and above in words (5.05 million), very small
// numbers as a power of ten (3.3×10⁻⁴), never in e-notation; NaN as "–".
func fmtValue(v float64) string { return fmtDecimals(v, decimalsFor(math.Abs(v))) }

// fmtSame formats numbers that are read together (a value and its
// interval, a table's column, a chart's labels) with the same number of
// decimals: three significant digits at the largest magnitude among them.
func fmtSame(vs ...float64) []string {
	big := 0.0
	for _, v := range vs {
		if finite(v) {
			big = math.Max(big, math.Abs(v))
		}
	}
	dec := decimalsFor(big)
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = fmtDecimals(v, dec)
	}
	return out
}

// decimalsFor returns the decimals that give three significant digits at
// magnitude a (at most 6; below that, powers of ten).
func decimalsFor(a float64) int {
	if !(a > 0) || a >= 100 {
		return 0
	}
	return min(6, max(0, 2-int(math.Floor(math.Log10(a)))))
}

// fmtDecimals formats v with dec decimals, by the rules of fmtValue.
func fmtDecimals(v float64, dec int) string {
	switch {
	case math.IsNaN(v):
		return missing
	case math.IsInf(v, 1):
		return "∞"
	case math.IsInf(v, -1):
		return "−∞"
	}
	a := math.Abs(v)
	sign := ""
	if v < 0 {
		sign = "−"
	}
	for _, m := range magnitudeWords {
		if a >= m.v*0.9995 {
			if a >= 1e15 {
				return sign + powerOfTen(a)
			}
			return sign + strconv.FormatFloat(a/m.v, 'f', decimalsFor(a/m.v), 64) + " " + m.word
		}
	}
	if a > 0 && a < 1e-4 && dec >= 4 {
		return sign + powerOfTen(a)
	}
	s := strconv.FormatFloat(a, 'f', dec, 64)
	if strings.Trim(s, "0.") == "" {
		return "0" // no "−0.00"
	}
	return sign + groupThousands(s)
}

// powerOfTen writes a positive number as m×10ⁿ with three significant
// digits.
func powerOfTen(a float64) string {
	e := int(math.Floor(math.Log10(a)))
	m := a / math.Pow(10, float64(e))
	if m >= 9.995 {
		m /= 10
		e++
	}
	return strconv.FormatFloat(m, 'f', 2, 64) + "×10" + superscripts.Replace(strconv.Itoa(e))
}

// groupThousands puts commas between the thousands of the integer part of
// an unsigned decimal number.
func groupThousands(s string) string {
	intPart, frac, hasFrac := strings.Cut(s, ".")
	if len(intPart) <= 4 { // 1000 to 9999 stay as they are
		return s
	}
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// fmtSigned is fmtValue with an explicit sign: +1.23, −0.5, 0.
func fmtSigned(s string) string {
	if s == "0" || s == missing || strings.HasPrefix(s, "−") {
		return s
	}
	return "+" + s
}

// fmtParam writes a parameter value with at most four significant digits
// (0.6235, 1.5, 1200), by fmtValue's rules beyond a million or below 10⁻⁴.
func fmtParam(v float64) string {
	if a := math.Abs(v); a >= 1e6 || (a > 0 && a < 1e-4) || !finite(v) {
		return fmtValue(v)
	}
	if math.Abs(v) >= 1e4 {
		return fmtShortest(math.Round(v))
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}
