package benchmodels

import (
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
)

// src draws exact (unbiased) bounded integers from one stream. It reads the
// stream 64 bits at a time into a small buffer of 32-bit words, so the hot
// path (a buffered word and a multiply) inlines into the models' loops. When
// the stream is a *rand.ChaCha8 (engine.Streams.Source) it is called
// directly; any other rand.Source, such as the *rand.Rand of
// engine.Streams.Stream, gives the same draws through an interface call.
type src struct {
	buf   [256]uint32
	i     uint8 // next unused word of buf; 0: refill first
	buf16 [256]uint16
	i16   uint8 // next unused word of buf16; 0: refill first
	c     *rand.ChaCha8
	s     rand.Source
	bits  uint64 // unused random bits for bitsN
	nbits uint
}

func newSrc(s rand.Source) *src {
	c, _ := s.(*rand.ChaCha8)
	return &src{c: c, s: s}
}

// refill reads 128 outputs of the stream into buf (low word first).
func (s *src) refill() {
	if s.c != nil {
		for j := 0; j < len(s.buf); j += 2 {
			x := s.c.Uint64()
			s.buf[j], s.buf[j+1] = uint32(x), uint32(x>>32)
		}
	} else {
		for j := 0; j < len(s.buf); j += 2 {
			x := s.s.Uint64()
			s.buf[j], s.buf[j+1] = uint32(x), uint32(x>>32)
		}
	}
}

// refill16 reads 64 outputs of the stream into buf16 (low word first).
func (s *src) refill16() {
	for j := 0; j < len(s.buf16); j += 4 {
		var x uint64
		if s.c != nil {
			x = s.c.Uint64()
		} else {
			x = s.s.Uint64()
		}
		s.buf16[j], s.buf16[j+1], s.buf16[j+2], s.buf16[j+3] = uint16(x), uint16(x>>16), uint16(x>>32), uint16(x>>48)
	}
}

// u16 returns 16 uniform random bits.
func (s *src) u16() uint16 {
	i := s.i16
	if i == 0 {
		s.refill16()
	}
	s.i16 = i + 1
	return s.buf16[i]
}

// u32 returns 32 uniform random bits.
func (s *src) u32() uint32 {
	i := s.i
	if i == 0 {
		s.refill()
	}
	s.i = i + 1
	return s.buf[i]
}

// u64 returns 64 uniform random bits (two words of the buffer, low first).
func (s *src) u64() uint64 {
	lo := s.u32()
	return uint64(lo) | uint64(s.u32())<<32
}

// intn returns a uniform integer in [0, n), n > 0 (Lemire's multiply-shift
// with rejection, so exactly uniform). n = 0 returns 0. Hot loops spell it
// out as
//
//	m := uint64(s.u32()) * uint64(n)
//	if uint32(m) < n {
//		m = s.lemireSlow(n, m)
//	}
//	x := uint32(m >> 32)
//
// because intn itself is over the inliner's budget.
func (s *src) intn(n uint32) uint32 {
	m := uint64(s.u32()) * uint64(n)
	if uint32(m) < n {
		m = s.lemireSlow(n, m)
	}
	return uint32(m >> 32)
}

// lemireSlow finishes Lemire's method when the first product's low word fell
// below n: it redraws while the low word is below 2³² mod n.
func (s *src) lemireSlow(n uint32, m uint64) uint64 {
	thresh := -n % n
	for uint32(m) < thresh {
		m = uint64(s.u32()) * uint64(n)
	}
	return m
}

// bitsN returns k uniform random bits (1 <= k <= 32).
func (s *src) bitsN(k uint) uint32 {
	if s.nbits < k {
		s.bits = uint64(s.u32())
		s.nbits = 32
	}
	x := uint32(s.bits & (1<<k - 1))
	s.bits >>= k
	s.nbits -= k
	return x
}

// float64 returns a uniform float64 in [0, 1) from 53 random bits.
func (s *src) float64() float64 {
	x := uint64(s.u32())<<32 | uint64(s.u32())
	return float64(x>>11) / (1 << 53)
}

// shuffle draws a fresh uniform random permutation of p in place
// (Fisher-Yates, one bounded draw per element). It allocates nothing.
func (s *src) shuffle(p []int32) {
	for i := len(p) - 1; i > 0; i-- {
		n := uint32(i + 1)
		m := uint64(s.u32()) * uint64(n)
		if uint32(m) < n {
			m = s.lemireSlow(n, m)
		}
		j := uint32(m >> 32)
		p[i], p[j] = p[j], p[i]
	}
}

// fill fills b (a multiple of 8 bytes long) with the stream's next len(b)/8
// outputs, little-endian: read in bulk from a *rand.ChaCha8 (its Read gives
// exactly its Uint64 outputs while reads are whole words), one Uint64 at a
// time from any other rand.Source, the same bytes.
func (s *src) fill(b []byte) {
	if s.c != nil {
		s.c.Read(b)
		return
	}
	for i := 0; i+8 <= len(b); i += 8 {
		binary.LittleEndian.PutUint64(b[i:], s.s.Uint64())
	}
}

// shuffle3Words returns the bytes of random words shuffle3 reads for a
// permutation of n elements.
func shuffle3Words(n int) int { return 8 * (min(n-1, 1<<21-1) / 3) }

// shuffle3 draws a fresh uniform random permutation of p in place, like
// shuffle, with fewer random bits: the Fisher-Yates draws for positions i,
// i−1, i−2 come from one 64-bit word while (i+1)·i·(i−1) < 2⁶⁴ (Brackett-
// Rozinsky and Lemire's batched bounded draws, exactly uniform), one 32-bit
// draw each beyond. The words come from w, filled with fill, at least
// shuffle3Words(len(p)) bytes; a rejected batch is redrawn from s.
func (s *src) shuffle3(p []uint64, w []byte) {
	i := len(p) - 1
	for ; i >= 1<<21; i-- {
		n := uint32(i + 1)
		m := uint64(s.u32()) * uint64(n)
		if uint32(m) < n {
			m = s.lemireSlow(n, m)
		}
		j := uint32(m >> 32)
		p[i], p[j] = p[j], p[i]
	}
	for t := 0; i >= 3; i, t = i-3, t+8 {
		b1, b2, b3 := uint64(i+1), uint64(i), uint64(i-1)
		j1, l := bits.Mul64(binary.LittleEndian.Uint64(w[t:]), b1)
		j2, l := bits.Mul64(l, b2)
		j3, l := bits.Mul64(l, b3)
		if prod := b1 * b2 * b3; l < prod {
			for th := -prod % prod; l < th; { // th = 2⁶⁴ mod prod
				j1, l = bits.Mul64(s.u64(), b1)
				j2, l = bits.Mul64(l, b2)
				j3, l = bits.Mul64(l, b3)
			}
		}
		p[i], p[j1] = p[j1], p[i]
		p[i-1], p[j2] = p[j2], p[i-1]
		p[i-2], p[j3] = p[j3], p[i-2]
	}
	for ; i > 0; i-- {
		n := uint32(i + 1)
		m := uint64(s.u32()) * uint64(n)
		if uint32(m) < n {
			m = s.lemireSlow(n, m)
		}
		j := uint32(m >> 32)
		p[i], p[j] = p[j], p[i]
	}
}

// identity fills p with 0, 1, ..., len(p)-1.
func identity(p []int32) {
	for i := range p {
		p[i] = int32(i)
	}
}

// vonNeumannTorus returns, for a w×h grid with wrap-around, the 4 von
// Neumann neighbours of every cell as a flat array with 4 slots per cell.
func vonNeumannTorus(w, h int) []int32 {
	nb := make([]int32, w*h*4)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := y*w + x
			nb[c*4+0] = int32(((y+h-1)%h)*w + x)
			nb[c*4+1] = int32(y*w + (x+w-1)%w)
			nb[c*4+2] = int32(y*w + (x+1)%w)
			nb[c*4+3] = int32(((y+1)%h)*w + x)
		}
	}
	return nb
}

// buckets holds, for every cell of a grid, the list of agent indices in it,
// with O(1) insertion and swap-removal. slot[a] is agent a's position in its
// cell's list. Each cell's list starts with a preallocated capacity carved
// from one backing array; a cell that outgrows it reallocates its own list
// (rare, amortised), so steady-state steps allocate nothing.
type buckets struct {
	cell [][]int32
	slot []int32
}

func newBuckets(cells, agents, perCell int) buckets {
	back := make([]int32, cells*perCell)
	b := buckets{cell: make([][]int32, cells), slot: make([]int32, agents)}
	for c := range b.cell {
		b.cell[c] = back[c*perCell : c*perCell : (c+1)*perCell]
	}
	return b
}

// add appends agent a to cell c.
func (b *buckets) add(a, c int32) {
	l := b.cell[c]
	b.slot[a] = int32(len(l))
	b.cell[c] = append(l, a)
}

// remove deletes agent a from cell c by swapping in the last agent.
func (b *buckets) remove(a, c int32) {
	l := b.cell[c]
	i := b.slot[a]
	last := l[len(l)-1]
	l[i] = last
	b.slot[last] = i
	b.cell[c] = l[:len(l)-1]
}

// growAgents makes room for agent indices below n.
func (b *buckets) growAgents(n int) {
	if n > len(b.slot) {
		b.slot = append(b.slot, make([]int32, n-len(b.slot))...)
	}
}
