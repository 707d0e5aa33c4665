package benchmodels

import "math/rand/v2"

// src draws exact (unbiased) bounded integers from one stream, using every
// 64-bit output of the stream twice (as two 32-bit words) and small
// power-of-two draws a few bits at a time. When the stream is a
// *rand.ChaCha8 (engine.Streams.Source) it is called directly; any other
// rand.Source, such as the *rand.Rand of engine.Streams.Stream, gives the
// same draws through an interface call.
type src struct {
	c     *rand.ChaCha8
	s     rand.Source
	half  uint32 // the unused upper half of the last 64-bit output
	hasHf bool
	bits  uint64 // unused random bits for bitsN
	nbits uint
}

func newSrc(s rand.Source) *src {
	c, _ := s.(*rand.ChaCha8)
	return &src{c: c, s: s}
}

// u64 returns the stream's next 64-bit output.
func (s *src) u64() uint64 {
	if s.c != nil {
		return s.c.Uint64()
	}
	return s.s.Uint64()
}

// u32 returns 32 uniform random bits.
func (s *src) u32() uint32 {
	if s.hasHf {
		s.hasHf = false
		return s.half
	}
	x := s.u64()
	s.half = uint32(x >> 32)
	s.hasHf = true
	return uint32(x)
}

// intn returns a uniform integer in [0, n), n > 0 (Lemire's multiply-shift
// with rejection, so exactly uniform).
func (s *src) intn(n uint32) uint32 {
	m := uint64(s.u32()) * uint64(n)
	if low := uint32(m); low < n {
		thresh := -n % n
		for low < thresh {
			m = uint64(s.u32()) * uint64(n)
			low = uint32(m)
		}
	}
	return uint32(m >> 32)
}

// bitsN returns k uniform random bits (1 <= k <= 32).
func (s *src) bitsN(k uint) uint32 {
	if s.nbits < k {
		s.bits = s.u64()
		s.nbits = 64
	}
	x := uint32(s.bits & (1<<k - 1))
	s.bits >>= k
	s.nbits -= k
	return x
}

// float64 returns a uniform float64 in [0, 1) from 53 random bits, as
// rand.Rand.Float64 does.
func (s *src) float64() float64 { return float64(s.u64()<<11>>11) / (1 << 53) }

// shuffle draws a fresh uniform random permutation of p in place
// (Fisher-Yates, one bounded draw per element). It allocates nothing.
func (s *src) shuffle(p []int32) {
	for i := len(p) - 1; i > 0; i-- {
		j := s.intn(uint32(i + 1))
		p[i], p[j] = p[j], p[i]
	}
}

// identity fills p with 0, 1, ..., len(p)-1.
func identity(p []int32) {
	for i := range p {
		p[i] = int32(i)
	}
}

// mooreNoTorus returns, for a w×h grid without wrap-around, the Moore
// neighbours of every cell (index y*w+x) as a flat array with 8 slots per
// cell, and the number of neighbours that exist (8, 5 or 3).
func mooreNoTorus(w, h int) (nb []int32, count []uint8) {
	nb = make([]int32, w*h*8)
	count = make([]uint8, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := y*w + x
			k := 0
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					if dx == 0 && dy == 0 {
						continue
					}
					nx, ny := x+dx, y+dy
					if nx < 0 || nx >= w || ny < 0 || ny >= h {
						continue
					}
					nb[c*8+k] = int32(ny*w + nx)
					k++
				}
			}
			count[c] = uint8(k)
		}
	}
	return nb, count
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
