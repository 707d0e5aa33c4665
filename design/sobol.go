package design

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// The direction numbers of Joe and Kuo: the first 1,024 lines of their file
// new-joe-kuo-6.21201 (S. Joe and F. Y. Kuo, "Constructing Sobol sequences
// with better two-dimensional projections", SIAM J. Sci. Comput. 30 (2008)
// 2635–2654; https://web.maths.unsw.edu.au/~fkuo/sobol/), distributed under
// the BSD-style licence embedded beside them in joekuo/LICENSE.
//
//go:embed joekuo/new-joe-kuo-6.21201.first1024
var joeKuoTable []byte

// JoeKuoLicence is the licence of the embedded direction numbers (Copyright
// (c) 2008, Frances Y. Kuo and Stephen Joe; BSD-style): a program that
// distributes them in binary form reproduces it in its documentation.
//
//go:embed joekuo/LICENSE
var JoeKuoLicence string

// SobolMaxDimension is the number of dimensions of the Sobol sequence: the
// first one (the van der Corput sequence in base 2) and the 1,023 of the
// embedded Joe–Kuo direction numbers.
const SobolMaxDimension = 1024

// sobolBits is the number of binary digits of each coordinate: the points
// are multiples of 2^-32, exact in a float64, and a sequence has 2^32 points.
const sobolBits = 32

// joeKuo is one line of the Joe–Kuo file: the degree s of the primitive
// polynomial x^s + a_1 x^(s-1) + ... + a_(s-1) x + 1 over GF(2), its inner
// coefficients a (a_1 the most significant of s-1 bits) and the initial
// direction numbers m_1 ... m_s (m_k odd, below 2^k).
type joeKuo struct {
	s, a int
	m    []uint32
}

// parseJoeKuo reads the embedded table: a header line, then one line
// "d s a m_1 ... m_s" per dimension d = 2, 3, ...
func parseJoeKuo(table []byte) ([]joeKuo, error) {
	var rows []joeKuo
	sc := bufio.NewScanner(bytes.NewReader(table))
	line := 0
	for sc.Scan() {
		line++
		if line == 1 {
			continue
		}
		f := strings.Fields(sc.Text())
		if len(f) < 4 {
			return nil, fmt.Errorf("direction numbers, line %d: %d fields, want d s a m_1 ... m_s", line, len(f))
		}
		v := make([]int, len(f))
		for i, s := range f {
			n, err := strconv.Atoi(s)
			if err != nil {
				return nil, fmt.Errorf("direction numbers, line %d: %w", line, err)
			}
			v[i] = n
		}
		d, s, a := v[0], v[1], v[2]
		if d != len(rows)+2 || s < 1 || s >= sobolBits || len(v) != 3+s {
			return nil, fmt.Errorf("direction numbers, line %d: dimension %d of degree %d with %d numbers", line, d, s, len(v)-3)
		}
		r := joeKuo{s: s, a: a, m: make([]uint32, s)}
		for k := range s {
			r.m[k] = uint32(v[3+k])
		}
		rows = append(rows, r)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("direction numbers: %w", err)
	}
	return rows, nil
}

// directions returns the direction numbers V_1 ... V_32 of every dimension,
// scaled by 2^32 (Bratley and Fox 1988; Joe and Kuo 2008, §2): V_k =
// m_k 2^(32-k), with m_k = 1 in dimension 1, the table's m_k for k <= s and
// the recurrence of the primitive polynomial beyond,
//
//	V_k = V_(k-s) ⊕ (V_(k-s) >> s) ⊕ a_1 V_(k-1) ⊕ ... ⊕ a_(s-1) V_(k-s+1).
var directions = sync.OnceValue(func() [][sobolBits]uint32 {
	rows, err := parseJoeKuo(joeKuoTable)
	if err != nil {
		panic(err) // the embedded table is checked by the tests
	}
	v := make([][sobolBits]uint32, 1+len(rows))
	for k := range sobolBits {
		v[0][k] = 1 << (sobolBits - 1 - k)
	}
	for j, r := range rows {
		w := &v[j+1]
		for k := 0; k < sobolBits; k++ {
			if k < r.s {
				w[k] = r.m[k] << (sobolBits - 1 - k)
				continue
			}
			x := w[k-r.s] ^ (w[k-r.s] >> r.s)
			for l := 1; l < r.s; l++ {
				if (r.a>>(r.s-1-l))&1 == 1 {
					x ^= w[k-l]
				}
			}
			w[k] = x
		}
	}
	return v
})

// Sobol returns the first n points of the Sobol low-discrepancy sequence in
// d dimensions (I. M. Sobol', USSR Comput. Math. Math. Phys. 7 (1967)
// 86–112), unscrambled, with the direction numbers of Joe and Kuo (2008) and
// in Gray-code order (Antonov and Saleev 1979), as Joe and Kuo's sobol.cc
// and scipy.stats.qmc.Sobol(scramble=False) give them: point 0 is the
// origin and, with C(i) the position of the lowest zero bit of i (1 for an
// even i),
//
//	X_i = X_(i-1) ⊕ V_C(i-1),   x_i = X_i / 2^32.
//
// Every prefix of 2^m points is a digital (t, m, d)-net in base 2: an
// elementary interval of volume 2^(t-m) holds exactly 2^t of them, so a
// design should use a power of two points. The coordinates lie in [0, 1)
// and are multiples of 2^-32. The sequence is deterministic: there is no
// random source. d is at most SobolMaxDimension and n at most 2^32.
func Sobol(n, d int) ([][]float64, error) {
	if d < 0 || d > SobolMaxDimension {
		return nil, fmt.Errorf("design: Sobol sequence in %d dimensions: between 0 and %d", d, SobolMaxDimension)
	}
	if n < 0 || uint64(n) > 1<<sobolBits {
		return nil, fmt.Errorf("design: %d points of a Sobol sequence: between 0 and 2^%d", n, sobolBits)
	}
	v := directions()
	x := make([]uint32, d)
	flat := make([]float64, n*d)
	pts := make([][]float64, n)
	const scale = 1.0 / (1 << sobolBits)
	for i := range pts {
		p := flat[i*d : (i+1)*d : (i+1)*d]
		if i > 0 {
			c := lowestZeroBit(uint64(i - 1))
			for j := range x {
				x[j] ^= v[j][c]
			}
		}
		for j, xj := range x {
			p[j] = float64(xj) * scale
		}
		pts[i] = p
	}
	return pts, nil
}

// lowestZeroBit is the 0-based position of the lowest zero bit of i: the
// number of its trailing ones.
func lowestZeroBit(i uint64) int {
	c := 0
	for i&1 == 1 {
		i >>= 1
		c++
	}
	return c
}
