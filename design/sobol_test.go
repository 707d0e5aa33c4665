package design

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"strings"
	"testing"
)

// The embedded table is the first 1,024 lines of new-joe-kuo-6.21201 byte
// for byte (header, dimensions 2 to 1,024, trailing spaces kept).
const joeKuoDigest = "52eeb57738dd69f5e1f593f2085c4efb3fb410c3af241d5396d7a2bef60b9257"

// polyOrder is the multiplicative order of x modulo the polynomial
// x^s + a_1 x^(s-1) + ... + a_(s-1) x + 1 over GF(2): 2^s - 1 exactly when
// it is primitive. It walks the powers of x, sharing nothing with the
// recurrence of the direction numbers.
func polyOrder(s, a int) int {
	p := 1<<s | a<<1 | 1
	x := 1
	for n := 1; n <= 1<<s; n++ {
		x <<= 1
		if x&(1<<s) != 0 {
			x ^= p
		}
		if x == 1 {
			return n
		}
	}
	return 0
}

func TestJoeKuoTable(t *testing.T) {
	sum := sha256.Sum256(joeKuoTable)
	if got := hex.EncodeToString(sum[:]); got != joeKuoDigest || len(joeKuoTable) != 63469 {
		t.Errorf("embedded table: sha256 %s, %d bytes; want %s, 63469 bytes", got, len(joeKuoTable), joeKuoDigest)
	}
	if !strings.Contains(JoeKuoLicence, "Copyright (c) 2008, Frances Y. Kuo and Stephen Joe") {
		t.Error("the licence of the direction numbers is not embedded")
	}
	rows, err := parseJoeKuo(joeKuoTable)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows)+1 != SobolMaxDimension {
		t.Fatalf("%d dimensions, want %d", len(rows)+1, SobolMaxDimension)
	}
	// The polynomials are the primitive ones in order of degree, then of
	// coefficients (Sobol's and Joe and Kuo's order), and the initial
	// direction numbers are admissible.
	s, a := 1, 0
	for j, r := range rows {
		for polyOrder(s, a) != 1<<s-1 {
			if a++; a >= 1<<(s-1) {
				s, a = s+1, 0
			}
		}
		if r.s != s || r.a != a {
			t.Fatalf("dimension %d: polynomial (s %d, a %d), the next primitive one is (s %d, a %d)", j+2, r.s, r.a, s, a)
		}
		if a++; a >= 1<<(s-1) {
			s, a = s+1, 0
		}
		for k, m := range r.m {
			if m%2 == 0 || m >= 1<<(k+1) {
				t.Fatalf("dimension %d: m_%d = %d is not odd and below 2^%d", j+2, k+1, m, k+1)
			}
		}
	}
}

func TestParseJoeKuoErrors(t *testing.T) {
	for _, c := range []struct{ name, table, want string }{
		{"short line", "d s a m_i\n2 1 0\n", "line 2: 3 fields"},
		{"not a number", "d s a m_i\n2 1 0 x\n", "line 2"},
		{"dimension out of order", "d s a m_i\n3 1 0 1\n", "dimension 3"},
		{"numbers missing", "d s a m_i\n2 2 1 1\n", "degree 2 with 1 numbers"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := parseJoeKuo([]byte(c.table)); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

// TestSobolKnownPoints compares the first points with values published
// independently of this code:
//   - dimensions 1 and 2, 8 points: scipy's test of qmc.Sobol(scramble=False)
//     (scipy/stats/tests/test_qmc.py, TestSobol.unscramble_nd);
//   - dimensions 1 to 3, 10 points: the example of Joe and Kuo's page
//     (https://web.maths.unsw.edu.au/~fkuo/sobol/), which SALib's test of
//     its Sobol sequence also checks;
//   - dimensions 4 and 5 (s = 3, a = 1, m = 1 3 1 and s = 3, a = 2,
//     m = 1 1 1): by hand, V_1..V_3 = m_k/2^k in Gray-code order, i.e.
//     x_1 = V_1, x_2 = x_1⊕V_2, x_3 = x_2⊕V_1, x_4 = x_3⊕V_3, ...
func TestSobolKnownPoints(t *testing.T) {
	want := [][]float64{
		{0, 0, 0, 0, 0},
		{0.5, 0.5, 0.5, 0.5, 0.5},
		{0.75, 0.25, 0.25, 0.25, 0.75},
		{0.25, 0.75, 0.75, 0.75, 0.25},
		{0.375, 0.375, 0.625, 0.875, 0.375},
		{0.875, 0.875, 0.125, 0.375, 0.875},
		{0.625, 0.125, 0.875, 0.625, 0.625},
		{0.125, 0.625, 0.375, 0.125, 0.125},
		{0.1875, 0.3125, 0.9375},
		{0.6875, 0.8125, 0.4375},
	}
	got, err := Sobol(len(want), 5)
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range want {
		for j, x := range w {
			if got[i][j] != x {
				t.Errorf("point %d, dimension %d: %v, want %v", i, j+1, got[i][j], x)
			}
		}
	}
}

// TestSobolPrefix: fewer points are a prefix of more, and a lower
// dimension the leading coordinates of a higher one.
func TestSobolPrefix(t *testing.T) {
	long, err := Sobol(300, 40)
	if err != nil {
		t.Fatal(err)
	}
	short, err := Sobol(100, 7)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range short {
		for j, x := range p {
			if long[i][j] != x {
				t.Fatalf("point %d, dimension %d: %v, the longer sequence has %v", i, j, x, long[i][j])
			}
		}
	}
}

// TestSobolOneDimensionalStrata: in every one of the 1,024 dimensions each
// prefix of 2^m points puts exactly one point in each interval
// [k/2^m, (k+1)/2^m) (a (0, m, 1)-net).
func TestSobolOneDimensionalStrata(t *testing.T) {
	const maxM = 10
	pts, err := Sobol(1<<maxM, SobolMaxDimension)
	if err != nil {
		t.Fatal(err)
	}
	for j := range SobolMaxDimension {
		for m := 0; m <= maxM; m++ {
			n := 1 << m
			seen := make([]bool, n)
			for _, p := range pts[:n] {
				if p[j] < 0 || p[j] >= 1 {
					t.Fatalf("dimension %d: %v outside [0, 1)", j+1, p[j])
				}
				k := int(p[j] * float64(n))
				if seen[k] {
					t.Fatalf("dimension %d, %d points: two in [%d/%d, %d/%d)", j+1, n, k, n, k+1, n)
				}
				seen[k] = true
			}
		}
	}
}

// tValue is the smallest t for which the first 2^m points of the
// projection (x, y) are a (t, m, 2)-net: every elementary interval
// [a/2^p, (a+1)/2^p) × [b/2^q, (b+1)/2^q) with p + q = m - t holds exactly
// 2^t points.
func tValue(x, y []float64, m int) int {
	n := 1 << m
	for t := 0; t <= m; t++ {
		ok := true
		for p := 0; p <= m-t && ok; p++ {
			q := m - t - p
			count := make([]int, 1<<(m-t))
			for i := range n {
				a := int(x[i] * float64(int(1)<<p))
				b := int(y[i] * float64(int(1)<<q))
				count[a<<q|b]++
			}
			for _, c := range count {
				ok = ok && c == 1<<t
			}
		}
		if ok {
			return t
		}
	}
	return m + 1
}

// TestSobolTwoDimensionalNets: the 2^m-point prefix of each projection
// onto dimensions (i, j) among the first eight is a (t, m, 2)-net with
// t <= (s_i - 1) + (s_j - 1), s the degrees of their polynomials (1 for
// the van der Corput dimension): Sobol's bound (1967) for any admissible
// direction numbers, which a wrong recurrence or a misaligned bit breaks.
// Dimensions 1 and 2 are a (0, 2)-sequence: t = 0 for every m.
func TestSobolTwoDimensionalNets(t *testing.T) {
	const maxM = 12
	degrees := []int{1, 1, 2, 3, 3, 4, 4, 5}
	pts, err := Sobol(1<<maxM, len(degrees))
	if err != nil {
		t.Fatal(err)
	}
	col := func(j int) []float64 {
		c := make([]float64, len(pts))
		for i, p := range pts {
			c[i] = p[j]
		}
		return c
	}
	for i := range degrees {
		for j := i + 1; j < len(degrees); j++ {
			bound := degrees[i] - 1 + degrees[j] - 1
			x, y := col(i), col(j)
			for m := 1; m <= maxM; m++ {
				if tv := tValue(x, y, m); tv > bound || (i == 0 && j == 1 && tv != 0) {
					t.Errorf("dimensions (%d, %d), 2^%d points: t = %d, bound %d", i+1, j+1, m, tv, bound)
				}
			}
		}
	}
}

// TestSobolDirections: the first two dimensions are the closed forms
// V_k = 2^(32-k) (van der Corput) and the x+1 recurrence V_k = V_(k-1) ⊕
// (V_(k-1) >> 1).
func TestSobolDirections(t *testing.T) {
	v := directions()
	w := uint32(1) << 31
	for k := range sobolBits {
		if v[0][k] != 1<<(31-k) {
			t.Errorf("dimension 1, V_%d = %#x, want %#x", k+1, v[0][k], uint32(1)<<(31-k))
		}
		if v[1][k] != w {
			t.Errorf("dimension 2, V_%d = %#x, want %#x", k+1, v[1][k], w)
		}
		w ^= w >> 1
	}
}

// TestSobolRecurrence: the direction numbers beyond the table's follow
// Bratley and Fox's recurrence (ACM TOMS 14 (1988) 88–100, eq. 2) of the
// integers m_k = V_k/2^(32-k),
//
//	m_k = 2a_1 m_(k-1) ⊕ 4a_2 m_(k-2) ⊕ ... ⊕ 2^(s-1)a_(s-1) m_(k-s+1) ⊕ 2^s m_(k-s) ⊕ m_(k-s),
//
// worked here by hand for dimensions whose coefficients a are not
// palindromes (a reversed a_1 ... a_(s-1) gives the reciprocal polynomial,
// just as primitive, and nets as good, but not Joe and Kuo's sequence).
func TestSobolRecurrence(t *testing.T) {
	v := directions()
	for _, c := range []struct {
		dim, k int // dimension (1-based) and index of m_k
		m      uint32
	}{
		// Dimension 4: s = 3, a = 1 (a_1 = 0, a_2 = 1), m = 1 3 1.
		{4, 4, 5},  // 4·3 ⊕ 8·1 ⊕ 1 = 12 ⊕ 8 ⊕ 1
		{4, 5, 31}, // 4·1 ⊕ 8·3 ⊕ 3 = 4 ⊕ 24 ⊕ 3
		{4, 6, 29}, // 4·5 ⊕ 8·1 ⊕ 1 = 20 ⊕ 8 ⊕ 1
		// Dimension 6: s = 4, a = 1 (a_3 = 1), m = 1 1 3 3.
		{6, 5, 25}, // 8·1 ⊕ 16·1 ⊕ 1
		{6, 6, 9},  // 8·3 ⊕ 16·1 ⊕ 1 = 24 ⊕ 16 ⊕ 1
		// Dimension 7: s = 4, a = 4 (a_1 = 1), m = 1 3 5 13.
		{7, 5, 11}, // 2·13 ⊕ 16·1 ⊕ 1 = 26 ⊕ 16 ⊕ 1
		{7, 6, 37}, // 2·11 ⊕ 16·3 ⊕ 3 = 22 ⊕ 48 ⊕ 3
	} {
		if got, want := v[c.dim-1][c.k-1], c.m<<(sobolBits-c.k); got != want {
			t.Errorf("dimension %d: V_%d = %#x (m = %d), want m_%d = %d", c.dim, c.k, got, got>>(sobolBits-c.k), c.k, c.m)
		}
	}
}

func TestSobolErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		n, d int
	}{
		{"negative dimension", 4, -1},
		{"too many dimensions", 4, SobolMaxDimension + 1},
		{"negative points", -1, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := Sobol(c.n, c.d); err == nil {
				t.Errorf("Sobol(%d, %d): no error", c.n, c.d)
			}
		})
	}
	for _, c := range []struct{ n, d int }{{0, 3}, {3, 0}} {
		pts, err := Sobol(c.n, c.d)
		if err != nil || len(pts) != c.n {
			t.Errorf("Sobol(%d, %d): %d points, error %v", c.n, c.d, len(pts), err)
		}
	}
}

func TestLowestZeroBit(t *testing.T) {
	for i, want := range []int{0, 1, 0, 2, 0, 1, 0, 3} {
		if got := lowestZeroBit(uint64(i)); got != want {
			t.Errorf("lowestZeroBit(%d) = %d, want %d", i, got, want)
		}
	}
	if got := lowestZeroBit(math.MaxUint32 - 1); got != 0 {
		t.Errorf("lowestZeroBit(2^32-2) = %d", got)
	}
}

func BenchmarkSobol(b *testing.B) {
	for _, d := range []int{2, 40} {
		b.Run(fmt.Sprintf("n=8192,d=%d", d), func(b *testing.B) {
			for b.Loop() {
				if _, err := Sobol(8192, d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
