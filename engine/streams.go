package engine

import (
	"crypto/sha256"
	"encoding/binary"
	"math/rand/v2"
)

// streamDomain separates frontiersim's stream keys from any other use of
// SHA-256 keys. Changing it changes every draw of every model.
const streamDomain = "frontiersim/engine/stream/v1"

// Streams derives named random streams for one replication. It is a small
// value, not a global: copy it freely.
type Streams struct {
	Seed        uint64 // the experiment's master seed
	Replication uint64 // replication index, shared across policy arms
}

// NewStreams returns the streams of replication rep under master seed seed.
func NewStreams(seed, rep uint64) Streams { return Streams{Seed: seed, Replication: rep} }

// Key returns the 32-byte ChaCha8 key of the named stream (see the package
// documentation for the mixing function).
func (s Streams) Key(name string) [32]byte {
	h := sha256.New()
	var buf [17]byte
	h.Write([]byte(streamDomain))
	buf[0] = 0
	binary.LittleEndian.PutUint64(buf[1:9], s.Seed)
	binary.LittleEndian.PutUint64(buf[9:17], s.Replication)
	h.Write(buf[:])
	h.Write([]byte(name))
	var k [32]byte
	copy(k[:], h.Sum(nil))
	return k
}

// Source returns a fresh ChaCha8 source for the named stream, positioned at
// its first draw.
func (s Streams) Source(name string) *rand.ChaCha8 {
	return rand.NewChaCha8(s.Key(name))
}

// Stream returns a fresh generator for the named stream, positioned at its
// first draw. Two calls with the same name return generators that produce the
// same sequence; a model should call Stream once per name and keep it.
func (s Streams) Stream(name string) *rand.Rand {
	return rand.New(s.Source(name))
}
